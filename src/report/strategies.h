#pragma once
// Up to 10 creative strategies per hashtag, best evidence first across buckets. Each strategy is
// built around one measured pattern (plus up to two supporting patterns from the same bucket),
// written in one of the seed's formats, with a Billo pilot (3 test + 2 control videos, sized for real by `rumi validate create`) and a
// success metric. Only STRONG or MODERATE patterns (significant after correction) become a
// strategy or support one: a Billo brief is a paid test, and an EMERGING pattern is a hypothesis
// that belongs on the "What we need to learn next" page instead. With fewer qualifying patterns
// we write fewer strategies and say why; nothing is invented or padded. A catalog element with no
// filmable instruction for its favoured side (core/feature_info.h) is not briefed either.
#include <optional>
#include <string>
#include <vector>

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

enum class StrategyFormat { recipe, pattern, comparative, element_checklist, narrative };
std::string_view strategy_format_name(StrategyFormat f);

struct Strategy {
  int rank = 0;  // 1-based
  std::string id;     // "strategy_01"
  std::string title;
  StrategyFormat format{};
  Bucket bucket{};
  Pattern primary;
  std::vector<Pattern> supporting;
  bool exploratory = false;  // from an exploratory bucket (20-29 videos)
  std::optional<double> bucket_avg_er;
  std::vector<std::string> example_urls;
  int bucket_sample_size = 0;
  int family_size = 0;  // elements tested in the bucket (for the q-value's meaning)
  PatternValidations validations;  // test results of this strategy's patterns only
  // Every pattern of the strategy is proven by controlled tests: only then does it go to
  // affiliates (Affiliate_Creative_Brief_*).
  bool proven = false;
};

struct StrategySet {
  std::vector<Strategy> strategies;
  std::string shortfall;  // why fewer than 10, empty when 10
};

StrategySet build_strategies(const HashtagInputs& in);

// Steps for the brief, second by second ("0-3s: ...").
std::vector<std::string> strategy_steps(const Strategy& s);
// "Use more text overlays per second", "Leave out ...".
std::string strategy_action(const Pattern& p);
std::string strategy_test_plan(const Strategy& s);
std::string strategy_success_metric(const Strategy& s);

Json strategy_json(const Strategy& s, std::string_view hashtag);
std::string strategy_markdown(const Strategy& s, std::string_view hashtag);

}  // namespace rumi::report
