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

  // Workspace-level runs (rumi run / demo) and logs.
  std::filesystem::path global_runs_dir() const { return root_ / "runs"; }

  // Throws UsageError if `p` (after normalization) is not inside the workspace root.
  std::filesystem::path contain(const std::filesystem::path& p) const;

 private:
  std::filesystem::path root_;
};

}  // namespace rumi
