#pragma once
// Progress for long work: a bar with ETA on a terminal, plain lines (every ~10 %) otherwise,
// nothing when quiet. Writes to stderr so --json stdout stays machine-readable.
#include <chrono>
#include <cstddef>
#include <string>

namespace rumi {

class Progress {
 public:
  Progress(std::string label, std::size_t total, bool quiet = false);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::size_t n = 1, std::string_view note = {});
  void finish();

 private:
  void draw(std::string_view note);
  std::string label_;
  std::size_t total_, done_ = 0;
  bool quiet_, tty_, finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rumi
