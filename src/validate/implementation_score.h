#pragma once
// Did the creator actually film the pattern? A test video only tests the pattern if it meets the
// brief's conditions, so each delivered video's analysis (RumiAI's, or rumi's native analysis of
// the video file: validate/video_check.h) is scored against them. A condition is met when the
// video's feature value lies on the winners' side of the midpoint between top_mean and
// rest_mean (for a flag without means: present / absent as the direction says).
//
// Three outcomes per condition, and why:
// * met / missed: the analysis measured the element and it is on / off the winners' side.
// * not measured: the element is in the catalog but the analysis has no value for it (NaN, e.g.
//   gestures, which the native analyzer does not read). It says nothing about what the creator
//   filmed, so it is listed and left out of the score: counting it as missed would call a video
//   that did everything measurable "half implemented", and the per-protocol analysis
//   (score >= 0.7) would drop it for the analyzer's blind spot.
// * unknown feature: the brief names a column this version's catalog does not know (a brief
//   from another rumi version). It stays in the score as missed and is flagged, so the operator
//   sees that the brief and the analyzer disagree instead of a silently higher score.
// score = met / (conditions - not measured); a video with no measured condition has no score
// (`scored` false), which the store keeps as "unscored", never as 0.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "validate/strategy_brief.h"

namespace rumi::validate {

struct ConditionCheck {
  std::string feature;
  double value = 0;  // NaN when not measured / unknown feature
  bool known_feature = true;
  bool measured = true;  // known feature with a finite value
  bool met = false;
};

struct ImplementationScore {
  double score = 0;     // met / measured conditions, in [0, 1]; 0 when not scored
  bool scored = false;  // at least one condition was measured (or is an unknown feature)
  int met = 0, conditions = 0, not_measured = 0;
  std::vector<ConditionCheck> checks;
};

bool condition_met(const PatternCondition& c, double value);

// `feature_values` in feature_catalog() order.
ImplementationScore score_implementation(std::span<const PatternCondition> conditions,
                                         std::span<const double> feature_values);
// Loads the analysis of `video_id` under `analysis_dir` (any RumiAI layout) and scores it.
ImplementationScore score_implementation_from_dir(std::span<const PatternCondition> conditions,
                                                  const std::filesystem::path& analysis_dir, std::string_view video_id);

Json to_json(const ImplementationScore& s);

}  // namespace rumi::validate
