#include "pipeline/stage_cache.h"

#include <algorithm>

#include "core/file_io.h"
#include "core/log.h"
#include "core/sha256.h"
#include "pipeline/versions.h"

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

namespace {

constexpr std::string_view kEntryFormat = "rumi-stage-result";
constexpr int kEntryFormatVersion = 1;

// An entry's paths come from our own store(), but the file is on disk: refuse anything that
// could write outside the hashtag folder.
bool safe_relative(const fs::path& p) {
  if (p.empty() || p.is_absolute() || p.has_root_name()) return false;
  for (const auto& part : p)
    if (part == ".." || part == ".") return false;
  return true;
}

// The entry's files, checked; nullopt when any check fails.
std::optional<Json> checked_entry(const fs::path& file, std::string_view stage, std::string_view key) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  const Json j = read_json_file(file);
  if (!j.is_object() || j.value("format", "") != kEntryFormat || j.value("format_version", 0) != kEntryFormatVersion ||
      j.value("stage", "") != stage || j.value("key", "") != key || !j.contains("files") || !j["files"].is_array())
    return std::nullopt;
  for (const auto& f : j["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !safe_relative(f["path"].get<std::string>()))
      return std::nullopt;
    if (f.value("absent", false)) continue;
    if (!f.contains("content") || !f["content"].is_string() || !f.contains("sha256")) return std::nullopt;
    if (sha256_hex(f["content"].get_ref<const std::string&>()) != f.value("sha256", "")) return std::nullopt;
  }
  return j;
}

}  // namespace

SharedStageResults::SharedStageResults(fs::path root) : root_(std::move(root)) {}

std::string SharedStageResults::key(std::string_view stage, std::string_view input_hash) {
  InputHasher h;
  h.add("stage", stage).add("inputs", input_hash).add("rumi", rumi_version_string());
  h.add("entry_format", std::to_string(kEntryFormatVersion));
  return h.digest();
}

fs::path SharedStageResults::entry_path(std::string_view stage, std::string_view key) const {
  return root_ / std::string(stage) / (std::string(key) + ".json");
}

std::optional<Json> SharedStageResults::restore(std::string_view stage, std::string_view key,
                                                const fs::path& dir) const {
  std::optional<Json> entry;
  try {
    entry = checked_entry(entry_path(stage, key), stage, key);
  } catch (const std::exception& e) {
    spdlog::warn("shared {} result {} unreadable, computing instead: {}", stage, key.substr(0, 12), e.what());
    return std::nullopt;
  }
  if (!entry) return std::nullopt;
  AtomicWriteBatch batch;
  std::vector<fs::path> absent;
  for (const auto& f : (*entry)["files"]) {
    const fs::path target = dir / f["path"].get<std::string>();
    if (f.value("absent", false))
      absent.push_back(target);
    else
      batch.add(target, f["content"].get_ref<const std::string&>());
  }
  batch.commit();
  for (const auto& p : absent) {
    std::error_code ec;
    fs::remove(p, ec);
  }
  return entry->value("counts", Json::object());
}

void SharedStageResults::store(std::string_view stage, std::string_view key, const fs::path& dir,
                               const std::vector<std::string>& outputs, const Json& counts) const {
  try {
    Json files = Json::array();
    for (const auto& rel : outputs) {
      const fs::path p = dir / rel;
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) {
        files.push_back({{"path", rel}, {"absent", true}});
        continue;
      }
      std::string content = read_file(p);
      const std::string sha = sha256_hex(content);
      files.push_back({{"path", rel}, {"sha256", sha}, {"content", std::move(content)}});
    }
    const Json entry{{"format", kEntryFormat}, {"format_version", kEntryFormatVersion},
                     {"stage", stage},         {"key", key},
                     {"counts", counts},       {"files", std::move(files)}};
    const fs::path file = entry_path(stage, key);
    ensure_directory(file.parent_path());
    AtomicWriteBatch batch;
    batch.add(file, entry.dump());
    batch.commit();
  } catch (const std::exception& e) {
    spdlog::warn("{} result not shared (computing it again next time): {}", stage, e.what());
  }
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
  for (const auto& f : files)
    listing.append(f.lexically_relative(dir).string()).append(" ").append(sha256_file(f)).append("\n");
  return add(label, listing);
}

std::string InputHasher::digest() const { return sha256_hex(text_); }

}  // namespace rumi::pipeline
