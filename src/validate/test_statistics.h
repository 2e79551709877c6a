#pragma once
// The statistics of a Billo test, all on the log scale of the metric (log ER by default): the
// spread used to plan a test, the sample size needed for a given power, and the comparison of
// test against control videos (Welch, paired within creator, or a random-intercept model).
//
// Why logs: ER is a ratio whose spread grows with its level, and a creative change acts
// multiplicatively ("+25 %"), so a difference of mean logs is the natural effect and
// exp(difference) - 1 is the lift. On the real export the within-creator SD of log ER is about
// 0.45, which is what makes a 3 + 2 video test hopeless (it detects +25 % < 10 % of the time).
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rumi::validate {

// --- planning -----------------------------------------------------------------------------------

inline constexpr double kDefaultLogSd = 0.45;  // within-creator SD of log ER on the real export
inline constexpr double kTargetLift = 0.25;    // the lift a test is planned to detect
inline constexpr double kPlanAlpha = 0.05;     // two-sided
inline constexpr double kPlanPower = 0.80;
inline constexpr int kMinSpreadDf = 10;  // fewer degrees of freedom: the SD estimate is too rough

struct SpreadEstimate {
  double sd = kDefaultLogSd;
  std::string source;  // within_creator / all_videos / default
  int videos = 0;      // videos with a positive ER that entered the estimate
  int creators = 0;    // creators with >= 2 videos (within_creator) or all creators
  int df = 0;
  std::string note;  // plain-English reason for the choice
};

// SD of log(value) after removing each creator's mean (pooled over creators with >= 2 videos).
// Falls back to the plain SD of log(value) over all videos (creators mixed: the spread a test
// faces when different creators film the two arms) and to kDefaultLogSd with a note when there
// are too few degrees of freedom for either. Values <= 0 or non-finite are skipped; creators
// parallel to values (empty = unknown creator).
SpreadEstimate estimate_log_spread(std::span<const double> values, std::span<const std::string> creators);

// Power of a two-sided, equal-n two-sample t-test (df = 2n - 2) for a standardised effect d,
// with the noncentral t (both tails), as statsmodels' TTestIndPower computes it.
double two_sample_power(double n_per_arm, double effect_size, double alpha = kPlanAlpha);
// Smallest whole n per arm reaching `power`; at most 1'000'000.
int videos_per_arm_for_power(double effect_size, double alpha = kPlanAlpha, double power = kPlanPower);

struct SamplePlan {
  double target_lift = kTargetLift;
  double alpha = kPlanAlpha, power = kPlanPower;
  SpreadEstimate spread;
  double effect_size = 0;            // log(1 + target_lift) / sd
  int n_per_arm = 0;                 // planned videos per arm
  double power_3_vs_2 = 0;           // what the old 3 test + 2 control design would have had
  double null_rejection_chance = 0;  // chance that a pattern with no effect ends "rejected" at n
};
SamplePlan plan_sample(const SpreadEstimate& spread, double target_lift = kTargetLift);
// "Film 65 test and 65 control videos: ..." for people.
std::string plan_text(const SamplePlan& p);

// --- comparison ---------------------------------------------------------------------------------

struct Comparison {
  std::string method;    // welch_log / paired_creator_t / random_intercept_reml / pooled_inverse_variance
  bool defined = false;  // false: too few values or no spread; p = 1 then, CIs infinite
  int n_test = 0, n_control = 0;
  int creators = 0;                                // creators that entered a paired / random-intercept analysis
  double test_geo_mean = 0, control_geo_mean = 0;  // exp(mean log) of each arm
  double diff = 0;                                 // estimated difference of mean log values (test - control)
  double se = 0, df = 0, statistic = 0, p_value = 1;
  double ci90_low = 0, ci90_high = 0, ci95_low = 0, ci95_high = 0;  // of diff
  // Random-intercept model only: between-creator and residual variance (REML).
  std::optional<double> creator_variance, residual_variance;
  std::string note;

  double lift() const;  // exp(diff) - 1
  double lift_ci90_low() const, lift_ci90_high() const, lift_ci95_low() const, lift_ci95_high() const;
};

// Welch's t-test on log values (scipy ttest_ind(equal_var=False) on the logs), CIs with the
// Welch-Satterthwaite df.
Comparison welch_log(std::span<const double> test_log, std::span<const double> control_log);

// Per-creator mean log difference (test - control) and a one-sample t on those differences
// (scipy ttest_1samp / ttest_rel on balanced pairs). Creators are matched by name; a creator with
// only one arm is left out.
Comparison paired_creator(std::span<const double> test_log, std::span<const std::string> test_creators,
                          std::span<const double> control_log, std::span<const std::string> control_creators);

// y = b0 + b1 * arm + u_creator + e, fitted by REML (the likelihood profiled over the variance
// ratio, maximised by golden-section search on [0, 1e6] plus the boundary). The same model and
// estimates as statsmodels MixedLM(y, [1, arm], groups=creator).fit(reml=True). The test of b1
// uses a t with the "between-within" df N - creators - 1 (at least 1), which for one test and one
// control video per creator is exactly the paired t.
Comparison random_intercept(std::span<const double> test_log, std::span<const std::string> test_creators,
                            std::span<const double> control_log, std::span<const std::string> control_creators);

// Chooses the analysis: paired within creator when every video has a creator and each creator has
// the same number of test and control videos (>= 2 such creators); the random-intercept model when
// every video has a creator, >= 2 creators filmed both arms, but the counts differ; otherwise Welch.
Comparison compare_arms(std::span<const double> test_log, std::span<const std::string> test_creators,
                        std::span<const double> control_log, std::span<const std::string> control_creators);

// Fixed-effect inverse-variance pooling of repeat tests of one (bucket, element): the pooled diff
// is sum(w d) / sum(w), w = 1 / se^2, with a t on the summed df. Undefined parts are skipped.
Comparison pool_comparisons(std::span<const Comparison> parts);

// Fills p, CIs and statistic from diff, se and df.
void finish_comparison(Comparison& c);

}  // namespace rumi::validate
