#pragma once
// Skip-if-unchanged for `rumi run`: every stage's inputs are reduced to one content hash; when
// the stored hash for that stage matches and its outputs still exist, the stage is skipped.
// The state lives next to the outputs it describes (hashtag dir), so deleting outputs or
// editing any input re-runs exactly the stages downstream of the change.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace rumi::pipeline {

class StageCache {
 public:
  explicit StageCache(std::filesystem::path hashtag_dir);

  bool up_to_date(std::string_view stage, std::string_view input_hash) const;
  // Records the stage as done for these inputs (atomic write of the state file).
  void record(std::string_view stage, std::string_view input_hash);
  void forget(std::string_view stage);

 private:
  std::filesystem::path file_;
  Json state_;
};

// Stage results shared across the workspace's clients: public/stage_results/<stage>/<key>.json,
// where key = sha256 of the stage name, its full input hash and the rumi version. A client whose
// stage inputs are byte-for-byte those of another client's gets that stage's output files copied
// instead of computed. Only stages whose files hold nothing private are shared (train and
// patterns: numbers, feature names, public video ids and the hashtag; no client, brand or path),
// and the key is a hash, so a client learns nothing it could not compute from its own inputs.
// One entry is one JSON file written atomically after the stage succeeded, holding every output
// file's bytes and sha256 (or "absent"); an entry that does not parse, names another stage or
// key, or whose bytes do not match their sha256 is never used.
class SharedStageResults {
 public:
  explicit SharedStageResults(std::filesystem::path root);  // e.g. ws.public_dir() / "stage_results"

  static std::string key(std::string_view stage, std::string_view input_hash);
  // Writes the entry's files under dir (one AtomicWriteBatch) and removes those it records as
  // absent; returns the counts the stage reported, or nullopt (nothing written) when there is no
  // complete entry for the key.
  std::optional<Json> restore(std::string_view stage, std::string_view key, const std::filesystem::path& dir) const;
  // Records `outputs` (paths relative to dir; a missing file is recorded as absent) and the
  // stage's counts. A failure to write costs only the reuse: it is logged, not thrown.
  void store(std::string_view stage, std::string_view key, const std::filesystem::path& dir,
             const std::vector<std::string>& outputs, const Json& counts) const;
  std::filesystem::path entry_path(std::string_view stage, std::string_view key) const;

 private:
  std::filesystem::path root_;
};

// Hash helpers: order-independent where order carries no meaning, always content-based.
class InputHasher {
 public:
  InputHasher& add(std::string_view label, std::string_view value);
  InputHasher& add_file(std::string_view label, const std::filesystem::path& file);  // missing -> "absent"
  // Every regular file under dir (sorted relative paths + their sha256); missing dir -> "absent".
  InputHasher& add_tree(std::string_view label, const std::filesystem::path& dir, std::string_view name_suffix = {});
  std::string digest() const;

 private:
  std::string text_;
};

}  // namespace rumi::pipeline
