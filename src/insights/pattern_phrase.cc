#include "insights/pattern_phrase.h"

#include <fmt/format.h>
#include <cctype>
#include <cmath>

#include "core/text.h"
#include "features/feature_catalog.h"

namespace rumi::insights {

namespace {

bool is_presence(const FeatureInfo& info) {
  return info.say.kind == PhraseKind::presence || info.say.kind == PhraseKind::category;
}

bool lift_defined(const Pattern& p) {
  if (!p.details.is_object()) return true;
  const auto it = p.details.find("engagement_lift");
  if (it == p.details.end() || !it->is_object()) return true;
  return it->value("defined", true);
}

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// A trend (a timeline's slope) is said as a rise or a fall ("speed up as the video goes on"),
// which is only true when the top videos' typical trend has that sign. When it does not (the
// lower side, but the top videos still rise, only less), they keep the level steadier than the
// others: said by the timeline's own "steadier" predicate.
const std::string* steadier_trend(const Pattern& p, const FeatureInfo& info) {
  if (!ends_with(info.name, ".slope") || !std::isfinite(p.top_median)) return nullptr;
  const bool more = favours_more(p.direction);
  if (more ? p.top_median > 0 : p.top_median < 0) return nullptr;
  const auto& cat = features::feature_catalog();
  const auto idx = cat.index_of(info.name.substr(0, info.name.size() - 6) + ".std");
  if (!idx || cat.features[*idx].say.less.empty()) return nullptr;
  return &cat.features[*idx].say.less;
}

}  // namespace

bool favours_more(Direction d) { return d == Direction::higher_is_better || d == Direction::present_is_better; }

std::string feature_words(const FeatureInfo& info) {
  if (!info.phrase.empty()) return info.phrase;
  const auto dot = info.name.rfind('.');
  const std::string words = humanize_key(dot == std::string::npos ? info.name : info.name.substr(dot + 1));
  return words.empty() ? std::string("this element") : words;
}

std::string element_predicate(const Pattern& p, const FeatureInfo& info) {
  if (const std::string* steady = steadier_trend(p, info)) return *steady + " over the video";
  const std::string& s = predicate(info, favours_more(p.direction));
  if (!s.empty()) return s;
  // A FeatureInfo without a phrase model (built by hand): the kind's plain default.
  const std::string words = feature_words(info);
  if (is_presence(info) || info.kind == FeatureKind::flag || info.kind == FeatureKind::onehot)
    return (favours_more(p.direction) ? "have " : "do not have ") + words;
  return (favours_more(p.direction) ? "score higher on " : "score lower on ") + words;
}

std::string typical_values(const Pattern& p, const FeatureInfo& info) {
  // Presence kinds: the shares of videos that have it, from the same counts as "5 of 5 top videos
  // do it" so the two never disagree (a median of 0/1 values would only say "0 %" or "100 %");
  // without counts, the weighted prevalences.
  if (is_presence(info) || info.kind == FeatureKind::flag || info.kind == FeatureKind::onehot) {
    // The shares on the favoured side, the side the predicate says: on the without side "have it"
    // would name the other level ("have sparse or dense activity (0 % of top videos have it)").
    const bool with = favours_more(p.direction);
    double top = with ? p.top_mean : 1 - p.top_mean, rest = with ? p.rest_mean : 1 - p.rest_mean;
    if (p.top_count > 0 && p.rest_count > 0) {  // top_showing counts the favoured side
      top = static_cast<double>(p.top_showing) / p.top_count;
      rest = static_cast<double>(p.rest_showing) / p.rest_count;
    }
    if (!std::isfinite(top) || !std::isfinite(rest)) return "";
    return fmt::format("({} of top videos do this; {} of other videos)", format_value(Unit::fraction, top),
                       format_value(Unit::fraction, rest));
  }
  if (!std::isfinite(p.top_median) || !std::isfinite(p.rest_median)) return "";
  return fmt::format("(median {}; other videos {})", format_value(info.say.unit, p.top_median),
                     format_value(info.say.unit, p.rest_median));
}

std::string element_finding(const Pattern& p, const FeatureInfo& info, std::string_view who) {
  std::string s = "Top ";
  if (!who.empty()) {
    s += who;
    s += " ";
  }
  s += "videos ";
  s += element_predicate(p, info);
  if (const std::string t = typical_values(p, info); !t.empty()) s += " " + t;
  s += ".";
  return s;
}

std::string engagement_claim(const Pattern& p, const FeatureInfo& info) {
  std::string s = "Videos that ";
  s += element_predicate(p, info);
  const double ratio = 1.0 + p.lift;
  const bool measured = p.evidence != Evidence::none && lift_defined(p) && std::isfinite(ratio) &&
                        std::isfinite(p.er_others) && p.er_others > 0 && std::isfinite(p.er_favoured);
  if (!measured) {
    s += " showed no engagement difference that could be measured on held-out videos";
  } else if (ratio >= 1.05) {
    s += fmt::format(" had {:.1f}x the engagement rate of the others (median {:.1f} % vs {:.1f} %)", ratio,
                     p.er_favoured, p.er_others);
  } else {
    s += fmt::format(
        " ranked higher by engagement, but on held-out videos the gap was small (median {:.1f} % vs "
        "{:.1f} %)",
        p.er_favoured, p.er_others);
  }
  return s;
}

std::string pattern_phrase(const Pattern& p, const FeatureInfo& info, Bucket b, std::string_view hashtag) {
  std::string who(bucket_name(b));  // "16-30s" reads better in a sentence than "30-second"
  if (!hashtag.empty()) {
    who += " ";
    if (hashtag.front() != '#') who += "#";
    who += hashtag;
  }
  std::string claim = engagement_claim(p, info);
  claim.replace(0, 6, who + " videos");  // "Videos that ..." -> "0-15s #tag videos that ..."
  if (p.top_count > 0)
    claim += fmt::format("; {} of {} top videos and {} of {} others do it", p.top_showing, p.top_count, p.rest_showing,
                         p.rest_count);
  claim += " (" + std::string(evidence_name(p.evidence)) + ", " + std::to_string(p.sample_size) + " videos)";
  if (p.evidence == Evidence::emerging) return "Hypothesis to test: " + claim;
  return capitalized(claim);
}

}  // namespace rumi::insights
