#include "ml/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/enum_names.h"
#include "core/rng.h"

namespace rumi::ml {

constexpr EnumName<CvScheme> kCvSchemeNames[] = {
    {CvScheme::kfold5, "5-fold"}, {CvScheme::kfold3, "3-fold"}, {CvScheme::bootstrap_oob, "bootstrap-oob"}};

std::string_view cv_scheme_name(CvScheme s) { return name_of(kCvSchemeNames, s); }

CvScheme choose_cv_scheme(std::size_t n) {
  if (n >= 50) return CvScheme::kfold5;
  if (n >= 30) return CvScheme::kfold3;
  return CvScheme::bootstrap_oob;
}

std::vector<Split> make_kfold(std::size_t n, int k, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[uniform_index(rng, i)]);
  std::vector<Split> out(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) out[i % static_cast<std::size_t>(k)].test.push_back(perm[i]);
  for (auto& s : out) {
    std::sort(s.test.begin(), s.test.end());
    std::vector<bool> in_test(n, false);
    for (std::size_t t : s.test) in_test[t] = true;
    for (std::size_t i = 0; i < n; ++i)
      if (!in_test[i]) s.train.push_back(i);
  }
  return out;
}

std::vector<Split> make_bootstrap_oob(std::size_t n, int repeats, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Split> out;
  while (static_cast<int>(out.size()) < repeats) {
    Split s;
    std::vector<bool> drawn(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t r = uniform_index(rng, n);
      s.train.push_back(r);
      drawn[r] = true;
    }
    for (std::size_t i = 0; i < n; ++i)
      if (!drawn[i]) s.test.push_back(i);
    if (s.test.size() < 2) continue;
    std::sort(s.train.begin(), s.train.end());
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Split> make_splits(std::size_t n, CvScheme s, std::uint64_t seed, int bootstrap_repeats) {
  const auto stream = derive_seed(seed, "cv-splits");
  switch (s) {
    case CvScheme::kfold5: return make_kfold(n, 5, stream);
    case CvScheme::kfold3: return make_kfold(n, 3, stream);
    case CvScheme::bootstrap_oob: return make_bootstrap_oob(n, bootstrap_repeats, stream);
  }
  return {};
}

Metrics regression_metrics(std::span<const double> y, std::span<const double> pred) {
  Metrics m;
  const double n = static_cast<double>(y.size());
  if (y.empty()) return {std::nan(""), std::nan(""), std::nan("")};
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sse = 0, sst = 0, sae = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double e = y[i] - pred[i];
    sse += e * e;
    sae += std::abs(e);
    sst += (y[i] - mean) * (y[i] - mean);
  }
  m.r2 = sst > 0 ? 1.0 - sse / sst : std::numeric_limits<double>::quiet_NaN();
  m.rmse = std::sqrt(sse / n);
  m.mae = sae / n;
  return m;
}

namespace {
template <class F>
std::pair<double, double> mean_std(const std::vector<Metrics>& folds, F get) {
  double s = 0, ss = 0;
  int k = 0;
  for (const auto& m : folds) {
    const double v = get(m);
    if (!std::isfinite(v)) continue;
    s += v;
    ss += v * v;
    ++k;
  }
  if (k == 0) return {std::nan(""), std::nan("")};
  const double mean = s / k;
  const double var = k > 1 ? std::max(0.0, (ss - k * mean * mean) / (k - 1)) : 0.0;
  return {mean, std::sqrt(var)};
}
}  // namespace

Metrics CvScores::mean() const {
  return {mean_std(folds, [](const Metrics& m) { return m.r2; }).first,
          mean_std(folds, [](const Metrics& m) { return m.rmse; }).first,
          mean_std(folds, [](const Metrics& m) { return m.mae; }).first};
}

Metrics CvScores::stddev() const {
  return {mean_std(folds, [](const Metrics& m) { return m.r2; }).second,
          mean_std(folds, [](const Metrics& m) { return m.rmse; }).second,
          mean_std(folds, [](const Metrics& m) { return m.mae; }).second};
}

Json to_json(const CvScores& s) {
  Json r2 = Json::array(), rmse = Json::array(), mae = Json::array();
  for (const auto& m : s.folds) {
    r2.push_back(json_number(m.r2));
    rmse.push_back(json_number(m.rmse));
    mae.push_back(json_number(m.mae));
  }
  const Metrics mean = s.mean(), sd = s.stddev();
  return Json{{"r2", json_number(mean.r2)},
              {"rmse", json_number(mean.rmse)},
              {"mae", json_number(mean.mae)},
              {"r2_std", json_number(sd.r2)},
              {"rmse_std", json_number(sd.rmse)},
              {"mae_std", json_number(sd.mae)},
              {"r2_folds", r2},
              {"rmse_folds", rmse},
              {"mae_folds", mae}};
}

}  // namespace rumi::ml
