#include "analyze/team_queue.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "analyze/selection_input.h"
#include "core/error.h"
#include "core/sha256.h"
#include "core/time_util.h"
#include "store/analyses.h"
#include "store/pg_connection.h"

namespace rumi::analyze {

namespace {

store::PgConnection& require_shared_store(store::Database& db, std::string_view what) {
  store::PgConnection* pg = db.postgres();
  if (!pg)
    throw UsageError(std::string(what) +
                     " needs team mode's shared store: pass --store postgresql://... or set RUMI_STORE "
                     "(docs/team-mode.md)");
  return *pg;
}

// Sleeps up to `seconds`, waking early when *stop is raised.
void nap(double seconds, const std::atomic<bool>* stop) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until && !(stop && stop->load()))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// Extends a job's lease every interval from its own connection while the analyzer runs (rule 2).
class Heartbeat {
 public:
  Heartbeat(store::JobQueue& queue, const store::Job& job, double interval_s)
      : thread_([this, &queue, job, interval_s] { beat(queue, job, interval_s); }) {}
  ~Heartbeat() { stop(); }
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  // Stops beating; false when a heartbeat found the job taken over.
  bool stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    return owned_.load();
  }

 private:
  void beat(store::JobQueue& queue, const store::Job& job, double interval_s) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::duration<double>(interval_s), [this] { return done_; })) {
      lock.unlock();
      try {
        if (!queue.heartbeat(job)) owned_ = false;
      } catch (const std::exception&) {
        // The heartbeat connection failed: complete() on the main connection decides.
      }
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::atomic<bool> owned_{true};
  std::thread thread_;  // last: starts once the members above exist
};

// Rule 3: the analysis (unless the store already had it), the client's reference and the "done".
bool store_done(store::JobQueue& queue, store::Database& db, const store::Job& job, const store::ClientRow& client,
                const store::HashtagRow& hashtag, const VideoAnalysis& a) {
  return queue.complete(job, [&](store::PgConnection&) {
    if (!a.from_cache) {
      std::string flows;
      for (const auto& f : a.flows) flows += (flows.empty() ? "" : ",") + f;
      store::upsert_analysis(
          db, store::AnalysisRow{job.video_id, a.analyzer_version, sha256_hex(a.bytes),
                                 "public/analyses/" + job.video_id + "/" + a.analyzer_version + ".json", flows,
                                 format_iso8601_utc(now_unix()), a.bytes});
    }
    store::add_analysis_ref(db, client.id, hashtag.id, job.video_id, a.analyzer_version);
  });
}

}  // namespace

std::string default_worker_name() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "%s", "worker");
  return std::string(host) + ":" + std::to_string(::getpid());
}

EnqueueResult enqueue_hashtag(const Workspace& workspace, store::Database& db, const store::ClientRow& client,
                              const store::HashtagRow& hashtag, int max_attempts) {
  store::PgConnection& pg = require_shared_store(db, "analyze --enqueue");
  // The same selection file a local `rumi analyze` works through.
  const SelectionInput selection =
      read_selection_input(workspace.hashtag_dir(client.slug, hashtag.slug) / "acquisition" / "selection.json");
  EnqueueResult out;
  std::vector<std::string> todo;
  db.transaction([&] {
    for (const auto& v : selection.videos) {
      ++out.selected;
      if (store::find_analysis_ref(db, client.id, hashtag.id, v.video_id)) {
        ++out.already_analysed;
      } else if (const auto cached = store::find_newest_analysis(db, v.video_id)) {
        store::add_analysis_ref(db, client.id, hashtag.id, v.video_id, cached->analyzer_version);
        ++out.from_cache;
      } else {
        todo.push_back(v.video_id);
      }
    }
  });
  store::JobQueue queue(pg, default_worker_name(), 60);
  out.enqueued = queue.enqueue(client.slug, hashtag.slug, todo, max_attempts);
  out.already_queued = static_cast<std::int64_t>(todo.size()) - out.enqueued;
  return out;
}

store::JobProgress wait_for_hashtag(store::Database& db, const store::ClientRow& client,
                                    const store::HashtagRow& hashtag, double poll_s, const std::atomic<bool>* stop,
                                    const std::function<void(const store::JobProgress&)>& on_progress) {
  store::JobQueue queue(require_shared_store(db, "analyze --wait"), default_worker_name(), 60);
  for (;;) {
    const store::JobProgress p = queue.progress(client.slug, hashtag.slug);
    on_progress(p);
    if (p.queued + p.running == 0 || (stop && stop->load())) return p;
    nap(poll_s, stop);
  }
}

WorkerResult run_worker(const Workspace& workspace, store::Database& db, const std::string& conninfo,
                        const WorkerOptions& o, const std::atomic<bool>* stop,
                        const std::function<void(const store::Job&, const std::string&)>& on_job) {
  store::JobQueue queue(require_shared_store(db, "rumi worker"), o.name, o.lease_s);
  store::Database beat_db = store::Database::open_postgres(conninfo);
  store::JobQueue beat_queue(*beat_db.postgres(), o.name, o.lease_s);
  VideoAnalyzer analyzer(o.analyzer);
  WorkerResult out;
  for (std::int64_t jobs = 0; !(stop && stop->load()) && (o.max_jobs == 0 || jobs < o.max_jobs);) {
    const auto job = queue.claim();
    if (!job) {
      if (o.exit_when_idle && queue.unfinished() == 0) break;
      nap(o.poll_s, stop);
      continue;
    }
    ++jobs;
    const auto client = store::find_client(db, job->client);
    const auto hashtag = client ? store::find_hashtag(db, client->id, job->hashtag) : std::nullopt;
    if (!client || !hashtag) {
      queue.fail(*job, "client " + job->client + " or its hashtag " + job->hashtag + " is no longer in the store");
      ++out.failed;
      on_job(*job, "failed: not in the store");
      continue;
    }
    const AnalyzeRequest request{workspace, db, *client, *hashtag, 0.8, o.analyzer, stop};
    const std::filesystem::path download =
        o.analyzer.download && o.analyzer.videos_dir ? *o.analyzer.videos_dir / (job->video_id + ".mp4") : "";
    std::error_code ec;
    const bool had_file = !download.empty() && std::filesystem::exists(download, ec);
    Heartbeat heartbeat(beat_queue, *job, o.lease_s / 3);
    const VideoAnalysis a = analyzer.analyse(request, job->video_id, job->attempts);
    const bool owned = heartbeat.stop();
    if (!download.empty() && !had_file) std::filesystem::remove(download, ec);  // rule 6
    if (a.stopped) break;  // the lease runs out and another worker takes the job (rule 2)
    if (a.ok && owned && store_done(queue, db, *job, *client, *hashtag, a)) {
      ++out.done;
      on_job(*job, a.from_cache ? "done (from the store's cache)" : "done");
    } else if (a.ok) {
      ++out.lost;
      on_job(*job, "dropped: another worker took the job over after this worker's lease ran out");
    } else {
      const auto status = queue.fail(*job, a.error);
      const bool again = status && *status == store::JobStatus::queued;
      ++(again ? out.retried : out.failed);
      on_job(*job, (again ? "will retry: " : "failed: ") + a.error);
    }
  }
  return out;
}

}  // namespace rumi::analyze
