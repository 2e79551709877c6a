// `rumi acquire` through the real binary: the import summary, --json, and exit codes on bad
// inputs (the library itself: tests/acquire/acquire_test.cc).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi::acquire {
namespace {

std::filesystem::path clockworks() {
  return test::shared_dir() / "tiktok_datasets" / "apify_clockworks_hashtag_export_2025.csv";
}

class AcquireCli : public ::testing::Test {
 protected:
  test::TempDir dir;
  test::CommandResult rumi(std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", (dir.path() / "ws").string()});
    return test::run_rumi(args);
  }
  void SetUp() override {
    write_file_atomic(dir / "c.yaml",
                      "clients:\n  - name: Stateside Grower\n    hashtags:\n      - name: \"#nutrition\"\n"
                      "        analysis_config: {videos_per_segment: 20}\n");
    ASSERT_EQ(rumi({"init"}).exit_code, 0);
    auto r = rumi({"config", "apply", (dir / "c.yaml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(AcquireCli, ImportSummaryAndExitCodes) {
  if (!std::filesystem::exists(clockworks())) GTEST_SKIP() << "real dataset " << clockworks() << " is absent";
  auto r = rumi({"acquire", "Stateside Grower", "#nutrition", "--import", clockworks().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("952 unique videos"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("91-120s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("eligible"), std::string::npos) << r.out;
  auto j = rumi({"--json", "acquire", "stateside-grower", "nutrition", "--import", clockworks().string()});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  Json out = Json::parse(j.out);
  EXPECT_EQ(out["unique_videos"], 952);
  EXPECT_EQ(out["buckets"]["0-15s"]["selected"], 20);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "ws" / "MLAnalysis" / "stateside-grower" / "nutrition" /
                                      "acquisition" / "selection.json"));
}

TEST_F(AcquireCli, BadInputsExitTwo) {
  write_file_atomic(dir / "trunc.json", R"([{"id":"1","playCount":)");
  auto r = rumi({"acquire", "Stateside Grower", "#nutrition", "--import", (dir / "trunc.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("trunc.json"), std::string::npos) << r.err;
  write_file_atomic(dir / "empty.csv", "");
  EXPECT_EQ(rumi({"acquire", "Stateside Grower", "#nutrition", "--import", (dir / "empty.csv").string()}).exit_code, 2);
  EXPECT_EQ(rumi({"acquire", "Stateside Grower", "#nutrition"}).exit_code, 2);
  EXPECT_EQ(rumi({"acquire", "Nobody", "#nutrition", "--import", (dir / "trunc.json").string()}).exit_code, 2);
  EXPECT_EQ(
      rumi({"acquire", "Stateside Grower", "#nutrition", "--import", (dir / "trunc.json").string(), "--format", "xml"})
          .exit_code,
      2);
  EXPECT_EQ(rumi({"acquire", "Stateside Grower", "#nutrition", "--import", (dir / "missing.json").string()}).exit_code,
            2);
}

}  // namespace
}  // namespace rumi::acquire
