#pragma once
// The verdict of one Billo test: test videos (filmed with the pattern) against control videos
// (same content without it), compared on log engagement rate after the measurement window.
// Rules (issue 17, point 7; see docs/validation.md):
//   validated    lift > +25 % and p < 0.05 (two-sided)
//   rejected     the upper bound of the 90 % CI of the lift is below +10 %: the data rule out
//                any lift worth having (an equivalence / non-superiority test at 5 %)
//   inconclusive everything else; the planned sample size is restated, never a post-hoc power
// and, when a plan exists, no verdict before each arm has the planned number of videos: the
// error rates above hold for the planned size, and stopping early on a good look inflates them.
// Lift = exp(test - control difference of mean log ER) - 1, with 90 % and 95 % CIs.
// Intention-to-treat (every measured video) decides; the subset of test videos with an
// implementation score >= 0.7 is reported beside it. Other metrics creators send (2-second
// view rate, average watch time, CTR) get the same analysis but never decide.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "validate/test_statistics.h"

namespace rumi::validate {

enum class TestStatus { pending, validated, inconclusive, rejected };
std::string_view status_name(TestStatus s);
TestStatus parse_status(std::string_view s);  // UsageError on unknown names

inline constexpr double kValidatedLift = 0.25;
inline constexpr double kRejectedLift = 0.10;
inline constexpr double kSignificance = 0.05;
inline constexpr double kImplementedScore = 0.7;  // per-protocol subset threshold
inline constexpr int kMinVideosPerArm = 2;        // below this nothing can be estimated

// One measured video as the analysis sees it.
struct VideoObservation {
  std::string video_id;
  bool is_test = false;
  std::string creator;  // empty = not recorded
  double er = 0;        // percent, > 0 (the loop floors zero-interaction videos at half an interaction)
  std::optional<double> implementation_score;
  std::optional<double> view_rate_2s, avg_watch_time_s, ctr;
};
// The four always-present fields; the optional ones stay unset.
inline VideoObservation observation(std::string video_id, bool is_test, std::string creator, double er) {
  VideoObservation o;
  o.video_id = std::move(video_id);
  o.is_test = is_test;
  o.creator = std::move(creator);
  o.er = er;
  return o;
}

// The decision for a comparison on the log scale. planned_n_per_arm: the test's plan; below it
// the answer is inconclusive whatever the data say.
TestStatus decide(const Comparison& c, std::optional<int> planned_n_per_arm = std::nullopt);

struct MetricResult {
  std::string metric;  // er / view_rate_2s / avg_watch_time_s / ctr
  Comparison itt;
  std::optional<Comparison> per_protocol;
  TestStatus status = TestStatus::inconclusive;  // what the rules would say; only ER decides
};

struct EvaluationOptions {
  std::optional<int> planned_n_per_arm;
  std::optional<double> cost_usd;
  std::vector<std::string> warnings;  // e.g. posting days or measurement ages that differ
};

struct Evaluation {
  TestStatus status = TestStatus::pending;
  int n_test = 0, n_control = 0;
  double test_mean_er = 0, control_mean_er = 0;  // arithmetic means, for display
  std::optional<double> lift;                    // ITT: exp(diff) - 1
  Comparison itt;                                // decides
  std::optional<Comparison> per_protocol;        // test videos scored >= 0.7, all controls
  int per_protocol_test_videos = 0;              // test videos with a score >= 0.7
  int unscored_test_videos = 0;                  // in ITT, not in the per-protocol subset
  std::vector<MetricResult> other_metrics;
  std::optional<int> planned_n_per_arm;
  bool reached_plan = true;
  std::optional<double> cost_usd;
  std::optional<double> lift_pct_per_dollar;  // ROI: lift in percent per dollar spent
  std::vector<std::string> warnings;
  std::string explanation;  // plain language, for people
};

// Throws UsageError (exit 2) when either arm has fewer than kMinVideosPerArm videos, and
// InputError when an ER is not positive.
Evaluation evaluate_videos(std::span<const VideoObservation> videos, const EvaluationOptions& opts = {});
// ERs in percent, creators unknown (Welch on log ER), no plan: the rules alone.
Evaluation evaluate_test(std::span<const double> test_er, std::span<const double> control_er,
                         std::optional<double> cost_usd = std::nullopt);

Json to_json(const Comparison& c);
Json to_json(const Evaluation& e);
// Reads back what to_json(Comparison) wrote (for pooling stored results).
Comparison comparison_from_json(const Json& j);

// "+41.0 %" / "-3.2 %" / "n/a".
std::string format_lift(std::optional<double> lift);
// "+41.0 % (90 % CI +12.0 % to +78.3 %)".
std::string format_lift_ci(const Comparison& c);
// "ROI: +41.0 % lift for $500.00 = 0.082 % lift per dollar"; empty without a cost.
std::string roi_line(const Evaluation& e);
// The plain-English verdict of a comparison, restating the plan when inconclusive.
std::string explain(TestStatus status, const Comparison& c, std::optional<int> planned_n_per_arm);

}  // namespace rumi::validate
