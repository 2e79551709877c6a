#include "pipeline/stage_cache.h"

#include <algorithm>

#include "core/sha256.h"

namespace rumi::pipeline {
namespace fs = std::filesystem;

StageCache::StageCache(fs::path hashtag_dir) : file_(std::move(hashtag_dir) / "runs" / "stage_state.json") {
  state_ = Json::object();
  std::error_code ec;
  if (fs::exists(file_, ec)) {
    try {
      state_ = read_json_file(file_);
      if (!state_.is_object()) state_ = Json::object();
    } catch (const std::exception&) {
      state_ = Json::object();  // unreadable state only costs a re-run
    }
  }
}

bool StageCache::up_to_date(std::string_view stage, std::string_view input_hash) const {
  auto it = state_.find(std::string(stage));
  return it != state_.end() && it->is_string() && it->get<std::string>() == input_hash;
}

void StageCache::record(std::string_view stage, std::string_view input_hash) {
  state_[std::string(stage)] = std::string(input_hash);
  write_json_atomic(file_, state_);
}

void StageCache::forget(std::string_view stage) {
  if (state_.erase(std::string(stage))) write_json_atomic(file_, state_);
}

InputHasher& InputHasher::add(std::string_view label, std::string_view value) {
  text_.append(label).append("=").append(sha256_hex(value)).append("\n");
  return *this;
}

InputHasher& InputHasher::add_file(std::string_view label, const fs::path& file) {
  std::error_code ec;
  return add(label, fs::is_regular_file(file, ec) ? sha256_file(file) : std::string("absent"));
}

InputHasher& InputHasher::add_tree(std::string_view label, const fs::path& dir, std::string_view suffix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return add(label, "absent");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    if (name.find(".tmp.") != std::string::npos) continue;  // an interrupted atomic write
    if (!suffix.empty() && !name.ends_with(suffix)) continue;
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const auto& f : files) listing.append(f.lexically_relative(dir).string()).append(" ").append(sha256_file(f)).append("\n");
  return add(label, listing);
}

std::string InputHasher::digest() const { return sha256_hex(text_); }

}  // namespace rumi::pipeline
