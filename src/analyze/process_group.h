#pragma once
// Runs one analyzer invocation: fork + exec of an argv (no shell) in its own process group,
// stdout/stderr appended to a log file, stdin from /dev/null. A timeout or a stop request kills
// the whole group (SIGTERM, then SIGKILL after a grace period), so grandchildren the analyzer
// spawned die with it; the group is also killed after a normal exit, and the child is told to die
// with rumi (PR_SET_PDEATHSIG) so a SIGKILLed rumi leaves no analyzer running behind it.
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace rumi::analyze {

struct ProcessOutcome {
  enum class Kind { exited, signaled, timed_out, stopped, exec_failed };
  Kind kind = Kind::exited;
  int code = 0;  // exit status for exited, signal number for signaled, errno for exec_failed
  double seconds = 0;
  bool ok() const { return kind == Kind::exited && code == 0; }
  std::string describe(double timeout_s) const;
};

struct ProcessOptions {
  double timeout_s = 900;
  double kill_grace_s = 2.0;                // between SIGTERM and SIGKILL
  const std::atomic<bool>* stop = nullptr;  // set by a signal: kill the group and return
};

// Throws Error when the log cannot be opened or fork fails; everything about the child itself is
// reported in the outcome.
ProcessOutcome run_in_process_group(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                                    const ProcessOptions& options);

}  // namespace rumi::analyze
