// Our components against sklearn on the same data (and the same folds).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <sstream>

#include "core/rng.h"
#include "ml/cross_validation.h"
#include "ml/kmeans.h"
#include "ml/ridge.h"
#include "ml/scaler.h"
#include "ml/tree_models.h"
#include "ml_test_util.h"
#include "support/test_support.h"

namespace rumi::ml {
namespace {

std::string matrix_csv(const Matrix& x, std::span<const double> extra1 = {}, std::span<const double> extra2 = {}) {
  std::string out;
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    for (Eigen::Index c = 0; c < x.cols(); ++c) out += fmt::format("{:.17g},", x(r, c));
    if (!extra1.empty()) out += fmt::format("{:.17g},", extra1[static_cast<std::size_t>(r)]);
    if (!extra2.empty()) out += fmt::format("{:.17g},", extra2[static_cast<std::size_t>(r)]);
    out.back() = '\n';
  }
  return out;
}

std::vector<double> parse_numbers(const std::string& s) {
  std::istringstream in(s);
  std::vector<double> v;
  double d;
  while (in >> d) v.push_back(d);
  return v;
}

TEST(Reference, ForestCvR2WithinPoint03OfSklearn) {
  // Nonlinear planted signal plus noise columns, 5 folds shared with sklearn.
  const std::size_t n = 300, p = 30;
  Rng rng = make_rng(5, "forest-ref");
  Matrix x(n, p);
  std::vector<double> y(n), w(n, 1.0), fold(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < p; ++c) x(i, c) = test::normal(rng);
    y[i] = 5 + 2 * x(i, 0) + (x(i, 1) > 0 ? 1.5 : -1.5) + x(i, 2) * x(i, 3) + 0.7 * test::normal(rng);
  }
  const auto splits = make_kfold(n, 5, 99);
  for (std::size_t f = 0; f < splits.size(); ++f)
    for (std::size_t t : splits[f].test) fold[t] = static_cast<double>(f);
  TreeModelConfig cfg;
  cfg.nthread = 1;
  double ours = 0;
  for (const auto& s : splits) {
    const Matrix xtr = take_rows(x, s.train), xte = take_rows(x, s.test);
    const Booster b = fit_tree_model(cfg, xtr, take(y, s.train), take(w, s.train));
    ours += regression_metrics(take(y, s.test), b.predict(DMatrix(xte, 1))).r2 / 5.0;
  }
  const auto r = rumi::test::run_python(R"(
import sys, numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
d = np.loadtxt(sys.stdin, delimiter=',')
X, y, fold = d[:, :-2], d[:, -2], d[:, -1]
scores = []
for f in range(5):
    tr, te = fold != f, fold == f
    m = RandomForestRegressor(n_estimators=100, max_depth=10, max_features=0.5, random_state=0, n_jobs=1)
    m.fit(X[tr], y[tr])
    scores.append(r2_score(y[te], m.predict(X[te])))
print(np.mean(scores))
)",
                                        matrix_csv(x, y, fold));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const double sk = std::stod(r.out);
  std::printf("forest CV R2: rumi %.4f sklearn %.4f (diff %.4f)\n", ours, sk, ours - sk);
  EXPECT_NEAR(ours, sk, 0.03);
}

TEST(Reference, RidgeMatchesSklearnWithWeightsAndPGreaterThanN) {
  const std::size_t n = 40, p = 60;
  Rng rng = make_rng(3, "ridge-ref");
  Matrix x(n, p);
  std::vector<double> y(n), w(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < p; ++c) x(i, c) = test::normal(rng);
    y[i] = 1 + 0.8 * x(i, 0) - 0.5 * x(i, 5) + 0.3 * test::normal(rng);
    w[i] = i % 3 == 0 ? 0.5 : 1.0;
  }
  const RidgeFit f = fit_ridge(x, y, w, 3.0);
  const auto r = rumi::test::run_python(R"(
import sys, numpy as np
from sklearn.linear_model import Ridge
d = np.loadtxt(sys.stdin, delimiter=',')
m = Ridge(alpha=3.0).fit(d[:, :-2], d[:, -2], sample_weight=d[:, -1])
print(m.intercept_, *m.coef_)
)",
                                        matrix_csv(x, y, w));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ref = parse_numbers(r.out);
  ASSERT_EQ(ref.size(), p + 1);
  EXPECT_NEAR(f.intercept, ref[0], 1e-8);
  for (std::size_t c = 0; c < p; ++c) EXPECT_NEAR(f.coef[c], ref[c + 1], 1e-8) << c;
}

TEST(Reference, KMeansMatchesSklearnFromTheSameInitialCentres) {
  // Overlapping blobs so Lloyd needs several iterations; the initial centres are rows chosen by
  // hand and handed to both implementations.
  const std::size_t n = 120, p = 3;
  Rng rng = make_rng(5, "kmeans-ref");
  Matrix x(n, p);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < p; ++c)
      x(i, c) = static_cast<double>(i % 4) * 1.5 * (c == 1 ? -1 : 1) + test::normal(rng);
  for (int k : {2, 4}) {
    Matrix init(k, p);
    for (int c = 0; c < k; ++c) init.row(c) = x.row(7 * c + 1);
    const KMeansResult ours = kmeans_from_centres(x, init, 300);
    std::string input = matrix_csv(init) + "---\n" + matrix_csv(x);
    const auto r = rumi::test::run_python(R"(
import sys, io, numpy as np
from sklearn.cluster import KMeans
init, data = sys.stdin.read().split("---\n")
c = np.loadtxt(io.StringIO(init), delimiter=",", ndmin=2); x = np.loadtxt(io.StringIO(data), delimiter=",")
m = KMeans(n_clusters=c.shape[0], init=c, n_init=1, algorithm="lloyd", tol=0, max_iter=300).fit(x)
print(m.inertia_); print(" ".join(str(int(l)) for l in m.labels_)); print(" ".join(repr(v) for v in m.cluster_centers_.ravel()))
)",
                                          input);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<double> ref = parse_numbers(r.out);
    ASSERT_EQ(ref.size(), 1 + n + static_cast<std::size_t>(k) * p);
    EXPECT_NEAR(ours.inertia, ref[0], 1e-8 * ref[0]) << "k = " << k;
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(ours.labels[i], static_cast<int>(ref[1 + i])) << "row " << i;
    for (int c = 0; c < k; ++c)
      for (std::size_t j = 0; j < p; ++j)
        EXPECT_NEAR(ours.centroids(c, static_cast<Eigen::Index>(j)), ref[1 + n + static_cast<std::size_t>(c) * p + j],
                    1e-9);
  }
}

TEST(Reference, SilhouetteMatchesSklearnAndFindsThreeBlobs) {
  const std::size_t n = 90, p = 4;
  Rng rng = make_rng(4, "blobs");
  Matrix x(n, p);
  std::vector<double> er(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double centre = static_cast<double>(i % 3) * 6.0;
    for (std::size_t c = 0; c < p; ++c) x(i, c) = centre * (c == 0 ? 1 : -0.5) + test::normal(rng);
    er[i] = static_cast<double>(i % 3);
  }
  const std::vector<std::string> names{"a", "b", "c", "d"};
  const Clustering cl = fit_clustering(x, er, names, 0, 42);
  EXPECT_EQ(cl.result.k, 3);
  EXPECT_EQ(cl.profiles[static_cast<std::size_t>(cl.best_cluster)].mean_er, 2.0);
  Matrix z(n, p);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < p; ++c) z(i, c) = (x(i, c) - cl.mean[c]) / cl.std[c];
  std::vector<double> labels(cl.result.labels.begin(), cl.result.labels.end());
  const auto r = rumi::test::run_python(R"(
import sys, numpy as np
from sklearn.metrics import silhouette_score
d = np.loadtxt(sys.stdin, delimiter=',')
print(silhouette_score(d[:, :-1], d[:, -1].astype(int)))
)",
                                        matrix_csv(z, labels));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(silhouette_score(z, cl.result.labels), std::stod(r.out), 1e-9);
  EXPECT_NEAR(cl.silhouette, std::stod(r.out), 1e-9);
}

TEST(Reference, ShapContributionsSumToPrediction) {
  const Dataset d = test::planted_dataset(80, 20, 2);
  const Matrix x = RobustScaler::fit(to_matrix(d)).transform(to_matrix(d));
  for (auto kind : {TreeModelKind::random_forest, TreeModelKind::decision_tree, TreeModelKind::gradient_boosting}) {
    TreeModelConfig cfg;
    cfg.kind = kind;
    const Booster b = fit_tree_model(cfg, x, d.target, d.weights);
    const DMatrix dm(x, 1);
    const auto pred = b.predict(dm);
    const auto contrib = b.contributions(dm);
    const std::size_t p = d.cols();
    ASSERT_EQ(contrib.size(), d.rows() * (p + 1));
    for (std::size_t i = 0; i < d.rows(); ++i) {
      double s = 0;
      for (std::size_t c = 0; c <= p; ++c) s += contrib[i * (p + 1) + c];
      EXPECT_NEAR(s, pred[i], 1e-3 * std::max(1.0, std::abs(pred[i])));
    }
  }
}

TEST(Reference, ScalerMatchesSklearnRobustScaler) {
  Matrix x(7, 2);
  x << 1, 5, 2, 5, 3, 5, 4, 5, 100, 5, 6, 5, 7, 6;
  const RobustScaler s = RobustScaler::fit(x);
  EXPECT_DOUBLE_EQ(s.center[0], 4);
  EXPECT_DOUBLE_EQ(s.scale[0], 4);  // q75 6.5 - q25 2.5 (numpy linear interpolation)
  EXPECT_DOUBLE_EQ(s.scale[1], 1);  // zero IQR -> 1, as sklearn
  const auto row = s.transform_row(std::vector<double>{std::nan(""), 5});
  EXPECT_EQ(row[0], 0);  // missing -> training median
}

}  // namespace
}  // namespace rumi::ml
