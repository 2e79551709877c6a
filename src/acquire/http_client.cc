#include "acquire/http_client.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <curl/curl.h>
#include <memory>
#include <thread>

#include "core/error.h"
#include "core/log.h"

namespace rumi::acquire {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

std::size_t write_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

bool transient(long status) { return status == 429 || status >= 500; }

}  // namespace

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

HttpClient::HttpClient(std::string bearer_token, RetryPolicy policy, std::uint64_t seed, std::int64_t deadline_ms)
    : token_(std::move(bearer_token)), policy_(policy), rng_(make_rng(seed, "apify-backoff")), deadline_ms_(deadline_ms) {}

HttpResponse HttpClient::attempt(std::string_view method, const std::string& url, const std::string& body,
                                 std::string& error) {
  CurlPtr curl(curl_easy_init());
  if (!curl) throw Error("cannot initialise libcurl");
  HttpResponse res;
  SlistPtr headers;
  auto add_header = [&](const std::string& h) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (!next) throw Error("out of memory building HTTP headers");
    headers.release();
    headers.reset(next);
  };
  add_header("Authorization: Bearer " + token_);
  add_header("Content-Type: application/json");
  add_header("Accept: application/json");
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  double remaining_s = static_cast<double>(deadline_ms_ - steady_now_ms()) / 1000.0;
  double timeout_s = std::max(0.001, std::min(policy_.request_timeout_s, remaining_s));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(timeout_s, 30.0) * 1000));
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    error = curl_easy_strerror(rc);
    res.status = 0;
    return res;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
  return res;
}

void HttpClient::sleep_backoff(int attempt, std::string_view what) {
  double base = std::min(policy_.max_backoff_s, policy_.initial_backoff_s * std::pow(2.0, attempt));
  double wait_s = base * (0.5 + 0.5 * uniform01(rng_));  // jitter: spread clients that failed together
  auto wait_ms = static_cast<std::int64_t>(wait_s * 1000);
  if (steady_now_ms() + wait_ms > deadline_ms_) throw Error(std::string(what) + "; overall timeout reached");
  spdlog::warn("{}; retrying in {:.1f} s", what, wait_s);
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
}

HttpResponse HttpClient::request(std::string_view method, const std::string& url, const std::string& body) {
  // Messages name the path only: base URLs can carry credentials in some setups.
  std::string shown = url.substr(0, url.find('?'));
  for (int tries = 0;; ++tries) {
    if (steady_now_ms() >= deadline_ms_)
      throw Error(std::string(method) + " " + shown + ": overall timeout reached");
    std::string error;
    HttpResponse res = attempt(method, url, body, error);
    bool retry = res.status == 0 || transient(res.status);
    if (!retry) return res;
    std::string what = std::string(method) + " " + shown + ": " +
                       (res.status ? "HTTP " + std::to_string(res.status) : "network error: " + error);
    if (tries + 1 >= policy_.max_attempts)
      throw Error(what + " (gave up after " + std::to_string(tries + 1) + " attempts)");
    sleep_backoff(tries, what);
  }
}

}  // namespace rumi::acquire
