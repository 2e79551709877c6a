#pragma once
// A small libcurl wrapper: one RAII easy handle per request, retries with exponential backoff
// and seeded jitter on network errors, 429 and 5xx. The bearer token goes in a header only, so
// it never appears in a URL, a log line or an error message; an empty token sends no
// Authorization header at all (downloads from CDNs that must never see the Apify token).
// Other credentials that an API wants in its own header (Anthropic's x-api-key) are added with
// set_header(): headers are sent with request() only, and never logged or put in a message.
//
// download() streams a GET body into a file instead of memory, for media files:
// * The file's current size is the resume offset: a retry (or a later call) sends
//   `Range: bytes=N-` and appends a 206 whose Content-Range starts at N. A 200 answer to a Range
//   request (the server ignored it) truncates the file and takes the whole body; a 206 that starts
//   elsewhere, or a 416, truncates the file and retries from byte 0.
// * The size cap is checked against Content-Length before a byte is written and against every
//   byte written; over it, the file is removed and Error says so (never retried: the file will
//   not get smaller).
// * Only a 200/206 body reaches the file; any other status keeps at most 4 KiB of its body for
//   the message, so an error page never ends up looking like a partial download.
// * The file is fsynced before download() returns a 200/206.
// * Redirects are followed (at most 5, http and https only).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

struct DownloadRequest {
  std::string url;
  std::filesystem::path file;    // appended to; created when missing
  std::string shown_url;         // what messages and logs name (the caller redacts it)
  std::uintmax_t max_bytes = 0;  // 0 = no cap
  double connect_timeout_s = 15.0;
};

struct DownloadResult {
  long status = 0;           // 200 or 206: `file` holds the complete body
  std::uintmax_t bytes = 0;  // size of `file` at the end
  int attempts = 0;
  bool resumed = false;  // a Range request was answered with 206 (bytes were kept)
  std::string content_type;
  std::string error_body;  // first 4 KiB of a non-2xx body
};

class HttpClient {
 public:
  // `deadline_unix_ms`: no request starts and no backoff sleeps past it (overall timeout).
  HttpClient(std::string bearer_token, RetryPolicy policy, std::uint64_t seed, std::int64_t deadline_unix_ms);

  // Retries transient failures; returns the final response (which may still be a 4xx).
  // Throws Error naming method + url (never the token) when retries or the deadline run out.
  HttpResponse request(std::string_view method, const std::string& url, const std::string& body = {});

  // A header request() sends besides Content-Type and Accept (e.g. "x-api-key"); the value may
  // be a secret, so it never reaches a log line or a message.
  void set_header(std::string name, std::string value);

  // GET into a file with resume (rules above). Retries network errors, timeouts, 429 and 5xx
  // like request(); returns the final response, which may be a 4xx (nothing written). Throws
  // Error naming shown_url when retries or the deadline run out, or the size cap is exceeded.
  DownloadResult download(const DownloadRequest& r);

 private:
  HttpResponse attempt(std::string_view method, const std::string& url, const std::string& body, std::string& error);
  void sleep_backoff(int attempt, std::string_view what);
  long download_attempt(const DownloadRequest& r, DownloadResult& out, std::string& error, bool& too_large);

  std::string token_;
  std::vector<std::pair<std::string, std::string>> headers_;
  RetryPolicy policy_;
  Rng rng_;
  std::int64_t deadline_ms_;
};

std::int64_t steady_now_ms();

}  // namespace rumi::acquire
