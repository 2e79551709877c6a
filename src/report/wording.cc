#include "report/wording.h"

#include <algorithm>
#include <cmath>
#include <vector>
#include <fmt/format.h>

#include "core/text.h"
#include "features/feature_catalog.h"

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

std::string two_decimals(double v) {
  if (!std::isfinite(v)) return "n/a";
  return fmt::format("{:.2f}", v);
}

std::string whole_seconds(double s) {
  if (!std::isfinite(s)) return "n/a";
  return fmt::format("{:.0f}", std::round(s) + 0.0);
}

std::string capitalize(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

namespace {
std::string humanize_source(std::string_view source) {
  // Last path element, camelCase and dots/underscores split into words.
  auto pos = source.rfind('.');
  std::string_view key = pos == std::string_view::npos ? source : source.substr(pos + 1);
  const std::string out = humanize_key(key);
  return out.empty() ? std::string("this element") : out;
}

const FeatureInfo* catalog_entry(std::string_view name) {
  try {
    const auto& cat = features::feature_catalog();
    if (auto i = cat.index_of(name)) return &cat.features[*i];
  } catch (...) {
    // The catalog is optional for wording: fall back to the pattern's own text.
  }
  return nullptr;
}
}  // namespace

std::string pattern_subject(const Pattern& p) {
  if (const FeatureInfo* fi = catalog_entry(p.feature); fi && !fi->phrase.empty()) return fi->phrase;
  if (!p.phrase.empty()) return p.phrase;
  return humanize_source(p.source.empty() ? p.feature : p.source);
}

bool is_avoid(const Pattern& p) {
  return p.direction == Direction::lower_is_better || p.direction == Direction::absent_is_better;
}

int top_videos_showing(const Pattern& p) {
  if (!std::isfinite(p.top_prevalence)) return 0;
  return static_cast<int>(std::lround(p.top_prevalence * p.top_count));
}

std::string pattern_sentence(const Pattern& p) {
  const std::string subject = pattern_subject(p);
  const std::string stats = fmt::format("{} vs the rest; {} evidence, {} videos", signed_percent(p.lift),
                                        evidence_name(p.evidence), p.sample_size);
  switch (p.direction) {
    case Direction::higher_is_better:
      return fmt::format("Top videos have more {} ({}).", subject, stats);
    case Direction::lower_is_better:
      return fmt::format("Top videos have less {} ({}).", subject, stats);
    case Direction::present_is_better:
      return fmt::format("Top videos more often have {}: {} of {} top videos ({}).", subject, top_videos_showing(p),
                         p.top_count, stats);
    case Direction::absent_is_better:
      return fmt::format("Top videos more often leave out {} ({}).", subject, stats);
  }
  return subject;
}

std::string simple_confidence(Evidence e) {
  switch (e) {
    case Evidence::strong: return "\u2605\u2605\u2605 Strong evidence";
    case Evidence::moderate: return "\u2605\u2605\u2606 Moderate evidence";
    case Evidence::emerging: return "\u2605\u2606\u2606 Early signal (exploratory test)";
    case Evidence::none: return "\u2606\u2606\u2606 Not significant";
  }
  return "";
}

int evidence_rank(Evidence e) { return static_cast<int>(e); }

std::string hashtag_tag(std::string_view hashtag) {
  if (!hashtag.empty() && hashtag[0] == '#') return std::string(hashtag);
  return "#" + std::string(hashtag);
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
  std::vector<const Pattern*> ps;
  for (const auto& p : known) ps.push_back(&p);
  std::sort(ps.begin(), ps.end(), [](auto* a, auto* b) { return a->feature.size() > b->feature.size(); });
  for (const Pattern* p : ps) replace_all(rule, p->feature, "[" + pattern_subject(*p) + "]");
  std::vector<const FeatureInfo*> infos;
  try {
    for (const auto& fi : features::feature_catalog().features) infos.push_back(&fi);
  } catch (...) {
    return rule;
  }
  std::sort(infos.begin(), infos.end(), [](auto* a, auto* b) { return a->name.size() > b->name.size(); });
  for (const FeatureInfo* fi : infos) {
    if (fi->name.empty() || fi->phrase.empty()) continue;
    for (std::size_t pos = rule.find(fi->name); pos != std::string::npos; pos = rule.find(fi->name, pos)) {
      const std::string repl = "[" + fi->phrase + "]";
      rule.replace(pos, fi->name.size(), repl);
      pos += repl.size();
    }
  }
  return rule;
}
}  // namespace rumi::report
