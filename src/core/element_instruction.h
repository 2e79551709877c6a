#pragma once
// How a creator is told to do one creative element, with a target they can act on: the one
// wording that the shot list, strategies, creative guides, briefs (report) and `rumi check-video`
// (validate) all use, so a target never reads "within 0.8 s" in one place and "within 1 s" in
// another. Targets are rounded to what a person can do on set or in the edit.
#include <string>

#include "core/feature_info.h"

namespace rumi {

// The line a shot list gives for one element and side, by the rules in report/shot_list.h, for a video of
// `length_s` seconds; "" when that side is not for creators. `target` (optional) gets the
// measured values behind a rate ("top videos: about 8 on-screen elements per second; others 4").
std::string shot_instruction(const FeatureInfo& info, bool more_side, double top_value, double rest_value,
                             double length_s, std::string* target = nullptr);
// The target in words a person can act on, by the element's unit (rules in report/shot_list.h): "1 s", "2-3 s",
// "one every 2-3 s", "60 %", "4"; "" when the value is no target (zero, not finite, a score).
// `upper_bound` / `lower_bound`: the instruction makes it a limit ("within", "under", "by" /
// "at least"), rounded the lenient way ("within 0.7 s" -> "within 1 s", "at least 86 %" -> "at
// least 80 %") so the top videos still meet it.
std::string shot_target(const FeatureInfo& info, double top_value, double length_s, bool upper_bound = false,
                        bool lower_bound = false);

// Whole seconds as a number, "4"; "n/a" when not finite.
std::string whole_seconds(double s);

}  // namespace rumi
