#include "stats/multiple_testing.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "core/enum_names.h"
#include "core/error.h"

namespace rumi::stats {

constexpr EnumName<Correction> kCorrectionNames[] = {
    {Correction::benjamini_hochberg, "bh"}, {Correction::holm, "holm"}, {Correction::bonferroni, "bonferroni"}};

std::string_view correction_name(Correction c) { return name_of(kCorrectionNames, c); }

Correction parse_correction(std::string_view name) { return parse_option(kCorrectionNames, name, "correction"); }

namespace {
std::vector<std::size_t> ascending_order(std::span<const double> p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return order;
}
}  // namespace

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<double> q(m);
  if (m == 0) return q;
  const std::vector<std::size_t> order = ascending_order(p);
  // q_(i) = min_{j >= i} p_(j) m / j, capped at 1.
  double running = 1.0;
  for (std::size_t r = m; r-- > 0;) {
    const double v = p[order[r]] * static_cast<double>(m) / static_cast<double>(r + 1);
    running = std::min(running, v);
    q[order[r]] = std::clamp(running, 0.0, 1.0);
  }
  return q;
}

std::vector<double> holm(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<double> out(m);
  const std::vector<std::size_t> order = ascending_order(p);
  double running = 0.0;
  for (std::size_t r = 0; r < m; ++r) {
    const double v = p[order[r]] * static_cast<double>(m - r);
    running = std::max(running, std::min(1.0, v));
    out[order[r]] = running;
  }
  return out;
}

std::vector<double> bonferroni(std::span<const double> p) {
  std::vector<double> out(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) out[i] = std::min(1.0, p[i] * static_cast<double>(p.size()));
  return out;
}

std::vector<double> adjust(std::span<const double> p, Correction c) {
  switch (c) {
    case Correction::benjamini_hochberg: return benjamini_hochberg(p);
    case Correction::holm: return holm(p);
    case Correction::bonferroni: return bonferroni(p);
  }
  return benjamini_hochberg(p);
}

}  // namespace rumi::stats
