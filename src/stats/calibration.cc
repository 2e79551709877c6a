#include "stats/calibration.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include "core/rng.h"
#include "stats/correlation.h"
#include "stats/elements.h"
#include "stats/multiple_testing.h"

namespace rumi::stats {

double CalibrationTally::rumi_power() const {
  double s = 0;
  for (int v : rumi_found) s += v;
  return rumi_found.empty() ? 0.0 : s / static_cast<double>(rumi_found.size());
}

double CalibrationTally::plain_power() const {
  double s = 0;
  for (int v : plain_found) s += v;
  return plain_found.empty() ? 0.0 : s / static_cast<double>(plain_found.size());
}

double CalibrationTally::paired_se() const {
  const std::size_t n = std::min(rumi_found.size(), plain_found.size());
  if (n < 2) return 0;
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m += rumi_found[i] - plain_found[i];
  m /= static_cast<double>(n);
  double v = 0;
  for (std::size_t i = 0; i < n; ++i) v += std::pow(rumi_found[i] - plain_found[i] - m, 2);
  return std::sqrt(v / static_cast<double>(n - 1) / static_cast<double>(n));
}

double CalibrationTally::false_share() const { return claims > 0 ? static_cast<double>(false_claims) / claims : 0.0; }

double CalibrationTally::fdr() const { return cell.replicates > 0 ? fdp_sum / cell.replicates : 0.0; }

namespace {

// Spearman of two columns over the rows where both are present (0 when undefined).
double pair_rho(const Dataset& d, std::size_t a, std::size_t b) {
  std::vector<double> x, y;
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (std::isfinite(d.at(r, a)) && std::isfinite(d.at(r, b))) x.push_back(d.at(r, a)), y.push_back(d.at(r, b));
  const TestResult t = spearman(x, y);
  return t.defined ? t.statistic : 0.0;
}

struct Truth {
  std::size_t planted = 0;
  std::vector<double> rho;  // per column: pool Spearman with the planted column
  bool derived(std::size_t c, double bar) const { return std::fabs(rho[c]) >= bar; }
};

Dataset draw_replicate(const Dataset& pool, const CalibrationCell& cell, const Truth* truth, bool shuffle_pool_er,
                       Rng& rng) {
  std::vector<std::size_t> idx(pool.rows());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  for (std::size_t i = 0; i < cell.n && i < idx.size(); ++i)
    std::swap(idx[i], idx[i + uniform_index(rng, idx.size() - i)]);
  idx.resize(std::min(cell.n, idx.size()));
  Dataset d = pool.subset(idx);
  std::vector<double> z(d.rows(), 0.0);
  double a = 0;
  if (truth) {
    a = 2.0 * std::sin(std::numbers::pi * cell.rho / 6.0);
    const std::vector<double> r = ranks_with_missing(d.column(truth->planted));
    std::size_t m = 0;
    for (double v : r) m += std::isfinite(v);
    const boost::math::normal norm;
    for (std::size_t i = 0; i < r.size(); ++i)
      if (std::isfinite(r[i])) z[i] = boost::math::quantile(norm, (r[i] - 0.5) / static_cast<double>(m));
  }
  if (!truth && shuffle_pool_er) {
    // The pool's own (real) ER values, permuted across the sampled videos: the real outcome
    // distribution, with every link to the features broken.
    for (std::size_t i = d.rows(); i > 1; --i) std::swap(d.target[i - 1], d.target[uniform_index(rng, i)]);
    for (double& w : d.weights) w = 1.0;
    return d;
  }
  for (std::size_t i = 0; i < d.rows(); ++i) {
    const double e = standard_normal(rng);
    d.target[i] = 5.0 * std::exp(0.45 * (a * z[i] + std::sqrt(1.0 - a * a) * e));
    d.weights[i] = 1.0;
  }
  return d;
}

// Plain Spearman + BH over every column with >= 10 values and some variation.
void plain_analysis(const Dataset& d, const Truth* truth, double bar, CalibrationTally& t, bool& found) {
  std::vector<double> p;
  std::vector<std::size_t> cols;
  std::vector<double> rho;
  for (std::size_t c = 0; c < d.cols(); ++c) {
    std::vector<double> x, y;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (std::isfinite(d.at(r, c))) x.push_back(d.at(r, c)), y.push_back(d.target[r]);
    if (x.size() < 10) continue;
    const TestResult s = spearman(x, y);
    if (!s.defined) continue;
    p.push_back(s.p_value);
    cols.push_back(c);
    rho.push_back(s.statistic);
  }
  const std::vector<double> q = benjamini_hochberg(p);
  bool any = false;
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (!(q[i] < kQModerate)) continue;
    any = true;
    const std::size_t c = cols[i];
    if (truth && truth->derived(c, bar)) {
      if ((rho[i] > 0) == (truth->rho[c] > 0)) found = true;
    } else {
      ++t.plain_false_columns;
    }
  }
  t.plain_buckets_with_claim += any;
}

}  // namespace

CalibrationTally run_calibration_cell(const Dataset& pool, std::span<const FeatureInfo> info,
                                      const CalibrationCell& cell, const CalibrationOptions& opt) {
  CalibrationTally t;
  t.cell = cell;
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < pool.cols(); ++c) col[pool.feature_names[c]] = c;
  std::vector<Truth> truths;
  if (cell.rho != 0)
    for (const auto& name : opt.planted_columns) {
      const auto it = col.find(name);
      if (it == col.end()) continue;
      Truth tr;
      tr.planted = it->second;
      for (std::size_t c = 0; c < pool.cols(); ++c)
        tr.rho.push_back(c == tr.planted ? 1.0 : pair_rho(pool, c, tr.planted));
      truths.push_back(std::move(tr));
    }
  const std::string cell_name = "calibration/" + std::to_string(cell.n) + "/" + std::to_string(cell.rho);
  for (int r = 0; r < cell.replicates; ++r) {
    const Truth* truth = truths.empty() ? nullptr : &truths[static_cast<std::size_t>(r) % truths.size()];
    Rng rng = make_rng(opt.seed, cell_name + "/" + std::to_string(r));
    const Dataset d = draw_replicate(pool, cell, truth, opt.shuffle_pool_er, rng);
    PatternOptions po = opt.patterns;
    po.seed = opt.seed;
    po.stream = cell_name + "/" + std::to_string(r) + "/patterns";
    const BucketPatterns res = analyze_patterns(d, info, BucketContext{}, po);
    bool any = false, found = false;
    int claims = 0, false_claims = 0;
    for (const Pattern& p : res.patterns) {
      if (p.evidence != Evidence::strong && p.evidence != Evidence::moderate) continue;
      any = true;
      ++t.claims;
      ++claims;
      t.strong_claims += p.evidence == Evidence::strong;
      bool is_true = false;
      for (const auto& name : p.columns)
        if (truth && truth->derived(col.at(name), opt.derived_min_abs_rho)) is_true = true;
      if (!is_true) {
        ++t.false_claims;
        ++false_claims;
        continue;
      }
      const double rep_rho = truth->rho[col.at(p.feature)];
      if (rep_rho == 0 || (p.effect_size > 0) == (rep_rho > 0)) found = true;
    }
    t.buckets_with_claim += any;
    if (claims > 0) t.fdp_sum += static_cast<double>(false_claims) / claims;
    bool plain = false;
    plain_analysis(d, truth, opt.derived_min_abs_rho, t, plain);
    if (truth) {
      t.rumi_found.push_back(found);
      t.plain_found.push_back(plain);
    }
  }
  return t;
}

}  // namespace rumi::stats
