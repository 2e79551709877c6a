#pragma once
// Ctrl-C / SIGTERM during a long analysis must not lose work: while a StopSignalGuard lives,
// SIGINT and SIGTERM only raise a flag that the runner checks between (and during) videos; it then
// kills the analyzer's process group, writes the checkpoint and returns. The previous handlers
// are restored on destruction. Only one guard may be alive at a time (signal handlers are
// process-wide).
#include <atomic>
#include <csignal>

namespace rumi::analyze {

class StopSignalGuard {
 public:
  StopSignalGuard();
  ~StopSignalGuard();
  StopSignalGuard(const StopSignalGuard&) = delete;
  StopSignalGuard& operator=(const StopSignalGuard&) = delete;

  const std::atomic<bool>& flag() const { return flag_; }
  std::atomic<bool>& flag() { return flag_; }
  int last_signal() const { return last_signal_.load(); }

 private:
  std::atomic<bool> flag_{false};
  std::atomic<int> last_signal_{0};
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace rumi::analyze
