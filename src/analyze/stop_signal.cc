#include "analyze/stop_signal.h"

#include "core/error.h"

namespace rumi::analyze {

namespace {

// A signal handler can only reach the guard through a process-wide pointer; it is set and
// cleared by the (single) live guard.
std::atomic<StopSignalGuard*> g_active{nullptr};
std::atomic<std::atomic<bool>*> g_flag{nullptr};
std::atomic<std::atomic<int>*> g_last{nullptr};

extern "C" void on_stop_signal(int sig) {
  if (auto* f = g_flag.load()) f->store(true);
  if (auto* l = g_last.load()) l->store(sig);
}

}  // namespace

StopSignalGuard::StopSignalGuard() {
  StopSignalGuard* expected = nullptr;
  if (!g_active.compare_exchange_strong(expected, this)) throw Error("internal: two StopSignalGuards at once");
  g_flag.store(&flag_);
  g_last.store(&last_signal_);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking wait returns EINTR and notices the flag at once
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

StopSignalGuard::~StopSignalGuard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  g_flag.store(nullptr);
  g_last.store(nullptr);
  g_active.store(nullptr);
}

}  // namespace rumi::analyze
