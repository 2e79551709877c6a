#include "acquire/counts.h"

#include <charconv>
#include <limits>

namespace rumi::acquire {

std::optional<std::int64_t> parse_plain_count(std::string_view t) {
  if (t.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || v < 0 || t[0] == '-' || t[0] == '+') return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_display_count(std::string_view t) {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  int scale_digits = 0;
  switch (t.back()) {
    case 'K':
    case 'k': scale_digits = 3; break;
    case 'M':
    case 'm': scale_digits = 6; break;
    case 'B':
    case 'b': scale_digits = 9; break;
    default: break;
  }
  if (scale_digits) t.remove_suffix(1);
  std::size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : t.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return std::nullopt;
  if (!scale_digits && !frac.empty()) return std::nullopt;  // "12.5" views is not a count
  if (frac.size() > static_cast<std::size_t>(scale_digits) && scale_digits) return std::nullopt;
  auto w = parse_plain_count(whole);
  if (!w) return std::nullopt;
  std::int64_t f = 0;
  if (!frac.empty()) {
    auto fv = parse_plain_count(frac);
    if (!fv) return std::nullopt;
    f = *fv;
  }
  std::int64_t mul = 1;
  for (int i = 0; i < scale_digits; ++i) mul *= 10;
  std::int64_t frac_mul = 1;
  for (std::size_t i = frac.size(); i < static_cast<std::size_t>(scale_digits); ++i) frac_mul *= 10;
  if (*w > std::numeric_limits<std::int64_t>::max() / mul) return std::nullopt;
  return *w * mul + f * frac_mul;
}

std::optional<double> parse_clock_duration(std::string_view t) {
  if (t.empty()) return std::nullopt;
  double total = 0;
  std::size_t start = 0;
  int parts = 0;
  while (true) {
    std::size_t colon = t.find(':', start);
    std::string_view part = t.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    double v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size() || v < 0) return std::nullopt;
    total = total * 60 + v;
    if (++parts > 3) return std::nullopt;
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return total;
}

bool is_valid_video_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace rumi::acquire
