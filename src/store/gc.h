#pragma once
// Garbage collection of the public layer. Public data (raw Apify items per hashtag, RumiAI
// analyses) is shared between clients and kept while any client references it: an analysis
// while a row in analysis_refs points at it, a hashtag's raw data while any client has that
// hashtag. Private client data is never touched here.
//
// Downloaded video files (public/videos/<video_id>.mp4, written by acquire/video_download.h)
// are a cache, not data: any of them can be fetched again, so they are kept for a retention age
// rather than by reference. `rumi gc --videos --older-than 7d` plans every regular file in that
// folder (finished .mp4 files and abandoned .part files) whose modification time is older than
// the age; nothing outside the folder, no directory and no symlink target is touched.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/workspace.h"
#include "store/database.h"

namespace rumi::store {

struct GcItem {
  std::string kind;            // "analysis" | "hashtag" | "video"
  std::string key;             // "<video_id>@<analyzer_version>", the hashtag slug or the file name
  std::filesystem::path path;  // file or directory to remove (may not exist any more)
  std::uintmax_t bytes = 0;    // on-disk size of what `path` holds
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

// public/videos: where downloaded videos live (shared by every client, named by video id only).
std::filesystem::path public_videos_dir(const Workspace& ws);

// "7d", "12h", "30m", "45s" (a positive whole number and one unit; "1w" = 7d). Throws
// UsageError naming the text and the accepted forms otherwise.
std::chrono::seconds parse_age(std::string_view text);

// Read-only: the video files older than `older_than` at `now` (file clock), sorted by name.
GcPlan plan_video_gc(const Workspace& ws, std::chrono::seconds older_than,
                     std::filesystem::file_time_type now = std::filesystem::file_time_type::clock::now());
// Removes a plan_video_gc plan's files (no database rows are involved). A file that is gone
// already is fine; one that is not a regular file in public/videos is refused.
void apply_video_gc(const Workspace& ws, const GcPlan& plan);

}  // namespace rumi::store
