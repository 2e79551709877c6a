#pragma once
// Runs independent jobs on a few std::threads: the one thread pool of rumi. The first exception a
// job throws is rethrown once all jobs have ended; callers that need a deterministic error (the
// first failing item in input order) catch per item and rethrow in order themselves.
// Why not OpenMP: XGBoost itself runs single-threaded (nthread=1):
// its OpenMP workers spin while waiting, which on a shared, loaded 2-core machine made training
// ~10x slower; whole jobs (CV folds, final models) on our own threads use both cores without
// spinning. Each job writes only its own result slot, so results do not depend on scheduling.
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rumi {

inline void parallel_for(std::size_t jobs, int threads, const std::function<void(std::size_t)>& fn) {
  const std::size_t workers = std::min<std::size_t>(jobs, static_cast<std::size_t>(std::max(1, threads)));
  if (workers <= 1) {
    for (std::size_t i = 0; i < jobs; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < jobs; i = next++) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  pool.clear();
  if (error) std::rethrow_exception(error);
}

}  // namespace rumi
