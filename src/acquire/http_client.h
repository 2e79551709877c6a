#pragma once
// A small libcurl wrapper: one RAII easy handle per request, retries with exponential backoff
// and seeded jitter on network errors, 429 and 5xx. The bearer token goes in a header only, so
// it never appears in a URL, a log line or an error message.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/rng.h"

namespace rumi::acquire {

struct HttpResponse {
  long status = 0;
  std::string body;
};

struct RetryPolicy {
  int max_attempts = 6;
  double initial_backoff_s = 1.0;
  double max_backoff_s = 30.0;
  double request_timeout_s = 60.0;
};

class HttpClient {
 public:
  // `deadline_unix_ms`: no request starts and no backoff sleeps past it (overall timeout).
  HttpClient(std::string bearer_token, RetryPolicy policy, std::uint64_t seed, std::int64_t deadline_unix_ms);

  // Retries transient failures; returns the final response (which may still be a 4xx).
  // Throws Error naming method + url (never the token) when retries or the deadline run out.
  HttpResponse request(std::string_view method, const std::string& url, const std::string& body = {});

 private:
  HttpResponse attempt(std::string_view method, const std::string& url, const std::string& body, std::string& error);
  void sleep_backoff(int attempt, std::string_view what);

  std::string token_;
  RetryPolicy policy_;
  Rng rng_;
  std::int64_t deadline_ms_;
};

std::int64_t steady_now_ms();

}  // namespace rumi::acquire
