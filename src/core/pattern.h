#pragma once
// Findings shared between stages: what training concluded about each feature (consensus), what
// the statistics concluded (patterns), and the per-bucket performance summary. Reports read
// these only through their JSON forms (model_*.json, patterns_*.json, performance_metrics.json).
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/enum_names.h"
#include "core/json.h"

namespace rumi {

// Direction of a feature's association with ER.
enum class Direction { higher_is_better, lower_is_better, present_is_better, absent_is_better };
inline constexpr EnumName<Direction> kDirectionNames[] = {{Direction::higher_is_better, "higher_is_better"},
                                                          {Direction::lower_is_better, "lower_is_better"},
                                                          {Direction::present_is_better, "present_is_better"},
                                                          {Direction::absent_is_better, "absent_is_better"}};
std::string_view direction_name(Direction d);
Direction parse_direction(std::string_view s);  // InputError on unknown names

// Training's verdict on one feature: which models (forest, tree, linear, clustering) rank it
// as important and agree on the sign of its effect.
struct ConsensusFeature {
  std::string feature;
  int sign = 0;                     // +1 higher ER with higher value, -1 lower
  std::vector<std::string> models;  // supporting models, sorted
  double importance = 0;            // mean normalized importance across models
};

// The evidence label, as patterns_*.json stores it (STRONG, MODERATE, EMERGING, NONE).
enum class Evidence { strong, moderate, emerging, none };
inline constexpr EnumName<Evidence> kEvidenceNames[] = {{Evidence::strong, "STRONG"},
                                                        {Evidence::moderate, "MODERATE"},
                                                        {Evidence::emerging, "EMERGING"},
                                                        {Evidence::none, "NONE"}};
std::string_view evidence_name(Evidence e);
Evidence parse_evidence(std::string_view s);  // InputError on unknown names

// One creative element's evidence in one bucket (stats/pattern_finder.h states the rules).
struct Pattern {
  std::string feature;               // the element's representative column (catalog name)
  std::string source;                // flow.Block.key path, e.g. visual_overlay_analysis.CoreMetrics.overlayDensity
  std::string kind;                  // numeric / flag / onehot / temporal / derived
  std::vector<std::string> columns;  // every feature column the element stands for (feature first)
  Direction direction = Direction::higher_is_better;
  // Typical values of the element in its own unit: weighted means and medians among the top
  // tier and among the other videos (for presence kinds the means are prevalences).
  double top_mean = 0, rest_mean = 0;
  double top_median = 0, rest_median = 0;
  // Engagement lift, cross-fitted (stats/engagement_lift.h): median ER of favoured videos over
  // that of the others, minus 1 (0.34 = "+34 % engagement"), with its 95 % BCa interval.
  double lift = 0;
  std::array<double, 2> ci95{0, 0};
  double er_favoured = 0, er_others = 0;  // weighted medians, ER in percent
  double effect_size = 0;                 // Spearman rho, or rank-biserial for presence
  std::string effect_size_kind;           // spearman_rho / rank_biserial
  std::string test;                       // spearman / mann_whitney_u
  double p_value = 1, q_value = 1;
  Evidence evidence = Evidence::none;
  bool exploratory = false;                    // bucket of 20-29 videos: at most MODERATE
  std::vector<std::string> supporting_models;  // confirmations that held: forest_skill, oof_importance
  std::string phrase;                          // actionable sentence, no raw feature names
  int sample_size = 0;                         // videos in the bucket
  int top_count = 0;                           // videos in the top tier
  int top_showing = 0;                         // top-tier videos that show it (favoured side)
  int rest_count = 0, rest_showing = 0;        // the same among the other videos
  double top_prevalence = 0;                   // top_showing / top_count
  Json details;                                // everything else (tests, adjustment, weights...)
};

Json to_json(const Pattern& p);
Pattern pattern_from_json(const Json& j);  // throws InputError on missing fields

struct BucketPerformance {
  std::string bucket;
  int sample_size = 0;
  double avg_er = 0, median_er = 0, std_er = 0, p90_er = 0;
  double consistency = 0;  // 1 / (1 + coefficient of variation): consistency_cv in the files
  bool exploratory = false;
  bool insufficient = false;    // < 20 videos: no model
  std::optional<double> cv_r2;  // forest CV R^2 when a model exists
};

Json to_json(const BucketPerformance& p);
BucketPerformance performance_from_json(const Json& j);

// Videos on each side of a pattern's engagement comparison {favoured, others}: the lift's own
// counts when the patterns file has them (details.engagement_lift.n_favoured / n_others), else the
// favoured side as the tier counts give it and the rest of the bucket.
std::pair<int, int> comparison_counts(const Pattern& p);

}  // namespace rumi
