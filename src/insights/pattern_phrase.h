#pragma once
// Saying one creative element in plain English (docs/reporting.md). Built only from the
// catalog's FeaturePhrase (core/feature_info.h), so raw feature names never reach human text:
//
//   element_finding:  "Top up to 15-second #nutrition videos show the first on-screen text sooner
//                      (median 0.8 s; other videos 2.9 s)."
//   engagement_claim: "Videos that show the first on-screen text sooner had 2.1x the engagement
//                      rate of the others (median 7.8 % vs 3.7 %)"
//   pattern_phrase:   both, with prevalence and the evidence label: the `phrase` of patterns files.
//
// Never causal: what videos that do it had, never what doing it gets. The "x" ratio is the
// cross-fitted engagement lift (Pattern::lift + 1): the weighted median ER of the favoured videos
// over that of the others, measured on held-out videos (stats/engagement_lift.h).
#include <string>
#include <string_view>

#include "core/bucket.h"
#include "core/feature_info.h"
#include "core/pattern.h"

namespace rumi::insights {

// The higher / with side (higher_is_better, present_is_better).
bool favours_more(Direction d);
// "show the first on-screen text sooner": the predicate for the pattern's favoured side. A trend
// whose top videos' typical value does not have the sign its predicate says ("slow down" while
// they still speed up, only less) is said as keeping the level steadier.
std::string element_predicate(const Pattern& p, const FeatureInfo& info);
// "(median 0.8 s; other videos 2.9 s)", or for presence kinds "(72 % of top videos do this; 36 %
// of other videos)": the shares on the favoured side, from the prevalence counts (else the
// weighted prevalences); "" when unknown.
std::string typical_values(const Pattern& p, const FeatureInfo& info);
// "Top <who> videos <predicate> (typical values)." `who` e.g. "up to 15-second #nutrition"
// ("" -> "Top videos ...").
std::string element_finding(const Pattern& p, const FeatureInfo& info, std::string_view who = {});
// "Videos that <predicate> had 2.1x the engagement rate of the others (median 7.8 % vs 3.7 %)",
// or the small-gap / unmeasured wording; no final period.
std::string engagement_claim(const Pattern& p, const FeatureInfo& info);

// The sentence stored as the pattern's `phrase`.
std::string pattern_phrase(const Pattern& p, const FeatureInfo& info, Bucket b, std::string_view hashtag);

// The catalog phrase (the element's human name), or a readable fallback when it has none.
std::string feature_words(const FeatureInfo& info);

}  // namespace rumi::insights
