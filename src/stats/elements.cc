#include "stats/elements.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "core/bucket.h"
#include "core/ranks.h"

namespace rumi::stats {

bool is_presence_kind(FeatureKind k) { return k == FeatureKind::flag || k == FeatureKind::onehot; }

std::vector<double> ranks_with_missing(std::span<const double> v) {
  std::vector<double> finite;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (std::isfinite(v[i])) finite.push_back(v[i]), where.push_back(i);
  std::vector<double> out(v.size(), std::nan(""));
  const std::vector<double> r = average_ranks(finite);
  for (std::size_t k = 0; k < where.size(); ++k) out[where[k]] = r[k];
  return out;
}

namespace {

// Catalog priority of a column as a representative: lower is preferred.
int kind_priority(FeatureKind k) {
  switch (k) {
    case FeatureKind::numeric:
    case FeatureKind::flag: return 0;
    case FeatureKind::onehot:
    case FeatureKind::derived: return 1;
    case FeatureKind::temporal: return 2;
  }
  return 3;
}

// Why a column cannot be tested, or "" when it can.
std::string untestable_reason(std::span<const double> col, std::size_t& missing) {
  std::map<double, std::size_t> counts;
  missing = 0;
  for (double v : col) {
    if (!std::isfinite(v))
      ++missing;
    else
      ++counts[v];
  }
  const std::size_t present = col.size() - missing;
  if (present < static_cast<std::size_t>(kMinVideosForModel)) return "too_few_values";
  std::size_t mode = 0;
  for (const auto& [v, c] : counts) mode = std::max(mode, c);
  if (present - mode < kMinGroupSize) return "no_variation";
  return "";
}

// |Pearson| of two rank vectors over the rows where both are present; 0 with < 10 such rows.
double abs_rank_similarity(const std::vector<double>& a, const std::vector<double>& b) {
  double sa = 0, sb = 0, n = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!std::isnan(a[i]) && !std::isnan(b[i])) sa += a[i], sb += b[i], n += 1;
  if (n < 10) return 0;
  const double ma = sa / n, mb = sb / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    const double da = a[i] - ma, db = b[i] - mb;
    sab += da * db, saa += da * da, sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return 0;
  return std::min(1.0, std::fabs(sab) / std::sqrt(saa * sbb));
}

int c_priority(std::span<const FeatureInfo> info, std::size_t c) {
  return c < info.size() ? kind_priority(info[c].kind) : 3;
}

// Chosen without ER: catalog priority, then fewest missing values, then catalog order.
std::size_t representative(const std::vector<std::size_t>& columns, std::span<const FeatureInfo> info,
                           const std::vector<std::size_t>& missing) {
  return *std::min_element(columns.begin(), columns.end(), [&](std::size_t x, std::size_t y) {
    const int px = c_priority(info, x), py = c_priority(info, y);
    if (px != py) return px < py;
    if (missing[x] != missing[y]) return missing[x] < missing[y];
    return x < y;
  });
}

// The most similar pair of live clusters, found as a full scan would find it (the first pair in
// (a, b) order with the largest average, a < b) but without rescanning all pairs after each
// merge: each row a keeps its first best partner b > a, and only the rows a merge can change
// are recomputed. The averages are the same divisions as the scan's, so the merges are too.
struct AverageLinkage {
  const std::vector<std::vector<double>>& sum;
  const std::vector<std::vector<std::size_t>>& members;
  const std::vector<bool>& alive;
  std::vector<double> row_best;
  std::vector<std::size_t> row_arg;

  AverageLinkage(const std::vector<std::vector<double>>& s, const std::vector<std::vector<std::size_t>>& m,
                 const std::vector<bool>& live)
      : sum(s), members(m), alive(live), row_best(s.size(), -1), row_arg(s.size(), s.size()) {
    for (std::size_t a = 0; a < sum.size(); ++a) rescan(a);
  }

  double average(std::size_t a, std::size_t b) const {
    return sum[a][b] / static_cast<double>(members[a].size() * members[b].size());
  }

  void rescan(std::size_t a) {
    row_best[a] = -1;
    row_arg[a] = sum.size();
    if (!alive[a]) return;
    for (std::size_t b = a + 1; b < sum.size(); ++b) {
      if (!alive[b]) continue;
      const double avg = average(a, b);
      if (avg > row_best[a]) row_best[a] = avg, row_arg[a] = b;
    }
  }

  // (a, a) when no live pair is left.
  std::pair<std::size_t, std::size_t> best_pair() const {
    double best = -1;
    std::size_t ba = 0, bb = 0;
    for (std::size_t a = 0; a < sum.size(); ++a)
      if (alive[a] && row_arg[a] < sum.size() && row_best[a] > best) best = row_best[a], ba = a, bb = row_arg[a];
    return {ba, bb};
  }

  // b was merged into a (a < b): row a changed entirely, row b is gone, and a row c < a saw its
  // pair with a change and its pair with b vanish.
  void merged(std::size_t a, std::size_t b) {
    rescan(a);
    rescan(b);
    for (std::size_t c = 0; c < b; ++c) {
      if (c == a || !alive[c]) continue;
      if (row_arg[c] == a || row_arg[c] == b) {
        rescan(c);
      } else if (c < a) {
        const double avg = average(c, a);
        if (avg > row_best[c] || (avg == row_best[c] && a < row_arg[c])) row_best[c] = avg, row_arg[c] = a;
      }
    }
  }
};

}  // namespace

ElementSet group_elements(const Dataset& d, std::span<const FeatureInfo> info, const ElementOptions& opt) {
  ElementSet out;
  std::vector<std::size_t> testable;
  std::vector<std::size_t> missing(d.cols(), 0);
  std::vector<std::vector<double>> ranks;
  const std::set<std::string> not_creative(opt.not_creative.begin(), opt.not_creative.end());
  for (std::size_t c = 0; c < d.cols(); ++c) {
    const std::vector<double> col = d.column(c);
    std::string why = untestable_reason(col, missing[c]);
    if (not_creative.count(d.feature_names[c])) why = "not_a_creative_element";
    if (!why.empty()) {
      out.untested.push_back({c, why});
      continue;
    }
    testable.push_back(c);
    ranks.push_back(ranks_with_missing(col));
  }
  const std::size_t k = testable.size();
  // Clusters as lists of positions into `testable`; sum[i][j] = sum of |rho| over member pairs.
  std::vector<std::vector<std::size_t>> members(k);
  for (std::size_t i = 0; i < k; ++i) members[i] = {i};
  std::vector<std::vector<double>> sim(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j) sim[i][j] = sim[j][i] = abs_rank_similarity(ranks[i], ranks[j]);
  std::vector<std::vector<double>> sum = sim;
  std::vector<bool> alive(k, true);
  auto merge = [&](std::size_t a, std::size_t b) {  // b into a
    for (std::size_t c = 0; c < k; ++c) {
      if (!alive[c] || c == a || c == b) continue;
      sum[a][c] = sum[c][a] = sum[a][c] + sum[b][c];
    }
    members[a].insert(members[a].end(), members[b].begin(), members[b].end());
    members[b].clear();
    alive[b] = false;
  };
  // Known duplicates first.
  std::map<std::string, std::size_t> pos_of;
  for (std::size_t i = 0; i < k; ++i) pos_of[d.feature_names[testable[i]]] = i;
  std::vector<std::size_t> cluster_of(k);
  std::iota(cluster_of.begin(), cluster_of.end(), 0);
  for (const auto& [x, y] : opt.known_duplicates) {
    const auto ix = pos_of.find(x), iy = pos_of.find(y);
    if (ix == pos_of.end() || iy == pos_of.end()) continue;
    std::size_t a = cluster_of[ix->second], b = cluster_of[iy->second];
    if (a == b) continue;
    if (b < a) std::swap(a, b);
    for (std::size_t m : members[b]) cluster_of[m] = a;
    merge(a, b);
  }
  // Average linkage: merge the most similar pair while its average similarity reaches the bar.
  AverageLinkage linkage{sum, members, alive};
  for (;;) {
    const auto [ba, bb] = linkage.best_pair();
    if (ba == bb || linkage.average(ba, bb) < opt.min_abs_rho) break;
    for (std::size_t m : members[bb]) cluster_of[m] = ba;
    merge(ba, bb);
    linkage.merged(ba, bb);
  }
  for (std::size_t a = 0; a < k; ++a) {
    if (!alive[a]) continue;
    Element e;
    for (std::size_t m : members[a]) e.columns.push_back(testable[m]);
    std::sort(e.columns.begin(), e.columns.end());
    e.representative = representative(e.columns, info, missing);
    out.elements.push_back(std::move(e));
  }
  std::sort(out.elements.begin(), out.elements.end(),
            [](const Element& a, const Element& b) { return a.representative < b.representative; });
  return out;
}

}  // namespace rumi::stats
