#include "insights/pattern_phrase.h"

#include <cctype>
#include <cmath>
#include <fmt/format.h>

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
  // Never causal: what the videos that do it had, measured on held-out videos (cross-fitted).
  std::string claim;
  const double ratio = 1.0 + p.lift;
  if (p.evidence != Evidence::none && std::isfinite(ratio) && p.er_others > 0 && ratio >= 1.005) {
    claim = fmt::format(" had {:.1f}x the engagement rate of the others (median {:.1f} % vs {:.1f} %)", ratio,
                        p.er_favoured, p.er_others);
  } else if (p.evidence != Evidence::none && std::isfinite(ratio) && p.er_others > 0) {
    claim = fmt::format(" ranked higher by engagement, but on held-out videos the gap was small (median {:.1f} % vs "
                        "{:.1f} %)",
                        p.er_favoured, p.er_others);
  } else {
    claim = " showed no clear engagement difference";
  }
  std::string prevalence;
  if (p.top_count > 0)
    prevalence = fmt::format("; {} of {} top videos and {} of {} others do it", p.top_showing, p.top_count,
                             p.rest_showing, p.rest_count);
  const std::string lead = p.evidence == Evidence::emerging ? "Hypothesis to test: " : "";
  if (!lead.empty() && !subject.empty()) subject[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(subject[0])));
  return lead + subject + claim + prevalence + " (" + std::string(evidence_name(p.evidence)) + ", " +
         std::to_string(p.sample_size) + " videos)";
}

}  // namespace rumi::insights
