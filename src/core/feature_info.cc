#include "core/feature_info.h"

#include <fmt/format.h>
#include <array>
#include <cmath>

#include "core/enum_names.h"

namespace rumi {

constexpr EnumName<FeatureKind> kFeatureKindNames[] = {{FeatureKind::numeric, "numeric"},
                                                       {FeatureKind::flag, "flag"},
                                                       {FeatureKind::onehot, "onehot"},
                                                       {FeatureKind::temporal, "temporal"},
                                                       {FeatureKind::derived, "derived"}};

std::string_view feature_kind_name(FeatureKind k) { return name_of(kFeatureKindNames, k); }

constexpr EnumName<PhraseKind> kPhraseKindNames[] = {
    {PhraseKind::timing, "timing"}, {PhraseKind::count, "count"},       {PhraseKind::rate, "rate"},
    {PhraseKind::share, "share"},   {PhraseKind::presence, "presence"}, {PhraseKind::category, "category"},
    {PhraseKind::level, "level"}};

std::string_view phrase_kind_name(PhraseKind k) { return name_of(kPhraseKindNames, k); }

constexpr EnumName<Unit> kUnitNames[] = {{Unit::none, "none"},
                                         {Unit::seconds, "seconds"},
                                         {Unit::video_share, "video_share"},
                                         {Unit::fraction, "fraction"},
                                         {Unit::count, "count"},
                                         {Unit::per_second, "per_second"},
                                         {Unit::per_minute, "per_minute"},
                                         {Unit::words_per_minute, "words_per_minute"},
                                         {Unit::score, "score"},
                                         {Unit::characters, "characters"},
                                         {Unit::words, "words"},
                                         {Unit::hour_utc, "hour_utc"},
                                         {Unit::weekday, "weekday"}};

std::string_view unit_name(Unit u) { return name_of(kUnitNames, u); }

constexpr EnumName<VideoPart> kVideoPartNames[] = {{VideoPart::whole, "whole"},
                                                   {VideoPart::hook, "hook"},
                                                   {VideoPart::body, "body"},
                                                   {VideoPart::cta, "cta"},
                                                   {VideoPart::post, "post"}};

std::string_view video_part_name(VideoPart p) { return name_of(kVideoPartNames, p); }

const std::string& predicate(const FeatureInfo& f, bool more_side) { return more_side ? f.say.more : f.say.less; }

const std::string& instruction_template(const FeatureInfo& f, bool more_side) {
  return more_side ? f.say.do_more : f.say.do_less;
}

bool for_creators(const FeatureInfo& f, bool more_side) { return !instruction_template(f, more_side).empty(); }

std::string fill_instruction(std::string_view tmpl, std::string_view value_text) {
  const auto pos = tmpl.find("{top}");
  if (pos == std::string_view::npos) return std::string(tmpl);
  std::string out(tmpl.substr(0, pos));
  if (!value_text.empty()) {
    out += value_text;
    out += tmpl.substr(pos + 5);
    return out;
  }
  // No measured target: drop the placeholder and the preposition that introduced it, and the
  // rest of that clause, so "Cut to a new shot every {top}" reads "Cut to a new shot".
  while (!out.empty() && out.back() == ' ') out.pop_back();
  static constexpr std::array<std::string_view, 13> kPrepositions = {
      "within", "about", "at", "under", "every", "to", "for", "of", "by", "after", "around", "least", "most"};
  for (bool again = true; again;) {
    again = false;
    for (auto w : kPrepositions) {
      if (out.size() > w.size() && out.compare(out.size() - w.size(), w.size(), w) == 0 &&
          out[out.size() - w.size() - 1] == ' ') {
        out.erase(out.size() - w.size());
        while (!out.empty() && out.back() == ' ') out.pop_back();
        again = true;  // "at least {top}" drops both words
        break;
      }
    }
  }
  while (!out.empty() && (out.back() == ',' || out.back() == ':' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string format_value(Unit u, double v) {
  if (!std::isfinite(v)) return "n/a";
  auto round_to = [](double x, double step) { return std::round(x / step) * step + 0.0; };
  switch (u) {
    case Unit::seconds:
      return std::fabs(v) < 10 ? fmt::format("{:.1f} s", round_to(v, 0.1)) : fmt::format("{:.0f} s", round_to(v, 1));
    case Unit::video_share: return fmt::format("{:.0f} % into the video", round_to(v * 100, 1));
    case Unit::fraction: return fmt::format("{:.0f} %", round_to(v * 100, 1));
    case Unit::count: return fmt::format("{:.0f}", round_to(v, 1));
    case Unit::per_second:
      return std::fabs(v) < 1 ? fmt::format("{:.2f} per second", round_to(v, 0.01))
                              : fmt::format("{:.1f} per second", round_to(v, 0.1));
    case Unit::per_minute: return fmt::format("{:.0f} per minute", round_to(v, 1));
    case Unit::words_per_minute: return fmt::format("{:.0f} words per minute", round_to(v, 1));
    case Unit::characters: return fmt::format("{:.0f} characters", round_to(v, 1));
    case Unit::words: return fmt::format("{:.0f} words", round_to(v, 1));
    case Unit::hour_utc: {
      const int h = static_cast<int>(std::lround(v)) % 24;
      return fmt::format("{:02d}:00 UTC", h < 0 ? h + 24 : h);
    }
    case Unit::weekday: {
      static constexpr std::array<std::string_view, 7> kDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                                "Friday", "Saturday", "Sunday"};
      const long d = std::lround(v);
      return d >= 0 && d < 7 ? std::string(kDays[static_cast<std::size_t>(d)]) : fmt::format("day {}", d);
    }
    case Unit::score:
    case Unit::none: return fmt::format("{:.2f}", round_to(v, 0.01));
  }
  return fmt::format("{:.2f}", v);
}

}  // namespace rumi
