#pragma once
// The analysis queue of team mode, on PostgreSQL: one row per (client, hashtag, video) to
// analyse, claimed by workers on any machine, each worker working on one video at a time.
//
// Rules, and why:
// 1. One job per (client, hashtag, video_id) (a unique key): enqueueing again, or enqueueing a
//    video whose job is already done or failed, adds nothing, so `analyze --enqueue` can be
//    repeated after a crash without duplicating work. A failed job stays failed until a person
//    re-queues it (its reason is what they need to read).
// 2. claim() takes the oldest claimable job with SELECT ... FOR UPDATE SKIP LOCKED, in one
//    statement with the UPDATE that leases it: concurrent workers skip rows another is claiming
//    instead of waiting on them or taking the same one, so no two workers hold the same job.
//    Claimable: queued, or running with an expired lease (its worker was killed or its machine
//    lost: reclaiming it is how no job is lost). Each claim counts one attempt.
// 3. A lease is an owner (the worker's name) and an expiry taken from the server's clock
//    (now() + lease), never a worker's clock, so machines with skewed clocks agree on who holds
//    a job. heartbeat() extends the lease only while the caller still owns the job; a worker
//    whose heartbeat returns false has lost the job and must drop its result.
// 4. complete() runs the caller's store writes and marks the job done in ONE transaction, after
//    locking the job row and checking the caller still owns it: the analysis and the "done" are
//    stored together or not at all (a crash between them leaves neither), and a worker whose
//    lease was reclaimed cannot store a second analysis of a video another worker finishes. A
//    lease that expired but was not yet reclaimed still completes: the work is done, nobody else
//    has started it, and the row lock keeps a claim out while it commits.
// 5. fail() records the reason; the job goes back to the queue while attempts < max_attempts,
//    else it is failed for good (a video that breaks the analyzer must not block the queue
//    forever). A job whose lease expires on its last attempt is failed by the next claim with
//    "lease expired" as its reason: a video that kills its worker every time is a failing video.
// 6. progress() counts a hashtag's jobs per status, for `analyze --wait`.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/pg_connection.h"

namespace rumi::store {

enum class JobStatus { queued, running, done, failed };
std::string_view job_status_name(JobStatus s);

struct Job {
  std::int64_t id = 0;
  std::string client;
  std::string hashtag;
  std::string video_id;
  int attempts = 0;  // including this claim
  int max_attempts = 0;
};

struct JobProgress {
  std::int64_t queued = 0, running = 0, done = 0, failed = 0;
  std::int64_t total() const { return queued + running + done + failed; }
};

// The jobs table and its index; idempotent and safe to run from several connections at once.
void create_job_queue_schema(PgConnection& conn);
// Its SQL (idempotent), which the store's migrations run on PostgreSQL (store/migrations.h).
std::string_view job_queue_schema_sql();

// The last error of that video's job (set when an attempt failed), or nullopt (also on a store
// that has no queue: the embedded one).
std::optional<std::string> job_error(Database& db, std::string_view client, std::string_view hashtag,
                                     std::string_view video_id);

class JobQueue {
 public:
  // worker: this worker's unique name (e.g. host:pid), recorded as the lease owner.
  // lease_seconds: how long a claim or heartbeat holds a job.
  JobQueue(PgConnection& conn, std::string worker, double lease_seconds);

  // Adds the jobs not yet present (rule 1); returns how many were added.
  std::int64_t enqueue(std::string_view client, std::string_view hashtag, const std::vector<std::string>& video_ids,
                       int max_attempts);
  // The next job, leased to this worker (rules 2, 3, 5), or nullopt when none is claimable.
  std::optional<Job> claim();
  // Extends the lease; false when this worker no longer owns the job (rule 3).
  bool heartbeat(const Job& job);
  // Runs store_writes (on this queue's connection) and marks the job done, in one transaction;
  // false, with nothing written, when this worker no longer owns the job (rule 4). An exception
  // from store_writes rolls everything back and propagates; the job stays leased.
  [[nodiscard]] bool complete(const Job& job, const std::function<void(PgConnection&)>& store_writes);
  // Records a failed attempt (rule 5); the job's new status, or nullopt when not the owner.
  std::optional<JobStatus> fail(const Job& job, std::string_view reason);

  JobProgress progress(std::string_view client, std::string_view hashtag);
  // Jobs queued or running anywhere in the queue (a worker with --exit-when-idle stops at 0:
  // while another worker's job runs, its lease may still expire and need this worker).
  std::int64_t unfinished();
  // The job's status and last error (for reports and tests); nullopt when there is no such job.
  std::optional<std::pair<JobStatus, std::optional<std::string>>> status(std::int64_t job_id);

  const std::string& worker() const { return worker_; }

 private:
  PgConnection& conn_;
  std::string worker_;
  std::string lease_;  // seconds as text, for make_interval
};

}  // namespace rumi::store
