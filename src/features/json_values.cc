#include "features/json_values.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace rumi::features {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::optional<double> parse_number_text(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

const Json* json_at(const Json* root, std::string_view path) {
  const Json* cur = root;
  while (cur) {
    const auto dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(std::string(key));
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string_view::npos) return cur;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

double json_number_or_nan(const Json* v) {
  if (!v) return kNaN;
  switch (v->type()) {
    case Json::value_t::number_integer: return static_cast<double>(v->get<std::int64_t>());
    case Json::value_t::number_unsigned: return static_cast<double>(v->get<std::uint64_t>());
    case Json::value_t::number_float: {
      const double d = v->get<double>();
      return std::isfinite(d) ? d : kNaN;
    }
    case Json::value_t::boolean: return v->get<bool>() ? 1.0 : 0.0;
    case Json::value_t::string: return parse_number_text(v->get_ref<const std::string&>()).value_or(kNaN);
    case Json::value_t::array: return v->empty() ? 0.0 : kNaN;
    default: return kNaN;
  }
}

std::optional<std::pair<double, double>> parse_time_span(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && (s.back() == 's' || s.back() == 'S')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  const auto dash = s.find('-', 1);  // position 0 would be a sign
  if (dash == std::string_view::npos) {
    auto v = parse_number_text(s);
    if (!v) return std::nullopt;
    return std::pair{*v, *v};
  }
  auto a = parse_number_text(s.substr(0, dash));
  auto b_text = s.substr(dash + 1);
  if (!b_text.empty() && b_text.back() == 's') b_text.remove_suffix(1);
  auto b = parse_number_text(b_text);
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

std::optional<std::pair<double, double>> parse_time_span(const Json* v) {
  if (!v) return std::nullopt;
  if (v->is_number()) {
    const double d = v->get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return std::pair{d, d};
  }
  if (v->is_string()) return parse_time_span(std::string_view(v->get_ref<const std::string&>()));
  return std::nullopt;
}

}  // namespace rumi::features
