#pragma once
// Turning measured patterns into plain sentences. Every number printed in a report goes
// through one of these formatters, so the rounding is documented in one place
// (docs/reports.md) and the test that traces report numbers back to the input files can
// apply the same rules:
//   lift, CI bounds, prevalence  -> whole percent of the fraction (0.344 -> "+34 %")
//   engagement rates (already %) -> one decimal ("5.4 %")
//   p / q values                 -> three significant digits (printf %.3g)
//   effect sizes, R^2            -> two decimals
//   counts                       -> integers; "X of Y top videos" uses round(prevalence * top_count)
//   timings                      -> whole seconds, bucket upper bound * position fraction
#include <string>
#include <string_view>
#include <vector>

#include "core/bucket.h"
#include "core/pattern.h"

namespace rumi::report {

std::string percent_int(double fraction);         // "34"
std::string signed_percent(double fraction);      // "+34 %", "-12 %"
std::string er_percent(double er);                // "5.4 %"
std::string p_value_text(double p);               // "0.00123"
std::string two_decimals(double v);               // "0.82"
std::string whole_seconds(double s);              // "4"

// What the pattern is about, in words: the catalog's phrase template for the feature, else the
// pattern's own phrase, else a humanised source key. Never the raw feature name.
std::string pattern_subject(const Pattern& p);
std::string capitalize(std::string s);

// "Top videos have more text overlays per second (+34 % vs the rest; STRONG evidence, 82 videos)."
std::string pattern_sentence(const Pattern& p);
// True when the pattern says "do less / leave it out".
bool is_avoid(const Pattern& p);
int top_videos_showing(const Pattern& p);  // round(top_prevalence * top_count)

// Creator-facing confidence: "★★★ Strong evidence", "★★☆ Moderate evidence", "★☆☆ Early signal".
std::string simple_confidence(Evidence e);
int evidence_rank(Evidence e);  // STRONG 0, MODERATE 1, EMERGING 2, NONE 3

std::string hashtag_tag(std::string_view hashtag);  // ensures a leading '#'

}  // namespace rumi::report

namespace rumi::report {
// A decision-tree rule with catalog feature names replaced by their phrases ("if text
// overlays per second > 0.4 then ..."); numbers are left exactly as training wrote them.
// Names of `known` patterns are replaced first (their subject), then any catalog name.
std::string humanize_rule(std::string rule, const std::vector<Pattern>& known = {});
}  // namespace rumi::report
