#include "core/element_instruction.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace rumi {

namespace {

// Seconds as people say them (core/element_instruction.h): "1 s", "4 s", "2-3 s"; an upper bound rounds up.
std::string seconds_text(double v, bool upper_bound) {
  if (v < 1) return "1 s";
  if (v < 10) {
    if (upper_bound) return fmt::format("{:.0f} s", std::ceil(v - 0.05));
    const double whole = std::round(v);
    if (std::fabs(v - whole) <= 0.25) return fmt::format("{:.0f} s", whole);
    return fmt::format("{:.0f}-{:.0f} s", std::floor(v), std::ceil(v));
  }
  if (v <= 30) return fmt::format("{:.0f} s", std::round(v));
  return fmt::format("{:.0f} s", std::round(v / 5) * 5);
}

double rate_per_second(const FeatureInfo& info, double v) { return info.say.unit == Unit::per_minute ? v / 60 : v; }

// "8", "1.6", "0.4": a measured rate, to two significant figures at most.
std::string rate_number(double v) {
  if (std::fabs(v) >= 3) return fmt::format("{:.0f}", std::round(v));
  if (std::fabs(v) >= 1) return fmt::format("{:.1f}", std::round(v * 10) / 10);
  return fmt::format("{:.2f}", std::round(v * 100) / 100);
}

bool is_rate(Unit u) { return u == Unit::per_second || u == Unit::per_minute || u == Unit::words_per_minute; }

// The words before "{top}" make the target a limit: an upper one ("within", "under", "by") or a
// lower one ("at least"). A rounded limit is rounded the lenient way, so it stays one the top
// videos meet.
bool bound_template(std::string_view tmpl, std::initializer_list<std::string_view> words) {
  const auto pos = tmpl.find("{top}");
  if (pos == std::string_view::npos) return false;
  for (std::string_view w : words)
    if (pos >= w.size() && tmpl.substr(pos - w.size(), w.size()) == w) return true;
  return false;
}
bool upper_bound_template(std::string_view tmpl) { return bound_template(tmpl, {"within ", "under ", "by "}); }
bool lower_bound_template(std::string_view tmpl) { return bound_template(tmpl, {"at least "}); }

}  // namespace

std::string whole_seconds(double s) {
  if (!std::isfinite(s)) return "n/a";
  return fmt::format("{:.0f}", std::round(s) + 0.0);
}

std::string shot_target(const FeatureInfo& info, double v, double length_s, bool upper_bound, bool lower_bound) {
  if (!std::isfinite(v) || v == 0) return "";
  switch (info.say.unit) {
    case Unit::seconds: return seconds_text(v, upper_bound);
    case Unit::video_share:
      if (std::isfinite(length_s) && length_s > 0) return seconds_text(v * length_s, upper_bound);
      return format_value(Unit::video_share, v);
    case Unit::fraction:
      return fmt::format("{:.0f} %",
                         std::clamp((lower_bound ? std::floor(v * 10 + 0.05) : std::round(v * 10)) * 10, 10.0, 90.0));
    case Unit::count: {
      const double n = std::max(1.0, v >= 20 ? std::round(v / 5) * 5 : std::round(v));
      return fmt::format("{:.0f}", n);
    }
    case Unit::per_second:
    case Unit::per_minute: {
      const double r = rate_per_second(info, v);
      if (r > 1 || r <= 0) return "";  // more than one a second: the line says what, `target` how many
      const double every = 1 / r;
      if (std::isfinite(length_s) && length_s > 0 && every >= length_s) return "";
      return "one every " + seconds_text(every, false);
    }
    case Unit::words_per_minute: {
      if (!(std::isfinite(length_s) && length_s > 0)) return "";
      const double words = std::max(5.0, std::round(v * length_s / 60 / 5) * 5);
      return fmt::format("{:.0f} words in a {}-second script", words, whole_seconds(length_s));
    }
    case Unit::characters: return fmt::format("{:.0f} characters", std::max(10.0, std::round(v / 10) * 10));
    case Unit::words:
    case Unit::hour_utc:
    case Unit::weekday: return format_value(info.say.unit, v);
    case Unit::score:
    case Unit::none: return "";
  }
  return "";
}

std::string shot_instruction(const FeatureInfo& info, bool more_side, double top_value, double rest_value,
                             double length_s, std::string* target) {
  const std::string& tmpl = instruction_template(info, more_side);
  if (target) target->clear();
  if (tmpl.empty()) return "";
  if (target && is_rate(info.say.unit) && std::isfinite(top_value) && top_value > 0) {
    // The measured rate, for whoever checks the edit: "top videos: about 8 on-screen elements per
    // second; others 4". The element's name says what is counted when it is a rate name.
    const bool wpm = info.say.unit == Unit::words_per_minute;
    const std::string per =
        wpm ? " words per minute" : (info.say.unit == Unit::per_minute ? " per minute" : " per second");
    const std::string& name = info.phrase;
    const bool name_is_a_rate =
        name.size() > per.size() && name.compare(name.size() - per.size() + 1, per.size() - 1, per.substr(1)) == 0;
    if (wpm || name_is_a_rate)
      *target = "top videos: about " + rate_number(top_value) + (wpm ? per : " " + name);
    else  // the name says what is counted only before the unit: "on-screen activity in the first 3 seconds"
      *target = "top videos' " + name + ": about " + rate_number(top_value) + per;
    if (std::isfinite(rest_value) && rest_value >= 0) *target += "; others " + rate_number(rest_value);
  }
  return fill_instruction(
      tmpl, shot_target(info, top_value, length_s, upper_bound_template(tmpl), lower_bound_template(tmpl)));
}

}  // namespace rumi
