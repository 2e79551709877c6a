#include "features/fast_extract.h"

#include <simdjson.h>

#include <array>
#include <cstdint>

#include "core/error.h"
#include "features/analysis_reader.h"
#include "features/era_c.h"
#include "features/extract_simd.h"
#include "features/flows.h"
#include "features/json_node.h"
#include "features/simd_parse.h"

namespace rumi::features {

namespace {

using T = simdjson::dom::element_type;

// nlohmann's get<int>() of an integer, as merged_analysis_era reads it; 0 for anything else.
int format_version(const SimdNode& v) {
  if (v.is(T::INT64)) return static_cast<int>(v.element().get_int64().value_unsafe());
  if (v.is(T::UINT64)) return static_cast<int>(v.element().get_uint64().value_unsafe());
  return 0;
}

// The checks of merged_analysis_era, on the DOM.
std::string_view era_of(const SimdNode& root, std::string_view file) {
  const SimdNode format = root.get("format");
  if (!root.is_object() || !format.is_string() || format.str() != "rumi-analysis")
    throw InputError(file, "document", "format", "not a rumi-analysis file");
  const int version = format_version(root.get("format_version"));
  if (version == 1) return kEraB;
  if (version != 2) throw InputError(file, "document", "format_version", "unsupported version (expected 1 or 2)");
  const SimdNode era = root.get("era");
  if (era.is_string() && era.str() == kEraB) return kEraB;
  if (era.is_string() && era.str() == kEraC) return kEraC;
  throw InputError(file, "document", "era", "missing or not \"B\" or \"C\"");
}

std::string extract_root(const SimdNode& root, std::string_view file, double duration_s, std::span<double> out,
                         std::vector<std::string>* warnings, std::string* era_out) {
  const std::string_view era = era_of(root, file);
  if (era_out) *era_out = std::string(era);
  const SimdNode id = root.get("video_id");
  if (!id.is_string()) throw InputError(file, "document", "video_id", "missing or not a string");
  std::array<SimdNode, 7> flows{};
  SimdNode windows;
  if (era == kEraC) {
    const SimdNode all = root.get("flows");
    if (all && !all.is_object()) throw InputError(file, "document", "flows", "not an object");
    windows = all.get(kTemporalWindowsFlow);
    if (!windows) throw InputError(file, "flows", kTemporalWindowsFlow, "missing in an era-C analysis");
    validate_temporal_windows_node(windows, file);
  } else if (const SimdNode all = root.get("flows")) {
    if (!all.is_object()) throw InputError(file, "document", "flows", "not an object");
    // Sorted, last duplicate wins: the order and the choice merged_analysis_from_json makes.
    for (const auto& [name, blocks] : all.members()) {
      std::size_t f = 0;
      while (f < kFlowNames.size() && kFlowNames[f] != name) ++f;
      if (f == kFlowNames.size()) {
        if (warnings) warnings->push_back("unknown flow '" + std::string(name) + "' ignored");
        continue;
      }
      if (!blocks.is_object()) throw InputError(file, "flows", name, "not an object");
      flows[f] = blocks;
    }
  }
  extract_features_into(flows, windows, duration_s, out, warnings);
  return std::string(id.str());
}

}  // namespace

MergedAnalysisExtractor::MergedAnalysisExtractor() : parser_(std::make_unique<simdjson::dom::parser>()) {}
MergedAnalysisExtractor::~MergedAnalysisExtractor() = default;

std::string MergedAnalysisExtractor::extract_text(std::string_view text, std::string_view file, double duration_s,
                                                  std::span<double> out, std::vector<std::string>* warnings,
                                                  std::string* era) {
  const simdjson::padded_string padded(text);
  return extract_root(SimdNode(parse_json_lenient(*parser_, padded, file)), file, duration_s, out, warnings, era);
}

std::string MergedAnalysisExtractor::extract_file(const std::filesystem::path& file, double duration_s,
                                                  std::span<double> out, std::vector<std::string>* warnings,
                                                  std::string* era) {
  const std::string name = file.string();
  simdjson::padded_string text;
  if (simdjson::padded_string::load(name).get(text) != simdjson::SUCCESS)
    throw InputError(name, "", "", "cannot read file");
  return extract_root(SimdNode(parse_json_lenient(*parser_, text, name)), name, duration_s, out, warnings, era);
}

}  // namespace rumi::features
