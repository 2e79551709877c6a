#include "core/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <set>

#include "core/error.h"

namespace rumi {
namespace fs = std::filesystem;

namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

[[noreturn]] void fail(const fs::path& path, std::string_view what, int err) {
  throw Error("cannot write " + path.string() + ": " + std::string(what) + ": " + std::strerror(err));
}

std::string temp_name(const fs::path& path) {
  std::random_device rd;  // uniqueness only; never affects outputs
  return path.filename().string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd());
}

}  // namespace

void ensure_directory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create directory " + dir.string() + ": " + ec.message());
}

void write_file_atomic(const fs::path& path, std::string_view content) {
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  ensure_directory(dir);
  fs::path tmp = dir / temp_name(path);
  FileDescriptor fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail(path, "open temp file", errno);
  auto cleanup_and_fail = [&](std::string_view what, int err) {
    ::unlink(tmp.c_str());
    fail(path, what, err);
  };
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd.get(), p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      cleanup_and_fail("write", errno);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) cleanup_and_fail("fsync", errno);
  if (::close(fd.release()) != 0) cleanup_and_fail("close", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) cleanup_and_fail("rename", errno);
  FileDescriptor dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0) ::fsync(dfd.get());
}

AtomicWriteBatch::~AtomicWriteBatch() { discard(); }

void AtomicWriteBatch::discard() {
  for (Pending& p : pending_) {
    if (p.fd >= 0) ::close(p.fd);
    ::unlink(p.temp.c_str());
  }
  pending_.clear();
}

void AtomicWriteBatch::add(const fs::path& path, std::string_view content) {
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  ensure_directory(dir);
  Pending p{path, dir / temp_name(path), -1};
  p.fd = ::open(p.temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (p.fd < 0) fail(path, "open temp file", errno);
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(p.fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(p.fd);
      ::unlink(p.temp.c_str());
      fail(path, "write", err);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  pending_.push_back(std::move(p));
}

void AtomicWriteBatch::commit() {
  // Start the write-back of every file first, so the fsyncs below overlap instead of queueing.
  for (const Pending& p : pending_) ::sync_file_range(p.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  for (Pending& p : pending_) {
    if (::fsync(p.fd) != 0) {
      const int err = errno;
      const fs::path target = p.target;
      discard();
      fail(target, "fsync", err);
    }
    const int fd = p.fd;
    p.fd = -1;
    if (::close(fd) != 0) {
      const int err = errno;
      const fs::path target = p.target;
      discard();
      fail(target, "close", err);
    }
  }
  std::set<fs::path> dirs;
  auto sync_dirs = [&dirs] {
    for (const fs::path& d : dirs) {
      FileDescriptor dfd(::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (dfd.get() >= 0) ::fsync(dfd.get());
    }
  };
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Pending& p = pending_[i];
    if (::rename(p.temp.c_str(), p.target.c_str()) != 0) {
      const int err = errno;
      const fs::path target = p.target;
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(i));  // renamed: keep
      discard();
      sync_dirs();  // the files renamed so far are durable too
      fail(target, "rename", err);
    }
    dirs.insert(p.target.has_parent_path() ? p.target.parent_path() : fs::path("."));
  }
  pending_.clear();
  sync_dirs();
}

std::string read_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(path.string(), "", "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "", "cannot open file (" + std::string(std::strerror(errno)) + ")");
  std::string data;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size > 0) {
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
  }
  if (!in && !in.eof()) throw InputError(path.string(), "", "", "read error");
  return data;
}

}  // namespace rumi
