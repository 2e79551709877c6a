// `rumi patterns CLIENT HASHTAG` end to end through the real binary.
#include <gtest/gtest.h>

#include <string>

#include "core/dataset.h"
#include "core/json.h"
#include "core/rng.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi::insights {
namespace {

TEST(PatternsCli, WritesPatternsAndBucketReport) {
  test::TempDir tmp;
  const std::string ws = (tmp / "ws").string();
  auto rumi = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", ws});
    return test::run_rumi(args);
  };
  ASSERT_EQ(rumi({"init"}).exit_code, 0);
  ASSERT_EQ(rumi({"client", "add", "Acme Foods"}).exit_code, 0);
  ASSERT_EQ(rumi({"hashtag", "add", "Acme Foods", "#nutrition"}).exit_code, 0);
  // No features yet: exit 3 (not enough data).
  EXPECT_EQ(rumi({"patterns", "Acme Foods", "#nutrition"}).exit_code, 3);
  EXPECT_EQ(rumi({"patterns", "Acme Foods", "#nutrition", "--correction", "nope"}).exit_code, 2);

  Dataset d;
  d.feature_names = {"some.unknown_feature"};
  Rng rng = make_rng(3, "cli");
  for (int r = 0; r < 40; ++r) {
    const double er = 2 + 5 * uniform01(rng);
    const double row[] = {er * 2 + uniform01(rng)};
    std::string id = "v";  // appended: GCC 12 reports a false -Wrestrict on "v" + std::to_string
    id += std::to_string(r);
    d.add_row(id, 1.0, er, row);
  }
  const auto hashtag_dir = tmp / "ws" / "MLAnalysis" / "acme-foods" / "nutrition";
  write_dataset_csv(hashtag_dir / "bucket_0-15s" / "features.csv", d);
  const auto res = rumi({"--json", "patterns", "Acme Foods", "#nutrition", "--seed", "7", "--correction", "holm"});
  ASSERT_EQ(res.exit_code, 0) << res.err;
  const Json j = Json::parse(res.out);
  ASSERT_EQ(j["buckets"].size(), 1u);
  EXPECT_EQ(j["correction"], "holm");
  const Json patterns = read_json_file(j["buckets"][0]["file"].get<std::string>());
  EXPECT_EQ(patterns["format"], "rumi-patterns");
  EXPECT_EQ(patterns["family"]["correction"], "holm");
  EXPECT_EQ(patterns["format_version"], 2);
  EXPECT_GT(patterns["family"]["size"].get<int>(), 0);
  const Json report = read_json_file(j["bucket_performance_report"].get<std::string>());
  EXPECT_EQ(report["bucket_performance_ranking"].size(), 1u);
  EXPECT_EQ(report["content_allocation_total"], 100);
}

}  // namespace
}  // namespace rumi::insights
