#pragma once
// The train stage: per duration bucket, cross-validate and fit the ensemble (forest, tree, ridge,
// k-means, optional boosting), measure importance three ways, build the consensus, and write
// model_<bucket>.json and performance_metrics.json next to the bucket's features.csv.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset.h"
#include "core/json.h"
#include "core/pattern.h"
#include "core/rng.h"
#include "ml/trained_model.h"

namespace rumi::ml {

// The clustering vote in the consensus counts only from a highest-ER cluster of this many videos.
inline constexpr int kMinVotingCluster = 5;

struct TrainOptions {
  std::uint64_t seed = kDefaultSeed;
  std::string schema_version;             // feature schema version; empty -> "unversioned"
  std::string schema_sha256;              // sha256 of the names joined by '\n'; checked against the csv header when set
  std::optional<std::string> trained_at;  // written as given; null when absent (keeps reruns byte-identical)
  int clustering_k = 0;                   // 0 = choose by silhouette over 2..6
  bool gradient_boosting = false;
  int nthread = 2;
  int forest_trees = 100;
  int bootstrap_repeats = 10;  // out-of-bag repeats for 20-29 videos
  std::size_t top_k = 10;      // "important" = among a model's top_k feature groups
};

struct BucketTrainResult {
  std::string bucket;
  int videos = 0;
  bool insufficient = false;
  bool exploratory = false;
  std::string scheme;
  double forest_r2 = 0, baseline_r2 = 0;
  std::vector<std::string> top_features;        // forest SHAP ranking (group representatives)
  std::vector<std::string> consensus_features;  // model-backed
  std::filesystem::path model_path;
};

struct TrainSummary {
  std::vector<BucketTrainResult> buckets;
};

// One call per phase: input checks, cross-validation, final fits, then importance and consensus.
// Throws NotEnoughDataError below kMinVideosForModel rows, InputError on NaN targets / bad weights
// or columns that do not match options.schema_sha256. model_to_json (ml/model_file.h) writes it.
TrainedModel train_bucket(const Dataset& data, std::string_view bucket, const TrainOptions& options);

// The one-line-per-bucket view of a trained model (model_path left empty).
BucketTrainResult train_summary(const TrainedModel& model);

// avg / median / std (ddof 1) / p90 ER and consistency 1/(1+CV) by core/bucket_population.h's
// describe_engagement, the bucket report's own numbers. They describe `eligible_er` (every
// eligible video of the bucket, from selection.json) when given, else the analysed rows.
// sample_size, insufficient and exploratory always follow the analysed rows: they are about
// the model.
BucketPerformance bucket_performance(const Dataset& data, std::string_view bucket, std::optional<double> cv_r2,
                                     const std::vector<double>* eligible_er = nullptr);

// Every bucket_<b>/features.csv under hashtag_dir (ER statistics from acquisition/selection.json's
// eligible list when it has one; performance_metrics.json then adds eligible_videos). Buckets under 20 videos get only
// performance_metrics.json (insufficient_data) and lose any stale model file.
TrainSummary train_hashtag(const std::filesystem::path& hashtag_dir, const TrainOptions& options);

}  // namespace rumi::ml
