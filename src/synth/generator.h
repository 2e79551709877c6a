#pragma once
// Deterministic synthetic data for the demo and the tests: Apify items plus RumiAI flow files in
// the real era-B layouts and quirks, with known ("planted") creative effects on engagement that
// differ by duration bucket. Everything downstream (acquire -> features -> train -> patterns)
// can then be checked against the truth in planted.json.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/bucket.h"
#include "core/json.h"
#include "core/rng.h"

namespace rumi::synth {

struct SynthOptions {
  int videos = 300;
  std::uint64_t seed = kDefaultSeed;
  std::string hashtag = "#nutrition";
  // Share of videos per duration bucket (0-15s .. 91-120s); normalised, need not sum to 1.
  std::array<double, 5> bucket_mix = {0.24, 0.24, 0.22, 0.15, 0.15};
  double missing_flow_rate = 0.08;              // share of videos missing one flow (mostly speech_analysis)
  std::int64_t created_from_unix = 1748736000;  // 2025-06-01
  std::int64_t created_span_days = 120;
  // false: ER is independent of every feature (the calibration harness's pure-noise pool),
  // with the same feature types, correlations and missing-value patterns.
  bool plant_effects = true;
};

// How a planted effect moves log-ER: one of the evidence directions (core/pattern.h), or an
// interaction with another feature (PlantedEffect::interaction_with). planted.json stores the
// names: higher_is_better | lower_is_better | present_is_better | interaction.
enum class EffectDirection { higher_is_better, lower_is_better, present_is_better, interaction };
std::string_view effect_direction_name(EffectDirection d);

// One planted effect on log-ER. `feature` is a catalog name (features/feature_catalog.h).
struct PlantedEffect {
  std::string feature;
  std::string source;  // flow.Block.key
  Bucket bucket;
  EffectDirection direction;
  double effect_size;            // change of log(ER) per standard deviation of the feature (per 1 for flags)
  std::string interaction_with;  // feature name for an interaction, else empty
  std::string note;
};

// The documented truth, the same for every seed.
const std::vector<PlantedEffect>& planted_effects();
Json planted_json(const SynthOptions& o);

struct SynthSummary {
  int videos = 0;
  std::array<int, 5> per_bucket{};
  int flow_files = 0;
  int missing_flows = 0;
  std::filesystem::path items_file, analyses_dir, planted_file;
};

// Writes out/apify_items.json, out/analyses/... and out/planted.json. Same options -> same bytes.
SynthSummary generate(const SynthOptions& o, const std::filesystem::path& out);

}  // namespace rumi::synth
