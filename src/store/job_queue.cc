#include "store/job_queue.h"

#include <utility>

namespace rumi::store {

namespace {

// Any fixed number: concurrent CREATE ... IF NOT EXISTS of one table can still collide in the
// catalog, so schema creation is serialised by this transaction-scoped advisory lock.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(72657569)";

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS analysis_jobs (
  id               BIGSERIAL PRIMARY KEY,
  client           TEXT NOT NULL,
  hashtag          TEXT NOT NULL,
  video_id         TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
  lease_owner      TEXT,
  lease_expires_at TIMESTAMPTZ,
  last_error       TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at      TIMESTAMPTZ,
  UNIQUE (client, hashtag, video_id),
  CHECK ((status = 'running') = (lease_owner IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS analysis_jobs_claimable ON analysis_jobs (id) WHERE status IN ('queued', 'running');
)sql";

// A running job whose lease expired on its last attempt is failed, not retried (rule 5).
constexpr const char* kFailExhausted = R"sql(
UPDATE analysis_jobs
   SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
       finished_at = now(),
       last_error = 'lease expired on attempt ' || attempts || ' of ' || max_attempts ||
                    ' (worker ' || lease_owner || ' stopped or lost)'
 WHERE status = 'running' AND lease_expires_at < now() AND attempts >= max_attempts
)sql";

constexpr const char* kClaim = R"sql(
WITH next AS (
  SELECT id FROM analysis_jobs
   WHERE status = 'queued' OR (status = 'running' AND lease_expires_at < now())
   ORDER BY id
   LIMIT 1
   FOR UPDATE SKIP LOCKED)
UPDATE analysis_jobs j
   SET status = 'running', attempts = j.attempts + 1, lease_owner = $1,
       lease_expires_at = now() + make_interval(secs => $2::double precision), updated_at = now()
  FROM next
 WHERE j.id = next.id
RETURNING j.id, j.client, j.hashtag, j.video_id, j.attempts, j.max_attempts
)sql";

constexpr const char* kOwned = "status = 'running' AND lease_owner = $2";

JobStatus parse_status(const std::string& s) {
  if (s == "queued") return JobStatus::queued;
  if (s == "running") return JobStatus::running;
  if (s == "done") return JobStatus::done;
  if (s == "failed") return JobStatus::failed;
  throw Error("analysis_jobs: unknown status '" + s + "'");
}

}  // namespace

std::string_view job_queue_schema_sql() { return kSchema; }

std::string_view job_status_name(JobStatus s) {
  switch (s) {
    case JobStatus::queued: return "queued";
    case JobStatus::running: return "running";
    case JobStatus::done: return "done";
    case JobStatus::failed: return "failed";
  }
  return "unknown";
}

void create_job_queue_schema(PgConnection& conn) {
  conn.transaction([&] {
    conn.exec(kSchemaLock);
    conn.exec(kSchema);
  });
}

JobQueue::JobQueue(PgConnection& conn, std::string worker, double lease_seconds)
    : conn_(conn), worker_(std::move(worker)), lease_(*pg_param(lease_seconds)) {
  if (worker_.empty()) throw UsageError("a queue worker needs a name");
  if (!(lease_seconds > 0)) throw UsageError("a queue lease must be positive (got " + lease_ + " s)");
}

std::int64_t JobQueue::enqueue(std::string_view client, std::string_view hashtag,
                               const std::vector<std::string>& video_ids, int max_attempts) {
  if (max_attempts < 1) throw UsageError("max attempts must be at least 1 (got " + std::to_string(max_attempts) + ")");
  std::int64_t added = 0;
  conn_.transaction([&] {
    for (const std::string& v : video_ids)
      added += conn_
                   .query(
                       "INSERT INTO analysis_jobs (client, hashtag, video_id, max_attempts) "
                       "VALUES ($1, $2, $3, $4) ON CONFLICT (client, hashtag, video_id) DO NOTHING",
                       {pg_param(client), pg_param(hashtag), pg_param(v), pg_param(max_attempts)})
                   .affected();
  });
  return added;
}

std::optional<Job> JobQueue::claim() {
  conn_.exec(kFailExhausted);
  PgResult r = conn_.query(kClaim, {pg_param(worker_), pg_param(lease_)});
  if (r.rows() == 0) return std::nullopt;
  Job j;
  j.id = r.int64(0, 0);
  j.client = r.text(0, 1);
  j.hashtag = r.text(0, 2);
  j.video_id = r.text(0, 3);
  j.attempts = static_cast<int>(r.int64(0, 4));
  j.max_attempts = static_cast<int>(r.int64(0, 5));
  return j;
}

bool JobQueue::heartbeat(const Job& job) {
  return conn_
             .query(std::string("UPDATE analysis_jobs SET lease_expires_at = now() + make_interval(secs => "
                                "$3::double precision), updated_at = now() WHERE id = $1 AND ") +
                        kOwned,
                    {pg_param(job.id), pg_param(worker_), pg_param(lease_)})
             .affected() == 1;
}

bool JobQueue::complete(const Job& job, const std::function<void(PgConnection&)>& store_writes) {
  bool owned = false;
  conn_.transaction([&] {
    owned = conn_
                .query(std::string("SELECT 1 FROM analysis_jobs WHERE id = $1 AND ") + kOwned + " FOR UPDATE",
                       {pg_param(job.id), pg_param(worker_)})
                .rows() == 1;
    if (!owned) return;  // commits an empty transaction
    store_writes(conn_);
    conn_.query(
        "UPDATE analysis_jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, "
        "last_error = NULL, updated_at = now(), finished_at = now() WHERE id = $1",
        {pg_param(job.id)});
  });
  return owned;
}

std::optional<JobStatus> JobQueue::fail(const Job& job, std::string_view reason) {
  PgResult r =
      conn_.query(std::string("UPDATE analysis_jobs SET "
                              "status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END, "
                              "finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END, "
                              "lease_owner = NULL, lease_expires_at = NULL, last_error = $3, updated_at = now() "
                              "WHERE id = $1 AND ") +
                      kOwned + " RETURNING status",
                  {pg_param(job.id), pg_param(worker_), pg_param(reason)});
  if (r.rows() == 0) return std::nullopt;
  return parse_status(r.text(0, 0));
}

JobProgress JobQueue::progress(std::string_view client, std::string_view hashtag) {
  PgResult r =
      conn_.query("SELECT status, count(*) FROM analysis_jobs WHERE client = $1 AND hashtag = $2 GROUP BY status",
                  {pg_param(client), pg_param(hashtag)});
  JobProgress p;
  for (int i = 0; i < r.rows(); ++i) {
    const std::int64_t n = r.int64(i, 1);
    switch (parse_status(r.text(i, 0))) {
      case JobStatus::queued: p.queued = n; break;
      case JobStatus::running: p.running = n; break;
      case JobStatus::done: p.done = n; break;
      case JobStatus::failed: p.failed = n; break;
    }
  }
  return p;
}

std::int64_t JobQueue::unfinished() {
  return conn_.exec("SELECT count(*) FROM analysis_jobs WHERE status IN ('queued', 'running')").int64(0, 0);
}

std::optional<std::string> job_error(Database& db, std::string_view client, std::string_view hashtag,
                                     std::string_view video_id) {
  PgConnection* conn = db.postgres();
  if (!conn) return std::nullopt;
  PgResult r = conn->query("SELECT last_error FROM analysis_jobs WHERE client = $1 AND hashtag = $2 AND video_id = $3",
                           {pg_param(client), pg_param(hashtag), pg_param(video_id)});
  if (r.rows() == 0) return std::nullopt;
  return r.text_or_null(0, 0);
}

std::optional<std::pair<JobStatus, std::optional<std::string>>> JobQueue::status(std::int64_t job_id) {
  PgResult r = conn_.query("SELECT status, last_error FROM analysis_jobs WHERE id = $1", {pg_param(job_id)});
  if (r.rows() == 0) return std::nullopt;
  return std::make_pair(parse_status(r.text(0, 0)), r.text_or_null(0, 1));
}

}  // namespace rumi::store
