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

// Hash helpers: order-independent where order carries no meaning, always content-based.
class InputHasher {
 public:
  InputHasher& add(std::string_view label, std::string_view value);
  InputHasher& add_file(std::string_view label, const std::filesystem::path& file);  // missing -> "absent"
  // Every regular file under dir (sorted relative paths + their sha256); missing dir -> "absent".
  InputHasher& add_tree(std::string_view label, const std::filesystem::path& dir,
                        std::string_view name_suffix = {});
  std::string digest() const;

 private:
  std::string text_;
};

}  // namespace rumi::pipeline
