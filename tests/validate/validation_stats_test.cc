// The statistics of the validation loop (issue 17, point 7): the planned sample size, Welch and
// the equivalence bound against scipy / statsmodels, the paired and random-intercept analyses
// against scipy's ttest_rel and statsmodels' MixedLM, and the decision rules on samples built so
// the answer is known. Oracle tests skip with a message when python3, scipy or statsmodels is
// missing.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "core/json.h"
#include "support/test_support.h"
#include "validate/evaluation.h"
#include "validate/pattern_confidence.h"
#include "validate/test_statistics.h"

namespace rumi {
namespace {

using validate::Comparison;
using validate::TestStatus;

bool python_has(const std::string& modules) { return test::run_python("import " + modules + "\n").exit_code == 0; }

#define REQUIRE_PYTHON(modules)                                             \
  if (!python_has(modules))                                                 \
  GTEST_SKIP() << "python3 with " << (modules) << " is not available; the " \
               << "oracle comparison is skipped"

// n values whose log has mean `mean_log` and spread ~ sd: normal quantiles at (i - 0.5) / n, so the
// sample shows exactly the lift it was built with.
std::vector<double> lognormal_quantiles(int n, double mean_log, double sd) {
  const boost::math::normal z;
  std::vector<double> v;
  for (int i = 1; i <= n; ++i) v.push_back(std::exp(mean_log + sd * boost::math::quantile(z, (i - 0.5) / n)));
  return v;
}

std::vector<double> logs(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) out.push_back(std::log(x));
  return out;
}

std::string join(const std::vector<double>& v) {
  std::string s;
  for (double x : v) s += fmt::format("{:.17g} ", x);
  return s;
}

// --- planning -----------------------------------------------------------------------------------

TEST(Plan, SixtyFivePerArmAtTheRealExportsSpreadAndThreePlusTwoIsHopeless) {
  validate::SpreadEstimate s;  // default 0.45
  const auto p = validate::plan_sample(s);
  // Normal approximation 2 (1.96 + 0.84)^2 0.45^2 / log(1.25)^2 = 63.9; the exact noncentral-t
  // answer (statsmodels TTestIndPower) is 64.8 -> 65 whole videos per arm.
  EXPECT_EQ(p.n_per_arm, 65);
  EXPECT_GE(validate::two_sample_power(65, p.effect_size), 0.80);
  EXPECT_LT(validate::two_sample_power(64, p.effect_size), 0.80);
  EXPECT_LT(p.power_3_vs_2, 0.10);
  EXPECT_GT(p.power_3_vs_2, 0.05);
  // A pattern with no effect is rejected at 65 per arm only in a minority of tests.
  EXPECT_GT(p.null_rejection_chance, 0.1);
  EXPECT_LT(p.null_rejection_chance, 0.5);
  const std::string text = validate::plan_text(p);
  EXPECT_NE(text.find("film 65 test videos"), std::string::npos) << text;
  EXPECT_NE(text.find("+25 %"), std::string::npos) << text;
}

TEST(Plan, PowerAndSampleSizeEqualStatsmodels) {
  REQUIRE_PYTHON("statsmodels");
  const std::vector<double> sds = {0.25, 0.45, 0.6, 0.9};
  const std::vector<double> lifts = {0.25, 0.10, 0.5};
  std::ostringstream in;
  for (double sd : sds)
    for (double l : lifts) in << std::log1p(l) / sd << "\n";
  auto py = test::run_python(
      "import sys, math, warnings\nwarnings.simplefilter('ignore')\n"
      "from statsmodels.stats.power import TTestIndPower\n"
      "pw = TTestIndPower()\n"
      "for line in sys.stdin:\n"
      "  d = float(line)\n"
      "  n = pw.solve_power(effect_size=d, alpha=0.05, power=0.8)\n"
      "  print(repr(math.ceil(n)), repr(pw.power(d, 3, 0.05, ratio=2/3)), repr(pw.power(d, 40, 0.05)))\n",
      in.str());
  ASSERT_EQ(py.exit_code, 0) << py.err;
  std::istringstream out(py.out);
  for (double sd : sds)
    for (double l : lifts) {
      validate::SpreadEstimate s;
      s.sd = sd;
      const auto p = validate::plan_sample(s, l);
      int n = 0;
      double p32 = 0, p40 = 0;
      ASSERT_TRUE(out >> n >> p32 >> p40);
      EXPECT_EQ(p.n_per_arm, n) << "sd " << sd << " lift " << l;
      EXPECT_NEAR(p.power_3_vs_2, p32, 1e-6);
      EXPECT_NEAR(validate::two_sample_power(40, p.effect_size), p40, 1e-6);
    }
}

TEST(Plan, SpreadIsWithinCreatorThenAllVideosThenTheDefault) {
  // Creator a: log ER 0, 0.2, 0.4 (deviations -0.2, 0, 0.2); b: 1, 1.6 (-0.3, 0.3). Pooled SS =
  // 0.08 + 0.18 = 0.26 on 3 df: too few -> all videos' SD.
  std::vector<double> er;
  std::vector<std::string> who;
  for (double y : {0.0, 0.2, 0.4}) er.push_back(std::exp(y)), who.push_back("a");
  for (double y : {1.0, 1.6}) er.push_back(std::exp(y)), who.push_back("b");
  auto few = validate::estimate_log_spread(er, who);
  EXPECT_EQ(few.source, "default");  // 5 videos: too few for the all-videos SD as well
  EXPECT_DOUBLE_EQ(few.sd, 0.45);
  EXPECT_NE(few.note.find("too little data"), std::string::npos);
  // Six creators with the same pattern of deviations: SS = 6 * 0.26 on 18 df.
  er.clear();
  who.clear();
  for (int c = 0; c < 6; ++c) {
    const double base = c * 0.7;  // creators differ a lot; the within-creator SD ignores that
    for (double y : {0.0, 0.2, 0.4}) er.push_back(std::exp(base + y)), who.push_back(fmt::format("a{}", c));
    for (double y : {1.0, 1.6}) er.push_back(std::exp(base + y)), who.push_back(fmt::format("b{}", c));
  }
  er.push_back(0.0);  // no engagement: cannot enter a log, skipped
  who.push_back("a0");
  auto within = validate::estimate_log_spread(er, who);
  EXPECT_EQ(within.source, "within_creator");
  EXPECT_EQ(within.df, 18);
  EXPECT_NEAR(within.sd, std::sqrt(6 * 0.26 / 18), 1e-12);
  // Creators unknown: the SD over all videos, larger because it holds the creator differences.
  std::vector<std::string> unknown(er.size());
  auto all = validate::estimate_log_spread(er, unknown);
  EXPECT_EQ(all.source, "all_videos");
  EXPECT_EQ(all.videos, 30);
  EXPECT_GT(all.sd, within.sd);
}

// --- decisions on samples built to show a known lift --------------------------------------------

TEST(Decision, ThreeVersusTwoWithATwoPercentLiftIsInconclusiveNotRejected) {
  // Realistic spread (log SD ~0.45) and a point lift of exactly +2 %: the old rule rejected this.
  const double m = std::log(5.0);
  std::vector<double> test{std::exp(m - 0.45 + 0.02), std::exp(m + 0.02), std::exp(m + 0.45 + 0.02)};
  std::vector<double> control{std::exp(m - 0.3), std::exp(m + 0.3)};
  auto e = validate::evaluate_test(test, control);
  ASSERT_TRUE(e.lift);
  EXPECT_NEAR(*e.lift, std::exp(0.02) - 1, 1e-12);
  EXPECT_EQ(e.status, TestStatus::inconclusive);
  EXPECT_GT(e.itt.lift_ci90_high(), 0.10);  // far from ruling out +10 %
  EXPECT_NE(e.explanation.find("Inconclusive"), std::string::npos) << e.explanation;
  EXPECT_EQ(e.explanation.find("Rejected"), std::string::npos);
}

TEST(Decision, SeventyPerArmWithNoLiftIsRejectedWhenTheSpreadAllowsIt) {
  const double m = std::log(4.0);
  auto control = lognormal_quantiles(70, m, 0.3);
  auto test = lognormal_quantiles(70, m, 0.3);
  validate::EvaluationOptions o;
  o.planned_n_per_arm = 65;
  std::vector<validate::VideoObservation> v;
  for (std::size_t i = 0; i < 70; ++i) {
    v.push_back(validate::observation(fmt::format("t{}", i), true, "", test[i]));
    v.push_back(validate::observation(fmt::format("c{}", i), false, "", control[i]));
  }
  auto e = validate::evaluate_videos(v, o);
  EXPECT_NEAR(*e.lift, 0.0, 1e-12);
  EXPECT_LT(e.itt.lift_ci90_high(), 0.10);
  EXPECT_EQ(e.status, TestStatus::rejected) << e.explanation;
  EXPECT_NE(e.explanation.find("below +10 %"), std::string::npos) << e.explanation;
  // At the real export's spread (0.45) the same zero lift cannot rule out +10 % with 70 per arm:
  // inconclusive, never a rejection on the point estimate.
  auto wide = validate::evaluate_test(lognormal_quantiles(70, m, 0.45), lognormal_quantiles(70, m, 0.45));
  EXPECT_NEAR(*wide.lift, 0.0, 1e-12);
  EXPECT_GT(wide.itt.lift_ci90_high(), 0.10);
  EXPECT_EQ(wide.status, TestStatus::inconclusive);
}

TEST(Decision, SeventyPerArmWithFortyPercentIsValidatedButNotBeforeThePlan) {
  const double m = std::log(4.0);
  auto control = lognormal_quantiles(70, m, 0.45);
  auto test = lognormal_quantiles(70, m + std::log(1.4), 0.45);
  auto e = validate::evaluate_test(test, control);
  EXPECT_NEAR(*e.lift, 0.40, 1e-12);
  EXPECT_LT(e.itt.p_value, 0.05);
  EXPECT_EQ(e.status, TestStatus::validated) << e.explanation;
  EXPECT_NE(e.explanation.find("Validated"), std::string::npos);
  // The same data under a plan of 100 per arm: an interim look, so no verdict yet.
  Comparison c = e.itt;
  EXPECT_EQ(validate::decide(c, 100), TestStatus::inconclusive);
  EXPECT_EQ(validate::decide(c, 70), TestStatus::validated);
  EXPECT_NE(validate::explain(TestStatus::inconclusive, c, 100).find("planned 100 videos"), std::string::npos);
  // +20 % at the same spread and size: significant, but not above +25 % -> inconclusive.
  auto modest =
      validate::evaluate_test(lognormal_quantiles(70, m + std::log(1.2), 0.3), lognormal_quantiles(70, m, 0.3));
  EXPECT_LT(modest.itt.p_value, 0.05);
  EXPECT_EQ(modest.status, TestStatus::inconclusive);
}

TEST(Decision, ImplementationSubsetIsSecondaryAndMissingScoresCountInItt) {
  const double m = std::log(4.0);
  auto control = lognormal_quantiles(10, m, 0.3);
  auto test = lognormal_quantiles(10, m + std::log(1.5), 0.3);
  std::vector<validate::VideoObservation> v;
  for (int i = 0; i < 10; ++i) {
    validate::VideoObservation t = validate::observation(fmt::format("t{}", i), true, "", test[i]);
    if (i < 4)
      t.implementation_score = 1.0;  // implemented
    else if (i < 7)
      t.implementation_score = 0.5;  // not really
    // i >= 7: not scored -> ITT only
    v.push_back(t);
    v.push_back(validate::observation(fmt::format("c{}", i), false, "", control[i]));
  }
  auto e = validate::evaluate_videos(v);
  EXPECT_EQ(e.n_test, 10);  // every test video, scored or not
  EXPECT_EQ(e.per_protocol_test_videos, 4);
  EXPECT_EQ(e.unscored_test_videos, 3);
  ASSERT_TRUE(e.per_protocol);
  EXPECT_EQ(e.per_protocol->n_test, 4);
  EXPECT_EQ(e.per_protocol->n_control, 10);
  EXPECT_NEAR(*e.lift, 0.5, 1e-12);  // ITT decides
  EXPECT_NE(e.explanation.find("secondary"), std::string::npos) << e.explanation;
}

TEST(Decision, OtherMetricsAreEvaluatedTheSameWayButErDecides) {
  const double m = std::log(4.0);
  auto control = lognormal_quantiles(8, m, 0.3);
  auto test = lognormal_quantiles(8, m, 0.3);  // ER: no lift
  std::vector<validate::VideoObservation> v;
  for (int i = 0; i < 8; ++i) {
    validate::VideoObservation t = validate::observation(fmt::format("t{}", i), true, "", test[i]);
    t.avg_watch_time_s = 6.0 * (1 + 0.05 * i);
    validate::VideoObservation c = validate::observation(fmt::format("c{}", i), false, "", control[i]);
    c.avg_watch_time_s = 4.0 * (1 + 0.05 * i);  // watch time 1.5x
    v.push_back(t);
    v.push_back(c);
  }
  auto e = validate::evaluate_videos(v);
  ASSERT_EQ(e.other_metrics.size(), 1u);
  EXPECT_EQ(e.other_metrics[0].metric, "avg_watch_time_s");
  EXPECT_NEAR(e.other_metrics[0].itt.lift(), 0.5, 1e-12);
  EXPECT_EQ(e.other_metrics[0].status, TestStatus::validated);
  EXPECT_NE(e.status, TestStatus::validated);  // ER stays the decision metric
}

TEST(Decision, NonPositiveErIsAnInputError) {
  std::vector<double> test{1, 2}, control{0, 1};
  EXPECT_THROW(validate::evaluate_test(test, control), InputError);
}

// --- oracles ------------------------------------------------------------------------------------

TEST(Oracle, WelchAndTheEquivalenceBoundEqualScipyAndStatsmodels) {
  REQUIRE_PYTHON("scipy, statsmodels");
  const double m = std::log(4.0);
  const std::vector<std::pair<std::vector<double>, std::vector<double>>> cases = {
      {{10, 11, 12}, {5, 6}},
      {{5.0, 5.2, 4.8}, {5.0, 5.1}},
      {{3.1, 7.4, 5.5, 6.6}, {2.2, 4.9, 3.3}},
      {{12.5, 9.75, 11.0}, {8.0, 8.5, 7.25, 9.0}},
      {lognormal_quantiles(70, m, 0.3), lognormal_quantiles(70, m + 0.01, 0.3)},
      {lognormal_quantiles(70, m, 0.45), lognormal_quantiles(60, m - 0.05, 0.3)},
      {lognormal_quantiles(30, m + 0.3, 0.5), lognormal_quantiles(25, m, 0.4)},
  };
  std::ostringstream in;
  for (const auto& [a, b] : cases) in << join(a) << "|" << join(b) << "\n";
  auto py = test::run_python(
      "import sys, math, warnings\nwarnings.simplefilter('ignore')\n"
      "import numpy as np\nfrom scipy import stats\n"
      "from statsmodels.stats.weightstats import ttost_ind, CompareMeans, DescrStatsW\n"
      "for line in sys.stdin:\n"
      "  a, b = line.split('|')\n"
      "  a = np.log([float(x) for x in a.split()]); b = np.log([float(x) for x in b.split()])\n"
      "  w = stats.ttest_ind(a, b, equal_var=False)\n"
      "  cm = CompareMeans(DescrStatsW(a), DescrStatsW(b))\n"
      "  lo90, hi90 = cm.tconfint_diff(alpha=0.10, usevar='unequal')\n"
      "  lo95, hi95 = cm.tconfint_diff(alpha=0.05, usevar='unequal')\n"
      "  p_tost, low, upp = ttost_ind(a, b, -1e6, math.log(1.1), usevar='unequal')\n"
      "  print(*[repr(float(x)) for x in (w.statistic, w.pvalue, lo90, hi90, lo95, hi95, upp[1])])\n",
      in.str());
  ASSERT_EQ(py.exit_code, 0) << py.err;
  std::istringstream out(py.out);
  for (const auto& [a, b] : cases) {
    double t = 0, p = 0, lo90 = 0, hi90 = 0, lo95 = 0, hi95 = 0, p_upper = 0;
    ASSERT_TRUE(out >> t >> p >> lo90 >> hi90 >> lo95 >> hi95 >> p_upper);
    const Comparison c = validate::welch_log(logs(a), logs(b));
    ASSERT_TRUE(c.defined);
    EXPECT_NEAR(c.statistic, t, 1e-9);
    EXPECT_NEAR(c.p_value, p, 1e-9);
    EXPECT_NEAR(c.ci90_low, lo90, 1e-9);
    EXPECT_NEAR(c.ci90_high, hi90, 1e-9);
    EXPECT_NEAR(c.ci95_low, lo95, 1e-9);
    EXPECT_NEAR(c.ci95_high, hi95, 1e-9);
    // Rejected exactly when statsmodels' one-sided test of "lift >= +10 %" rejects at 5 %.
    const bool rejected = validate::decide(c) == TestStatus::rejected;
    EXPECT_EQ(rejected, p_upper < 0.05) << "p_upper " << p_upper << " ci90_high " << c.ci90_high;
    EXPECT_EQ(c.lift_ci90_high() < 0.10, p_upper < 0.05);
  }
}

TEST(Oracle, PairedWithinCreatorEqualsScipyTtestRel) {
  REQUIRE_PYTHON("scipy, statsmodels");
  // Six creators, one test and one control video each; creators differ a lot in level.
  std::vector<double> t_log{1.2, 2.5, 0.4, 1.9, 3.0, 1.1}, c_log{1.0, 2.1, 0.5, 1.5, 2.6, 0.7};
  std::vector<std::string> t_who{"a", "b", "c", "d", "e", "f"}, c_who{"f", "e", "d", "c", "b", "a"};
  std::reverse(c_log.begin(), c_log.end());  // listed in another order: matching is by creator
  const Comparison c = validate::compare_arms(t_log, t_who, c_log, c_who);
  EXPECT_EQ(c.method, "paired_creator_t");
  EXPECT_EQ(c.creators, 6);
  std::reverse(c_log.begin(), c_log.end());
  std::ostringstream in;
  in << join(t_log) << "|" << join(c_log) << "\n";
  auto py = test::run_python(
      "import sys, warnings\nwarnings.simplefilter('ignore')\nfrom scipy import stats\n"
      "from statsmodels.stats.weightstats import ttost_paired, DescrStatsW\nimport numpy as np, math\n"
      "a, b = sys.stdin.read().split('|')\n"
      "a = np.array([float(x) for x in a.split()]); b = np.array([float(x) for x in b.split()])\n"
      "r = stats.ttest_rel(a, b)\n"
      "lo, hi = DescrStatsW(a - b).tconfint_mean(alpha=0.10)\n"
      "print(repr(float(r.statistic)), repr(float(r.pvalue)), repr(lo), repr(hi))\n",
      in.str());
  ASSERT_EQ(py.exit_code, 0) << py.err;
  std::istringstream out(py.out);
  double t = 0, p = 0, lo = 0, hi = 0;
  ASSERT_TRUE(out >> t >> p >> lo >> hi);
  EXPECT_NEAR(c.statistic, t, 1e-9);
  EXPECT_NEAR(c.p_value, p, 1e-9);
  EXPECT_NEAR(c.ci90_low, lo, 1e-9);
  EXPECT_NEAR(c.ci90_high, hi, 1e-9);
  // Welch on the same numbers ignores the creators and is far less certain.
  const Comparison w = validate::welch_log(t_log, c_log);
  EXPECT_GT(w.p_value, c.p_value);
}

TEST(Oracle, RandomInterceptEqualsStatsmodelsMixedLm) {
  REQUIRE_PYTHON("statsmodels");
  // Unequal counts per creator: the random-intercept model, not the paired t.
  std::vector<double> t_log{1.30, 1.45, 2.40, 0.55, 0.70, 1.95, 2.90, 1.35, 1.10};
  std::vector<std::string> t_who{"a", "a", "b", "c", "c", "d", "e", "f", "f"};
  std::vector<double> c_log{1.00, 2.15, 2.05, 0.35, 1.60, 2.55, 2.70, 0.95, 1.65};
  std::vector<std::string> c_who{"a", "b", "b", "c", "d", "e", "e", "f", "g"};
  const Comparison c = validate::compare_arms(t_log, t_who, c_log, c_who);
  ASSERT_EQ(c.method, "random_intercept_reml");
  ASSERT_TRUE(c.defined);
  std::ostringstream in;
  for (std::size_t i = 0; i < t_log.size(); ++i) in << t_log[i] << " 1 " << t_who[i] << "\n";
  for (std::size_t i = 0; i < c_log.size(); ++i) in << c_log[i] << " 0 " << c_who[i] << "\n";
  auto py = test::run_python(
      "import sys, warnings\nwarnings.simplefilter('ignore')\nimport numpy as np\n"
      "import statsmodels.api as sm\n"
      "rows = [l.split() for l in sys.stdin if l.strip()]\n"
      "y = np.array([float(r[0]) for r in rows]); arm = np.array([float(r[1]) for r in rows])\n"
      "g = [r[2] for r in rows]\n"
      "X = sm.add_constant(arm)\n"
      "best = None\n"
      "for method in ('lbfgs', 'bfgs', 'powell', 'nm'):\n"
      "  try:\n"
      "    f = sm.MixedLM(y, X, groups=g).fit(reml=True, method=method)\n"
      "  except Exception:\n"
      "    continue\n"
      "  if best is None or f.llf > best.llf: best = f\n"
      "f = best\n"
      "print(repr(float(f.params[1])), repr(float(f.bse[1])), repr(float(f.cov_re.iloc[0, 0]) if hasattr(f.cov_re, "
      "'iloc') else float(f.cov_re[0][0])), repr(float(f.scale)))\n",
      in.str());
  ASSERT_EQ(py.exit_code, 0) << py.err;
  std::istringstream out(py.out);
  double b = 0, se = 0, re = 0, scale = 0;
  ASSERT_TRUE(out >> b >> se >> re >> scale) << py.out;
  EXPECT_GT(re, 0.05);  // a real creator effect, so the fit is away from the boundary
  EXPECT_NEAR(c.diff, b, 1e-4);
  EXPECT_NEAR(c.se, se, 1e-4);
  ASSERT_TRUE(c.creator_variance && c.residual_variance);
  EXPECT_NEAR(*c.creator_variance, re, 1e-3);
  EXPECT_NEAR(*c.residual_variance, scale, 1e-4);
  // between-within df: 18 videos - 7 creators - 1.
  EXPECT_DOUBLE_EQ(c.df, 10);
}

TEST(Oracle, RandomInterceptWithOnePairPerCreatorIsThePairedT) {
  // Balanced pairs: REML gives exactly the paired estimate and standard error (away from the
  // boundary), which is why the two analyses can share one rule.
  std::vector<double> t_log{1.2, 2.5, 0.4, 1.9, 3.0, 1.1}, c_log{1.0, 2.1, 0.5, 1.5, 2.6, 0.7};
  std::vector<std::string> who{"a", "b", "c", "d", "e", "f"};
  const Comparison paired = validate::paired_creator(t_log, who, c_log, who);
  const Comparison mixed = validate::random_intercept(t_log, who, c_log, who);
  EXPECT_NEAR(mixed.diff, paired.diff, 1e-9);
  EXPECT_NEAR(mixed.se, paired.se, 1e-6);
  EXPECT_DOUBLE_EQ(mixed.df, paired.df);
}

TEST(Oracle, AnalysisFallsBackToWelchWithoutCreators) {
  std::vector<double> t_log{1.2, 2.5, 0.4}, c_log{1.0, 2.1, 0.5};
  std::vector<std::string> some{"a", "", "c"}, all{"a", "b", "c"}, others{"x", "y", "z"};
  EXPECT_EQ(validate::compare_arms(t_log, some, c_log, all).method, "welch_log");
  // Creators known but nobody filmed both arms: independent groups.
  EXPECT_EQ(validate::compare_arms(t_log, all, c_log, others).method, "welch_log");
  EXPECT_EQ(validate::compare_arms(t_log, all, c_log, all).method, "paired_creator_t");
}

// --- pooling ------------------------------------------------------------------------------------

TEST(Pooling, RepeatTestsOfOneKeyArePooledAndBucketsNeverAre) {
  const double m = std::log(4.0);
  // Two tests of hook_text in 16-30s, each +30 % with 40 per arm: neither reaches a plan of 65,
  // together they do.
  auto part =
      validate::welch_log(logs(lognormal_quantiles(40, m + std::log(1.3), 0.3)), logs(lognormal_quantiles(40, m, 0.3)));
  auto flat = validate::welch_log(logs(lognormal_quantiles(40, m, 0.3)), logs(lognormal_quantiles(40, m, 0.3)));
  EXPECT_EQ(validate::decide(part, 65), TestStatus::inconclusive);
  std::vector<validate::TestOutcome> outcomes = {
      {"16-30s", {"hook_text"}, {"Text hook"}, "inconclusive", part.lift(), "2026-01-01T00:00:00Z", part, 65},
      {"16-30s", {"hook_text"}, {""}, "inconclusive", part.lift(), "2026-01-08T00:00:00Z", part, 65},
      {"0-15s", {"hook_text"}, {""}, "inconclusive", flat.lift(), "2026-01-09T00:00:00Z", flat, 65},
  };
  auto agg = validate::aggregate_pattern_validations(outcomes);
  ASSERT_EQ(agg.size(), 2u);
  const auto& pooled = agg.at({"16-30s", "hook_text"});
  EXPECT_EQ(pooled.tests, 2);
  EXPECT_EQ(pooled.pooled.n_test, 80);
  EXPECT_NEAR(pooled.pooled.diff, part.diff, 1e-12);
  EXPECT_NEAR(pooled.pooled.se, part.se / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(pooled.status, "proven");
  EXPECT_NE(validate::validation_phrase(pooled).find("validated in 2 controlled tests: +30 %"), std::string::npos)
      << validate::validation_phrase(pooled);
  EXPECT_NE(validate::validation_phrase(pooled).find("16-30s"), std::string::npos);
  // The 0-15s test stands alone: 40 per arm is below its plan, so it is not yet decided.
  EXPECT_EQ(agg.at({"0-15s", "hook_text"}).status, "inconclusive");
  EXPECT_EQ(agg.at({"0-15s", "hook_text"}).tests, 1);
}

}  // namespace
}  // namespace rumi
