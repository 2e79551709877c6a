#include "stats/skill.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/ranks.h"
#include "core/rng.h"
#include "ml/permutation_importance.h"
#include "stats/correlation.h"
#include "stats/elements.h"

namespace rumi::stats {

std::vector<int> grouped_folds(std::size_t rows, std::span<const std::string> creators, int folds, std::uint64_t seed,
                               std::string_view stream) {
  // Groups in first-seen order, then a seeded shuffle, then each group to the lightest fold.
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string key =
        creators.size() == rows && !creators[r].empty() ? creators[r] : "\x01row" + std::to_string(r);
    auto [it, fresh] = index.emplace(key, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(r);
  }
  Rng rng = make_rng(seed, stream);
  for (std::size_t i = groups.size(); i > 1; --i) std::swap(groups[i - 1], groups[uniform_index(rng, i)]);
  // Larger groups first so the balance holds (stable: ties keep the shuffled order).
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::vector<int> fold(rows, 0);
  std::vector<std::size_t> load(static_cast<std::size_t>(std::max(1, folds)), 0);
  for (const auto& g : groups) {
    const std::size_t f = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[f] += g.size();
    for (std::size_t r : g) fold[r] = static_cast<int>(f);
  }
  return fold;
}

double skill_score(std::span<const double> prediction, std::span<const double> er) {
  const TestResult t = spearman(prediction, er);
  return t.defined ? t.statistic : 0.0;
}

namespace {

// Column-major rank matrix: x[c][r].
using Matrix = std::vector<std::vector<double>>;

struct Node {
  int feature = -1;  // -1: leaf
  double threshold = 0, value = 0;
  int left = -1, right = -1;
};
using Tree = std::vector<Node>;

// What a fold's fits share across the permutation test: only the labels change between the
// observed fit and the permuted ones, so the fold's rows and each column's training values,
// centred as stats::pearson centres them, are computed once per fold split. Screening a
// permutation is then one dot product per column with the same additions in the same order as
// pearson(), so every number (and every random draw after it) is what a fresh fit gives.
struct FoldRows {
  std::vector<std::size_t> train, test;
  std::vector<double> centred;  // centred[c * train.size() + i] = x[c][train[i]] - mean
  std::vector<double> sxx;      // per column: sum of squared centred values
};

FoldRows fold_rows(const Matrix& x, const std::vector<int>& fold, int f) {
  FoldRows fr;
  for (std::size_t r = 0; r < fold.size(); ++r) (fold[r] == f ? fr.test : fr.train).push_back(r);
  const std::size_t m = fr.train.size();
  fr.centred.resize(x.size() * m);
  fr.sxx.assign(x.size(), 0.0);
  for (std::size_t c = 0; c < x.size(); ++c) {
    double mean = 0;
    for (std::size_t i = 0; i < m; ++i) mean += x[c][fr.train[i]];
    mean /= static_cast<double>(m);
    double* out = fr.centred.data() + c * m;
    for (std::size_t i = 0; i < m; ++i) {
      out[i] = x[c][fr.train[i]] - mean;
      fr.sxx[c] += out[i] * out[i];
    }
  }
  return fr;
}

std::vector<FoldRows> fold_split(const Matrix& x, const std::vector<int>& fold, int folds) {
  std::vector<FoldRows> out;
  for (int f = 0; f < folds; ++f) out.push_back(fold_rows(x, fold, f));
  return out;
}

// The fold's training rows of the screened columns, column after column (cols[j * m + i]:
// screened column j of training row i, m training rows), and their labels.
struct Fitter {
  std::vector<double> cols, y, node_y, node_x;
  std::vector<int> features;  // column index of each screened column, ascending
  int min_leaf;
  Rng& rng;

  Fitter(const Matrix& x, const std::vector<double>& labels, const std::vector<std::size_t>& train,
         std::vector<int> screened, int leaf, Rng& stream)
      : features(std::move(screened)), min_leaf(leaf), rng(stream) {
    const std::size_t m = train.size();
    cols.resize(features.size() * m);
    for (std::size_t j = 0; j < features.size(); ++j)
      for (std::size_t i = 0; i < m; ++i) cols[j * m + i] = x[static_cast<std::size_t>(features[j])][train[i]];
    for (std::size_t r : train) y.push_back(labels[r]);
    node_y.resize(m);
    node_x.resize(m);
  }

  struct Split {
    double gain = 0, threshold = 0;
    int column = -1;  // screened column; -1: none beats no split
  };

  // Extremely randomised split: per screened column (in order) one uniform threshold between the
  // node's min and max, the best SSE reduction wins. Sums run over the node's rows in their order.
  // The left sum adds 1.0 * y or 0.0 * y per row instead of branching on an unpredictable
  // comparison; a sum that starts at +0.0 is unchanged by adding +-0.0, so the numbers equal a
  // branching loop's.
  // The node's values of a column are gathered once into node_x, so the min/max and the sums
  // run over contiguous memory. Min and max are exact in any order (ranks have no NaN), so they
  // use two accumulators each; the left sum keeps its one running order.
  Split best_split(const std::vector<std::uint32_t>& idx, std::size_t lo, std::size_t hi, double sum) {
    const std::size_t n = hi - lo, m = y.size();
    for (std::size_t i = lo; i < hi; ++i) node_y[i - lo] = y[idx[i]];
    const std::uint32_t* node_rows = idx.data() + lo;
    double* v = node_x.data();
    Split best;
    for (std::size_t j = 0; j < features.size(); ++j) {
      const double* col = cols.data() + j * m;
      for (std::size_t i = 0; i < n; ++i) v[i] = col[node_rows[i]];
      double mn = v[0], mx = mn, mn2 = mn, mx2 = mn;
      std::size_t i = 1;
      for (; i + 1 < n; i += 2) {
        mn = std::min(mn, v[i]), mx = std::max(mx, v[i]);
        mn2 = std::min(mn2, v[i + 1]), mx2 = std::max(mx2, v[i + 1]);
      }
      if (i < n) mn = std::min(mn, v[i]), mx = std::max(mx, v[i]);
      mn = std::min(mn, mn2), mx = std::max(mx, mx2);
      if (!(mx > mn)) continue;
      const double thr = mn + uniform01(rng) * (mx - mn);
      double sl = 0;
      std::size_t count = 0;
      for (i = 0; i < n; ++i) {
        const bool is_left = v[i] <= thr;
        sl += (is_left ? 1.0 : 0.0) * node_y[i];
        count += is_left;
      }
      const double nl = static_cast<double>(count);
      const double nr = static_cast<double>(n) - nl;
      if (nl < min_leaf || nr < min_leaf) continue;
      const double sr = sum - sl;
      // SSE reduction = sl^2/nl + sr^2/nr - sum^2/n.
      const double gain = sl * sl / nl + sr * sr / nr - sum * sum / static_cast<double>(n);
      if (gain > best.gain) best = Split{gain, thr, static_cast<int>(j)};
    }
    return best;
  }

  int build(Tree& t, std::vector<std::uint32_t>& idx, std::size_t lo, std::size_t hi) {
    const std::size_t n = hi - lo;
    double sum = 0;
    for (std::size_t i = lo; i < hi; ++i) sum += y[idx[i]];
    const int id = static_cast<int>(t.size());
    t.push_back(Node{-1, 0, sum / static_cast<double>(n), -1, -1});
    if (n < static_cast<std::size_t>(2 * min_leaf)) return id;
    const Split s = best_split(idx, lo, hi, sum);
    if (s.column < 0) return id;
    const double* col = cols.data() + static_cast<std::size_t>(s.column) * y.size();
    const auto mid =
        std::partition(idx.begin() + static_cast<std::ptrdiff_t>(lo), idx.begin() + static_cast<std::ptrdiff_t>(hi),
                       [&](std::uint32_t r) { return col[r] <= s.threshold; });
    const std::size_t m = static_cast<std::size_t>(mid - idx.begin());
    const int l = build(t, idx, lo, m);
    const int r = build(t, idx, m, hi);
    t[static_cast<std::size_t>(id)].feature = features[static_cast<std::size_t>(s.column)];
    t[static_cast<std::size_t>(id)].threshold = s.threshold;
    t[static_cast<std::size_t>(id)].left = l;
    t[static_cast<std::size_t>(id)].right = r;
    return id;
  }
};

// swapped_feature's value for `row` is read from swapped[row] (-1: no feature swapped).
double predict_tree(const Tree& t, const Matrix& x, std::size_t row, int swapped_feature,
                    std::span<const double> swapped) {
  int n = 0;
  while (t[static_cast<std::size_t>(n)].feature >= 0) {
    const Node& nd = t[static_cast<std::size_t>(n)];
    const double v = nd.feature == swapped_feature ? swapped[row] : x[static_cast<std::size_t>(nd.feature)][row];
    n = v <= nd.threshold ? nd.left : nd.right;
  }
  return t[static_cast<std::size_t>(n)].value;
}

struct FoldModel {
  std::vector<Tree> trees;
  std::vector<int> features;
};

// The top `screen` columns by |Pearson(column, ranks of y)| on the training rows, ascending.
std::vector<int> screen_columns(const FoldRows& fr, const std::vector<double>& y, const SkillOptions& opt) {
  const std::size_t m = fr.train.size();
  std::vector<double> ytr;
  for (std::size_t r : fr.train) ytr.push_back(y[r]);
  std::vector<double> dy = average_ranks(ytr);
  double my = 0, syy = 0;
  for (double v : dy) my += v;
  my /= static_cast<double>(m);
  for (double& v : dy) v -= my, syy += v * v;
  std::vector<std::pair<double, int>> score;
  score.reserve(fr.sxx.size());
  for (std::size_t c = 0; c < fr.sxx.size(); ++c) {
    const double* dx = fr.centred.data() + c * m;
    double sxy = 0;
    for (std::size_t i = 0; i < m; ++i) sxy += dx[i] * dy[i];
    // pearson(): undefined (scored 0) when either side is constant.
    const bool defined = fr.sxx[c] > 0 && syy > 0 && m >= 2;
    const double r = defined ? std::clamp(sxy / std::sqrt(fr.sxx[c] * syy), -1.0, 1.0) : 0.0;
    score.push_back({-std::fabs(r), static_cast<int>(c)});
  }
  const std::size_t keep = std::min(score.size(), static_cast<std::size_t>(std::max(1, opt.screen)));
  std::partial_sort(score.begin(), score.begin() + static_cast<std::ptrdiff_t>(keep), score.end());
  std::vector<int> features;
  for (std::size_t i = 0; i < keep; ++i) features.push_back(score[i].second);
  std::sort(features.begin(), features.end());
  return features;
}

// Screening on the training rows, then the trees.
FoldModel fit_fold(const Matrix& x, const std::vector<double>& y, const FoldRows& fr, const SkillOptions& opt,
                   Rng& rng) {
  FoldModel m;
  m.features = screen_columns(fr, y, opt);
  Fitter f(x, y, fr.train, m.features, opt.min_leaf, rng);
  std::vector<std::uint32_t> idx(fr.train.size());
  for (int t = 0; t < opt.trees; ++t) {
    std::iota(idx.begin(), idx.end(), 0u);
    Tree tree;
    tree.reserve(2 * fr.train.size() / static_cast<std::size_t>(std::max(1, opt.min_leaf)) + 1);
    f.build(tree, idx, 0, idx.size());
    m.trees.push_back(std::move(tree));
  }
  return m;
}

double predict(const FoldModel& m, const Matrix& x, std::size_t row, int swapped_feature = -1,
               std::span<const double> swapped = {}) {
  double s = 0;
  for (const Tree& t : m.trees) s += predict_tree(t, x, row, swapped_feature, swapped);
  return m.trees.empty() ? 0.0 : s / static_cast<double>(m.trees.size());
}

// Out-of-fold predictions for labels y under a fold split; optionally fills the models.
std::vector<double> out_of_fold(const Matrix& x, const std::vector<double>& y, const std::vector<FoldRows>& split,
                                const SkillOptions& opt, Rng& rng, std::vector<FoldModel>* models = nullptr) {
  std::vector<double> pred(y.size(), 0.0);
  for (const FoldRows& fr : split) {
    if (fr.test.empty() || fr.train.size() < 2) {
      if (models) models->emplace_back();
      continue;
    }
    FoldModel m = fit_fold(x, y, fr, opt, rng);
    for (std::size_t r : fr.test) pred[r] = predict(m, x, r);
    if (models) models->push_back(std::move(m));
  }
  return pred;
}

}  // namespace

SkillResult forest_skill(const std::vector<std::vector<double>>& columns, std::span<const double> er,
                         std::span<const std::string> creators, const SkillOptions& opt) {
  SkillResult res;
  const std::size_t n = er.size();
  res.mean_importance.assign(columns.size(), 0.0);
  res.positive_share.assign(columns.size(), 0.0);
  if (n < 10 || columns.empty()) return res;
  Matrix x;
  x.reserve(columns.size());
  for (const auto& c : columns) {
    std::vector<double> r = ranks_with_missing(c);
    for (double& v : r)
      if (std::isnan(v)) v = (static_cast<double>(n) + 1.0) / 2.0;
    x.push_back(std::move(r));
  }
  std::vector<double> y(n), er_v(er.begin(), er.end());
  for (std::size_t r = 0; r < n; ++r) y[r] = std::log(std::max(er[r], 1e-6));

  Rng rng = make_rng(opt.seed, opt.stream + "/trees");
  const std::vector<int> fold0 = grouped_folds(n, creators, opt.folds, opt.seed, opt.stream + "/folds/0");
  const std::vector<FoldRows> split0 = fold_split(x, fold0, opt.folds);
  res.skill = skill_score(out_of_fold(x, y, split0, opt, rng), er_v);
  Rng perm = make_rng(opt.seed, opt.stream + "/permutations");
  int at_least = 0;
  std::vector<std::size_t> order(n);
  for (int b = 0; b < opt.permutations; ++b) {
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[uniform_index(perm, i)]);
    std::vector<double> yp(n), erp(n);
    for (std::size_t r = 0; r < n; ++r) yp[r] = y[order[r]], erp[r] = er_v[order[r]];
    if (skill_score(out_of_fold(x, yp, split0, opt, rng), erp) >= res.skill) ++at_least;
  }
  res.permutations = opt.permutations;
  res.p_value = static_cast<double>(1 + at_least) / static_cast<double>(1 + opt.permutations);

  // Importance over repeated fold splits.
  std::vector<int> positive(columns.size(), 0);
  std::vector<std::size_t> all_columns(columns.size());
  std::iota(all_columns.begin(), all_columns.end(), 0);
  for (int rep = 0; rep < opt.repeats; ++rep) {
    const std::vector<int> fold =
        grouped_folds(n, creators, opt.folds, opt.seed, opt.stream + "/folds/" + std::to_string(rep + 1));
    std::vector<FoldModel> models;
    out_of_fold(x, y, fold_split(x, fold, opt.folds), opt, rng, &models);
    // Each held-out fold is predicted by its own model and is one permutation block; a fold
    // whose model never screened the element in keeps its predictions (ml/permutation_importance.h).
    std::vector<std::vector<std::size_t>> held_out(models.size());
    for (std::size_t r = 0; r < n; ++r)
      if (static_cast<std::size_t>(fold[r]) < held_out.size()) held_out[static_cast<std::size_t>(fold[r])].push_back(r);
    auto predict_row = [&](std::size_t r, std::size_t c, std::span<const double> values) {
      const auto f = static_cast<std::size_t>(fold[r]);
      if (f >= models.size()) return 0.0;
      return c == ml::kNoColumn ? predict(models[f], x, r) : predict(models[f], x, r, static_cast<int>(c), values);
    };
    auto depends = [&](std::size_t f, std::size_t c) {
      return std::binary_search(models[f].features.begin(), models[f].features.end(), static_cast<int>(c));
    };
    auto score = [](std::span<const double> prediction, std::span<const double> target) {
      return skill_score(prediction, target);
    };
    const ml::PermutationImportance pi =
        ml::permutation_importance(predict_row, x, er_v, all_columns, 1, perm, score, held_out, depends);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      // An element no fold model screened in has a drop of exactly 0: not above zero.
      const double drop = pi.drops[c][0];
      res.mean_importance[c] += drop / opt.repeats;
      if (drop > 0) ++positive[c];
    }
  }
  res.repeats = opt.repeats;
  for (std::size_t c = 0; c < columns.size(); ++c)
    res.positive_share[c] = opt.repeats > 0 ? static_cast<double>(positive[c]) / opt.repeats : 0.0;
  return res;
}

}  // namespace rumi::stats
