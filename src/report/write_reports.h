#pragma once
// The report stage: reads one hashtag's pattern / performance / model / selection files and
// writes reports/<date>/ — creative guides per bucket, up to 10 strategies, the client report
// and the creator briefs as 2-page PDFs, and an index.html linking everything.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/brand.h"
#include "core/json.h"
#include "report/example_cover.h"
#include "report/pattern_validation.h"
#include "report/pdf_reports.h"

namespace rumi::report {

struct ReportOptions {
  std::string date;  // YYYY-MM-DD, the caller decides (reports/<date>/)
  std::set<std::string> formats{"json", "md", "pdf", "html"};
  std::string client;
  std::string hashtag;
  std::uint64_t seed = 42;
  std::string llm;  // "" (off, default) or "anthropic": polish strategy Markdown, numbers verified  // recorded; the
                    // reports themselves are deterministic without it
  // Controlled-test results by feature (filled by the caller from the validation store; empty
  // when nothing was tested): rejected patterns leave the advice, tested ones are labelled, and
  // affiliate briefs are written only for strategies whose patterns are all proven.
  PatternValidations validations;
  // Brand inputs for the briefs (config/brand.h): the caller's, or when not given, read from the
  // workspace database that holds hashtag_dir (MLAnalysis/<client>/<hashtag> under the root
  // with rumi.db), so `rumi report` and `rumi run` use what `config apply` stored.
  std::optional<config::BrandInputs> brand;
  // The still of each brief's example video (report/example_cover.h): folders with
  // <video_id>.mp4 files (e.g. `--videos`), looked in before the analysis run's folder and the
  // public one, and the reader that takes a frame (pipeline/native_cover_frame.h, which the caller
  // includes: this stage does not link the decoder). No reader: the briefs have no stills.
  std::vector<std::filesystem::path> video_dirs;
  CoverFrameReader cover_frame;
};

struct ReportSummary {
  std::filesystem::path dir;
  std::vector<std::filesystem::path> files;  // everything written, in write order
  int buckets = 0;
  int strategies = 0;
  std::string strategy_shortfall;
  int affiliate_briefs = 0;   // strategies whose patterns are all proven (briefs written with pdf)
  int rejected_patterns = 0;  // labelled patterns left out because tests rejected them
  std::vector<PdfResult> pdfs;
  std::vector<std::string> missing_brand_inputs;                    // config keys the briefs lack (warned about)
  long llm_calls = 0, llm_input_tokens = 0, llm_output_tokens = 0;  // --llm only: what the rewrite cost
  Json to_json() const;
};

// Parses "json,md,pdf,html"; UsageError on an unknown format.
std::set<std::string> parse_formats(std::string_view list);

// Throws UsageError on a bad date/format, NotEnoughDataError when the hashtag has no bucket
// files at all, InputError on a malformed input file.
ReportSummary write_reports(const std::filesystem::path& hashtag_dir, const ReportOptions& opt);

// The stored brand inputs of the hashtag whose folder is `hashtag_dir` (client's merged with the
// hashtag's overrides); nullopt when the folder is not inside a workspace with a database, or the
// database does not know the client or hashtag.
std::optional<config::BrandInputs> stored_brand_for(const std::filesystem::path& hashtag_dir);

}  // namespace rumi::report
