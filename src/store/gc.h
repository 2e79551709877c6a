#pragma once
// Garbage collection of the public layer. Public data (raw Apify items per hashtag, RumiAI
// analyses) is shared between clients and kept while any client references it: an analysis
// while a row in analysis_refs points at it, a hashtag's raw data while any client has that
// hashtag. Private client data is never touched here.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/workspace.h"
#include "store/database.h"

namespace rumi::store {

struct GcItem {
  std::string kind;             // "analysis" | "hashtag"
  std::string key;              // "<video_id>@<analyzer_version>" or the hashtag slug
  std::filesystem::path path;   // file or directory to remove (may not exist any more)
  std::uintmax_t bytes = 0;     // on-disk size of what `path` holds
};

struct GcPlan {
  std::vector<GcItem> items;
  std::int64_t orphan_video_rows = 0;  // public video rows no hashtag, selection or ref uses
  std::uintmax_t total_bytes() const;
  Json to_json(const Workspace& ws) const;
};

// Read-only: what `apply_gc` would remove.
GcPlan plan_gc(Database& db, const Workspace& ws);
// Removes the plan's rows (one transaction) and then its files. The caller holds the workspace
// lock, so nothing can add a reference between planning and applying.
void apply_gc(Database& db, const Workspace& ws, const GcPlan& plan);

}  // namespace rumi::store
