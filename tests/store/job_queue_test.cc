// The analysis queue against a real throwaway PostgreSQL cluster: idempotent enqueue, concurrent
// claims that never share a job, leases that expire and are reclaimed (the late worker's result
// refused), heartbeats, retries up to a limit, and store writes committed with the "done".
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/job_queue.h"
#include "support/pg_cluster.h"

namespace rumi::store {
namespace {

using namespace std::chrono_literals;
using test::pg_cluster;

std::vector<std::string> video_ids(int n, const std::string& prefix = "v") {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

// A database with the queue and a results table standing for the analyses a worker stores.
std::string queue_db(const std::string& name) {
  const std::string info = pg_cluster().create_database(name);
  PgConnection c = PgConnection::open(info);
  create_job_queue_schema(c);
  c.exec("CREATE TABLE results (job_id BIGINT, video_id TEXT, worker TEXT)");
  return info;
}

void store_result(PgConnection& c, const Job& j, const std::string& worker) {
  c.query("INSERT INTO results VALUES ($1, $2, $3)", {pg_param(j.id), pg_param(j.video_id), pg_param(worker)});
}

std::int64_t count(PgConnection& c, const std::string& sql) { return c.exec(sql).int64(0, 0); }

TEST(JobQueue, EnqueueIsIdempotent) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(queue_db("q_enqueue"));
  create_job_queue_schema(c);  // a second time: nothing changes
  JobQueue q(c, "w1", 30);
  EXPECT_EQ(q.enqueue("acme", "#run", video_ids(3), 3), 3);
  EXPECT_EQ(q.enqueue("acme", "#run", video_ids(4), 3), 1);   // only v3 is new
  EXPECT_EQ(q.enqueue("other", "#run", video_ids(2), 3), 2);  // the key includes the client
  auto job = q.claim();
  ASSERT_TRUE(job);
  EXPECT_EQ(job->video_id, "v0");
  EXPECT_EQ(job->attempts, 1);
  ASSERT_TRUE(q.complete(*job, [](PgConnection&) {}));
  EXPECT_EQ(q.enqueue("acme", "#run", video_ids(4), 3), 0);  // a done job is not queued again
  const JobProgress p = q.progress("acme", "#run");
  EXPECT_EQ(p.done, 1);
  EXPECT_EQ(p.queued, 3);
  EXPECT_EQ(p.total(), 4);
  EXPECT_THROW(q.enqueue("acme", "#run", {"x"}, 0), UsageError);
}

// Workers on their own connections drain one queue; returns jobs per second.
double drain(const std::string& info, const std::string& hashtag, int threads, int jobs) {
  {
    PgConnection c = PgConnection::open(info);
    JobQueue(c, "producer", 30).enqueue("acme", hashtag, video_ids(jobs, hashtag), 3);
  }
  std::mutex m;
  std::map<std::int64_t, int> claimed;  // job id -> times claimed
  std::atomic<int> refused{0};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      PgConnection c = PgConnection::open(info);
      const std::string name = hashtag + "-w" + std::to_string(t);
      JobQueue q(c, name, 30);
      while (auto job = q.claim()) {
        {
          std::lock_guard<std::mutex> lock(m);
          ++claimed[job->id];
        }
        if (!q.complete(*job, [&](PgConnection& tx) { store_result(tx, *job, name); })) ++refused;
      }
    });
  for (auto& th : pool) th.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(jobs));
  for (const auto& [id, n] : claimed) EXPECT_EQ(n, 1) << "job " << id << " claimed " << n << " times";
  EXPECT_EQ(refused.load(), 0);
  return jobs / secs;
}

TEST(JobQueue, ConcurrentWorkersFinishEveryJobExactlyOnce) {
  RUMI_REQUIRE_PG();
  const std::string info = queue_db("q_concurrent");
  constexpr int kJobs = 300;
  std::string rates;
  for (int threads : {1, 2, 4}) {
    const std::string tag = "t" + std::to_string(threads);
    const double rate = drain(info, tag, threads, kJobs);
    rates += " " + std::to_string(threads) + " worker(s): " + std::to_string(static_cast<int>(rate)) + " jobs/s;";
    PgConnection c = PgConnection::open(info);
    EXPECT_EQ(count(c, "SELECT count(*) FROM results WHERE video_id LIKE '" + tag + "%'"), kJobs);
    EXPECT_EQ(count(c, "SELECT count(DISTINCT video_id) FROM results WHERE video_id LIKE '" + tag + "%'"), kJobs);
    const JobProgress p = JobQueue(c, "reader", 30).progress("acme", tag);
    EXPECT_EQ(p.done, kJobs);
    EXPECT_EQ(p.total(), kJobs);
  }
  std::cout << "[ queue    ] claim + complete, " << kJobs << " jobs:" << rates << "\n";
  RecordProperty("throughput", rates);
}

TEST(JobQueue, ExpiredLeaseIsReclaimedAndTheLateWorkerRefused) {
  RUMI_REQUIRE_PG();
  const std::string info = queue_db("q_lease");
  PgConnection ca = PgConnection::open(info), cb = PgConnection::open(info);
  JobQueue a(ca, "worker-a", 0.2), b(cb, "worker-b", 30);
  ASSERT_EQ(a.enqueue("acme", "#run", {"v0"}, 3), 1);
  auto ja = a.claim();
  ASSERT_TRUE(ja);
  EXPECT_FALSE(b.claim()) << "a live lease was taken";
  std::this_thread::sleep_for(400ms);  // worker a stalls past its lease, no heartbeat
  auto jb = b.claim();
  ASSERT_TRUE(jb) << "the expired lease was not reclaimed";
  EXPECT_EQ(jb->id, ja->id);
  EXPECT_EQ(jb->attempts, 2);
  ASSERT_TRUE(b.complete(*jb, [&](PgConnection& tx) { store_result(tx, *jb, "worker-b"); }));
  bool ran = false;
  EXPECT_FALSE(a.complete(*ja, [&](PgConnection& tx) {
    ran = true;
    store_result(tx, *ja, "worker-a");
  }));
  EXPECT_FALSE(ran) << "the late worker's writes ran";
  EXPECT_FALSE(a.heartbeat(*ja));
  EXPECT_EQ(a.fail(*ja, "late"), std::nullopt);  // nor can it fail a job it lost
  EXPECT_EQ(count(ca, "SELECT count(*) FROM results"), 1);
  EXPECT_EQ(ca.exec("SELECT worker FROM results").text(0, 0), "worker-b");
  EXPECT_EQ(a.status(ja->id)->first, JobStatus::done);
}

TEST(JobQueue, HeartbeatKeepsTheLease) {
  RUMI_REQUIRE_PG();
  const std::string info = queue_db("q_heartbeat");
  PgConnection ca = PgConnection::open(info), cb = PgConnection::open(info);
  // A 1.5-s lease beaten every 0.3 s: 1.2 s of slack, so a loaded CI machine (sanitizers, two
  // test processes per core) does not let the lease lapse between beats.
  JobQueue a(ca, "worker-a", 1.5), b(cb, "worker-b", 30);
  a.enqueue("acme", "#run", {"v0"}, 3);
  auto ja = a.claim();
  ASSERT_TRUE(ja);
  for (int i = 0; i < 8; ++i) {  // 2.4 s in all, well past the lease
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(a.heartbeat(*ja));
    EXPECT_FALSE(b.claim()) << "taken after " << (i + 1) * 300 << " ms despite heartbeats";
  }
  EXPECT_TRUE(a.complete(*ja, [&](PgConnection& tx) { store_result(tx, *ja, "worker-a"); }));
  EXPECT_EQ(count(ca, "SELECT count(*) FROM results"), 1);
}

TEST(JobQueue, RetriesThenFailsWithTheReason) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(queue_db("q_retry"));
  JobQueue q(c, "w", 30);
  q.enqueue("acme", "#run", {"bad"}, 3);
  std::vector<JobStatus> seen;
  for (int i = 0; i < 3; ++i) {
    auto j = q.claim();
    ASSERT_TRUE(j) << "attempt " << i + 1;
    EXPECT_EQ(j->attempts, i + 1);
    seen.push_back(*q.fail(*j, "decoder error on attempt " + std::to_string(i + 1)));
  }
  EXPECT_EQ(seen, (std::vector<JobStatus>{JobStatus::queued, JobStatus::queued, JobStatus::failed}));
  EXPECT_FALSE(q.claim()) << "a failed job was claimed again";
  const JobProgress p = q.progress("acme", "#run");
  EXPECT_EQ(p.failed, 1);
  EXPECT_EQ(p.total(), 1);
  const auto st = q.status(1);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->second, "decoder error on attempt 3");
}

TEST(JobQueue, LeaseExpiringOnTheLastAttemptFailsTheJob) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(queue_db("q_exhaust"));
  JobQueue q(c, "w", 0.1);
  q.enqueue("acme", "#run", {"killer"}, 1);
  auto j = q.claim();
  ASSERT_TRUE(j);
  std::this_thread::sleep_for(250ms);  // the worker "dies" on its only attempt
  EXPECT_FALSE(q.claim());
  const auto st = q.status(j->id);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->first, JobStatus::failed);
  EXPECT_NE(st->second.value_or("").find("lease expired on attempt 1 of 1 (worker w"), std::string::npos)
      << st->second.value_or("");
}

TEST(JobQueue, FailingStoreWritesLeaveTheJobLeased) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(queue_db("q_rollback"));
  JobQueue q(c, "w", 30);
  q.enqueue("acme", "#run", {"v0"}, 3);
  auto j = q.claim();
  ASSERT_TRUE(j);
  EXPECT_THROW((void)q.complete(*j,
                                [&](PgConnection& tx) {
                                  store_result(tx, *j, "w");
                                  throw Error("analysis could not be stored");
                                }),
               Error);
  EXPECT_EQ(count(c, "SELECT count(*) FROM results"), 0) << "half of the completion was kept";
  EXPECT_EQ(q.status(j->id)->first, JobStatus::running);
  EXPECT_TRUE(q.heartbeat(*j));  // still ours: the caller can retry or fail it
  EXPECT_TRUE(q.complete(*j, [&](PgConnection& tx) { store_result(tx, *j, "w"); }));
  EXPECT_EQ(count(c, "SELECT count(*) FROM results"), 1);
}

}  // namespace
}  // namespace rumi::store
