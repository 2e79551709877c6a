#include "features/feature_catalog.h"

namespace rumi::features {

const std::vector<std::pair<std::string, std::string>>& known_duplicate_columns() {
  static const std::vector<std::pair<std::string, std::string>> pairs = {
      // creative_density: CoreMetrics summarise the per-second densityCurve.
      {"density.avgDensity", "density.densityCurve.mean"},
      {"density.maxDensity", "density.densityCurve.max"},
      {"density.minDensity", "density.densityCurve.min"},
      {"density.stdDeviation", "density.densityCurve.std"},
      // visual_overlay: overlays per second and per minute; a time and the same time as a share.
      {"overlay.overlayDensity", "overlay.overlayFrequency"},
      {"overlay.timeToFirstOverlay", "overlay.timeToFirstOverlay_pos"},
      // metadata: the count field and the length of the list it counts.
      {"meta.hashtagCount", "meta.hashtags.count"},
  };
  return pairs;
}

std::vector<std::string> non_creative_columns() {
  std::vector<std::string> out;
  for (const auto& f : feature_catalog().features) {
    const bool availability = f.name.rfind("video.flow_present:", 0) == 0;
    const bool quality =
        f.source.find(".Quality.") != std::string::npos && f.source.rfind("metadata_analysis.", 0) != 0;
    if (availability || quality) out.push_back(f.name);
  }
  return out;
}

}  // namespace rumi::features
