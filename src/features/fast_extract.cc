#include "features/fast_extract.h"

#include <simdjson.h>

#include <array>
#include <cstdint>

#include "core/error.h"
#include "features/extract_simd.h"
#include "features/flows.h"
#include "features/json_node.h"
#include "features/simd_parse.h"

namespace rumi::features {

namespace {

using T = simdjson::dom::element_type;

// nlohmann's get<int>() of an integer, which merged_analysis_from_json compares with 1.
bool is_version_one(const SimdNode& v) {
  if (v.is(T::INT64)) return static_cast<int>(v.element().get_int64().value_unsafe()) == 1;
  if (v.is(T::UINT64)) return static_cast<int>(v.element().get_uint64().value_unsafe()) == 1;
  return false;
}

std::string extract_root(const SimdNode& root, std::string_view file, double duration_s, std::span<double> out,
                         std::vector<std::string>* warnings) {
  const SimdNode format = root.get("format");
  if (!root.is_object() || !format.is_string() || format.str() != "rumi-analysis")
    throw InputError(file, "document", "format", "not a rumi-analysis file");
  if (!is_version_one(root.get("format_version")))
    throw InputError(file, "document", "format_version", "unsupported version (expected 1)");
  const SimdNode id = root.get("video_id");
  if (!id.is_string()) throw InputError(file, "document", "video_id", "missing or not a string");
  std::array<SimdNode, 7> flows{};
  if (const SimdNode all = root.get("flows")) {
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
  extract_features_into(flows, duration_s, out, warnings);
  return std::string(id.str());
}

}  // namespace

MergedAnalysisExtractor::MergedAnalysisExtractor() : parser_(std::make_unique<simdjson::dom::parser>()) {}
MergedAnalysisExtractor::~MergedAnalysisExtractor() = default;

std::string MergedAnalysisExtractor::extract_text(std::string_view text, std::string_view file, double duration_s,
                                                  std::span<double> out, std::vector<std::string>* warnings) {
  const simdjson::padded_string padded(text);
  return extract_root(SimdNode(parse_json_lenient(*parser_, padded, file)), file, duration_s, out, warnings);
}

std::string MergedAnalysisExtractor::extract_file(const std::filesystem::path& file, double duration_s,
                                                  std::span<double> out, std::vector<std::string>* warnings) {
  const std::string name = file.string();
  simdjson::padded_string text;
  if (simdjson::padded_string::load(name).get(text) != simdjson::SUCCESS)
    throw InputError(name, "", "", "cannot read file");
  return extract_root(SimdNode(parse_json_lenient(*parser_, text, name)), name, duration_s, out, warnings);
}

}  // namespace rumi::features
