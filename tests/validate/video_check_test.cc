// The implementation score's rule (validate/implementation_score.h) on its own; `rumi check-video` on real
// videos: tests/e2e/video_check_cli_test.cc.
#include <gtest/gtest.h>

#include <limits>
#include <span>
#include <vector>

#include "features/feature_catalog.h"
#include "validate/video_check.h"

namespace rumi {
namespace {

constexpr const char* kFirstText = "overlay.timeToFirstOverlay";
constexpr const char* kSceneChanges = "density.sceneChangeCount";

// The score's rule on its own: a known element without a value is left out of the score, an
// unknown element counts as missed, and a video with nothing measured has no score.
TEST(ImplementationScoreNotMeasured, LeavesUnmeasuredElementsOutOfTheScore) {
  const auto& catalog = features::feature_catalog();
  std::vector<double> values(catalog.size(), std::numeric_limits<double>::quiet_NaN());
  values[*catalog.index_of(kFirstText)] = 0.4;
  const std::vector<validate::PatternCondition> conds = {
      {kFirstText, "lower_is_better", 0.5, 4.5, 0.3, "", ""},      // 0.4 < 2.5: met
      {kSceneChanges, "higher_is_better", 5.0, 1.0, 0.3, "", ""},  // NaN: not measured
      {"no_such_feature", "higher_is_better", 1.0, 0.0, 0.2, "", ""}};
  const auto s = validate::score_implementation(conds, values);
  EXPECT_EQ(s.conditions, 3);
  EXPECT_EQ(s.met, 1);
  EXPECT_EQ(s.not_measured, 1);
  EXPECT_TRUE(s.scored);
  EXPECT_DOUBLE_EQ(s.score, 0.5);  // 1 met of the 2 that count
  EXPECT_FALSE(s.checks[1].measured);
  EXPECT_TRUE(s.checks[1].known_feature);
  EXPECT_FALSE(s.checks[2].known_feature);
  const auto none = validate::score_implementation(std::span(conds).subspan(1, 1), values);
  EXPECT_FALSE(none.scored);
  EXPECT_TRUE(validate::to_json(none)["score"].is_null());
}

}  // namespace
}  // namespace rumi
