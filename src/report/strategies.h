#pragma once
// Up to 10 creative strategies per hashtag, best evidence first across buckets. Each strategy is
// built around one measured pattern (plus up to two supporting patterns from the same bucket),
// written in one of the seed's formats, with a Billo pilot (3 test + 2 control videos, sized for
// real by `rumi validate create`) and a success metric.
//
// What may become a strategy (or support one), all of it at once:
// * STRONG or MODERATE (significant after correction): a Billo brief is a paid test, and an
//   EMERGING pattern is a hypothesis that belongs on the "What we need to learn next" page.
// * Its cross-fitted engagement lift (Pattern::lift, measured on held-out videos) is above zero:
//   the videos on the side the strategy asks for did better on videos that did not choose that
//   side. A significant rank test whose held-out lift is zero, negative or not measurable did not
//   hold up, and briefing it would tell creators to do what the held-out videos say does not
//   pay; it goes to `StrategySet::learn_next` with the reason instead.
// * Filmable for its favoured side (core/feature_info.h); a catalog element with no creator
//   instruction that way stays in the guides and is named in the shortfall.
// * It does not contradict a better-ranked element of the same bucket: the two share a column
//   with opposite directions, or one's instruction is the other's opposite instruction. The
//   better-ranked one wins; the other goes to `learn_next`.
// * It is not the same idea as an element that already leads a strategy of its bucket: their
//   per-video values rank the videos almost alike (BucketInputs::same_idea_as, |Spearman rho| >=
//   0.7), as "first text within 1 s" and "text in the first 3 seconds" do, or the stronger one
//   explains it (its partial Spearman with ER, the stronger one held fixed, is not significant:
//   kExplainedAlpha). It may still support that strategy; one idea is one strategy.
// Each finding is named by one strategy only: a pattern that leads a strategy never supports
// another, and a supporting pattern supports the best-ranked strategy that can take it, so two
// strategies of one bucket never cite the same findings.
// With fewer qualifying patterns we write fewer strategies and say what is missing; nothing is
// invented or padded.
//
// Themes (the seed's strategy topics: hook, pacing, on-screen text, people, speech, call to
// action, length, posting). Every element has exactly one, from its catalog entry, first rule
// that matches:
//   1. Length          the video's length (video.duration_s)
//   2. Posting         caption, hashtags and posting time: part `post`, the metadata_analysis
//                      flow, the era-C windows' caption and posting columns (temporal_windows
//                      .metadata.*), any other Apify item field. A metadata-only analysis is
//                      all Posting.
//   3. Call to action  an element about a call to action ("cta" / "CallToAction" in its name:
//                      on-screen CTAs, the visual final CTA, a spoken CTA), wherever it falls
//   4. Hook            part `hook` (the first 3 seconds), or how soon something first appears
//                      (timeToFirst*, *.first_active_pos): both are about how the video opens
//   5. by content:     visual_overlay_analysis -> On-screen text; speech_analysis -> Speech;
//                      person_framing, emotional_journey -> People; scene_pacing -> Pacing;
//                      creative_density -> Pacing, except its per-element counts and shares of
//                      text (On-screen text) and of facial expressions and gestures (People);
//                      temporal_windows by the column's key: overlay / captions -> On-screen
//                      text; people, faces, gaze, gestures, expressions, emotions -> People;
//                      speech, words, greetings, questions, instructions, loudness, pitch ->
//                      Speech; cuts, shots, objects, busiest / quietest second -> Pacing.
//   6. Other           a column the catalog does not know and whose flow says nothing (an older
//                      dataset); no creative catalog element falls here (only the analysis
//                      bookkeeping flag video.flow_present:temporal_windows, never tested).
// An element's part `cta` (the last third, the end) places it in the shot list's finish; it is
// themed by what it is, so "end with less on-screen text" is On-screen text, not Call to action.
//
// Which 10: the qualifying elements are ranked (STRONG before MODERATE, then lower q, then
// larger |lift|); the best of each theme are taken first, then each theme's second best, and so
// on, so the list covers as many themes as the evidence allows before a theme repeats. The list
// is then shown in the overall ranking order; weaker evidence never pads it.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/feature_info.h"
#include "core/json.h"
#include "report/report_inputs.h"

namespace rumi::report {

inline constexpr int kStrategiesPerHashtag = 10;
inline constexpr int kBilloTestVideos = 3;
inline constexpr int kBilloControlVideos = 2;
// What a decisive test needs, as the briefs quote it: the lift `rumi validate create` plans for,
// in percent, and the videos per arm it plans at the real export's typical spread of log ER
// (validate/test_statistics.h computes both; the bucket's own spread may ask for more or fewer).
int planned_lift_percent();
int typical_videos_per_arm();

enum class StrategyTheme { hook, pacing, on_screen_text, people, speech, call_to_action, length, posting, other };
// The eight themes in the order the header lists them (Other excluded).
inline constexpr std::array<StrategyTheme, 8> kStrategyThemes = {
    StrategyTheme::hook,   StrategyTheme::pacing,         StrategyTheme::on_screen_text, StrategyTheme::people,
    StrategyTheme::speech, StrategyTheme::call_to_action, StrategyTheme::length,         StrategyTheme::posting};
std::string_view strategy_theme_name(StrategyTheme t);  // "On-screen text": the title's first words
std::string_view strategy_theme_id(StrategyTheme t);    // "on_screen_text": the JSON's `theme`
// The theme of a catalog entry (or of describe_column's entry for an unknown column), by the
// rules above.
StrategyTheme strategy_theme(const FeatureInfo& f);
// The theme of a pattern's element (its representative column's entry).
StrategyTheme strategy_theme(const Pattern& p);
// What the element is about, from its flow alone (the rules above without the length, posting,
// call-to-action and hook moments): the first text's timing is about on-screen text. The
// "no such finding yet" line counts a theme as covered by either.
StrategyTheme subject_theme(const FeatureInfo& f);

// The held-out check: the cross-fitted lift was measured and is above zero, so the favoured side
// (the way a strategy tells the creator to go) did better on held-out videos.
bool holds_on_held_out(const Pattern& p);
// The reasons an evidence-backed element is held back from the strategies, as the "What we need
// to learn next" page says them.
inline constexpr std::string_view kDidNotHoldUp = "did not hold up on held-out videos";
inline constexpr std::string_view kLiftNotMeasurable =
    "its engagement could not be compared on held-out videos (nearly all of them fall on one side)";
inline constexpr std::string_view kContradictsStronger =
    "points the opposite way to a better-evidenced finding for the same element in this bucket";
// Whether one pattern on its own fails the held-out check: kDidNotHoldUp, kLiftNotMeasurable, or
// "" when it holds (kContradictsStronger needs the bucket: build_strategies decides it).
std::string_view strategy_hold_back_reason(const Pattern& p);

enum class StrategyFormat { recipe, pattern, comparative, element_checklist, narrative };
std::string_view strategy_format_name(StrategyFormat f);

struct Strategy {
  int rank = 0;    // 1-based
  std::string id;  // "strategy_01"
  // The title the reader sees: "<Theme>: <what to do> (<length> videos)", e.g. "Hook: Put the
  // first text on screen within 1 s (up to 15-second videos)", the instruction as the shot list
  // words it (report/shot_list.h). Reports print it as it is.
  std::string title;
  StrategyTheme theme{};
  StrategyFormat format{};  // how the body is written (recipe, pattern, A vs B, checklist, arc)
  Bucket bucket{};
  Pattern primary;
  std::vector<Pattern> supporting;
  bool exploratory = false;  // from an exploratory bucket (20-29 videos)
  std::optional<double> bucket_avg_er;
  std::vector<std::string> example_urls;
  int bucket_sample_size = 0;
  int family_size = 0;             // elements tested in the bucket (for the q-value's meaning)
  PatternValidations validations;  // test results of this strategy's patterns only
  // Every pattern of the strategy is proven by controlled tests: only then does it go to
  // affiliates (Affiliate_Creative_Brief_*).
  bool proven = false;
};

// An evidence-backed element kept out of the strategies, for "What we need to learn next".
struct HeldBackElement {
  Bucket bucket{};
  Pattern pattern;
  std::string reason;  // kDidNotHoldUp, kLiftNotMeasurable or kContradictsStronger
};

struct StrategySet {
  std::vector<Strategy> strategies;
  // Why fewer than 10, in plain words: how many findings qualified, which themes have none, what
  // was held back and why, which buckets had too few videos. Empty when 10.
  std::string shortfall;
  // STRONG / MODERATE elements that did not hold up or contradicted a stronger one, in bucket
  // order then the bucket's own order; they belong with the hypotheses under "What we need to
  // learn next", never in a brief.
  std::vector<HeldBackElement> learn_next;
};

// One bucket's share of StrategySet::learn_next (the same elements and reasons, in the same
// order), for the guides and the "What we need to learn next" page, which work bucket by bucket.
std::vector<HeldBackElement> held_back_in(const BucketInputs& b);

// "Text on screen in the first 3 seconds (up to 15-second videos): did not hold up on held-out
// videos (engagement lift -3 %, 95 % range -54 % to +56 %)." One line per held-back element.
std::string held_back_line(const HeldBackElement& h);

StrategySet build_strategies(const HashtagInputs& in);

// Steps for the brief, second by second ("0-3s: ...").
std::vector<std::string> strategy_steps(const Strategy& s);
// What to do about one element, in the words the shot list uses (report/shot_list.h
// shot_instruction, for the bucket's planned length), so strategies, guides and briefs word a
// target one way: "Put the first text on screen within 1 s", "Cut to a new shot every 2-3 s".
// `target` (optional) gets the measured values behind a rate ("top videos: about 8 on-screen
// elements per second; others 4"), "" otherwise. An element with no filmable instruction on its
// favoured side: "Make videos that <the finding's predicate>".
std::string strategy_action(const Pattern& p, Bucket b, std::string* target = nullptr);
std::string strategy_test_plan(const Strategy& s);
std::string strategy_success_metric(const Strategy& s);

Json strategy_json(const Strategy& s, std::string_view hashtag);
std::string strategy_markdown(const Strategy& s, std::string_view hashtag);

}  // namespace rumi::report
