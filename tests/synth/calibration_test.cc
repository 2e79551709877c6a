// Calibration of the evidence engine (stats/calibration.h, docs/evidence.md) on replicate
// buckets from a pure-noise feature pool with the real schema's types and correlations:
//   * pure noise at n = 30, 50, 100 (200 replicates each): at most 18 of 200 buckets with any
//     STRONG/MODERATE element (the 99th percentile of Binomial(200, 0.05));
//   * planted effects of realistic size: rumi's power is not below plain Spearman + BH on the
//     same replicates by more than 2 paired standard errors, and the false-discovery rate
//     (mean share of false STRONG/MODERATE elements per bucket) is <= 10 %.
// The full n x rho table with 200 replicates per cell is bench/calibration_table.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "acquire/importers.h"
#include "core/bucket.h"
#include "features/feature_catalog.h"
#include "stats/calibration.h"
#include "support/test_support.h"
#include "synth/calibration_pool.h"

namespace rumi {
namespace {

struct Pool {
  Dataset data;
  Pool() {
    test::TempDir tmp;
    data = synth::null_feature_pool(3000, 7, tmp / "pool");
  }
};

const Pool& pool() {
  static const Pool p;
  return p;
}

stats::CalibrationOptions options() {
  stats::CalibrationOptions opt;
  opt.planted_columns = {"overlay.timeToFirstOverlay", "density.avgDensity", "speech.wordsPerMinute",
                         "framing.faceVisibilityRate", "density.structuralFlags.strongOpeningHook"};
  opt.patterns.elements.known_duplicates = features::known_duplicate_columns();
  opt.patterns.elements.not_creative = features::non_creative_columns();
  opt.patterns.confirm_out_of_sample = false;  // does not change the STRONG + MODERATE set
  opt.patterns.effect_sizes = false;
  return opt;
}

TEST(Calibration, PureNoiseBucketsRarelyShowAnyPattern) {
  for (std::size_t n : {30u, 50u, 100u}) {
    const auto t =
        stats::run_calibration_cell(pool().data, features::feature_catalog().features, {n, 0.0, 200}, options());
    std::printf("noise n=%zu: %d of 200 buckets with a STRONG/MODERATE element (plain Spearman + BH: %d)\n", n,
                t.buckets_with_claim, t.plain_buckets_with_claim);
    EXPECT_LE(t.buckets_with_claim, 18) << "n = " << n;
    EXPECT_EQ(t.claims, t.false_claims);  // nothing is planted, so every claim is false
  }
}

TEST(Calibration, PlantedEffectsAreFoundAsOftenAsPlainSpearmanBh) {
  for (const auto& [n, rho] : {std::pair<std::size_t, double>{50, 0.5}, {100, 0.5}, {100, 0.4}}) {
    const auto t =
        stats::run_calibration_cell(pool().data, features::feature_catalog().features, {n, rho, 80}, options());
    std::printf("planted n=%zu rho=%.1f: power rumi %.3f, plain %.3f (paired SE %.3f), FDR %.3f, %d/%d false\n", n, rho,
                t.rumi_power(), t.plain_power(), t.paired_se(), t.fdr(), t.false_claims, t.claims);
    EXPECT_GE(t.rumi_power(), t.plain_power() - 2 * t.paired_se() - 1e-9) << n << " " << rho;
    EXPECT_LE(t.fdr(), 0.10) << n << " " << rho;
    EXPECT_GT(t.rumi_power(), n >= 100 ? 0.5 : 0.25);  // the harness itself can find effects
  }
}

// The real Apify export, analysed by the native metadata analyzer, with ER permuted within each
// duration bucket: the real caption and posting features (types, correlations, missing values)
// and the real ER distribution, with no link between them.
TEST(Calibration, RealExportWithShuffledErRarelyShowsAnyPattern) {
  const auto csv = test::shared_dir() / "tiktok_datasets" / "apify_clockworks_hashtag_export_2025.csv";
  if (!std::filesystem::exists(csv)) GTEST_SKIP() << "needs " << csv << " (../shared absent)";
  const auto batch = acquire::import_file(csv, acquire::ImportOptions{});
  std::vector<Video> bucket_videos;
  for (const Video& v : batch.videos) {
    Bucket b{};
    if (classify_duration(v.duration_s, &b) == DurationVerdict::ok && b == Bucket::s0_15) bucket_videos.push_back(v);
  }
  const Dataset real = synth::metadata_feature_pool(bucket_videos);
  ASSERT_GE(real.rows(), 400u);  // 491 eligible 0-15 s videos in this export
  stats::CalibrationOptions opt = options();
  opt.shuffle_pool_er = true;
  for (std::size_t n : {30u, 50u, 100u}) {
    const auto t = stats::run_calibration_cell(real, features::feature_catalog().features, {n, 0.0, 200}, opt);
    std::printf("real export 0-15s, ER shuffled, n=%zu: %d of 200 buckets with a STRONG/MODERATE element (plain: %d)\n",
                n, t.buckets_with_claim, t.plain_buckets_with_claim);
    EXPECT_LE(t.buckets_with_claim, 18) << "n = " << n;
  }
}

}  // namespace
}  // namespace rumi
