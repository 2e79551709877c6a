#pragma once
// Per-hashtag analysis settings (spec Appendix B `analysis_config`, plus the selection thresholds
// the design makes configurable). Stored as JSON in the workspace so every stage reads the same.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bucket.h"
#include "core/json.h"

namespace rumi::config {

// How a bucket's videos_per_segment budget is spent (issue 17 point 6). `contrast` puts half on
// the top performers and half on a seeded random sample of the other eligible videos, so the
// analysis sees the whole range of outcomes and not the best against the rest of the best;
// `top` is the seed's rule (the top N by score).
// all: every eligible video, ignoring videos_per_segment; what a metadata-only run uses, since
// analysing captions and posting data costs nothing (acquire/selection.h).
enum class SelectionDesign { contrast, top, all };
std::string_view design_name(SelectionDesign d);
std::optional<SelectionDesign> parse_design(std::string_view name);
inline constexpr std::string_view kDesignNames = "contrast, top, all";

struct SelectionThresholds {
  std::int64_t min_views = 1000;
  double min_engagement_rate = 2.0;  // percent
  // Views/ER beyond Q3 + k*IQR (or below Q1 - k*IQR) are flagged outliers: kept, weight x0.5,
  // listed (seed section 12). 0 disables flagging.
  double outlier_iqr_k = 2.5;
  std::int64_t celebrity_followers = 1000000;
  double celebrity_weight = 0.5;
  double share_boost = 1.0;  // composite = ER * (1 + share_boost * shares/engagements)
  SelectionDesign design = SelectionDesign::contrast;
};

struct AnalysisConfig {
  int videos_per_segment = 30;  // 1..1000
  std::vector<Bucket> segments{kAllBuckets.begin(), kAllBuckets.end()};
  std::optional<std::string> min_date;  // YYYY-MM-DD, inclusive
  // The four ensemble models always train (consensus needs them); listed optional ones add to
  // them: "gradient_boosting". "clustering" may carry k (0 = choose by silhouette).
  std::vector<std::string> ml_models{"random_forest", "decision_tree", "linear", "clustering"};
  int clustering_k = 0;
  SelectionThresholds selection;
  std::int64_t max_items = 800;  // Apify scrape size
  std::string apify_actor = "clockworks/tiktok-scraper";
  double success_gate = 0.8;  // analyze: min share of selected videos analysed per bucket

  bool has_model(std::string_view type) const;
};

Json to_json(const AnalysisConfig& c);
// Throws InputError naming `where` and the field on a bad value.
AnalysisConfig analysis_config_from_json(const Json& j, std::string_view where = "analysis_config");

inline constexpr std::string_view kKnownModelTypes[] = {"random_forest", "decision_tree", "linear",
                                                        "linear_model",  "clustering",    "gradient_boosting"};

}  // namespace rumi::config
