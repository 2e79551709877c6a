// The workspace lock across two processes (fork): the second waits, says why, or times out.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.h"
#include "store/workspace_lock.h"
#include "support/test_support.h"

namespace rumi::store {
namespace {
using namespace std::chrono_literals;

// Child process: takes the lock, signals through a pipe, holds it until the parent writes.
struct LockHolder {
  pid_t pid = -1;
  int release_fd = -1;
  LockHolder(const Workspace& ws) {
    int ready[2], release[2];
    EXPECT_EQ(::pipe(ready), 0);
    EXPECT_EQ(::pipe(release), 0);
    pid = ::fork();
    if (pid == 0) {
      ::close(ready[0]);
      ::close(release[1]);
      auto lock = WorkspaceLock::try_acquire(ws, "analyze acme nutrition");
      char c = lock ? 'y' : 'n';
      [[maybe_unused]] auto w = ::write(ready[1], &c, 1);
      [[maybe_unused]] auto r = ::read(release[0], &c, 1);
      ::_exit(lock ? 0 : 1);
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_fd = release[1];
    char c = 0;
    EXPECT_EQ(::read(ready[0], &c, 1), 1);
    EXPECT_EQ(c, 'y');
    ::close(ready[0]);
  }
  void release() {
    if (release_fd < 0) return;
    char c = 'x';
    [[maybe_unused]] auto w = ::write(release_fd, &c, 1);
    ::close(release_fd);
    release_fd = -1;
  }
  int wait() {
    release();
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ~LockHolder() {
    if (pid > 0) wait();
  }
};

TEST(WorkspaceLock, SecondProcessTimesOutWithAClearMessage) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  LockHolder holder(ws);
  EXPECT_FALSE(WorkspaceLock::try_acquire(ws, "gc").has_value());
  LockOptions opts;
  opts.timeout = 200ms;
  opts.notify_after = 50ms;
  std::string waiting;
  opts.on_wait = [&](const std::string& m) { waiting = m; };
  try {
    WorkspaceLock::acquire(ws, "gc --apply", opts);
    FAIL() << "acquired a held lock";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::failure);
    const std::string msg = e.what();
    EXPECT_NE(msg.find("busy"), std::string::npos) << msg;
    EXPECT_NE(msg.find("analyze acme nutrition"), std::string::npos) << msg;
    EXPECT_NE(msg.find("pid " + std::to_string(holder.pid)), std::string::npos) << msg;
  }
  EXPECT_NE(waiting.find("waiting for the workspace lock"), std::string::npos) << waiting;
  EXPECT_EQ(holder.wait(), 0);
}

TEST(WorkspaceLock, WaiterProceedsOnceTheHolderFinishes) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  LockHolder holder(ws);
  // The holder lets go once the waiter has said it waits, so a loaded machine cannot reorder them.
  std::atomic<bool> told{false};
  std::thread releaser([&] {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!told && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    holder.release();
  });
  LockOptions opts;
  opts.notify_after = 10ms;
  opts.on_wait = [&](const std::string&) { told = true; };
  WorkspaceLock lock = WorkspaceLock::acquire(ws, "train", opts);  // no timeout: waits
  releaser.join();
  EXPECT_TRUE(told);
  EXPECT_EQ(holder.wait(), 0);
}

TEST(WorkspaceLock, ReleasedOnDestructionAndOnProcessDeath) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  {
    auto l = WorkspaceLock::try_acquire(ws, "one");
    ASSERT_TRUE(l.has_value());
  }
  EXPECT_TRUE(WorkspaceLock::try_acquire(ws, "two").has_value());
  pid_t pid = ::fork();
  if (pid == 0) {
    auto l = WorkspaceLock::try_acquire(ws, "killed");
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WorkspaceLock::try_acquire(ws, "after kill").has_value());
}

TEST(WorkspaceLock, TimeoutFromEnvironment) {
  ::unsetenv("RUMI_LOCK_TIMEOUT");
  EXPECT_FALSE(lock_timeout_from_env().has_value());
  ::setenv("RUMI_LOCK_TIMEOUT", "2.5", 1);
  EXPECT_EQ(lock_timeout_from_env(), std::chrono::milliseconds(2500));
  for (const char* bad : {"abc", "-1", "1s", "nan"}) {
    ::setenv("RUMI_LOCK_TIMEOUT", bad, 1);
    EXPECT_THROW(lock_timeout_from_env(), UsageError) << bad;
  }
  ::unsetenv("RUMI_LOCK_TIMEOUT");
}

}  // namespace
}  // namespace rumi::store
