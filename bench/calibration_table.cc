// The evidence engine's calibration table (docs/evidence.md): on replicate buckets drawn from a
// pure-noise feature pool (the synthetic generator with effects off, through the real feature
// extractor), how often rumi claims anything STRONG/MODERATE, and on planted effects of realistic
// size (Spearman rho 0.3 / 0.4 / 0.5 with ER) how often it finds them, beside plain per-bucket
// Spearman + Benjamini-Hochberg on the same replicates. Not a timed test: run it by hand.
//   calibration_table [replicates=200] [pool_videos=3000]
// RUMI_CALIBRATION_STRONG=1 also runs the out-of-sample confirmation, to count STRONG labels
// (it never changes the STRONG + MODERATE set the table counts; about 10x slower).
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "acquire/importers.h"
#include "core/bucket.h"
#include "features/feature_catalog.h"
#include "stats/calibration.h"
#include "synth/calibration_pool.h"

// The real Apify export (../shared), analysed by the native metadata analyzer, with ER permuted
// across the sampled videos of each replicate, per duration bucket with enough videos.
void real_export_noise(int replicates, rumi::stats::CalibrationOptions opt) {
  const char* env = std::getenv("RUMI_SHARED_DIR");
  const std::filesystem::path csv =
      std::filesystem::path(env ? env : "../shared") / "tiktok_datasets" / "apify_clockworks_hashtag_export_2025.csv";
  if (!std::filesystem::exists(csv)) {
    std::printf("real export: %s not found (set RUMI_SHARED_DIR); skipped\n", csv.c_str());
    return;
  }
  const auto batch = rumi::acquire::import_file(csv, rumi::acquire::ImportOptions{});
  opt.shuffle_pool_er = true;
  for (rumi::Bucket b : rumi::kAllBuckets) {
    std::vector<rumi::Video> in_bucket;
    for (const auto& v : batch.videos) {
      rumi::Bucket vb{};
      if (rumi::classify_duration(v.duration_s, &vb) == rumi::DurationVerdict::ok && vb == b) in_bucket.push_back(v);
    }
    const rumi::Dataset pool = rumi::synth::metadata_feature_pool(in_bucket);
    for (std::size_t n : {30, 50, 100}) {
      if (pool.rows() < 2 * n) continue;  // replicates would mostly repeat the same videos
      const auto t = rumi::stats::run_calibration_cell(pool, rumi::features::feature_catalog().features,
                                                       {n, 0.0, replicates}, opt);
      std::printf("real export %-7s ER shuffled (pool %4zu) n=%3zu | %4d/%-4d buckets with a claim | plain %4d/%-4d\n",
                  std::string(rumi::bucket_name(b)).c_str(), pool.rows(), n, t.buckets_with_claim, replicates,
                  t.plain_buckets_with_claim, replicates);
      std::fflush(stdout);
    }
  }
}

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const int replicates = argc > 1 ? std::atoi(argv[1]) : 200;
  const int pool_videos = argc > 2 ? std::atoi(argv[2]) : 3000;
  const fs::path scratch = fs::temp_directory_path() / ("rumi-calibration-" + std::to_string(::getpid()));
  const rumi::Dataset pool = rumi::synth::null_feature_pool(pool_videos, 7, scratch);
  fs::remove_all(scratch);
  const auto& catalog = rumi::features::feature_catalog();
  rumi::stats::CalibrationOptions opt;
  opt.planted_columns = {"overlay.timeToFirstOverlay", "density.avgDensity", "speech.wordsPerMinute",
                         "framing.faceVisibilityRate", "density.structuralFlags.strongOpeningHook"};
  opt.patterns.elements.known_duplicates = rumi::features::known_duplicate_columns();
  opt.patterns.elements.not_creative = rumi::features::non_creative_columns();
  opt.patterns.confirm_out_of_sample = std::getenv("RUMI_CALIBRATION_STRONG") != nullptr;
  opt.patterns.effect_sizes = false;
  std::printf("pool: %zu videos x %zu columns; %d replicates per cell\n", pool.rows(), pool.cols(), replicates);
  std::printf("%5s %5s | %-28s | %-28s | %s\n", "n", "rho", "rumi: buckets w/ claim, power",
              "plain S+BH: buckets, power", "paired diff (SE) | rumi claims: false/all, FDR | plain false cols");
  double power_sum_rumi = 0, power_sum_plain = 0;
  int planted_cells = 0;
  for (std::size_t n : {30, 50, 100}) {
    for (double rho : {0.0, 0.3, 0.4, 0.5}) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto t = rumi::stats::run_calibration_cell(pool, catalog.features, {n, rho, replicates}, opt);
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf(
          "%5zu %5.2f | %4d/%-4d  power %5.3f        | %4d/%-4d  power %5.3f        | %+.3f (%.3f) | %d/%d, %.3f | %d "
          "| strong %d  [%.1fs]\n",
          n, rho, t.buckets_with_claim, replicates, t.rumi_power(), t.plain_buckets_with_claim, replicates,
          t.plain_power(), t.rumi_power() - t.plain_power(), t.paired_se(), t.false_claims, t.claims, t.fdr(),
          t.plain_false_columns, t.strong_claims, secs);
      if (rho != 0) power_sum_rumi += t.rumi_power(), power_sum_plain += t.plain_power(), ++planted_cells;
      std::fflush(stdout);
    }
  }
  std::printf("mean power over planted cells: rumi %.3f, plain Spearman + BH %.3f\n", power_sum_rumi / planted_cells,
              power_sum_plain / planted_cells);
  real_export_noise(replicates, opt);
  return 0;
}
