#include "ml/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"

namespace rumi::ml {

namespace {

double sq_dist(const Matrix& a, Eigen::Index i, const Matrix& b, Eigen::Index j) {
  return (a.row(i) - b.row(j)).squaredNorm();
}

// k-means++ seeding: the first centre uniformly, each next one drawn with probability
// proportional to D(x)^2, the squared distance to the nearest centre chosen so far.
Matrix plus_plus_centres(const Matrix& x, int k, Rng& rng) {
  const auto n = x.rows();
  Matrix centres(k, x.cols());
  centres.row(0) = x.row(static_cast<Eigen::Index>(uniform_index(rng, static_cast<std::uint64_t>(n))));
  std::vector<double> d2(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) d2[static_cast<std::size_t>(i)] = sq_dist(x, i, centres, 0);
  for (int c = 1; c < k; ++c) {
    const double total = std::accumulate(d2.begin(), d2.end(), 0.0);
    Eigen::Index pick = 0;
    if (total > 0) {
      double u = uniform01(rng) * total;
      for (Eigen::Index i = 0; i < n; ++i) {
        u -= d2[static_cast<std::size_t>(i)];
        if (u < 0) {
          pick = i;
          break;
        }
        pick = i;
      }
    } else {
      pick = static_cast<Eigen::Index>(uniform_index(rng, static_cast<std::uint64_t>(n)));
    }
    centres.row(c) = x.row(pick);
    for (Eigen::Index i = 0; i < n; ++i)
      d2[static_cast<std::size_t>(i)] = std::min(d2[static_cast<std::size_t>(i)], sq_dist(x, i, centres, c));
  }
  return centres;
}

}  // namespace

KMeansResult kmeans_from_centres(const Matrix& x, Matrix centres, int max_iter) {
  const auto n = x.rows();
  const int k = static_cast<int>(centres.rows());
  KMeansResult r;
  r.k = k;
  r.centroids = std::move(centres);
  r.labels.assign(static_cast<std::size_t>(n), -1);
  for (int it = 0; it < max_iter; ++it) {
    bool changed = false;
    r.inertia = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      int best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (int c = 0; c < k; ++c) {
        const double d = sq_dist(x, i, r.centroids, c);
        if (d < bd) bd = d, best = c;
      }
      r.inertia += bd;
      if (r.labels[static_cast<std::size_t>(i)] != best) changed = true, r.labels[static_cast<std::size_t>(i)] = best;
    }
    if (!changed && it > 0) break;
    Matrix sums = Matrix::Zero(k, x.cols());
    std::vector<int> counts(static_cast<std::size_t>(k), 0);
    for (Eigen::Index i = 0; i < n; ++i) {
      sums.row(r.labels[static_cast<std::size_t>(i)]) += x.row(i);
      ++counts[static_cast<std::size_t>(r.labels[static_cast<std::size_t>(i)])];
    }
    for (int c = 0; c < k; ++c)
      if (counts[static_cast<std::size_t>(c)] > 0)
        r.centroids.row(c) = sums.row(c) / counts[static_cast<std::size_t>(c)];
  }
  return r;
}

KMeansResult kmeans(const Matrix& x, int k, std::uint64_t seed, int n_init, int max_iter) {
  if (k < 1 || k > x.rows())
    throw Error("kmeans: k=" + std::to_string(k) + " with " + std::to_string(x.rows()) + " rows");
  Rng rng(derive_seed(seed, "kmeans-" + std::to_string(k)));
  KMeansResult best;
  for (int i = 0; i < n_init; ++i) {
    KMeansResult r = kmeans_from_centres(x, plus_plus_centres(x, k, rng), max_iter);
    if (i == 0 || r.inertia < best.inertia - 1e-12) best = std::move(r);
  }
  return best;
}

double silhouette_score(const Matrix& x, std::span<const int> labels) {
  const auto n = static_cast<std::size_t>(x.rows());
  const int k = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  std::vector<int> size(static_cast<std::size_t>(k), 0);
  for (int l : labels) ++size[static_cast<std::size_t>(l)];
  double total = 0;
  std::vector<double> sum(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(sum.begin(), sum.end(), 0.0);
    for (std::size_t j = 0; j < n; ++j)
      if (j != i)
        sum[static_cast<std::size_t>(labels[j])] +=
            std::sqrt(sq_dist(x, static_cast<Eigen::Index>(i), x, static_cast<Eigen::Index>(j)));
    const auto own = static_cast<std::size_t>(labels[i]);
    if (size[own] <= 1) continue;  // singleton: 0
    const double a = sum[own] / (size[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < static_cast<std::size_t>(k); ++c)
      if (c != own && size[c] > 0) b = std::min(b, sum[c] / size[c]);
    const double m = std::max(a, b);
    if (std::isfinite(b) && m > 0) total += (b - a) / m;
  }
  return n ? total / static_cast<double>(n) : 0.0;
}

int Clustering::nearest(std::span<const double> scaled_row) const {
  int best = 0;
  double bd = std::numeric_limits<double>::infinity();
  for (Eigen::Index c = 0; c < result.centroids.rows(); ++c) {
    double d = 0;
    for (std::size_t f = 0; f < scaled_row.size(); ++f) {
      const double z = (scaled_row[f] - mean[f]) / std[f] - result.centroids(c, static_cast<Eigen::Index>(f));
      d += z * z;
    }
    if (d < bd) bd = d, best = static_cast<int>(c);
  }
  return best;
}

Clustering fit_clustering(const Matrix& scaled, std::span<const double> er, std::span<const std::string> names,
                          int fixed_k, std::uint64_t seed) {
  Clustering c;
  const auto n = scaled.rows();
  const auto p = static_cast<std::size_t>(scaled.cols());
  c.mean.assign(p, 0.0);
  c.std.assign(p, 1.0);
  Matrix z(n, scaled.cols());
  for (std::size_t f = 0; f < p; ++f) {
    const auto col = scaled.col(static_cast<Eigen::Index>(f));
    c.mean[f] = col.mean();
    const double var = (col.array() - c.mean[f]).square().mean();
    if (var > 1e-24) c.std[f] = std::sqrt(var);
    z.col(static_cast<Eigen::Index>(f)) = (col.array() - c.mean[f]) / c.std[f];
  }
  const int max_k = static_cast<int>(std::min<Eigen::Index>(6, n - 1));
  if (fixed_k > 0) {
    c.result = kmeans(z, std::min<int>(fixed_k, static_cast<int>(n)), seed);
    c.silhouette = silhouette_score(z, c.result.labels);
    c.silhouette_by_k.emplace_back(c.result.k, c.silhouette);
  } else {
    double best = -2;
    for (int k = 2; k <= max_k; ++k) {
      KMeansResult r = kmeans(z, k, seed);
      const double s = silhouette_score(z, r.labels);
      c.silhouette_by_k.emplace_back(k, s);
      if (s > best + 1e-12) best = s, c.result = std::move(r), c.silhouette = s;
    }
  }
  const int k = c.result.k;
  double best_er = -std::numeric_limits<double>::infinity();
  for (int id = 0; id < k; ++id) {
    ClusterProfile prof;
    prof.id = id;
    std::vector<double> mean_z(p, 0.0);
    double er_sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (c.result.labels[static_cast<std::size_t>(i)] != id) continue;
      ++prof.size;
      er_sum += er[static_cast<std::size_t>(i)];
      for (std::size_t f = 0; f < p; ++f) mean_z[f] += z(i, static_cast<Eigen::Index>(f));
    }
    if (prof.size > 0) {
      prof.mean_er = er_sum / prof.size;
      for (double& v : mean_z) v /= prof.size;
    }
    std::vector<std::size_t> order(p);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return std::abs(mean_z[a]) > std::abs(mean_z[b]); });
    for (std::size_t i = 0; i < std::min<std::size_t>(5, p); ++i)
      prof.distinguishing.emplace_back(names[order[i]], mean_z[order[i]]);
    if (prof.size > 0 && prof.mean_er > best_er) best_er = prof.mean_er, c.best_cluster = id, c.best_cluster_z = mean_z;
    c.profiles.push_back(std::move(prof));
  }
  return c;
}

Json to_json(const Clustering& c) {
  Json centroids = Json::array();
  for (Eigen::Index r = 0; r < c.result.centroids.rows(); ++r) {
    Json row = Json::array();
    for (Eigen::Index f = 0; f < c.result.centroids.cols(); ++f) row.push_back(json_number(c.result.centroids(r, f)));
    centroids.push_back(row);
  }
  Json sil = Json::array();
  for (auto [k, s] : c.silhouette_by_k) sil.push_back(Json{{"k", k}, {"silhouette", json_number(s)}});
  Json profiles = Json::array();
  for (const auto& p : c.profiles) {
    Json dist = Json::array();
    for (const auto& [name, zv] : p.distinguishing) dist.push_back(Json{{"feature", name}, {"z", json_number(zv)}});
    profiles.push_back(
        Json{{"id", p.id}, {"size", p.size}, {"mean_er", json_number(p.mean_er)}, {"distinguishing", dist}});
  }
  Json mean = Json::array(), sd = Json::array();
  for (double v : c.mean) mean.push_back(json_number(v));
  for (double v : c.std) sd.push_back(json_number(v));
  return Json{{"type", "kmeans++"},
              {"k", c.result.k},
              {"silhouette", json_number(c.silhouette)},
              {"silhouette_by_k", sil},
              {"centroids", centroids},
              {"profiles", profiles},
              {"best_cluster", c.best_cluster},
              {"standardize_mean", mean},
              {"standardize_std", sd},
              {"inertia", json_number(c.result.inertia)}};
}

Clustering clustering_from_json(const Json& j, std::size_t expected_cols) {
  Clustering c;
  auto arr = [&](const char* key) {
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != expected_cols)
      throw InputError("", "models.clustering", key, "expected " + std::to_string(expected_cols) + " numbers");
    std::vector<double> v;
    for (const auto& e : j[key]) v.push_back(e.is_number() ? e.get<double>() : 0.0);
    return v;
  };
  c.mean = arr("standardize_mean");
  c.std = arr("standardize_std");
  for (double& s : c.std)
    if (!(s > 0)) s = 1;
  const Json& cent = j.at("centroids");
  if (!cent.is_array() || cent.empty()) throw InputError("", "models.clustering", "centroids", "empty");
  c.result.k = static_cast<int>(cent.size());
  c.result.centroids.resize(c.result.k, static_cast<Eigen::Index>(expected_cols));
  for (std::size_t r = 0; r < cent.size(); ++r) {
    if (!cent[r].is_array() || cent[r].size() != expected_cols)
      throw InputError("", "models.clustering", "centroids", "row of wrong size");
    for (std::size_t f = 0; f < expected_cols; ++f)
      c.result.centroids(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(f)) =
          cent[r][f].is_number() ? cent[r][f].get<double>() : 0.0;
  }
  c.best_cluster = j.value("best_cluster", 0);
  if (j.contains("profiles") && j["profiles"].is_array())
    for (const auto& p : j["profiles"]) {
      ClusterProfile prof;
      prof.id = p.value("id", 0);
      prof.size = p.value("size", 0);
      prof.mean_er = p.contains("mean_er") && p["mean_er"].is_number() ? p["mean_er"].get<double>() : 0.0;
      c.profiles.push_back(prof);
    }
  return c;
}

}  // namespace rumi::ml
