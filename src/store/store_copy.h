#pragma once
// `rumi store copy --from DIR --to postgresql://...`: moves an embedded workspace's store
// (DIR/rumi.db) into team mode's shared PostgreSQL store (docs/team-mode.md).
//
// Rules, and why:
// 1. The target must be empty (no client, no video): copying merges nothing, so two workspaces'
//    ids can never collide; a second workspace is imported with `rumi import-package` instead.
// 2. Both stores are migrated to the latest schema first, then every table is copied row by row
//    in foreign-key order, values kept in their own type (integers as integers, doubles through
//    their shortest exact text), in ONE transaction on the target: a failure leaves it empty.
// 3. Each cached analysis takes its JSON along (analyses.body) when its file under DIR is intact,
//    so workers on other machines can serve it; a missing or altered file is counted and left to
//    be re-analysed.
// 4. Identity counters continue after the copied ids, so new rows never reuse one.
// The source is only read: DIR/rumi.db and DIR's files stay as they were.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "store/database.h"

namespace rumi::store {

struct CopyResult {
  std::map<std::string, std::int64_t> rows;  // per table
  std::int64_t analyses_with_body = 0;
  std::int64_t analyses_without_file = 0;  // rule 3
  std::int64_t total() const;
};

CopyResult copy_store(const std::filesystem::path& workspace_root, Database& target);

}  // namespace rumi::store
