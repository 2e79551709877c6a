#pragma once
// The shot list of a Billo brief (page 2): what to film, second by second, built only from the
// bucket's measured elements (STRONG / MODERATE) and their filmable instructions in the feature
// catalog (FeatureInfo::say, core/feature_info.h).
//
// API (for pdf_reports.cc and the Markdown strategies):
//
//   const ShotList list = build_shot_list(Bucket::s16_30, strategy_patterns, features::feature_catalog(),
//                                         0, &brand);  // brand: for the call to action (optional)
//   for (const ShotSection& sec : list.sections)      // always hook, body, cta, in that order
//     "Hook (0-3 s)"  = sec.label + " (" + sec.timing + ")"
//     for (const Shot& shot : sec.shots)              // may be empty: sec.empty_note says what to do
//       "0-3 s  Put the first text on screen within 1 s  ★★★"
//          = shot.timing + "  " + shot.instruction + "  " + stars
//       shot.target                                   // "" or "top videos: about 8 on-screen elements
//                                                     //  per second; others 4" (print after the line)
//   list.posting                                      // caption / hashtag / posting-time lines (no timing)
//   list.length_s                                     // the video length the timings are planned for
//   list.not_for_creators                             // elements left out: no honest filmable instruction
//
// Rules (each one a complaint of issue 18):
//   * Timings fit the planned length, which lies inside the bucket (planned_length_s): hook = the
//     first 3 s (2 s for videos under 10 s), CTA = the last 3 s up to 30-s videos, 4 s up to 60 s,
//     5 s beyond; the body is everything in between. A 35-s video never gets a 20-s CTA.
//   * Each element goes to the part of the video its catalog phrase names (VideoPart): hook
//     items only ever in the hook, CTA items in the CTA; whole-video items (pace, face time) in
//     the body, timed "3-32 s" (the whole body). A timing element whose target falls in the hook
//     ("first text within 0.8 s") goes to the hook, else to the body or CTA at its target second
//     ("around second 9"). Caption, hashtag and posting-time elements go to `posting`.
//   * Every line is an imperative shot or edit instruction with its target from the top videos'
//     typical value, said as something a person can do on set or in the edit (shot_target, one
//     rule per unit, rounded the way people say it):
//       seconds (and a moment as a share of the video, turned into seconds of the planned length):
//         under 1 s -> "1 s"; under 10 s -> whole seconds when within a quarter second of one, else
//         the two seconds around it ("every 2-3 s"); an upper bound ("within", "under", "by")
//         rounds up to a whole second ("within 0.7 s" -> "within 1 s"); 10-30 s whole seconds,
//         beyond that the nearest 5 s.
//       rates (per second, per minute): nobody counts "8.1 per second". One every second or less
//         often -> how often ("about one every 2-3 s"); more than one a second -> no number in the
//         line (the instruction says what to keep on screen), and for every rate the measured
//         values go to `target`: "top videos: about 8 on-screen elements per second; others 4".
//       speaking pace (words per minute) -> the script it takes ("about 125 words in a 45-second
//         script"), the measured pace in `target`.
//       counts -> whole numbers, at least 1, the nearest 5 from 20 up; shares -> the nearest 10 %
//         (10-90 %), "at least" rounds down; caption characters -> the nearest 10; posting hour
//         and day as they are.
//       scores (an analyzer's 0-1 index) -> no number: nobody can aim for "0.62".
//     Elements whose favoured direction has no filmable instruction are listed in
//     `not_for_creators`, never as a shot.
//   * One line per ask. Elements fold into one line when they give the same instruction, when
//     they are summaries of the same measurement (same source) in the same part of the video and
//     the same sense, or when both are hook items of the same flow in the same sense (the hook is
//     3 seconds: "first text within 1 s" already says "text in the first 3 seconds"). Sense: more
//     of the thing, where a sooner timing counts as more. The line kept is the most specific one
//     (it has a measured target), else the strongest; `folded` names the others.
//   * The call to action: with the brand inputs given, the CTA part opens with the brand's own
//     words ("End with the call to action: “Tap the link to try Daily Greens.” Say it and put it
//     on screen in the last 3 seconds"), which folds in the measured asks it already covers ("End
//     with the call to action on screen"); a brand without one gets the same missing-input note
//     as the rest of the brief ("Not given yet: call to action. Ask ... before you film.").
//   * Patterns that are not STRONG or MODERATE are ignored (a brief is a paid test), and so are
//     patterns whose feature is not in the catalog. At most kMaxShotsPerSection lines per
//     section, strongest evidence first.
#include <string>
#include <vector>

#include "config/brand.h"
#include "core/bucket.h"
#include "core/element_instruction.h"
#include "core/pattern.h"
#include "features/feature_catalog.h"

namespace rumi::report {

inline constexpr std::size_t kMaxShotsPerSection = 4;

struct Shot {
  double from_s = 0, to_s = 0;      // when in the video (seconds of the planned length)
  std::string timing;               // "0-3 s", "around second 8", "3-32 s"; "" for posting lines
  std::string instruction;          // "Put the first text on screen within 1 s"
  std::string target;               // "" or the measured values behind a rate: "top videos: about 8 ..."
  std::string feature;              // the element's representative column ("" for the brand's CTA line)
  std::vector<std::string> folded;  // features whose instruction this line already gives
  Evidence evidence = Evidence::none;
};

struct ShotSection {
  std::string name;   // "hook" / "body" / "cta"
  std::string label;  // "Hook" / "Body" / "Call to action"
  double from_s = 0, to_s = 0;
  std::string timing;  // "0-3 s"
  std::vector<Shot> shots;
  std::string empty_note;  // when `shots` is empty: "No measured element for this part; ..."
};

struct ShotList {
  double length_s = 0;                        // planned video length
  std::vector<ShotSection> sections;          // hook, body, cta
  std::vector<Shot> posting;                  // caption, hashtags, posting time
  std::vector<std::string> not_for_creators;  // human names of measured elements left out
};

// A length inside the bucket that a creator can aim for: 0-15s -> 12, 16-30s -> 25, 31-60s ->
// 45, 61-90s -> 75, 91-120s -> 105.
double planned_length_s(Bucket b);

// `patterns`: the bucket's (or the strategy's) patterns; only STRONG / MODERATE ones are used.
// `length_s` > 0 plans for that length instead of planned_length_s(b). `brand`: the brand inputs,
// for the call to action; without them the CTA part asks for "your call to action".
ShotList build_shot_list(Bucket b, const std::vector<Pattern>& patterns, const features::FeatureCatalog& catalog,
                         double length_s = 0, const config::BrandInputs* brand = nullptr);

// The shot that gives `feature`'s instruction (its own line or one it was folded into), or null.
const Shot* find_shot(const ShotList& list, std::string_view feature);

// The hook / body / CTA bounds for a video of `length_s` seconds (rules above).
struct ShotFrame {
  double length_s = 0, hook_end = 3, cta_from = 0;
};
ShotFrame shot_frame(double length_s);
// Which section (0 hook, 1 body, 2 cta; 3 posting) an element goes to, by its VideoPart or, for
// a timing element of the whole video, by where its target moment `top_value` falls; `at_s` gets
// that moment in seconds (NaN when the element has none).
std::size_t section_for(const FeatureInfo& info, double top_value, const ShotFrame& frame, double* at_s);

// The list as Markdown lines ("- **Hook (0-3 s):** ..."), for strategies and tests.
std::string shot_list_markdown(const ShotList& list);

}  // namespace rumi::report
