#include "core/workspace.h"

#include <cstdlib>

#include "core/error.h"
#include "core/slug.h"

namespace rumi {
namespace fs = std::filesystem;

namespace {
void require_slug(std::string_view slug) {
  if (!is_valid_slug(slug)) throw UsageError("invalid slug '" + std::string(slug.substr(0, 80)) + "'");
}
}  // namespace

Workspace Workspace::resolve(const std::optional<std::string>& cli_option) {
  if (cli_option && !cli_option->empty()) return Workspace(*cli_option);
  if (const char* env = std::getenv("RUMI_WORKSPACE"); env && *env) return Workspace(env);
  return Workspace("rumi-workspace");
}

Workspace::Workspace(fs::path root) : root_(fs::absolute(std::move(root)).lexically_normal()) {
  if (!root_.has_filename() && root_.has_parent_path() && root_ != root_.root_path()) root_ = root_.parent_path();
}

bool Workspace::exists() const { return fs::exists(db_path()); }

fs::path Workspace::client_dir(std::string_view c) const {
  require_slug(c);
  return root_ / "MLAnalysis" / std::string(c);
}

fs::path Workspace::hashtag_dir(std::string_view c, std::string_view h) const {
  require_slug(h);
  return client_dir(c) / std::string(h);
}

fs::path Workspace::acquisition_dir(std::string_view c, std::string_view h) const {
  return hashtag_dir(c, h) / "acquisition";
}

fs::path Workspace::bucket_dir(std::string_view c, std::string_view h, Bucket b) const {
  return bucket_files(hashtag_dir(c, h), b).dir;
}

fs::path Workspace::videos_dir(std::string_view c, std::string_view h, Bucket b) const {
  return bucket_files(hashtag_dir(c, h), b).videos;
}

BucketFiles bucket_files(const fs::path& hashtag_dir, std::string_view bucket_name) {
  BucketFiles f;
  std::string dir(kBucketDirPrefix);
  dir += bucket_name;
  f.dir = hashtag_dir / dir;
  f.videos = f.dir / "videos";
  f.features = f.dir / kFeaturesFileName;
  std::string model(kModelFilePrefix), patterns(kPatternsFilePrefix);
  model += bucket_name;
  model += ".json";
  patterns += bucket_name;
  patterns += ".json";
  f.model = f.dir / model;
  f.patterns = f.dir / patterns;
  f.performance = f.dir / kPerformanceFileName;
  return f;
}

BucketFiles bucket_files(const fs::path& hashtag_dir, Bucket b) { return bucket_files(hashtag_dir, bucket_name(b)); }

fs::path BucketFiles::analysis(std::string_view video_id) const {
  std::string name(video_id);
  name += "_analysis.json";
  return videos / name;
}

bool is_bucket_dir_name(std::string_view filename) { return filename.starts_with(kBucketDirPrefix); }

fs::path Workspace::reports_dir(std::string_view c, std::string_view h, std::string_view date) const {
  for (char ch : date)
    if (!((ch >= '0' && ch <= '9') || ch == '-')) throw UsageError("invalid report date '" + std::string(date) + "'");
  return hashtag_dir(c, h) / "reports" / std::string(date);
}

fs::path Workspace::checkpoints_dir(std::string_view c, std::string_view h) const {
  return hashtag_dir(c, h) / "checkpoints";
}

fs::path Workspace::runs_dir(std::string_view c, std::string_view h) const { return hashtag_dir(c, h) / "runs"; }

fs::path Workspace::public_hashtag_dir(std::string_view h) const {
  require_slug(h);
  return public_dir() / "hashtags" / std::string(h);
}

fs::path Workspace::contain(const fs::path& p) const {
  fs::path abs = fs::absolute(p).lexically_normal();
  auto [root_end, _] = std::mismatch(root_.begin(), root_.end(), abs.begin(), abs.end());
  if (root_end != root_.end()) throw UsageError("path '" + p.string() + "' is outside the workspace " + root_.string());
  return abs;
}

}  // namespace rumi
