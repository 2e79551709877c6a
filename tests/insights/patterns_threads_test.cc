// The patterns stage runs buckets on several threads (insights/patterns_stage.h): the files it
// writes must be byte-identical for 1 and 2 threads and between runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "core/dataset.h"
#include "core/file_io.h"
#include "core/rng.h"
#include "insights/patterns_stage.h"
#include "support/test_support.h"

namespace rumi::insights {
namespace {

namespace fs = std::filesystem;

// ER follows x.flag and x.num, so the buckets have labelled elements with lift intervals.
Dataset bucket_data(std::size_t n, std::uint64_t seed) {
  Dataset d;
  d.feature_names = {"x.flag", "x.num", "x.noise"};
  Rng rng = make_rng(seed, "bucket");
  for (std::size_t r = 0; r < n; ++r) {
    const double er = 2.0 + 6.0 * uniform01(rng);
    const double row[] = {er > 5 ? 1.0 : 0.0, er * 2 + uniform01(rng), uniform01(rng)};
    std::string id = "v";
    id += std::to_string(r);
    d.add_row(id, 1.0, er, row);
  }
  return d;
}

fs::path make_hashtag(const fs::path& root) {
  const fs::path hashtag = root / "acme" / "nutrition";
  const char* buckets[] = {"0-15s", "16-30s", "31-60s", "61-90s", "91-120s"};
  for (int i = 0; i < 5; ++i) {
    std::string dir = "bucket_";
    dir += buckets[i];
    write_dataset_csv(hashtag / dir / "features.csv",
                      bucket_data(30 + 5 * static_cast<std::size_t>(i), 11 + static_cast<std::uint64_t>(i)));
  }
  return hashtag;
}

std::map<std::string, std::string> patterns_files(const fs::path& hashtag) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(hashtag))
    if (e.is_regular_file() && e.path().filename().string().rfind("patterns_", 0) == 0)
      out[fs::relative(e.path(), hashtag).string()] = read_file(e.path());
  return out;
}

TEST(PatternsStageThreads, SameFilesForOneAndTwoThreads) {
  test::TempDir tmp;
  const std::vector<FeatureInfo> info{{"x.flag", "s.flag", FeatureKind::flag, "a bold opening", ""},
                                      {"x.num", "s.num", FeatureKind::numeric, "scene changes", ""},
                                      {"x.noise", "s.noise", FeatureKind::numeric, "noise", ""}};
  stats::PatternOptions options;
  options.bootstrap_resamples = 200;
  std::map<std::string, std::string> runs[3];
  int labelled = 0;
  for (int run = 0; run < 3; ++run) {
    std::string name = "run";
    name += std::to_string(run);
    const fs::path hashtag = make_hashtag(tmp / name);
    const auto summary = run_patterns_stage(hashtag, info, options, "#nutrition", run == 0 ? 1 : 2);
    ASSERT_EQ(summary.buckets.size(), 5u);
    for (std::size_t i = 0; i < summary.buckets.size(); ++i) {
      EXPECT_EQ(summary.buckets[i].bucket, kAllBuckets[i]);  // bucket order, whatever finished first
      if (run == 0) labelled += summary.buckets[i].strong + summary.buckets[i].moderate + summary.buckets[i].emerging;
    }
    runs[run] = patterns_files(hashtag);
  }
  ASSERT_EQ(runs[0].size(), 5u);
  EXPECT_GT(labelled, 0);  // the lift bootstrap ran
  EXPECT_NE(runs[0].begin()->second.find("ci95_ratio"), std::string::npos);
  EXPECT_TRUE(runs[0] == runs[1]) << "1 vs 2 threads";
  EXPECT_TRUE(runs[1] == runs[2]) << "two runs with 2 threads";
}

}  // namespace
}  // namespace rumi::insights
