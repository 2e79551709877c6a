// The native demo's plan (pipeline/native_demo.h) on its own, without ffmpeg; the demo itself,
// through the real binary, is tests/e2e/native_demo_cli_test.cc.
#include <gtest/gtest.h>

#include <set>

#include "core/json.h"
#include "pipeline/native_demo.h"

namespace rumi {
namespace {

// The plan's own rules, checked without ffmpeg: every video lands in 0-15s, the caption ends
// before the video does, shots sum to the duration, ids are unique, every ER clears the selection floor.
TEST(NativeDemoPlan, VideosFitTheBucketAndTheirOwnLength) {
  const auto plan = pipeline::plan_native_demo(7, 60);
  ASSERT_EQ(plan.videos.size(), 60u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < plan.videos.size(); ++i) {
    const auto& v = plan.videos[i];
    ids.insert(v.id);
    EXPECT_GE(v.duration_s, 6);
    EXPECT_LE(v.duration_s, 12);
    double sum = 0;
    for (double s : v.shot_lengths) {
      EXPECT_GE(s, 0.95);
      sum += s;
    }
    EXPECT_NEAR(sum, v.duration_s, 1e-9);
    EXPECT_LE(v.text_onset_s + 3.0, v.duration_s + 1e-9);
    const Json& item = plan.items[i];
    EXPECT_EQ(item["id"], v.id);
    const double er =
        100.0 *
        (item["diggCount"].get<double>() + item["commentCount"].get<double>() + item["shareCount"].get<double>()) /
        item["playCount"].get<double>();
    EXPECT_GT(er, 2.0) << item.dump();
  }
  EXPECT_EQ(ids.size(), 60u);
}

}  // namespace
}  // namespace rumi
