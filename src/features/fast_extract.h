#pragma once
// The hot path of the features stage: a merged `<id>_analysis.json` (docs/contracts.md) read
// with simdjson and turned into its feature row without building a rumi::Json. Converting the
// DOM to nlohmann cost ~95 % of the time; reading the DOM directly is ~10x faster. The values
// are bit-identical to read_merged_analysis + extract_features_into (tests/features/fast_extract_test.cc).
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace simdjson::dom {
class parser;
}

namespace rumi::features {

// Owns a simdjson parser whose buffers are reused from file to file: one per thread.
class MergedAnalysisExtractor {
 public:
  MergedAnalysisExtractor();
  ~MergedAnalysisExtractor();
  MergedAnalysisExtractor(const MergedAnalysisExtractor&) = delete;
  MergedAnalysisExtractor& operator=(const MergedAnalysisExtractor&) = delete;

  // Validates the document as read_merged_analysis does (format, version, era, video_id, flows),
  // writes the feature vector into `out` (feature_catalog().size() slots) and returns the
  // document's video_id; `era` (optional) receives kEraB or kEraC. Throws InputError naming
  // `file_for_errors` on a bad document.
  std::string extract_text(std::string_view text, std::string_view file_for_errors, double duration_s,
                           std::span<double> out, std::vector<std::string>* warnings = nullptr,
                           std::string* era = nullptr);
  std::string extract_file(const std::filesystem::path& file, double duration_s, std::span<double> out,
                           std::vector<std::string>* warnings = nullptr, std::string* era = nullptr);

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
};

}  // namespace rumi::features
