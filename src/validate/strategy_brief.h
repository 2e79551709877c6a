#pragma once
// The creative brief a Billo test films: one of the report stage's strategies
// (reports/<date>/strategies/strategy_NN.json), reduced to the pattern conditions it asks the
// creator to implement. The strategy file is produced by another stage and may grow, so the
// reader only needs `patterns[].feature` and is tolerant about everything else.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace rumi::validate {

// One condition the test video should meet, e.g. "overlay density higher than the rest".
struct PatternCondition {
  std::string feature;
  std::string direction = "higher_is_better";
  std::optional<double> top_mean, rest_mean, lift;
  std::string evidence;
  std::string phrase;
};

struct StrategyBrief {
  int number = 0;
  std::string title;
  std::string bucket;
  std::filesystem::path file;
  Json document;  // the strategy exactly as read
  std::vector<PatternCondition> patterns;
};

Json to_json(const PatternCondition& c);
PatternCondition pattern_condition_from_json(const Json& j, std::string_view file, std::string_view record);
std::vector<PatternCondition> pattern_conditions_from_json(const Json& array, std::string_view file);

// The newest reports/<YYYY-MM-DD>/strategies/strategy_NN.json (also strategy_N.json) under the
// hashtag dir. UsageError (exit 2) naming where it looked when no report has that strategy.
std::filesystem::path find_strategy_file(const std::filesystem::path& hashtag_dir, int number);

// Parses a strategy document. InputError (exit 2) when it is not an object or has no pattern
// with a feature name: a brief without conditions cannot validate anything.
StrategyBrief read_strategy_brief(const std::filesystem::path& file, int number);

}  // namespace rumi::validate
