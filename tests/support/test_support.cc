#include "support/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace rumi::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("rumi-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("RUMI_KEEP_TEST_DIRS")) fs::remove_all(path_, ec);
}

CommandResult run_program(const std::vector<std::string>& argv, const fs::path& cwd, const std::string& stdin_text) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe(in_pipe) || ::pipe(out_pipe) || ::pipe(err_pipe)) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::size_t written = 0;
  CommandResult res;
  pollfd fds[3] = {{in_pipe[1], POLLOUT, 0}, {out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  if (stdin_text.empty()) {
    ::close(in_pipe[1]);
    fds[0].fd = -1;
  }
  char buf[65536];
  while (fds[1].fd >= 0 || fds[2].fd >= 0) {
    if (::poll(fds, 3, -1) < 0) break;
    if (fds[0].fd >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = ::write(fds[0].fd, stdin_text.data() + written, stdin_text.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n <= 0 || written == stdin_text.size()) {
        ::close(fds[0].fd);
        fds[0].fd = -1;
      }
    }
    for (int i = 1; i < 3; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
        } else {
          (i == 1 ? res.out : res.err).append(buf, static_cast<std::size_t>(n));
        }
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return res;
}

CommandResult run_python(const std::string& script, const std::string& stdin_text) {
  return run_program({"/usr/bin/python3", "-c", script}, {}, stdin_text);
}

bool python_has(const std::string& modules) { return run_python("import " + modules).exit_code == 0; }

nlohmann::json python_json(const std::string& script, const nlohmann::json& input) {
  const CommandResult py = run_python(script, input.dump());
  EXPECT_EQ(py.exit_code, 0) << py.err;
  return nlohmann::json::parse(py.out.empty() ? "null" : py.out);
}

fs::path source_dir() { return RUMI_SOURCE_DIR; }
fs::path shared_dir() { return fs::path(RUMI_SHARED_DIR).lexically_normal(); }
fs::path fixtures_dir() { return source_dir() / "tests" / "fixtures"; }

}  // namespace rumi::test
