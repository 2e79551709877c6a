#include "analyze/process_group.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include "core/error.h"

namespace rumi::analyze {

namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Polls waitpid without blocking; the sleep grows from 0.2 ms to 5 ms so quick analyzers return
// quickly and slow ones cost almost no CPU.
bool wait_until(pid_t pid, int* status, Clock::time_point deadline, const std::atomic<bool>* stop, bool* stopped) {
  auto nap = std::chrono::microseconds(200);
  for (;;) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return true;  // ECHILD: nothing left to wait for
    if (stop && stop->load()) {
      *stopped = true;
      return false;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(5000));
  }
}

void kill_group(pid_t pgid, int sig) { ::kill(-pgid, sig); }

// The child between fork and exec: its own process group, killed with the parent, default
// signal handling, stdin from /dev/null and both outputs to the log. Only async-signal-safe
// calls here; exec's errno goes back through err_write.
[[noreturn]] void exec_child(const std::vector<char*>& cargv, pid_t parent, int devnull, int log, int err_write) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(SIGINT, &dfl, nullptr);
  ::sigaction(SIGTERM, &dfl, nullptr);
  ::sigaction(SIGPIPE, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (devnull >= 0) ::dup2(devnull, 0);
  ::dup2(log, 1);
  ::dup2(log, 2);
  ::execvp(cargv[0], cargv.data());
  int e = errno;
  ssize_t ignored = ::write(err_write, &e, sizeof e);
  (void)ignored;
  ::_exit(127);
}

// exec's errno from the close-on-exec pipe; 0 when exec succeeded (EOF).
int read_exec_errno(int fd) {
  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(fd, &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof exec_errno)) exec_errno = 0;
  return exec_errno;
}

// Past the deadline (or asked to stop): SIGTERM to the group, then SIGKILL after the grace.
void terminate_group(pid_t pid, int* status, double kill_grace_s) {
  kill_group(pid, SIGTERM);
  const auto grace =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kill_grace_s));
  bool ignored_stop = false;
  if (!wait_until(pid, status, grace, nullptr, &ignored_stop)) {
    kill_group(pid, SIGKILL);
    while (::waitpid(pid, status, 0) < 0 && errno == EINTR) {
    }
  }
}

// How a reaped child ended.
void classify_exit(int status, int exec_errno, ProcessOutcome& out) {
  if (exec_errno != 0) {
    out.kind = ProcessOutcome::Kind::exec_failed;
    out.code = exec_errno;
  } else if (WIFEXITED(status)) {
    out.kind = ProcessOutcome::Kind::exited;
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.kind = ProcessOutcome::Kind::signaled;
    out.code = WTERMSIG(status);
  }
}

}  // namespace

std::string ProcessOutcome::describe(double timeout_s) const {
  switch (kind) {
    case Kind::exited: return code == 0 ? "ok" : "analyzer exited with code " + std::to_string(code);
    case Kind::signaled: return "analyzer killed by signal " + std::to_string(code) + " (" + ::strsignal(code) + ")";
    case Kind::timed_out: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", timeout_s);
      return std::string("analyzer timed out after ") + buf + " s (process group killed)";
    }
    case Kind::stopped: return "stopped by signal before the analyzer finished";
    case Kind::exec_failed: return std::string("cannot run the analyzer: ") + std::strerror(code);
  }
  return "unknown";
}

ProcessOutcome run_in_process_group(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                                    const ProcessOptions& options) {
  if (argv.empty()) throw Error("internal: empty analyzer argv");
  Fd log(::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (log.get() < 0) throw Error("cannot open analyzer log " + log_file.string() + ": " + std::strerror(errno));
  Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  // exec reports its errno through a close-on-exec pipe: EOF means exec succeeded.
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  Fd err_read(pipefd[0]);
  Fd err_write(pipefd[1]);

  // Everything the child touches is prepared before fork (only async-signal-safe calls after).
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const pid_t parent = ::getpid();

  const auto t0 = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) throw Error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) exec_child(cargv, parent, devnull.get(), log.get(), err_write.get());
  ::setpgid(pid, pid);  // also from the parent, so the group exists before we might signal it
  err_write.reset();    // our copy; the child's closes on exec, so the read below sees EOF then
  ProcessOutcome out;
  const int exec_errno = read_exec_errno(err_read.get());

  int status = 0;
  bool stopped = false;
  const auto deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_s));
  bool reaped = wait_until(pid, &status, deadline, options.stop, &stopped);
  if (!reaped) {
    terminate_group(pid, &status, options.kill_grace_s);
    out.kind = stopped ? ProcessOutcome::Kind::stopped : ProcessOutcome::Kind::timed_out;
  } else {
    classify_exit(status, exec_errno, out);
  }
  // Whatever the analyzer left running in its group (background jobs) goes with it.
  kill_group(pid, SIGKILL);
  out.seconds = seconds_since(t0);
  return out;
}

}  // namespace rumi::analyze
