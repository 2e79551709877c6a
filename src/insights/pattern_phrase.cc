#include "insights/pattern_phrase.h"

#include <cctype>
#include <cmath>

namespace rumi::insights {

namespace {

// "overlay.hook_text3s" -> "hook text 3s"; "visual_overlay_analysis.CoreMetrics.overlayDensity"
// -> "overlay density": the last path element, camelCase and snake_case split into words.
std::string humanize(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) name = name.substr(dot + 1);
  std::string out;
  char prev = 0;
  for (char c : name) {
    const auto uc = static_cast<unsigned char>(c);
    if (c == '_' || c == '-' || c == '.') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      if (std::isupper(uc) && prev && std::islower(static_cast<unsigned char>(prev)) && out.back() != ' ') out += ' ';
      out += static_cast<char>(std::tolower(uc));
    }
    prev = c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? std::string("this element") : out;
}

std::string percent(double fraction) {
  return std::to_string(static_cast<long>(std::llround(std::fabs(fraction) * 100.0))) + " %";
}

}  // namespace

std::string feature_words(const FeatureInfo& info) {
  return info.phrase.empty() ? humanize(info.name) : info.phrase;
}

std::string pattern_phrase(const Pattern& p, const FeatureInfo& info, Bucket b, std::string_view hashtag) {
  const std::string words = feature_words(info);
  std::string who(bucket_name(b));  // "16-30s" reads better in a sentence than "30-second"
  if (!hashtag.empty()) {
    who += " ";
    if (hashtag.front() != '#') who += "#";
    who += hashtag;
  }
  who += " videos";
  std::string subject;
  switch (p.direction) {
    case Direction::present_is_better: subject = who + " with " + words; break;
    case Direction::absent_is_better: subject = who + " without " + words; break;
    case Direction::higher_is_better: subject = who + " with more " + words; break;
    case Direction::lower_is_better: subject = who + " with less " + words; break;
  }
  if (!subject.empty()) subject[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subject[0])));
  double er_lift = 0;
  if (p.details.is_object() && p.details.contains("er_lift") && p.details["er_lift"].is_number())
    er_lift = p.details["er_lift"].get<double>();
  std::string claim;
  if (std::isfinite(er_lift) && er_lift >= 0.005) {
    claim = " got " + percent(er_lift) + " more engagement";
  } else {
    // The tier gap holds but the simple split does not show an ER gain: say only what is true.
    claim = " are over-represented among the top 10 % by engagement";
  }
  return subject + claim + " (" + std::string(evidence_name(p.evidence)) + ", " + std::to_string(p.sample_size) +
         " videos)";
}

}  // namespace rumi::insights
