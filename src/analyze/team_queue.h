#pragma once
// Team mode's analysis queue around the analyze stage (docs/team-mode.md): the analyst enqueues a
// hashtag's selected videos, workers on any machine analyse them one at a time, and the analyst's
// `analyze --wait` takes the stored analyses into the hashtag's folders through the ordinary
// analyze run (AnalyzeOptions::from_queue), so checkpoints, the bucket files and the success gate
// are the same as for a local run.
//
// Rules, and why:
// 1. Enqueueing skips a video this client's hashtag already has an analysis of, and a video the
//    shared store already holds an analysis of (another client's hashtag): that one is referenced
//    at once instead of being analysed again (the public layer is shared, seed section 7.2).
// 2. A worker claims one job at a time (store/job_queue.h: SKIP LOCKED, a lease on the server's
//    clock) and extends its lease from a second connection while the analyzer runs, so a long
//    analysis is not reclaimed while its worker lives, and a dead worker's job is reclaimed once
//    its lease runs out.
// 3. The analysis, its reference for the client's hashtag and the job's "done" are committed in one
//    transaction, only while the worker still owns the job: a worker whose lease was taken over
//    stores nothing, so a video ends with exactly one stored analysis.
// 4. A failed attempt goes back to the queue until its attempts run out, then stays failed with its
//    reason, which `analyze --wait` reports as that video's error.
// 5. A lost database connection ends the worker with a clear error: whatever it was doing was not
//    committed, and its lease lets another worker (or this one, restarted) redo it.
// 6. A video file a worker downloads (--download) is its own copy for one job: it is deleted once
//    the job is over, whatever the outcome (the analysis, not the file, is what the store keeps).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "analyze/analyze_hashtag.h"
#include "core/workspace.h"
#include "store/clients.h"
#include "store/database.h"
#include "store/job_queue.h"

namespace rumi::analyze {

struct EnqueueResult {
  std::int64_t selected = 0;          // videos in the hashtag's selection.json
  std::int64_t enqueued = 0;          // new jobs
  std::int64_t already_analysed = 0;  // this client's hashtag has an analysis (rule 1)
  std::int64_t from_cache = 0;        // another hashtag's analysis referenced instead (rule 1)
  std::int64_t already_queued = 0;    // a job existed (queued, running, done or failed)
};

// Queues the videos of the hashtag's selection.json (rule 1). UsageError when the store is not
// PostgreSQL; InputError when the hashtag has no selection yet (run `rumi acquire` first).
EnqueueResult enqueue_hashtag(const Workspace& workspace, store::Database& db, const store::ClientRow& client,
                              const store::HashtagRow& hashtag, int max_attempts);

// Polls the hashtag's jobs every poll_s seconds until none is queued or running (or *stop), calling
// on_progress after each poll. Returns the last counts.
store::JobProgress wait_for_hashtag(store::Database& db, const store::ClientRow& client,
                                    const store::HashtagRow& hashtag, double poll_s, const std::atomic<bool>* stop,
                                    const std::function<void(const store::JobProgress&)>& on_progress);

struct WorkerOptions {
  AnalyzeOptions analyzer;      // --native / --analyzer / --replay, as for `rumi analyze`
  std::string name;             // lease owner; unique per worker (default host:pid)
  double lease_s = 60;          // how long a claim or heartbeat holds a job
  double poll_s = 2;            // idle wait between claims
  bool exit_when_idle = false;  // stop once no job is queued or running anywhere
  std::int64_t max_jobs = 0;    // stop after this many jobs (0: no limit)
};

struct WorkerResult {
  std::int64_t done = 0, failed = 0, retried = 0, lost = 0;  // lost: lease taken over, result dropped
};

// The worker loop (rules 2-5). `conninfo` opens the heartbeat connection; `db` is the worker's
// store connection. Each finished job is reported through on_job (its video id and outcome).
WorkerResult run_worker(const Workspace& workspace, store::Database& db, const std::string& conninfo,
                        const WorkerOptions& options, const std::atomic<bool>* stop,
                        const std::function<void(const store::Job&, const std::string& outcome)>& on_job);

// host:pid, the default worker name.
std::string default_worker_name();

}  // namespace rumi::analyze
