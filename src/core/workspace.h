#pragma once
// The workspace folder layout (design "Workspace and output tree"). Every path that rumi writes
// is built here from validated slugs, and checked to stay inside the workspace root.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/bucket.h"

namespace rumi {

class Workspace {
 public:
  // --workspace, else $RUMI_WORKSPACE, else ./rumi-workspace.
  static Workspace resolve(const std::optional<std::string>& cli_option);
  explicit Workspace(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path db_path() const { return root_ / "rumi.db"; }
  bool exists() const;

  // Private layer, per client: MLAnalysis/<client>/<hashtag>/...
  std::filesystem::path client_dir(std::string_view client_slug) const;
  std::filesystem::path hashtag_dir(std::string_view client_slug, std::string_view hashtag_slug) const;
  std::filesystem::path acquisition_dir(std::string_view client_slug, std::string_view hashtag_slug) const;
  std::filesystem::path bucket_dir(std::string_view client_slug, std::string_view hashtag_slug, Bucket b) const;
  std::filesystem::path videos_dir(std::string_view client_slug, std::string_view hashtag_slug, Bucket b) const;
  std::filesystem::path reports_dir(std::string_view client_slug, std::string_view hashtag_slug,
                                    std::string_view date) const;
  std::filesystem::path checkpoints_dir(std::string_view client_slug, std::string_view hashtag_slug) const;
  std::filesystem::path runs_dir(std::string_view client_slug, std::string_view hashtag_slug) const;

  // Public layer, shared across clients, keyed by hashtag / video id only (never client names).
  std::filesystem::path public_dir() const { return root_ / "public"; }
  std::filesystem::path public_hashtag_dir(std::string_view hashtag_slug) const;
  std::filesystem::path public_analysis_dir() const { return public_dir() / "analyses"; }
  // Downloaded video files, <video_id>.mp4 (a cache with a retention: rumi gc --videos).
  std::filesystem::path public_videos_dir() const { return public_dir() / "videos"; }

  // Workspace-level runs (rumi run / demo) and logs.
  std::filesystem::path global_runs_dir() const { return root_ / "runs"; }

  // Throws UsageError if `p` (after normalization) is not inside the workspace root.
  std::filesystem::path contain(const std::filesystem::path& p) const;

 private:
  std::filesystem::path root_;
};

// The files of one bucket inside a hashtag folder (MLAnalysis/<client>/<hashtag>/bucket_<name>/):
// the one place their names are spelled. Stages that are handed a hashtag folder rather than a
// Workspace (features, train, patterns, report) build their paths here.
inline constexpr std::string_view kBucketDirPrefix = "bucket_";
inline constexpr std::string_view kModelFilePrefix = "model_";        // model_<bucket>.json
inline constexpr std::string_view kPatternsFilePrefix = "patterns_";  // patterns_<bucket>.json
inline constexpr std::string_view kFeaturesFileName = "features.csv";
inline constexpr std::string_view kPerformanceFileName = "performance_metrics.json";

struct BucketFiles {
  std::filesystem::path dir;          // bucket_<name>/
  std::filesystem::path videos;       // videos/: one <id>_analysis.json per analysed video
  std::filesystem::path features;     // features.csv
  std::filesystem::path model;        // model_<name>.json
  std::filesystem::path patterns;     // patterns_<name>.json
  std::filesystem::path performance;  // performance_metrics.json
  std::filesystem::path analysis(std::string_view video_id) const;  // videos/<id>_analysis.json
};
BucketFiles bucket_files(const std::filesystem::path& hashtag_dir, std::string_view bucket_name);
BucketFiles bucket_files(const std::filesystem::path& hashtag_dir, Bucket b);
// True for a bucket folder's name ("bucket_0-15s").
bool is_bucket_dir_name(std::string_view filename);

}  // namespace rumi
