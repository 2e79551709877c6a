#include "acquire/http_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
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

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// One download attempt's state, shared by the header and write callbacks.
struct Transfer {
  CURL* curl = nullptr;
  int fd = -1;
  std::uintmax_t offset = 0;   // bytes on disk before this attempt
  std::uintmax_t written = 0;  // bytes this attempt appended
  std::uintmax_t max_bytes = 0;
  bool started = false;  // first body byte seen (status decided)
  bool to_file = false;
  bool too_large = false;
  bool range_mismatch = false;
  bool restarted = false;  // 200 to a Range request: file truncated
  std::string write_error;
  std::string content_range, content_type;
  std::optional<std::uintmax_t> content_length;
  std::string error_body;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (after a redirect): forget the last one's headers
    t->content_range.clear();
    t->content_type.clear();
    t->content_length.reset();
    return size * n;
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name = lower(trim(line.substr(0, colon)));
  std::string_view value = trim(line.substr(colon + 1));
  if (name == "content-range") t->content_range = std::string(value);
  if (name == "content-type") t->content_type = std::string(value);
  if (name == "content-length") {
    std::uintmax_t v = 0;
    bool ok = !value.empty();
    for (char c : value) {
      if (c < '0' || c > '9' || v > (UINTMAX_MAX - 9) / 10) {
        ok = false;
        break;
      }
      v = v * 10 + static_cast<std::uintmax_t>(c - '0');
    }
    if (ok) t->content_length = v;
  }
  return size * n;
}

// "bytes 100-199/200" -> 100; nullopt when malformed.
std::optional<std::uintmax_t> content_range_start(std::string_view v) {
  if (!v.starts_with("bytes ")) return std::nullopt;
  v.remove_prefix(6);
  std::uintmax_t start = 0;
  std::size_t i = 0;
  for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i) start = start * 10 + static_cast<std::uintmax_t>(v[i] - '0');
  if (i == 0 || i >= v.size() || v[i] != '-') return std::nullopt;
  return start;
}

// Decides, at the first body byte, where the body goes (the status is known by then).
bool start_body(Transfer& t) {
  t.started = true;
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 206) return true;
  if (status == 206) {
    auto start = content_range_start(t.content_range);
    if (!start || *start != t.offset) {
      t.range_mismatch = true;
      return false;
    }
  } else if (t.offset > 0) {
    if (::ftruncate(t.fd, 0) != 0 || ::lseek(t.fd, 0, SEEK_SET) != 0) {
      t.write_error = std::strerror(errno);
      return false;
    }
    t.offset = 0;
    t.restarted = true;
  }
  if (t.max_bytes && t.content_length && t.offset + *t.content_length > t.max_bytes) {
    t.too_large = true;
    return false;
  }
  t.to_file = true;
  return true;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  if (!t->started && !start_body(*t)) return 0;  // returning less than len aborts the transfer
  if (!t->to_file) {
    t->error_body.append(data, std::min(len, std::size_t{4096} - std::min(t->error_body.size(), std::size_t{4096})));
    return len;
  }
  if (t->max_bytes && t->offset + t->written + len > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  for (std::size_t done = 0; done < len;) {
    ssize_t w = ::write(t->fd, data + done, len - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      t->write_error = std::strerror(errno);
      return 0;
    }
    done += static_cast<std::size_t>(w);
  }
  t->written += len;
  return len;
}

}  // namespace

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

HttpClient::HttpClient(std::string bearer_token, RetryPolicy policy, std::uint64_t seed, std::int64_t deadline_ms)
    : token_(std::move(bearer_token)),
      policy_(policy),
      rng_(make_rng(seed, "apify-backoff")),
      deadline_ms_(deadline_ms) {}

void HttpClient::set_header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
}

HttpResponse HttpClient::attempt(std::string_view method, const std::string& url, const std::string& body,
                                 std::string& error) {
  CurlPtr curl(curl_easy_init());
  if (!curl) throw Error("cannot initialise libcurl");
  HttpResponse res;
  SlistPtr headers;
  auto add_header = [&](const std::string& h) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (!next) throw Error("out of memory building HTTP headers");
    (void)headers.release();  // curl_slist_append returned the list's head: `next` owns it now
    headers.reset(next);
  };
  if (!token_.empty()) add_header("Authorization: Bearer " + token_);
  add_header("Content-Type: application/json");
  add_header("Accept: application/json");
  for (const auto& [name, value] : headers_) add_header(name + ": " + value);
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
    if (steady_now_ms() >= deadline_ms_) throw Error(std::string(method) + " " + shown + ": overall timeout reached");
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

namespace rumi::acquire {

long HttpClient::download_attempt(const DownloadRequest& r, DownloadResult& out, std::string& error, bool& too_large) {
  Fd file;
  file.fd = ::open(r.file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (file.fd < 0) throw Error("cannot write " + r.file.string() + ": " + std::strerror(errno));
  off_t end = ::lseek(file.fd, 0, SEEK_END);
  if (end < 0) throw Error("cannot seek in " + r.file.string() + ": " + std::strerror(errno));
  CurlPtr curl(curl_easy_init());
  if (!curl) throw Error("cannot initialise libcurl");
  CURL* c = curl.get();
  Transfer t;
  t.curl = c;
  t.fd = file.fd;
  t.offset = static_cast<std::uintmax_t>(end);
  t.max_bytes = r.max_bytes;
  SlistPtr headers;
  if (!token_.empty()) {
    headers.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + token_).c_str()));
    if (!headers) throw Error("out of memory building HTTP headers");
  }
  std::string range = std::to_string(t.offset) + "-";
  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (t.offset > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  double remaining_s = static_cast<double>(deadline_ms_ - steady_now_ms()) / 1000.0;
  double timeout_s = std::max(0.001, std::min(policy_.request_timeout_s, remaining_s));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(timeout_s, r.connect_timeout_s) * 1000));
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (!t.started && (status == 200 || status == 206 || (status == 0 && rc == CURLE_OK))) {
    // An empty body never reached the write callback: still apply the status rules.
    if (rc == CURLE_OK && !start_body(t)) rc = CURLE_WRITE_ERROR;
  }
  if (!t.write_error.empty()) throw Error("cannot write " + r.file.string() + ": " + t.write_error);
  too_large = t.too_large;
  out.content_type = t.content_type;
  out.error_body = t.error_body;
  out.resumed = out.resumed || (status == 206 && t.offset > 0 && !t.range_mismatch);
  if (t.restarted) spdlog::info("{}: the server ignored the resume request; downloading from the start", r.shown_url);
  if (t.range_mismatch) {
    // The server answered a different range than asked: the partial file cannot be trusted.
    if (::ftruncate(file.fd, 0) != 0) throw Error("cannot truncate " + r.file.string() + ": " + std::strerror(errno));
    error = "the server answered a different byte range than requested (" + t.content_range + ")";
    return 0;
  }
  if (rc != CURLE_OK) {
    if (!too_large) error = curl_easy_strerror(rc);
    return 0;
  }
  if (status == 416 && t.offset > 0) {
    // Nothing left after our offset by the server's count: the partial file is stale.
    if (::ftruncate(file.fd, 0) != 0) throw Error("cannot truncate " + r.file.string() + ": " + std::strerror(errno));
    error = "the server refused the resume range (HTTP 416)";
    return 0;
  }
  if ((status == 200 || status == 206) && ::fsync(file.fd) != 0)
    throw Error("cannot fsync " + r.file.string() + ": " + std::strerror(errno));
  off_t size = ::lseek(file.fd, 0, SEEK_END);
  out.bytes = size < 0 ? 0 : static_cast<std::uintmax_t>(size);
  return status;
}

DownloadResult HttpClient::download(const DownloadRequest& r) {
  DownloadResult out;
  for (int tries = 0;; ++tries) {
    if (steady_now_ms() >= deadline_ms_) throw Error("GET " + r.shown_url + ": overall timeout reached");
    std::string error;
    bool too_large = false;
    ++out.attempts;
    out.status = download_attempt(r, out, error, too_large);
    if (too_large) {
      std::error_code ec;
      std::filesystem::remove(r.file, ec);
      throw Error("GET " + r.shown_url + ": larger than the size cap of " + std::to_string(r.max_bytes >> 20) +
                  " MiB; not downloaded");
    }
    bool retry = out.status == 0 || transient(out.status);
    if (!retry) return out;
    std::string what =
        "GET " + r.shown_url + ": " + (out.status ? "HTTP " + std::to_string(out.status) : "network error: " + error);
    if (tries + 1 >= policy_.max_attempts)
      throw Error(what + " (gave up after " + std::to_string(tries + 1) + " attempts)");
    sleep_backoff(tries, what);
  }
}

}  // namespace rumi::acquire
