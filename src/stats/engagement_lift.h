#pragma once
// The engagement lift a pattern quotes: how much more engagement the videos that do it had.
//
//   lift = weighted median ER of the favoured videos / weighted median ER of the others
//
// Favoured = with the element (presence), or in the element's favourable third (numeric: the
// top third when higher values go with higher ER, the bottom third otherwise). Choosing the
// direction and the cut-off on the same videos that measure the lift inflates it (the winner's
// curse), so the lift is cross-fitted: on each fold's training rows the direction (sign of
// Spearman with ER) and the tercile cut-off are chosen; the held-out rows are then classified
// and pooled over folds, and the lift is measured on those held-out classifications only. The
// 95 % interval is a BCa bootstrap (stats/bca.h) of the pooled held-out groups. Weights
// (selection.h) enter the medians; each group's Kish effective n is reported beside them.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace rumi::stats {

struct EngagementLift {
  bool defined = false;  // false when a group is empty (lift 1, CI [1, 1])
  double ratio = 1;      // favoured / others; 1.4 = "1.4x the engagement"
  std::array<double, 2> ci95{1, 1};
  double er_favoured = 0, er_others = 0;  // weighted medians, ER in percent
  std::size_t n_favoured = 0, n_others = 0;
  double kish_favoured = 0, kish_others = 0;
  int folds_agreeing = 0;  // training folds whose direction matched `full_direction`
  int folds = 0;
};

// x: the element's values (NaN = missing, rows skipped); fold: fold index per row (0..folds-1);
// full_direction: +1/-1, the direction from all rows (only counted, never used to classify).
EngagementLift cross_fitted_lift(std::span<const double> x, std::span<const double> er, std::span<const double> weights,
                                 bool presence, std::span<const int> fold, int folds, int full_direction,
                                 std::uint64_t seed, std::string_view stream, int resamples);

// Favoured-group membership on all rows with the full-sample direction and cut-offs (NaN rows
// are not favoured and not others: -1). Used to describe prevalence and typical values.
std::vector<int> favoured_groups(std::span<const double> x, bool presence, int direction);

}  // namespace rumi::stats
