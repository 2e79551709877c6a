#include "stats/engagement_lift.h"

#include <cmath>

#include "core/rng.h"
#include "stats/bca.h"
#include "stats/bootstrap.h"
#include "stats/correlation.h"
#include "stats/descriptive.h"
#include "stats/weighted.h"

namespace rumi::stats {

namespace {

struct Rule {
  int direction = 1;
  double cut = 0;  // numeric: favoured when x >= cut (direction +1) or x <= cut (-1)
};

Rule choose_rule(std::span<const double> x, std::span<const double> er, bool presence) {
  Rule r;
  const TestResult t = spearman(x, er);
  r.direction = t.defined && t.statistic < 0 ? -1 : 1;
  if (!presence) r.cut = percentile(x, r.direction > 0 ? 2.0 / 3.0 : 1.0 / 3.0);
  return r;
}

bool favoured(double v, bool presence, const Rule& r) {
  if (presence) return (v > 0.5) == (r.direction > 0);
  return r.direction > 0 ? v >= r.cut : v <= r.cut;
}

}  // namespace

std::vector<int> favoured_groups(std::span<const double> x, bool presence, int direction) {
  std::vector<double> xs;
  for (double v : x)
    if (std::isfinite(v)) xs.push_back(v);
  Rule r;
  r.direction = direction >= 0 ? 1 : -1;
  if (!presence && !xs.empty()) r.cut = percentile(xs, r.direction > 0 ? 2.0 / 3.0 : 1.0 / 3.0);
  std::vector<int> g(x.size(), -1);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i])) g[i] = favoured(x[i], presence, r) ? 1 : 0;
  return g;
}

EngagementLift cross_fitted_lift(std::span<const double> x, std::span<const double> er, std::span<const double> weights,
                                 bool presence, std::span<const int> fold, int folds, int full_direction,
                                 std::uint64_t seed, std::string_view stream, int resamples) {
  EngagementLift out;
  out.folds = folds;
  std::vector<double> fav_er, fav_w, oth_er, oth_w;
  for (int f = 0; f < folds; ++f) {
    std::vector<double> tx, ter;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (fold[i] != f && std::isfinite(x[i])) tx.push_back(x[i]), ter.push_back(er[i]);
    if (tx.size() < 3) continue;
    const Rule rule = choose_rule(tx, ter, presence);
    out.folds_agreeing += rule.direction == full_direction;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (fold[i] != f || !std::isfinite(x[i])) continue;
      if (favoured(x[i], presence, rule))
        fav_er.push_back(er[i]), fav_w.push_back(weights[i]);
      else
        oth_er.push_back(er[i]), oth_w.push_back(weights[i]);
    }
  }
  out.n_favoured = fav_er.size();
  out.n_others = oth_er.size();
  out.kish_favoured = kish_effective_n(fav_w);
  out.kish_others = kish_effective_n(oth_w);
  if (fav_er.empty() || oth_er.empty()) return out;
  out.er_favoured = weighted_median(fav_er, fav_w);
  out.er_others = weighted_median(oth_er, oth_w);
  // weighted_median of each resampled group, from data sorted once (stats/bootstrap.h).
  ResampledWeightedMedian median_fav(fav_er, fav_w), median_oth(oth_er, oth_w);
  auto stat = [&](std::span<const std::size_t> ia, std::span<const std::size_t> ib) {
    const double mb = median_oth(ib);
    return mb > 0 ? median_fav(ia) / mb : std::nan("");
  };
  Rng rng = make_rng(seed, stream);
  const BcaResult bca = bca_two_sample(stat, fav_er.size(), oth_er.size(), resamples, rng);
  if (!std::isfinite(bca.estimate)) return out;
  out.defined = true;
  out.ratio = bca.estimate;
  out.ci95 = bca.ci;
  return out;
}

}  // namespace rumi::stats
