#pragma once
// The per-bucket creative guide: what works in "up to 15-second #nutrition videos"
// specifically (STRONG / MODERATE elements only), a hook / body / CTA structure placed from the
// temporal patterns, what to avoid, and "What we need to learn next": the EMERGING hypotheses
// and how many videos the bucket would need to settle them. Honest when a bucket is too small
// or nothing is significant. Decision-tree rules are not validated, so they go to the analyst
// appendix (analyst_appendix.h), not here.
#include <string>

#include "core/json.h"
#include "report/report_inputs.h"

namespace rumi::report {

struct GuideSection {
  std::string name;  // hook / body / cta
  double from_s = 0, to_s = 0;
  std::vector<std::string> elements;  // sentences
};

// Hook, body and CTA over the bucket's planned length (shot_list.h: planned_length_s and
// shot_frame), the frame the Billo shot list uses, so both place an element alike.
std::vector<GuideSection> recommended_structure(const BucketInputs& b);

struct CreativeGuide {
  Json json;
  std::string markdown;
};

CreativeGuide build_creative_guide(const BucketInputs& b, std::string_view hashtag);

// "What we need to learn next" for one bucket, as Markdown lines (no heading) and JSON:
// "Hypothesis to test: ..." per EMERGING element, then "about N videos (this bucket has M)".
struct LearnNext {
  Json json;
  std::string markdown;
};
LearnNext learn_next(const BucketInputs& b);
// The hashtag's what_to_learn_next.md: every bucket's learn_next, in bucket order.
inline constexpr std::string_view kLearnNextFile = "what_to_learn_next.md";
std::string learn_next_markdown(const HashtagInputs& in, std::string_view hashtag);
// "about 211 videos (this bucket has 80)"
std::string videos_needed_text(const BucketInputs& b);

}  // namespace rumi::report
