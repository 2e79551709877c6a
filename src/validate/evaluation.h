#pragma once
// The verdict of one Billo test: test videos (filmed with the pattern) against control videos
// (same content without it), compared on engagement rate after the measurement window.
// Rules (spec "Success Criteria", refined by issue 13):
//   validated    lift > 25 % and Welch p < 0.05
//   rejected     lift < 10 %
//   inconclusive 10-25 % lift, or > 25 % but not yet significant (too few videos / too noisy)
// Lift is relative: mean(test ER) / mean(control ER) - 1.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/json.h"
#include "stats/two_sample_tests.h"

namespace rumi::validate {

enum class TestStatus { pending, validated, inconclusive, rejected };
std::string_view status_name(TestStatus s);
TestStatus parse_status(std::string_view s);  // UsageError on unknown names

inline constexpr double kValidatedLift = 0.25;
inline constexpr double kRejectedLift = 0.10;
inline constexpr double kSignificance = 0.05;
inline constexpr int kMinVideosPerArm = 2;

struct Evaluation {
  TestStatus status = TestStatus::pending;
  int n_test = 0, n_control = 0;
  double test_mean_er = 0, control_mean_er = 0;
  std::optional<double> lift;  // nullopt when the control mean is 0
  stats::TestResult welch;
  stats::TestResult mann_whitney;
  std::optional<double> cost_usd;
  std::optional<double> lift_pct_per_dollar;  // ROI: lift in percent per dollar spent
  std::string explanation;                    // plain language, for people
};

// ERs in percent. Throws UsageError (exit 2) when either arm has fewer than kMinVideosPerArm.
Evaluation evaluate_test(std::span<const double> test_er, std::span<const double> control_er,
                         std::optional<double> cost_usd = std::nullopt);

Json to_json(const Evaluation& e);

// "+41.0 %" / "-3.2 %" / "n/a".
std::string format_lift(std::optional<double> lift);
// "ROI: +41.0 % lift for $500.00 = 0.082 % lift per dollar"; empty without a cost.
std::string roi_line(const Evaluation& e);

}  // namespace rumi::validate
