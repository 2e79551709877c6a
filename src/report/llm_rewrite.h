#pragma once
// Optional LLM polish of report text (off by default). Only the already-aggregated report text is
// sent (pattern phrases and their numbers, never raw video data), and the answer is accepted only
// if every number in it also appears in the original; on any error or mismatch the template text
// is kept. Key from ANTHROPIC_API_KEY, base URL from RUMI_ANTHROPIC_BASE_URL (tests: fake server).
#include <set>
#include <string>
#include <string_view>

namespace rumi::report {

// Numbers as written ("34", "0.00231", "1.2e-05").
std::set<std::string> numbers_in(std::string_view text);
// True when every number of `rewrite` appears in `original`.
bool numbers_preserved(std::string_view original, std::string_view rewrite);

struct LlmResult {
  std::string text;  // the rewrite, or the original on fallback
  bool rewritten = false;
  std::string fallback_reason;  // empty when rewritten
  // What the call cost, from the answer's `usage` (0 when there was no answer): the run's costs.
  long input_tokens = 0, output_tokens = 0;
};

LlmResult rewrite_with_anthropic(const std::string& text);

}  // namespace rumi::report
