#pragma once
// Turning measured patterns into plain sentences. Every number printed in a report goes
// through one of these formatters, so the rounding is documented in one place
// (docs/reports.md) and the test that traces report numbers back to the input files can
// apply the same rules:
//   lift, CI bounds              -> whole percent of the fraction (0.344 -> "+34 %"); the lift is
//                                   always the cross-fitted engagement lift (kLiftMeaning)
//   engagement rates (already %) -> one decimal ("5.4 %")
//   p / q values                 -> three significant digits (printf %.3g)
//   effect sizes, R^2            -> two decimals
//   counts                       -> integers; "X of Y top videos and A of B others" from the
//                                   pattern's counts (round(prevalence * top_count) without them)
//   timings                      -> whole seconds, bucket upper bound * position fraction
#include <string>
#include <string_view>
#include <vector>

#include "core/bucket.h"
#include "core/element_instruction.h"
#include "core/feature_info.h"
#include "core/pattern.h"

namespace rumi::report {

std::string percent_int(double fraction);     // "34"
std::string signed_percent(double fraction);  // "+34 %", "-12 %"
std::string er_percent(double er);            // "5.4 %"
std::string p_value_text(double p);           // "0.00123"
// A probability said as a marketing manager reads it aloud: "less than 1 in a million",
// "1 in 2,400" (1/p to two significant figures), or a whole percentage from 1 % up.
std::string chance_text(double p);
std::string two_decimals(double v);  // "0.82"

// How the pattern's element is said: its catalog entry (features::describe_column), or for a
// column the catalog does not know the default wording of its kind. Never the raw name.
FeatureInfo element_info(const Pattern& p);
// What the pattern is about, in words: the element's human name ("time to the first on-screen
// text"). Never the raw feature name.
std::string pattern_subject(const Pattern& p);
std::string capitalize(std::string s);

// "Videos that show the first on-screen text sooner" (the favoured side, never causal).
std::string pattern_who(const Pattern& p);
// "Top videos show the first on-screen text sooner (median 0.8 s; other videos 2.9 s)."
// `who` names the videos: "up to 15-second #nutrition" -> "Top up to 15-second #nutrition videos ...".
std::string pattern_finding(const Pattern& p, std::string_view who = {});

// The one meaning of "+X %" and "2.1x" in every report, said once per document.
inline constexpr std::string_view kLiftMeaning =
    "Engagement rate means likes, comments and shares per view. Each finding gives one number two ways: how many "
    "times the engagement rate, and the engagement lift in percent. Both compare the median engagement rate of "
    "the videos that do it with that of the others. It is measured on held-out videos, so the videos that set the "
    "cut-off do not grade it. The range shows where the true value likely lies (95 % range). It says what those "
    "videos had, not what doing it causes.";

// Never causal: what videos that do it had. "Videos that show the first on-screen text sooner
// had 1.3x the engagement rate of the others (median 5.4 % vs 4.0 %); 6 of 9 top videos and 20
// of 73 others do it. Engagement lift +34 % (95 % range +12 % to +56 %) on held-out videos
// (STRONG, 82 videos)."
// EMERGING patterns read "Hypothesis to test: videos that ... (not yet significant, 82 videos)."
std::string pattern_sentence(const Pattern& p);
// False when the cross-fitted lift could not be computed (details.engagement_lift.defined false:
// every held-out video fell on one side), so no "+0 %" is printed as if it were measured.
bool lift_measured(const Pattern& p);
inline constexpr std::string_view kLiftNotMeasured =
    "engagement lift not measurable on held-out videos (nearly all videos fall on one side)";
// "+34 % (95 % range +12 % to +56 %)", "+10 % (95 % range -35 % to +88 %, which includes no
// difference)", or kLiftNotMeasured.
std::string lift_with_range(const Pattern& p);
// "6 of 9 top videos and 20 of 73 others do it" ("" when no tier counts are known).
std::string prevalence_text(const Pattern& p);
// For clients: "Spearman rank correlation · p 0.000123 · q 0.00231 (corrected over 171
// elements) · effect size 0.82 (spearman_rho) · n 82".
std::string pattern_statistics(const Pattern& p, int family_size = 0);
std::string test_display_name(std::string_view test);  // spearman -> "Spearman rank correlation"
// details.adjusted.verdict == "vanishes_after_adjustment"
bool vanishes_after_adjustment(const Pattern& p);
// " Note: this may reflect creator size, video age or paid promotion rather than the element."
// for a pattern that vanishes after adjustment, "" otherwise.
std::string adjustment_note(const Pattern& p);
// True when the pattern says "do less / leave it out": without the element, or less of it,
// except timings ("sooner" is something to do, not to avoid).
bool is_avoid(const Pattern& p);
int top_videos_showing(const Pattern& p);  // round(top_prevalence * top_count)

// Creator-facing confidence: "★★★ Strong evidence", "★★☆ Moderate evidence", and for EMERGING
// "Hypothesis to test (not yet significant)": no stars, since it is not a finding.
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
