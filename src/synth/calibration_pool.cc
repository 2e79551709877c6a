#include "synth/calibration_pool.h"

#include "core/file_io.h"
#include "core/json.h"
#include "features/analysis_reader.h"
#include "features/feature_catalog.h"
#include "native/metadata_analysis.h"
#include "synth/generator.h"

namespace rumi::synth {

Dataset null_feature_pool(int videos, std::uint64_t seed, const std::filesystem::path& scratch) {
  SynthOptions o;
  o.videos = videos;
  o.seed = seed;
  o.plant_effects = false;
  const SynthSummary s = generate(o, scratch);
  const Json items = read_json_file(s.items_file);
  const features::AnalysisIndex index = features::index_analysis_dir(s.analyses_dir);
  const auto& catalog = features::feature_catalog();
  Dataset d;
  d.feature_names = catalog.names();
  for (const auto& item : items) {
    const std::string id = item.at("id").get<std::string>();
    const double duration = item.at("videoMeta").at("duration").get<double>();
    const double plays = item.at("playCount").get<double>();
    const double er = plays > 0 ? 100.0 *
                                      (item.at("diggCount").get<double>() + item.at("commentCount").get<double>() +
                                       item.at("shareCount").get<double>()) /
                                      plays
                                : 0.0;
    const features::LoadedAnalysis a = features::load_analysis(index, id);
    d.add_row(id, 1.0, er, features::extract_features(a, duration));
  }
  return d;
}

Dataset metadata_feature_pool(std::span<const Video> videos) {
  const auto& catalog = features::feature_catalog();
  Dataset d;
  d.feature_names = catalog.names();
  for (const Video& v : videos) {
    const auto er = engagement_rate(v);
    if (!er) continue;
    features::LoadedAnalysis a;
    a.video_id = v.id;
    a.flows["metadata_analysis"] = native::metadata_analysis(v);
    d.add_row(v.id, 1.0, *er, features::extract_features(a, v.duration_s));
  }
  return d;
}

}  // namespace rumi::synth
