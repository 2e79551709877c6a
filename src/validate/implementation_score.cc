#include "validate/implementation_score.h"

#include <cmath>
#include <limits>

#include "features/analysis_reader.h"
#include "features/feature_catalog.h"

namespace rumi::validate {

bool condition_met(const PatternCondition& c, double value) {
  if (!std::isfinite(value)) return false;
  if (c.top_mean && c.rest_mean && *c.top_mean != *c.rest_mean) {
    const double mid = (*c.top_mean + *c.rest_mean) / 2.0;
    return *c.top_mean > *c.rest_mean ? value > mid : value < mid;
  }
  // No usable means (a flag, or equal means): the direction alone says which side wins.
  if (c.direction == "lower_is_better" || c.direction == "absent_is_better") return value <= 0;
  return value > 0;
}

ImplementationScore score_implementation(std::span<const PatternCondition> conditions,
                                         std::span<const double> feature_values) {
  const auto& catalog = features::feature_catalog();
  ImplementationScore s;
  for (const auto& c : conditions) {
    ConditionCheck check;
    check.feature = c.feature;
    check.value = std::numeric_limits<double>::quiet_NaN();
    if (auto idx = catalog.index_of(c.feature); idx && *idx < feature_values.size())
      check.value = feature_values[*idx];
    else
      check.known_feature = false;
    // Unknown features stay in the score as missed (the header says why); only a known element
    // without a value is "not measured".
    check.measured = check.known_feature && std::isfinite(check.value);
    check.met = condition_met(c, check.value);
    s.met += check.met ? 1 : 0;
    s.not_measured += check.known_feature && !check.measured ? 1 : 0;
    s.checks.push_back(std::move(check));
  }
  s.conditions = static_cast<int>(conditions.size());
  const int scored_conditions = s.conditions - s.not_measured;
  s.scored = scored_conditions > 0;
  s.score = s.scored ? static_cast<double>(s.met) / scored_conditions : 0.0;
  return s;
}

ImplementationScore score_implementation_from_dir(std::span<const PatternCondition> conditions,
                                                  const std::filesystem::path& analysis_dir,
                                                  std::string_view video_id) {
  const features::LoadedAnalysis a = features::load_analysis_from_dir(analysis_dir, video_id);
  const std::vector<double> values = features::extract_features(a, std::numeric_limits<double>::quiet_NaN());
  return score_implementation(conditions, values);
}

Json to_json(const ImplementationScore& s) {
  Json checks = Json::array();
  for (const auto& c : s.checks)
    checks.push_back({{"feature", c.feature},
                      {"value", json_number(c.value)},
                      {"known_feature", c.known_feature},
                      {"measured", c.measured},
                      {"met", c.met}});
  return Json{{"score", s.scored ? Json(s.score) : Json()},
              {"met", s.met},
              {"conditions", s.conditions},
              {"not_measured", s.not_measured},
              {"checks", checks}};
}

}  // namespace rumi::validate
