#pragma once
// Analysis runs and their per-video checkpoints (private, scoped by client). A run is created
// with one pending row per selected video; each video's outcome is committed as soon as it is
// known, so a crash loses at most the video in flight and `rumi analyze --resume` continues there.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_names.h"
#include "store/database.h"

namespace rumi::store {

// Run status: "running" (in progress, or its process died), "stopped" (Ctrl-C / --fail-fast),
// "finished", "abandoned" (replaced by a fresh run). The first two are resumable.
struct AnalysisRunRow {
  std::string id;
  std::int64_t client_id = 0;
  std::int64_t hashtag_id = 0;
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string status;
  std::string options_json;
};

// Video status: pending, running (attempt started, outcome unknown), done, failed. The
// checkpoints table and the progress file store the names; a name the table does not know is an
// InputError naming rumi.db, not a silently pending video.
enum class CheckpointStatus { pending, running, done, failed };
inline constexpr EnumName<CheckpointStatus> kCheckpointStatusNames[] = {{CheckpointStatus::pending, "pending"},
                                                                        {CheckpointStatus::running, "running"},
                                                                        {CheckpointStatus::done, "done"},
                                                                        {CheckpointStatus::failed, "failed"}};
inline std::string_view checkpoint_status_name(CheckpointStatus s) { return name_of(kCheckpointStatusNames, s); }

struct CheckpointRow {
  std::string video_id;
  std::string bucket;
  std::int64_t position = 0;
  CheckpointStatus status = CheckpointStatus::pending;
  std::optional<std::string> error;
  int attempts = 0;
  std::optional<double> duration_s;
  std::string updated_at;
};

bool is_resumable_run_status(std::string_view status);

// Creates the run and its checkpoint rows in one transaction.
void create_analysis_run(Database& db, const AnalysisRunRow& run, std::span<const CheckpointRow> videos);
// The newest run of this client's hashtag whose status is resumable.
std::optional<AnalysisRunRow> find_unfinished_run(Database& db, std::int64_t client_id, std::int64_t hashtag_id);
std::optional<AnalysisRunRow> find_latest_run(Database& db, std::int64_t client_id, std::int64_t hashtag_id);
std::vector<AnalysisRunRow> list_analysis_runs(Database& db, std::int64_t client_id, std::int64_t hashtag_id);
void set_run_status(Database& db, std::int64_t client_id, std::string_view run_id, std::string_view status,
                    const std::optional<std::string>& finished_at);
void set_run_options(Database& db, std::int64_t client_id, std::string_view run_id, std::string_view options_json);

// Ordered by position.
std::vector<CheckpointRow> list_checkpoints(Database& db, std::int64_t client_id, std::string_view run_id);
// Updates status, error, attempts, duration and updated_at of one video (autocommit).
void save_checkpoint(Database& db, std::int64_t client_id, std::string_view run_id, const CheckpointRow& row);

}  // namespace rumi::store
