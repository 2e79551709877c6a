#include "report/wording.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "core/text.h"
#include "features/feature_catalog.h"
#include "insights/pattern_phrase.h"

namespace rumi::report {

std::string percent_int(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  return fmt::format("{:.0f}", std::round(fraction * 100.0) + 0.0);
}

std::string signed_percent(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  const double v = std::round(fraction * 100.0) + 0.0;
  return fmt::format("{}{:.0f} %", v > 0 ? "+" : "", v);
}

std::string er_percent(double er) {
  if (!std::isfinite(er)) return "n/a";
  return fmt::format("{:.1f} %", er);
}

std::string p_value_text(double p) {
  if (!std::isfinite(p)) return "n/a";
  return fmt::format("{:.3g}", p);
}

std::string chance_text(double p) {
  if (!std::isfinite(p)) return "not known";
  if (p < 1e-6) return "less than 1 in a million";
  if (p < 0.01) {
    const double n = 1.0 / p;
    const double scale = std::pow(10.0, std::floor(std::log10(n)) - 1);  // two significant figures
    std::string digits = std::to_string(static_cast<long long>(std::round(n / scale) * scale));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return "1 in " + digits;
  }
  return fmt::format("{:.0f} %", std::min(100.0, p * 100));
}

std::string two_decimals(double v) {
  if (!std::isfinite(v)) return "n/a";
  return fmt::format("{:.2f}", v);
}

std::string capitalize(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

FeatureInfo element_info(const Pattern& p) {
  FeatureKind kind = FeatureKind::numeric;
  if (p.kind == "flag") kind = FeatureKind::flag;
  if (p.kind == "onehot") kind = FeatureKind::onehot;
  if (p.kind == "temporal") kind = FeatureKind::temporal;
  if (p.kind == "derived") kind = FeatureKind::derived;
  // Presence tests (Mann-Whitney) mean a 0/1 element even when the kind string is missing.
  if (p.direction == Direction::present_is_better || p.direction == Direction::absent_is_better)
    if (kind != FeatureKind::onehot) kind = FeatureKind::flag;
  return features::describe_column(p.feature, p.source, kind);
}

std::string pattern_subject(const Pattern& p) { return insights::feature_words(element_info(p)); }

std::string pattern_who(const Pattern& p) { return "Videos that " + insights::element_predicate(p, element_info(p)); }

std::string pattern_finding(const Pattern& p, std::string_view who) {
  return insights::element_finding(p, element_info(p), who);
}

bool is_avoid(const Pattern& p) {
  if (p.direction == Direction::absent_is_better) return true;
  return p.direction == Direction::lower_is_better && element_info(p).say.kind != PhraseKind::timing;
}

int top_videos_showing(const Pattern& p) {
  if (!std::isfinite(p.top_prevalence)) return 0;
  return static_cast<int>(std::lround(p.top_prevalence * p.top_count));
}

std::string prevalence_text(const Pattern& p) {
  if (p.top_count <= 0) return "";
  if (p.rest_count > 0)
    return fmt::format("{} of {} top videos and {} of {} others do it", p.top_showing, p.top_count, p.rest_showing,
                       p.rest_count);
  return fmt::format("{} of {} top videos do it", top_videos_showing(p), p.top_count);
}

bool lift_measured(const Pattern& p) {
  if (!p.details.is_object()) return true;
  const auto it = p.details.find("engagement_lift");
  if (it == p.details.end() || !it->is_object()) return true;
  return it->value("defined", true);
}

std::string lift_with_range(const Pattern& p) {
  if (!lift_measured(p)) return std::string(kLiftNotMeasured);
  std::string s = signed_percent(p.lift);
  s += " (95 % range ";
  s += signed_percent(p.ci95[0]);
  s += " to ";
  s += signed_percent(p.ci95[1]);
  // A range that spans zero is worth saying in words: the lift could be nothing at all.
  if (std::isfinite(p.ci95[0]) && std::isfinite(p.ci95[1]) && p.ci95[0] <= 0 && p.ci95[1] >= 0)
    s += ", which includes no difference";
  s += ")";
  return s;
}

std::string pattern_sentence(const Pattern& p) {
  const bool hypothesis = p.evidence == Evidence::emerging;
  const FeatureInfo info = element_info(p);
  std::string s =
      lift_measured(p) ? insights::engagement_claim(p, info) : pattern_who(p) + ": " + std::string(kLiftNotMeasured);
  if (hypothesis) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    s.insert(0, "Hypothesis to test: ");
  }
  if (const std::string prev = prevalence_text(p); !prev.empty()) s += "; " + prev;
  if (lift_measured(p) && p.evidence != Evidence::none) {
    s += ". Engagement lift ";
    s += lift_with_range(p);
    s += " on held-out videos";
  }
  s += " (";
  s += hypothesis ? std::string("not yet significant") : std::string(evidence_name(p.evidence));
  s += ", ";
  s += std::to_string(p.sample_size);
  s += " videos).";
  return s;
}

std::string test_display_name(std::string_view test) {
  if (test == "spearman") return "Spearman rank correlation";
  if (test == "mann_whitney_u") return "Mann-Whitney U test";
  return std::string(test);
}

std::string pattern_statistics(const Pattern& p, int family_size) {
  std::string s = test_display_name(p.test.empty() ? std::string_view("test") : std::string_view(p.test));
  s += " \u00b7 p ";
  s += p_value_text(p.p_value);
  s += " \u00b7 q ";
  s += p_value_text(p.q_value);
  if (family_size > 0) s += fmt::format(" (corrected over {} elements)", family_size);
  s += " \u00b7 effect size ";
  s += two_decimals(p.effect_size);
  if (!p.effect_size_kind.empty()) s += " (" + p.effect_size_kind + ")";
  s += " \u00b7 n ";
  s += std::to_string(p.sample_size);
  return s;
}

bool vanishes_after_adjustment(const Pattern& p) {
  if (!p.details.is_object()) return false;
  const auto it = p.details.find("adjusted");
  if (it == p.details.end() || !it->is_object()) return false;
  return it->value("verdict", "") == "vanishes_after_adjustment";
}

std::string adjustment_note(const Pattern& p) {
  if (!vanishes_after_adjustment(p)) return "";
  return " Note: this may reflect creator size, video age or paid promotion rather than the element (it did not "
         "hold after adjusting for them).";
}

std::string simple_confidence(Evidence e) {
  switch (e) {
    case Evidence::strong: return "\u2605\u2605\u2605 Strong evidence";
    case Evidence::moderate: return "\u2605\u2605\u2606 Moderate evidence";
    case Evidence::emerging: return "Hypothesis to test (not yet significant)";
    case Evidence::none: return "\u2606\u2606\u2606 Not significant";
  }
  return "";
}

int evidence_rank(Evidence e) { return static_cast<int>(e); }

std::string hashtag_tag(std::string_view hashtag) {
  if (!hashtag.empty() && hashtag[0] == '#') return std::string(hashtag);
  std::string out = "#";
  out += hashtag;
  return out;
}

}  // namespace rumi::report

namespace rumi::report {
namespace {
void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}
}  // namespace

std::string humanize_rule(std::string rule, const std::vector<Pattern>& known) {
  // One list, longest name first: "x.time_pos" must be replaced before its prefix "x.time", or
  // the rule would read "[time]_pos". Known patterns win over the catalog for the same name.
  std::vector<std::pair<std::string, std::string>> names;  // name, phrase
  for (const auto& p : known) names.emplace_back(p.feature, pattern_subject(p));
  for (const auto& fi : features::feature_catalog().features)
    if (!fi.name.empty() && !fi.phrase.empty()) names.emplace_back(fi.name, fi.phrase);
  std::stable_sort(names.begin(), names.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, phrase] : names) {
    if (name.empty()) continue;
    std::string repl = "[";
    repl += phrase;
    repl += "]";
    replace_all(rule, name, repl);
  }
  return rule;
}
}  // namespace rumi::report
