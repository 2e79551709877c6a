#pragma once
// Synthetic stage outputs (patterns, performance, model, selection files) for the report tests,
// written exactly in the contract formats the upstream stages produce (patterns format 2:
// stats/patterns_file.cc; model rules as ml/tree_models.cc writes them).
#include <fmt/format.h>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"

namespace rumi::test {

struct FixturePattern {
  std::string feature, phrase, direction = "higher_is_better", evidence = "STRONG";
  double lift = 0.34, p = 0.000123, q = 0.00231, d = 0.82, top_mean = 2.5, rest_mean = 1.2;
  double ci_lo = 0.12, ci_hi = 0.56, prevalence = 0.62;
  int n = 82, top = 9;
  int rest_showing = 20;   // of the n - top other videos
  double er_others = 4.0;  // median ER of the others (percent); the favoured median is er_others * (1 + lift)
  bool vanishes = false;   // details.adjusted.verdict == "vanishes_after_adjustment"
};

inline Json fixture_pattern_json(const FixturePattern& f, bool exploratory = false) {
  const bool presence = f.direction == "present_is_better" || f.direction == "absent_is_better";
  const double er_favoured = f.er_others * (1 + f.lift);
  const int top_showing = static_cast<int>(std::lround(f.prevalence * f.top));
  const int rest = f.n - f.top;
  // insights' phrase (a whole sentence, as pattern_phrase writes it); `f.phrase` is its subject.
  const std::string phrase = fmt::format(
      "{}ideos with {} had {:.1f}x the engagement rate of the others (median {:.1f} % vs {:.1f} %)",
      f.evidence == "EMERGING" ? "Hypothesis to test: v" : "V", f.phrase, 1 + f.lift, er_favoured, f.er_others);
  Json adjusted{{"method", "rank_regression"},
                {"covariates", {"followers_log", "age_days"}},
                {"verdict", f.vanishes ? "vanishes_after_adjustment" : "holds"}};
  return Json{{"feature", f.feature},
              {"source", "visual_overlay_analysis.CoreMetrics." + f.feature},
              {"kind", presence ? "flag" : "numeric"},
              {"columns", {f.feature}},
              {"direction", f.direction},
              {"top_mean", f.top_mean},
              {"rest_mean", f.rest_mean},
              {"top_median", f.top_mean},
              {"rest_median", f.rest_mean},
              {"lift", f.lift},
              {"ci95", {f.ci_lo, f.ci_hi}},
              {"er_favoured", er_favoured},
              {"er_others", f.er_others},
              {"effect_size", f.d},
              {"effect_size_kind", presence ? "rank_biserial" : "spearman_rho"},
              {"test", presence ? "mann_whitney_u" : "spearman"},
              {"p_value", f.p},
              {"q_value", f.q},
              {"evidence", f.evidence},
              {"exploratory", exploratory},
              {"supporting_models", f.evidence == "STRONG" ? Json{"forest_skill", "oof_importance"} : Json::array()},
              {"phrase", phrase},
              {"sample_size", f.n},
              {"top_count", f.top},
              {"top_showing", top_showing},
              {"rest_count", rest},
              {"rest_showing", f.rest_showing},
              {"top_prevalence", f.prevalence},
              {"details", Json{{"adjusted", adjusted}}}};
}

struct FixtureBucket {
  std::string name;  // "0-15s"
  int n = 82;
  double avg_er = 5.43, median_er = 4.87;
  std::vector<FixturePattern> patterns;
  std::vector<std::string> rules;  // written as training's rule objects ({conditions, value, cover, text})
  double r2 = 0.41;
  int family = 40;  // creative elements in the bucket's correction
};

inline void write_fixture_bucket(const std::filesystem::path& hashtag_dir, const FixtureBucket& b) {
  const auto dir = hashtag_dir / ("bucket_" + b.name);
  ensure_directory(dir);
  const bool insufficient = b.n < 20;
  const bool exploratory = b.n >= 20 && b.n < 30;
  Json patterns = Json::array();
  for (auto p : b.patterns) {
    p.n = b.n;
    patterns.push_back(fixture_pattern_json(p, exploratory));
  }
  write_json_atomic(
      dir / ("patterns_" + b.name + ".json"),
      Json{{"format", "rumi-patterns"},
           {"format_version", 2},
           {"bucket", b.name},
           {"sample_size", b.n},
           {"insufficient_data", insufficient},
           {"exploratory", exploratory},
           {"family", {{"unit", "creative_element"}, {"size", insufficient ? 0 : b.family}}},
           {"forest_skill", {{"run", !insufficient}, {"reason", ""}, {"p_value", 0.01}, {"passed", !insufficient}}},
           {"patterns", patterns},
           {"all_elements", patterns}});
  write_json_atomic(dir / "performance_metrics.json", Json{{"bucket", b.name},
                                                           {"sample_size", b.n},
                                                           {"avg_engagement", b.avg_er},
                                                           {"median_engagement", b.median_er},
                                                           {"std_engagement", 1.5},
                                                           {"top_10pct", 9.1},
                                                           {"consistency", 0.4},
                                                           {"exploratory", b.n >= 20 && b.n < 30},
                                                           {"insufficient_data", insufficient},
                                                           {"cv_r2", insufficient ? Json(nullptr) : Json(b.r2)}});
  Json rules = Json::array();
  for (const auto& r : b.rules) rules.push_back(Json{{"conditions", {r}}, {"value", 6.1}, {"cover", 12}, {"text", r}});
  if (!insufficient)
    write_json_atomic(dir / ("model_" + b.name + ".json"), Json{{"format", "rumi-model"},
                                                                {"format_version", 2},
                                                                {"bucket", b.name},
                                                                {"models", {{"decision_tree", {{"rules", rules}}}}},
                                                                {"cv", {{"r2", b.r2}}},
                                                                {"exploratory", b.n < 30}});
}

inline void write_fixture_selection(const std::filesystem::path& hashtag_dir, const std::vector<std::string>& buckets) {
  Json bj = Json::object();
  int i = 0;
  for (const auto& b : buckets) {
    const std::string id = "74287571926243115" + std::to_string(10 + i++);
    bj[b] = Json{{"target", 30},
                 {"found", 40},
                 {"eligible", 35},
                 {"selected", {{{"rank", 1}, {"video_id", id}, {"url", "https://www.tiktok.com/@user/video/" + id}}}},
                 {"shortfall", nullptr}};
  }
  ensure_directory(hashtag_dir / "acquisition");
  write_json_atomic(hashtag_dir / "acquisition" / "selection.json", Json{{"format", "rumi-selection"},
                                                                         {"format_version", 1},
                                                                         {"hashtag", "#nutrition"},
                                                                         {"buckets", bj},
                                                                         {"excluded", Json::array()}});
}

// Three buckets: 0-15s (82 videos, 6 patterns), 16-30s (45 videos, 5 patterns), 31-60s (12: insufficient).
inline void write_standard_fixture(const std::filesystem::path& hashtag_dir) {
  FixtureBucket a{"0-15s", 82, 5.43, 4.87, {}, {"if fixture.overlay_density > 0.42 then ER 6.1", "else ER 3.9"}, 0.41};
  a.patterns = {
      {"fixture.text_hook_3s", "text on screen in the first 3 seconds", "present_is_better", "STRONG", 0.34, 0.000123,
       0.00231, 0.82},
      {"fixture.overlay_density", "text overlays per second", "higher_is_better", "STRONG", 0.27, 0.00041, 0.0044,
       0.71},
      {"fixture.first_cta_pos", "how early the first call to action comes (share of the video)", "higher_is_better",
       "MODERATE", 0.19, 0.0031, 0.021, 0.55, 0.8, 0.5},
      {"fixture.scene_changes", "scene changes per second", "lower_is_better", "MODERATE", -0.22, 0.0044, 0.029, -0.48},
      {"fixture.cta_last_third", "an on-screen call to action in the last third", "present_is_better", "EMERGING", 0.15,
       0.012, 0.061, 0.35},
      {"fixture.face_time", "share of the video with a face on screen", "higher_is_better", "EMERGING", 0.11, 0.019,
       0.074, 0.31}};
  FixtureBucket b{"16-30s", 45, 4.12, 3.95, {}, {}, 0.28};
  b.patterns = {
      {"fixture.speech_rate", "words spoken per second", "higher_is_better", "STRONG", 0.41, 0.00007, 0.0012, 0.93},
      {"fixture.music_energy", "music energy", "higher_is_better", "MODERATE", 0.18, 0.0052, 0.033, 0.52},
      {"fixture.caption_len", "caption length", "lower_is_better", "MODERATE", -0.16, 0.0061, 0.038, -0.47},
      {"fixture.product_hook_3s", "the product in the first 3 seconds", "present_is_better", "EMERGING", 0.21, 0.021,
       0.081, 0.29},
      {"fixture.gesture_count", "number of gestures", "higher_is_better", "EMERGING", 0.09, 0.031, 0.088, 0.25}};
  FixtureBucket c{"31-60s", 12, 3.21, 3.02, {}, {}, 0};
  write_fixture_bucket(hashtag_dir, a);
  write_fixture_bucket(hashtag_dir, b);
  write_fixture_bucket(hashtag_dir, c);
  write_fixture_selection(hashtag_dir, {"0-15s", "16-30s", "31-60s"});
}

// Patterns in the real catalog's names (as the demo finds them), so the shot list has real
// filmable instructions; plus features.csv and a selection with URLs for the example video.
inline void write_catalog_fixture(const std::filesystem::path& dir) {
  FixtureBucket a{"0-15s", 82, 5.43, 4.87, {}, {}, 0.41};
  FixturePattern first_text{
      "overlay.timeToFirstOverlay", "", "lower_is_better", "STRONG", 0.9, 0.0001, 0.002, -0.6, 0.73, 3.39};
  FixturePattern density{"density.avgDensity", "", "higher_is_better", "STRONG", 0.7, 0.0002, 0.003, 0.55, 8.1, 3.8};
  FixturePattern hook{
      "overlay.overlayProgression.hook_3s", "", "higher_is_better", "MODERATE", 0.4, 0.003, 0.02, 0.4, 0.83, 0.0};
  a.patterns = {first_text, density, hook};
  FixtureBucket b{"16-30s", 45, 4.12, 3.95, {}, {}, 0.28};
  FixturePattern b_first = first_text;
  b_first.top_mean = 1.48;
  b_first.rest_mean = 3.75;
  b.patterns = {b_first};
  write_fixture_bucket(dir, a);
  write_fixture_bucket(dir, b);
  // Video 9001 has the highest ER but shows the first text late (5 s): not an example of the
  // element. 9002 shows it at 0.5 s: the example. 9003 shows it too, with a lower ER.
  write_file_atomic(dir / "bucket_0-15s" / "features.csv",
                    "video_id,weight,er,overlay.timeToFirstOverlay,density.avgDensity\n"
                    "9001,1,12.5,5.0,9\n9002,1,9.25,0.5,2\n9003,1,7.0,0.4,9\n9004,1,3.0,,1\n");
  Json sel{{"format", "rumi-selection"}, {"format_version", 2}, {"hashtag", "#nutrition"}, {"excluded", Json::array()}};
  for (const char* bucket : {"0-15s", "16-30s"}) {
    Json selected = Json::array();
    for (const char* id : {"9001", "9002", "9003", "9004"})
      selected.push_back(
          Json{{"rank", 1}, {"video_id", id}, {"url", std::string("https://www.tiktok.com/@c/video/") + id}});
    sel["buckets"][bucket] = Json{{"selected", selected}};
  }
  ensure_directory(dir / "acquisition");
  write_json_atomic(dir / "acquisition" / "selection.json", sel);
}

}  // namespace rumi::test
