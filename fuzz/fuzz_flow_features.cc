// RumiAI flow documents -> generic blocks -> feature vector, and the merged per-video file.
// The first input byte picks the flow so every flow's reader gets exercised.
#include <cmath>

#include "core/json.h"
#include "features/analysis_reader.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& flows = rumi::features::kFlowNames;
  const std::string flow{flows[data[0] % flows.size()]};
  const auto text = rumi::fuzz::as_text(data + 1, size - 1);
  return rumi::fuzz::run_one([&] {
    const rumi::Json doc = rumi::parse_json(text, "fuzz.json");
    try {
      rumi::features::LoadedAnalysis a;
      a.video_id = "7280654844715666731";
      a.flows[flow] = rumi::features::normalize_flow_document(doc, flow, "fuzz.json");
      std::vector<std::string> warnings;
      (void)rumi::features::extract_features(a, 31.0, &warnings);
      (void)rumi::features::extract_features(a, std::nan(""), &warnings);
    } catch (const rumi::Error&) {
    }
    // The same bytes as a merged <id>_analysis.json.
    const auto merged = rumi::features::merged_analysis_from_json(doc, "fuzz_analysis.json");
    (void)rumi::features::extract_features(merged, 15.0);
    (void)rumi::features::merged_analysis_json(merged, "fuzz");
  });
}
