#pragma once
// One mutating rumi command per workspace at a time. SQLite's busy timeout keeps single
// statements safe, but a command that writes files and rows over minutes (acquire, analyze,
// train, gc --apply) must not interleave with another one on the same client tree, so mutating
// commands hold an exclusive flock(2) on <workspace>/.lock for their whole run. The kernel
// drops the lock when the process dies, so a crash (even SIGKILL) never leaves a stale lock.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/workspace.h"

namespace rumi::store {

struct LockOptions {
  // After this long without the lock, tell the user what we are waiting for (once).
  std::chrono::milliseconds notify_after{1000};
  // Give up after this long with a clear Error (exit 1); nullopt waits forever.
  std::optional<std::chrono::milliseconds> timeout{};
  // Receives the waiting message; default logs it with spdlog::warn.
  std::function<void(const std::string&)> on_wait{};
};

// Reads $RUMI_LOCK_TIMEOUT (seconds, fractional allowed; "0" fails at once if the lock is held).
// Unset or empty -> nullopt (wait forever); anything else that is not a number >= 0 is a
// UsageError.
std::optional<std::chrono::milliseconds> lock_timeout_from_env();

class WorkspaceLock {
 public:
  // Blocks until the workspace lock is ours (creating the workspace root if needed). `holder`
  // (e.g. "analyze acme nutrition") is written into the lock file, redacted, so the waiting
  // process can say who holds it.
  static WorkspaceLock acquire(const Workspace& ws, std::string_view holder, const LockOptions& options = {});
  // Non-blocking: nullopt when another process holds it.
  static std::optional<WorkspaceLock> try_acquire(const Workspace& ws, std::string_view holder);

  ~WorkspaceLock();
  WorkspaceLock(WorkspaceLock&& other) noexcept;
  WorkspaceLock(const WorkspaceLock&) = delete;
  WorkspaceLock& operator=(const WorkspaceLock&) = delete;
  WorkspaceLock& operator=(WorkspaceLock&&) = delete;

  static std::filesystem::path lock_path(const Workspace& ws) { return ws.root() / ".lock"; }

 private:
  explicit WorkspaceLock(int fd) : fd_(fd) {}
  int fd_ = -1;
  bool held_ = false;  // only the holder may clear the holder line
};

}  // namespace rumi::store
