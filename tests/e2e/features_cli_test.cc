// The real binary: rumi features --catalog and rumi synth.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/json.h"
#include "features/feature_catalog.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

using namespace rumi;

TEST(FeaturesCli, CatalogAsJsonAndTable) {
  auto r = test::run_rumi({"--json", "features", "--catalog"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  const auto& cat = features::feature_catalog();
  EXPECT_EQ(j["version"], cat.version);
  EXPECT_EQ(j["sha256"], cat.sha256);
  ASSERT_EQ(j["features"].size(), cat.size());
  EXPECT_EQ(j["features"][0]["name"], cat.features[0].name);
  for (const auto& f : j["features"])
    for (const char* k : {"name", "source", "kind", "phrase"}) EXPECT_TRUE(f[k].is_string());
  auto t = test::run_rumi({"features", "--catalog"});
  ASSERT_EQ(t.exit_code, 0);
  EXPECT_NE(t.out.find("overlay.timeToFirstOverlay.hook_3s"), std::string::npos);
  EXPECT_NE(t.out.find("text overlays in the first 3 seconds"), std::string::npos);
  EXPECT_EQ(test::run_rumi({"features"}).exit_code, 2);
}

TEST(FeaturesCli, SynthWritesTheSameBytesAsTheLibraryContract) {
  test::TempDir dir;
  auto r = test::run_rumi(
      {"--json", "synth", "--videos", "12", "--out", (dir / "a").string(), "--seed", "5", "--mix", "1,0,0,0,1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["videos"], 12);
  EXPECT_EQ(j["per_bucket"]["16-30s"], 0);
  EXPECT_EQ(j["per_bucket"]["0-15s"].get<int>() + j["per_bucket"]["91-120s"].get<int>(), 12);
  auto r2 =
      test::run_rumi({"synth", "--videos", "12", "--out", (dir / "b").string(), "--seed", "5", "--mix", "1,0,0,0,1"});
  ASSERT_EQ(r2.exit_code, 0);
  EXPECT_EQ(read_file(dir / "a" / "apify_items.json"), read_file(dir / "b" / "apify_items.json"));
  EXPECT_EQ(test::run_rumi({"synth", "--videos", "-1", "--out", (dir / "c").string()}).exit_code, 2);
  EXPECT_EQ(test::run_rumi({"synth", "--videos", "3", "--out", (dir / "c").string(), "--mix", "0,0,0,0,0"}).exit_code,
            2);
}
