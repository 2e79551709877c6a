#pragma once
// Performance tiers within a bucket by ER rank (the seed's split): top 10 %, next 20 %,
// middle 40 %, bottom 30 %. With small buckets 10 % is one or two videos, too few to say
// anything about "what top videos share", so the top tier is never smaller than
// kMinTopTierSize videos (and never more than half the bucket); the other tiers keep their
// cumulative cut points (30 % / 70 %) but never shrink below zero. Ties in ER are ordered by
// video id so the split is deterministic.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rumi::stats {

enum class Tier { top, high, middle, bottom };
std::string_view tier_name(Tier t);  // top_10, next_20, middle_40, bottom_30

inline constexpr std::size_t kMinTopTierSize = 5;

struct TierSplit {
  std::vector<Tier> tier_of;             // per row
  std::size_t counts[4] = {0, 0, 0, 0};  // per Tier
  std::size_t top_count() const { return counts[0]; }
  std::size_t bottom_count() const { return counts[3]; }
};

TierSplit assign_tiers(std::span<const double> er, std::span<const std::string> video_ids);

}  // namespace rumi::stats
