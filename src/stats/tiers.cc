#include "stats/tiers.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/enum_names.h"

namespace rumi::stats {

constexpr EnumName<Tier> kTierNames[] = {
    {Tier::top, "top_10"}, {Tier::high, "next_20"}, {Tier::middle, "middle_40"}, {Tier::bottom, "bottom_30"}};

std::string_view tier_name(Tier t) { return name_of(kTierNames, t); }

TierSplit assign_tiers(std::span<const double> er, std::span<const std::string> video_ids) {
  const std::size_t n = er.size();
  TierSplit split;
  split.tier_of.assign(n, Tier::bottom);
  if (n == 0) return split;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (er[a] != er[b]) return er[a] > er[b];
    if (a < video_ids.size() && b < video_ids.size() && video_ids[a] != video_ids[b])
      return video_ids[a] < video_ids[b];
    return a < b;
  });
  const auto cut = [&](double share) { return static_cast<std::size_t>(std::llround(share * static_cast<double>(n))); };
  std::size_t top = std::max(cut(0.10), std::min(kMinTopTierSize, n / 2));
  top = std::max<std::size_t>(top, n >= 2 ? 1 : 0);
  if (n == 1) top = 1;
  const std::size_t high_end = std::max(top, cut(0.30));
  const std::size_t middle_end = std::max(high_end, cut(0.70));
  for (std::size_t r = 0; r < n; ++r) {
    const Tier t = r < top ? Tier::top : r < high_end ? Tier::high : r < middle_end ? Tier::middle : Tier::bottom;
    split.tier_of[order[r]] = t;
    ++split.counts[static_cast<int>(t)];
  }
  return split;
}

}  // namespace rumi::stats
