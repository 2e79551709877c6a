#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace rumi {

Progress::Progress(std::string label, std::size_t total, bool quiet)
    : label_(std::move(label)),
      total_(total),
      quiet_(quiet),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t n, std::string_view note) {
  done_ += n;
  if (!quiet_) draw(note);
}

void Progress::draw(std::string_view note) {
  double frac = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double eta = done_ ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - std::min(done_, total_)) : 0;
  if (tty_) {
    constexpr int kWidth = 30;
    int fill = static_cast<int>(frac * kWidth);
    std::fprintf(stderr, "\r%s [%.*s%*s] %zu/%zu ETA %.0fs %.*s\033[K", label_.c_str(), fill,
                 "##############################", kWidth - fill, "", done_, total_, eta,
                 static_cast<int>(std::min<std::size_t>(note.size(), 40)), note.data());
  } else {
    int decile = static_cast<int>(frac * 10);
    if (decile == last_decile_ && done_ != total_) return;
    last_decile_ = decile;
    std::fprintf(stderr, "%s: %zu/%zu (%.0f%%), elapsed %.1fs, ETA %.0fs\n", label_.c_str(), done_, total_, frac * 100,
                 elapsed, eta);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!quiet_ && tty_) std::fprintf(stderr, "\n");
}

}  // namespace rumi
