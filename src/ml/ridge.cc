#include "ml/ridge.h"

#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "ml/cross_validation.h"

namespace rumi::ml {

namespace {

// Centered, sqrt(w)-weighted problem solved through one SVD for any number of alphas.
struct RidgePath {
  Eigen::VectorXd x_mean;
  double y_mean = 0;
  Eigen::MatrixXd v;
  Eigen::VectorXd s, uty;

  RidgePath(const Matrix& x, std::span<const double> y, std::span<const double> w) {
    const auto n = x.rows();
    Eigen::VectorXd wv(n), yv(n);
    for (Eigen::Index i = 0; i < n; ++i) wv(i) = w[static_cast<std::size_t>(i)], yv(i) = y[static_cast<std::size_t>(i)];
    const double sw = wv.sum();
    x_mean = (x.transpose() * wv) / sw;
    y_mean = wv.dot(yv) / sw;
    Eigen::MatrixXd xc = x.rowwise() - x_mean.transpose();
    Eigen::VectorXd yc = yv.array() - y_mean;
    const Eigen::VectorXd sq = wv.array().sqrt();
    xc = sq.asDiagonal() * xc;
    yc = sq.asDiagonal() * yc;
    Eigen::BDCSVD<Eigen::MatrixXd> svd(xc, Eigen::ComputeThinU | Eigen::ComputeThinV);
    v = svd.matrixV();
    s = svd.singularValues();
    uty = svd.matrixU().transpose() * yc;
  }

  RidgeFit solve(double alpha) const {
    Eigen::VectorXd d(s.size());
    for (Eigen::Index i = 0; i < s.size(); ++i) d(i) = s(i) > 1e-12 ? s(i) / (s(i) * s(i) + alpha) : 0.0;
    const Eigen::VectorXd beta = v * (d.asDiagonal() * uty);
    RidgeFit f;
    f.coef.assign(beta.data(), beta.data() + beta.size());
    f.intercept = y_mean - x_mean.dot(beta);
    f.alpha = alpha;
    return f;
  }
};

double predict_row(const RidgeFit& f, const Matrix& x, Eigen::Index r) {
  double p = f.intercept;
  for (Eigen::Index c = 0; c < x.cols(); ++c) p += f.coef[static_cast<std::size_t>(c)] * x(r, c);
  return p;
}

}  // namespace

RidgeFit fit_ridge(const Matrix& x, std::span<const double> y, std::span<const double> w, double alpha) {
  return RidgePath(x, y, w).solve(alpha);
}

std::vector<double> ridge_alpha_grid() {
  std::vector<double> g;
  for (int e = -4; e <= 8; ++e) g.push_back(std::pow(10.0, e / 2.0));
  return g;
}

double LinearModel::predict(std::span<const double> row) const {
  double p = ridge.intercept;
  for (std::size_t c = 0; c < row.size(); ++c) p += ridge.coef[c] * (row[c] - mean[c]) / std[c];
  return p;
}

std::vector<double> predict_linear(const LinearModel& m, const Matrix& x) {
  std::vector<double> out(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    out[static_cast<std::size_t>(r)] = m.predict({x.row(r).data(), static_cast<std::size_t>(x.cols())});
  return out;
}

LinearModel fit_linear(const Matrix& x, std::span<const double> y, std::span<const double> w, std::uint64_t seed) {
  LinearModel m;
  const auto n = static_cast<std::size_t>(x.rows());
  const auto p = static_cast<std::size_t>(x.cols());
  m.ols_singular = p >= n;
  m.mean.assign(p, 0.0);
  m.std.assign(p, 1.0);
  for (std::size_t c = 0; c < p; ++c) {
    const auto col = x.col(static_cast<Eigen::Index>(c));
    const double mu = col.mean();
    const double var = (col.array() - mu).square().mean();
    m.mean[c] = mu;
    if (var > 1e-24) m.std[c] = std::sqrt(var);
  }
  Matrix z(x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index c = 0; c < x.cols(); ++c)
      z(r, c) = (x(r, c) - m.mean[static_cast<std::size_t>(c)]) / m.std[static_cast<std::size_t>(c)];

  const auto grid = ridge_alpha_grid();
  m.cv_mse.assign(grid.size(), 0.0);
  const auto splits = make_kfold(n, n >= 50 ? 5 : 3, derive_seed(seed, "ridge-inner-cv"));
  for (const auto& s : splits) {
    const Matrix ztr = take_rows(z, s.train), zte = take_rows(z, s.test);
    const auto ytr = take(y, s.train), wtr = take(w, s.train), yte = take(y, s.test);
    const RidgePath path(ztr, ytr, wtr);
    for (std::size_t a = 0; a < grid.size(); ++a) {
      const RidgeFit f = path.solve(grid[a]);
      double sse = 0;
      for (std::size_t i = 0; i < yte.size(); ++i) {
        const double e = yte[i] - predict_row(f, zte, static_cast<Eigen::Index>(i));
        sse += e * e;
      }
      m.cv_mse[a] += sse / static_cast<double>(n);
    }
  }
  std::size_t best = 0;
  for (std::size_t a = 1; a < grid.size(); ++a)
    if (m.cv_mse[a] < m.cv_mse[best] - 1e-15) best = a;
  m.ridge = fit_ridge(z, y, w, grid[best]);
  return m;
}

Json to_json(const LinearModel& m, std::span<const std::string> names) {
  Json coef = Json::object();
  for (std::size_t c = 0; c < names.size(); ++c) coef[names[c]] = json_number(m.ridge.coef[c]);
  Json cv = Json::array();
  const auto grid = ridge_alpha_grid();
  for (std::size_t a = 0; a < grid.size(); ++a)
    cv.push_back(Json{{"alpha", grid[a]}, {"mse", json_number(m.cv_mse[a])}});
  Json mean = Json::array(), sd = Json::array();
  for (double v : m.mean) mean.push_back(json_number(v));
  for (double v : m.std) sd.push_back(json_number(v));
  return Json{{"type", "ridge"},
              {"alpha", m.ridge.alpha},
              {"alpha_selection", "inner cross-validation, mean squared error"},
              {"alpha_cv", cv},
              {"intercept", json_number(m.ridge.intercept)},
              {"standardized_coefficients", coef},
              {"standardize_mean", mean},
              {"standardize_std", sd},
              {"ols_singular", m.ols_singular},
              {"note", m.ols_singular ? "ordinary least squares is singular here (features >= videos); ridge "
                                        "penalty keeps the fit defined"
                                      : "ridge penalty chosen by inner cross-validation"}};
}

LinearModel linear_from_json(const Json& j, std::span<const std::string> names) {
  const std::size_t expected_cols = names.size();
  auto arr = [&](const char* key) {
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != expected_cols)
      throw InputError("", "models.linear", key, "expected " + std::to_string(expected_cols) + " numbers");
    std::vector<double> v;
    for (const auto& e : j[key]) v.push_back(e.is_number() ? e.get<double>() : 0.0);
    return v;
  };
  LinearModel m;
  m.mean = arr("standardize_mean");
  m.std = arr("standardize_std");
  const Json& coef = j.at("standardized_coefficients");
  if (!coef.is_object() || coef.size() != expected_cols)
    throw InputError("", "models.linear", "standardized_coefficients", "wrong size");
  for (const auto& name : names) {
    auto it = coef.find(name);
    if (it == coef.end()) throw InputError("", "models.linear", "standardized_coefficients", "missing " + name);
    m.ridge.coef.push_back(it->is_number() ? it->get<double>() : 0.0);
  }
  m.ridge.intercept = j.at("intercept").is_number() ? j["intercept"].get<double>() : 0.0;
  m.ridge.alpha = j.at("alpha").get<double>();
  return m;
}

}  // namespace rumi::ml
