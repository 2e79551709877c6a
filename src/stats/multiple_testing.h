#pragma once
// Multiple-testing adjustment across the features of one bucket. With ~300 features, raw
// p < 0.05 would flag ~15 noise features per bucket; adjusted values keep the false-discovery
// (BH) or family-wise (Holm, Bonferroni) error at the stated level.
#include <span>
#include <string_view>
#include <vector>

namespace rumi::stats {

enum class Correction { benjamini_hochberg, holm, bonferroni };
std::string_view correction_name(Correction c);      // "bh", "holm", "bonferroni"
Correction parse_correction(std::string_view name);  // UsageError on unknown names

// Benjamini-Hochberg q-values, = scipy.stats.false_discovery_control(p, method='bh').
std::vector<double> benjamini_hochberg(std::span<const double> p);
// Holm step-down adjusted p-values (monotone, capped at 1).
std::vector<double> holm(std::span<const double> p);
std::vector<double> bonferroni(std::span<const double> p);
std::vector<double> adjust(std::span<const double> p, Correction c);

}  // namespace rumi::stats
