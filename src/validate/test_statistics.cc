#include "validate/test_statistics.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "stats/descriptive.h"

namespace rumi::validate {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRejectMargin = 0.10;  // mirrors evaluation.h's kRejectedLift (kept local: no cycle)

double t_quantile(double p, double df) {
  const boost::math::students_t dist(df);
  return boost::math::quantile(dist, p);
}

// Power of a two-sided two-sample t-test with n1, n2 videos, as statsmodels' TTestIndPower:
// noncentrality d * sqrt(n1 n2 / (n1 + n2)), df n1 + n2 - 2, both rejection tails.
double power_unequal(double n1, double n2, double d, double alpha) {
  const double df = n1 + n2 - 2;
  if (!(df > 0) || !std::isfinite(d)) return std::nan("");
  const double nc = d * std::sqrt(n1 * n2 / (n1 + n2));
  const double crit = t_quantile(1 - alpha / 2, df);
  const boost::math::non_central_t dist(df, nc);
  return boost::math::cdf(boost::math::complement(dist, crit)) + boost::math::cdf(dist, -crit);
}

struct Group {
  double n = 0, n_test = 0;  // videos, of them test videos
  double sum_y = 0, sum_y_test = 0, sum_yy = 0;
};

std::map<std::string, Group> groups_of(std::span<const double> test_log, std::span<const std::string> test_creators,
                                       std::span<const double> control_log,
                                       std::span<const std::string> control_creators) {
  std::map<std::string, Group> g;
  for (std::size_t i = 0; i < test_log.size(); ++i) {
    Group& x = g[test_creators[i]];
    x.n += 1;
    x.n_test += 1;
    x.sum_y += test_log[i];
    x.sum_y_test += test_log[i];
    x.sum_yy += test_log[i] * test_log[i];
  }
  for (std::size_t i = 0; i < control_log.size(); ++i) {
    Group& x = g[control_creators[i]];
    x.n += 1;
    x.sum_y += control_log[i];
    x.sum_yy += control_log[i] * control_log[i];
  }
  return g;
}

// The REML pieces at variance ratio gamma = creator variance / residual variance.
struct RemlAt {
  double objective = -kInf;  // profiled REML log-likelihood (up to a constant)
  std::array<double, 2> beta{};
  std::array<double, 3> a_inv{};  // (X' H^-1 X)^-1 as [00, 01, 11]
  double rss = 0;                 // r' H^-1 r
};

RemlAt reml_at(const std::map<std::string, Group>& groups, double n_total, double gamma) {
  // H_g = I + gamma J, H_g^-1 = I - c J with c = gamma / (1 + n_g gamma); X = [1, arm].
  double a00 = 0, a01 = 0, a11 = 0, b0 = 0, b1 = 0, yy = 0, logdet = 0;
  for (const auto& [name, g] : groups) {
    const double c = gamma / (1 + g.n * gamma);
    a00 += g.n - c * g.n * g.n;
    a01 += g.n_test - c * g.n * g.n_test;
    a11 += g.n_test - c * g.n_test * g.n_test;
    b0 += g.sum_y - c * g.n * g.sum_y;
    b1 += g.sum_y_test - c * g.n_test * g.sum_y;
    yy += g.sum_yy - c * g.sum_y * g.sum_y;
    logdet += std::log1p(g.n * gamma);
  }
  RemlAt r;
  const double det = a00 * a11 - a01 * a01;
  if (!(det > 0)) return r;
  r.a_inv = {a11 / det, -a01 / det, a00 / det};
  r.beta = {r.a_inv[0] * b0 + r.a_inv[1] * b1, r.a_inv[1] * b0 + r.a_inv[2] * b1};
  r.rss = yy - (r.beta[0] * b0 + r.beta[1] * b1);
  if (!(r.rss > 0)) return r;
  const double p = 2;
  r.objective = -0.5 * ((n_total - p) * std::log(r.rss) + logdet + std::log(det));
  return r;
}

Comparison base(std::span<const double> test_log, std::span<const double> control_log, std::string method) {
  Comparison c;
  c.method = std::move(method);
  c.n_test = static_cast<int>(test_log.size());
  c.n_control = static_cast<int>(control_log.size());
  if (!test_log.empty()) c.test_geo_mean = std::exp(stats::mean(test_log));
  if (!control_log.empty()) c.control_geo_mean = std::exp(stats::mean(control_log));
  c.ci90_low = c.ci95_low = -kInf;
  c.ci90_high = c.ci95_high = kInf;
  return c;
}

}  // namespace

// --- planning -----------------------------------------------------------------------------------

SpreadEstimate estimate_log_spread(std::span<const double> values, std::span<const std::string> creators) {
  std::map<std::string, std::vector<double>> by_creator;
  std::vector<double> all;
  int unknown = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] > 0) || !std::isfinite(values[i])) continue;
    const double y = std::log(values[i]);
    all.push_back(y);
    const std::string name = i < creators.size() ? creators[i] : std::string();
    if (name.empty())
      ++unknown;
    else
      by_creator[name].push_back(y);
  }
  SpreadEstimate s;
  double ss = 0;
  int df = 0, repeat_creators = 0;
  for (const auto& [name, ys] : by_creator) {
    if (ys.size() < 2) continue;
    const double m = stats::mean(ys);
    for (double y : ys) ss += (y - m) * (y - m);
    df += static_cast<int>(ys.size()) - 1;
    ++repeat_creators;
  }
  if (df >= kMinSpreadDf) {
    s.sd = std::sqrt(ss / df);
    s.source = "within_creator";
    s.df = df;
    s.creators = repeat_creators;
    s.videos = df + repeat_creators;
    s.note = fmt::format("SD of log ER within creator, from {} videos of {} creators who posted more than once",
                         s.videos, s.creators);
    return s;
  }
  if (all.size() >= static_cast<std::size_t>(kMinSpreadDf) + 1) {
    s.sd = stats::sample_sd(all);
    s.source = "all_videos";
    s.df = static_cast<int>(all.size()) - 1;
    s.videos = static_cast<int>(all.size());
    s.creators = static_cast<int>(by_creator.size()) + unknown;
    s.note = fmt::format(
        "too few creators with several videos to measure the spread within a creator ({} degrees of freedom, need "
        "{}); used the SD of log ER over all {} videos of the bucket, which also holds the differences between "
        "creators and so plans more videos than a within-creator design needs",
        df, kMinSpreadDf, s.videos);
    return s;
  }
  s.sd = kDefaultLogSd;
  s.source = "default";
  s.videos = static_cast<int>(all.size());
  s.note = fmt::format(
      "too little data in the bucket to measure the spread ({} videos with engagement); used {:.2f}, the "
      "within-creator SD of log ER on the real export",
      all.size(), kDefaultLogSd);
  return s;
}

double two_sample_power(double n_per_arm, double effect_size, double alpha) {
  return power_unequal(n_per_arm, n_per_arm, effect_size, alpha);
}

int videos_per_arm_for_power(double effect_size, double alpha, double power) {
  if (!(std::fabs(effect_size) > 0) || !std::isfinite(effect_size)) return 1'000'000;
  // Power rises with n; bisect on whole numbers.
  int lo = 2, hi = 2;
  while (hi < 1'000'000 && two_sample_power(hi, effect_size, alpha) < power) hi *= 2;
  if (hi >= 1'000'000) return 1'000'000;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (two_sample_power(mid, effect_size, alpha) >= power)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

SamplePlan plan_sample(const SpreadEstimate& spread, double target_lift) {
  SamplePlan p;
  p.target_lift = target_lift;
  p.spread = spread;
  p.effect_size = std::log1p(target_lift) / spread.sd;
  p.n_per_arm = videos_per_arm_for_power(p.effect_size, p.alpha, p.power);
  p.power_3_vs_2 = power_unequal(3, 2, p.effect_size, p.alpha);
  // Rejection needs the 90 % upper bound below log(1.1): d + t(0.95) se < log 1.1. With no true
  // effect (d ~ 0), (d - log 1.1) / se follows a noncentral t with nc = -log(1.1) / se.
  const double n = p.n_per_arm, df = 2 * n - 2;
  const double nc = -std::log1p(kRejectMargin) / spread.sd * std::sqrt(n / 2);
  const boost::math::non_central_t dist(df, nc);
  p.null_rejection_chance = boost::math::cdf(dist, -t_quantile(0.95, df));
  return p;
}

std::string plan_text(const SamplePlan& p) {
  return fmt::format(
      "Plan: film {n} test videos (with the pattern) and {n} control videos (without) for an 80 % chance of "
      "detecting a {lift:+.0f} % engagement lift (two-sided 5 % test), from an SD of log engagement rate of "
      "{sd:.2f} ({note}). A 3 test + 2 control design would detect that lift only {p32:.0f} % of the time. If the "
      "pattern makes no difference, {n} per arm ends in 'rejected' about {rej:.0f} % of the time and "
      "'inconclusive' otherwise.",
      fmt::arg("n", p.n_per_arm), fmt::arg("lift", p.target_lift * 100), fmt::arg("sd", p.spread.sd),
      fmt::arg("note", p.spread.note), fmt::arg("p32", p.power_3_vs_2 * 100),
      fmt::arg("rej", p.null_rejection_chance * 100));
}

// --- comparison ---------------------------------------------------------------------------------

double Comparison::lift() const { return std::expm1(diff); }
double Comparison::lift_ci90_low() const { return std::expm1(ci90_low); }
double Comparison::lift_ci90_high() const { return std::expm1(ci90_high); }
double Comparison::lift_ci95_low() const { return std::expm1(ci95_low); }
double Comparison::lift_ci95_high() const { return std::expm1(ci95_high); }

void finish_comparison(Comparison& c) {
  if (!(c.se > 0) || !std::isfinite(c.se) || !(c.df > 0) || !std::isfinite(c.diff)) {
    c.defined = false;
    c.p_value = 1;
    c.statistic = 0;
    c.ci90_low = c.ci95_low = -kInf;
    c.ci90_high = c.ci95_high = kInf;
    return;
  }
  c.defined = true;
  c.statistic = c.diff / c.se;
  const boost::math::students_t dist(c.df);
  c.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(c.statistic))));
  const double t90 = t_quantile(0.95, c.df), t95 = t_quantile(0.975, c.df);
  c.ci90_low = c.diff - t90 * c.se;
  c.ci90_high = c.diff + t90 * c.se;
  c.ci95_low = c.diff - t95 * c.se;
  c.ci95_high = c.diff + t95 * c.se;
}

Comparison welch_log(std::span<const double> test_log, std::span<const double> control_log) {
  Comparison c = base(test_log, control_log, "welch_log");
  if (test_log.size() < 2 || control_log.size() < 2) {
    c.note = "Welch's test needs at least 2 videos in each arm";
    return c;
  }
  const double n1 = static_cast<double>(test_log.size()), n2 = static_cast<double>(control_log.size());
  const double v1 = stats::sample_variance(test_log) / n1, v2 = stats::sample_variance(control_log) / n2;
  c.diff = stats::mean(test_log) - stats::mean(control_log);
  c.se = std::sqrt(v1 + v2);
  c.df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
  finish_comparison(c);
  if (!c.defined) c.note = "no spread in engagement within either arm";
  return c;
}

Comparison paired_creator(std::span<const double> test_log, std::span<const std::string> test_creators,
                          std::span<const double> control_log, std::span<const std::string> control_creators) {
  Comparison c = base(test_log, control_log, "paired_creator_t");
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by;
  for (std::size_t i = 0; i < test_log.size(); ++i) by[test_creators[i]].first.push_back(test_log[i]);
  for (std::size_t i = 0; i < control_log.size(); ++i) by[control_creators[i]].second.push_back(control_log[i]);
  std::vector<double> d;
  for (const auto& [name, arms] : by)
    if (!arms.first.empty() && !arms.second.empty()) d.push_back(stats::mean(arms.first) - stats::mean(arms.second));
  c.creators = static_cast<int>(d.size());
  if (d.size() < 2) {
    c.note = "a paired analysis needs at least 2 creators who filmed both a test and a control video";
    return c;
  }
  c.diff = stats::mean(d);
  c.se = stats::sample_sd(d) / std::sqrt(static_cast<double>(d.size()));
  c.df = static_cast<double>(d.size()) - 1;
  finish_comparison(c);
  if (!c.defined) c.note = "every creator showed the same difference; no spread to test against";
  return c;
}

Comparison random_intercept(std::span<const double> test_log, std::span<const std::string> test_creators,
                            std::span<const double> control_log, std::span<const std::string> control_creators) {
  Comparison c = base(test_log, control_log, "random_intercept_reml");
  const auto groups = groups_of(test_log, test_creators, control_log, control_creators);
  const double n = static_cast<double>(test_log.size() + control_log.size());
  c.creators = static_cast<int>(groups.size());
  if (test_log.empty() || control_log.empty() || n < 4) {
    c.note = "the random-intercept model needs at least 4 videos with both arms present";
    return c;
  }
  // Grid over log(gamma), then golden section around the best grid point; gamma = 0 (no creator
  // variance) is the boundary the REML maximum may sit on.
  auto obj = [&](double log_gamma) { return reml_at(groups, n, std::exp(log_gamma)).objective; };
  // const, not constexpr: std::log is constexpr only as a GCC extension (clang refuses it).
  constexpr double lo = -20;
  const double hi = std::log(1e6);
  constexpr int steps = 200;
  double best_x = lo, best = obj(lo);
  for (int i = 1; i <= steps; ++i) {
    const double x = lo + (hi - lo) * i / steps;
    if (const double v = obj(x); v > best) {
      best = v;
      best_x = x;
    }
  }
  double a = std::max(lo, best_x - (hi - lo) / steps), b = std::min(hi, best_x + (hi - lo) / steps);
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = obj(x1), f2 = obj(x2);
  for (int it = 0; it < 100 && b - a > 1e-10; ++it) {
    if (f1 > f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - phi * (b - a);
      f1 = obj(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + phi * (b - a);
      f2 = obj(x2);
    }
  }
  double gamma = std::exp((a + b) / 2);
  RemlAt fit = reml_at(groups, n, gamma);
  if (const RemlAt zero = reml_at(groups, n, 0.0); zero.objective >= fit.objective) {
    fit = zero;
    gamma = 0;
  }
  if (!std::isfinite(fit.objective)) {
    c.note = "the random-intercept model could not be fitted (no spread, or arm and creator coincide)";
    return c;
  }
  const double sigma2 = fit.rss / (n - 2);
  c.residual_variance = sigma2;
  c.creator_variance = gamma * sigma2;
  c.diff = fit.beta[1];
  c.se = std::sqrt(sigma2 * fit.a_inv[2]);
  c.df = std::max(1.0, n - static_cast<double>(groups.size()) - 1);
  finish_comparison(c);
  return c;
}

Comparison compare_arms(std::span<const double> test_log, std::span<const std::string> test_creators,
                        std::span<const double> control_log, std::span<const std::string> control_creators) {
  bool all_known = test_creators.size() == test_log.size() && control_creators.size() == control_log.size();
  for (const auto& s : test_creators) all_known = all_known && !s.empty();
  for (const auto& s : control_creators) all_known = all_known && !s.empty();
  if (all_known) {
    std::map<std::string, std::pair<int, int>> counts;
    for (const auto& s : test_creators) ++counts[s].first;
    for (const auto& s : control_creators) ++counts[s].second;
    int both = 0;
    bool balanced = true;
    for (const auto& [name, k] : counts) {
      if (k.first > 0 && k.second > 0) ++both;
      balanced = balanced && k.first == k.second && k.first == counts.begin()->second.first;
    }
    if (both >= 2) {
      Comparison c = balanced ? paired_creator(test_log, test_creators, control_log, control_creators)
                              : random_intercept(test_log, test_creators, control_log, control_creators);
      if (c.defined) return c;
      // A model that cannot be fitted falls back to Welch, and says so.
      Comparison w = welch_log(test_log, control_log);
      w.note = c.method + " not usable (" + c.note + "); used Welch's test on log engagement";
      return w;
    }
  }
  Comparison w = welch_log(test_log, control_log);
  if (w.note.empty())
    w.note = all_known ? "fewer than 2 creators filmed both arms, so the arms were compared as independent groups"
                       : "creators not recorded for every video, so the arms were compared as independent groups";
  return w;
}

Comparison pool_comparisons(std::span<const Comparison> parts) {
  Comparison c;
  c.method = "pooled_inverse_variance";
  c.ci90_low = c.ci95_low = -kInf;
  c.ci90_high = c.ci95_high = kInf;
  double sw = 0, swd = 0, df = 0, log_t = 0, log_c = 0, nt = 0, nc = 0;
  int used = 0;
  for (const auto& p : parts) {
    c.n_test += p.n_test;
    c.n_control += p.n_control;
    c.creators += p.creators;
    if (!p.defined) continue;
    const double w = 1 / (p.se * p.se);
    sw += w;
    swd += w * p.diff;
    df += p.df;
    log_t += p.n_test * std::log(p.test_geo_mean);
    log_c += p.n_control * std::log(p.control_geo_mean);
    nt += p.n_test;
    nc += p.n_control;
    ++used;
  }
  if (used == 0) {
    c.note = "no repeat test had a usable comparison";
    return c;
  }
  c.diff = swd / sw;
  c.se = 1 / std::sqrt(sw);
  c.df = df;
  c.test_geo_mean = nt > 0 ? std::exp(log_t / nt) : 0;
  c.control_geo_mean = nc > 0 ? std::exp(log_c / nc) : 0;
  finish_comparison(c);
  c.note = fmt::format("{} test(s) pooled, each weighted by the inverse of its squared standard error", used);
  return c;
}

}  // namespace rumi::validate
