#include "store/workspace_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"

namespace rumi::store {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);

int open_lock_file(const Workspace& ws) {
  ensure_directory(ws.root());
  const auto path = WorkspaceLock::lock_path(ws);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw Error("cannot open the workspace lock " + path.string() + ": " + std::strerror(errno));
  return fd;
}

// true: locked; false: held by someone else.
bool try_lock(int fd) {
  while (true) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return false;
    throw Error(std::string("cannot lock the workspace: ") + std::strerror(errno));
  }
}

void write_holder(int fd, std::string_view holder) {
  std::string text = "pid " + std::to_string(::getpid()) + ": " + redact_secrets(holder.substr(0, 200)) + "\n";
  if (::ftruncate(fd, 0) != 0) return;  // informational only
  [[maybe_unused]] ssize_t n = ::pwrite(fd, text.data(), text.size(), 0);
}

std::string read_holder(int fd) {
  char buf[512];
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "another rumi process";
  std::string s(buf, static_cast<std::size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s.empty() ? "another rumi process" : s;
}

}  // namespace

std::optional<std::chrono::milliseconds> lock_timeout_from_env() {
  const char* v = std::getenv("RUMI_LOCK_TIMEOUT");
  if (!v || !*v) return std::nullopt;
  char* end = nullptr;
  double seconds = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(seconds) || seconds < 0 || seconds > 7 * 24 * 3600.0)
    throw UsageError("RUMI_LOCK_TIMEOUT must be a number of seconds >= 0, got '" + std::string(v).substr(0, 40) + "'");
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

WorkspaceLock WorkspaceLock::acquire(const Workspace& ws, std::string_view holder, const LockOptions& options) {
  WorkspaceLock lock(open_lock_file(ws));
  const auto start = std::chrono::steady_clock::now();
  bool notified = false;
  while (!try_lock(lock.fd_)) {
    const auto waited = std::chrono::steady_clock::now() - start;
    if (options.timeout && waited >= *options.timeout)
      throw Error("the workspace " + ws.root().string() + " is busy: " + read_holder(lock.fd_) +
                  " holds its lock; gave up after " +
                  fmt::format("{:.1f}", std::chrono::duration<double>(waited).count()) +
                  " s (RUMI_LOCK_TIMEOUT). Try again when it has finished.");
    if (!notified && waited >= options.notify_after) {
      notified = true;
      std::string msg = "waiting for the workspace lock held by " + read_holder(lock.fd_) + " ...";
      if (options.on_wait)
        options.on_wait(msg);
      else
        spdlog::warn("{}", msg);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  lock.held_ = true;
  write_holder(lock.fd_, holder);
  return lock;
}

std::optional<WorkspaceLock> WorkspaceLock::try_acquire(const Workspace& ws, std::string_view holder) {
  WorkspaceLock lock(open_lock_file(ws));
  if (!try_lock(lock.fd_)) return std::nullopt;
  lock.held_ = true;
  write_holder(lock.fd_, holder);
  return lock;
}

WorkspaceLock::WorkspaceLock(WorkspaceLock&& other) noexcept : fd_(other.fd_), held_(other.held_) {
  other.fd_ = -1;
  other.held_ = false;
}

WorkspaceLock::~WorkspaceLock() {
  if (fd_ < 0) return;
  if (held_) {
    if (::ftruncate(fd_, 0) != 0) {
    }
    ::flock(fd_, LOCK_UN);
  }
  ::close(fd_);
}

}  // namespace rumi::store
