#include "ml/consensus.h"

#include <algorithm>
#include <numeric>

namespace rumi::ml {

std::vector<bool> important_groups(const ModelVote& v, std::size_t top_k) {
  std::vector<std::size_t> order(v.importance.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v.importance[a] > v.importance[b]; });
  std::vector<bool> out(order.size(), false);
  std::size_t taken = 0;
  for (std::size_t g : order) {
    if (taken >= top_k || !(v.importance[g] > 0)) break;
    if (!v.eligible.empty() && !v.eligible[g]) continue;
    if (v.sign[g] == 0) continue;
    out[g] = true;
    ++taken;
  }
  return out;
}

std::vector<ConsensusFeature> build_consensus(std::span<const ModelVote> votes, std::span<const std::string> names,
                                              std::size_t top_k, std::size_t min_models) {
  std::vector<std::vector<bool>> important;
  std::vector<double> max_imp;
  for (const auto& v : votes) {
    important.push_back(important_groups(v, top_k));
    max_imp.push_back(v.importance.empty() ? 0.0 : *std::max_element(v.importance.begin(), v.importance.end()));
  }
  std::vector<ConsensusFeature> out;
  for (std::size_t g = 0; g < names.size(); ++g) {
    int plus = 0, minus = 0;
    for (std::size_t m = 0; m < votes.size(); ++m)
      if (important[m][g]) (votes[m].sign[g] > 0 ? plus : minus) += 1;
    const int sign = plus >= minus ? 1 : -1;
    const auto count = static_cast<std::size_t>(sign > 0 ? plus : minus);
    if (count < min_models) continue;
    ConsensusFeature c;
    c.feature = names[g];
    c.sign = sign;
    double imp = 0;
    for (std::size_t m = 0; m < votes.size(); ++m)
      if (important[m][g] && votes[m].sign[g] == sign) {
        c.models.push_back(votes[m].model);
        imp += max_imp[m] > 0 ? votes[m].importance[g] / max_imp[m] : 0.0;
      }
    std::sort(c.models.begin(), c.models.end());
    c.importance = imp / static_cast<double>(c.models.size());
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const ConsensusFeature& a, const ConsensusFeature& b) {
    if (a.models.size() != b.models.size()) return a.models.size() > b.models.size();
    return a.importance > b.importance;
  });
  return out;
}

Json to_json(const ConsensusFeature& c) {
  return Json{{"feature", c.feature},
              {"sign", c.sign},
              {"direction", c.sign > 0 ? "higher_is_better" : "lower_is_better"},
              {"models", c.models},
              {"importance", json_number(c.importance)}};
}

}  // namespace rumi::ml
