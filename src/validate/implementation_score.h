#pragma once
// Did the creator actually film the pattern? A test video only tests the pattern if it meets the
// brief's conditions, so each delivered video's RumiAI analysis is scored against them:
// score = share of the brief's pattern conditions the video meets. A condition is met when the
// video's feature value lies on the winners' side of the midpoint between top_mean and
// rest_mean (for a flag without means: present / absent as the direction says). A feature the
// analysis does not measure (NaN) counts as not met, and is listed as such.
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
  bool met = false;
};

struct ImplementationScore {
  double score = 0;  // met / conditions, in [0, 1]
  int met = 0, conditions = 0;
  std::vector<ConditionCheck> checks;
};

bool condition_met(const PatternCondition& c, double value);

// `feature_values` in feature_catalog() order.
ImplementationScore score_implementation(std::span<const PatternCondition> conditions,
                                         std::span<const double> feature_values);
// Loads the analysis of `video_id` under `analysis_dir` (any RumiAI layout) and scores it.
ImplementationScore score_implementation_from_dir(std::span<const PatternCondition> conditions,
                                                  const std::filesystem::path& analysis_dir,
                                                  std::string_view video_id);

Json to_json(const ImplementationScore& s);

}  // namespace rumi::validate
