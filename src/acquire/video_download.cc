#include "acquire/video_download.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/redact.h"
#include "core/sha256.h"

namespace rumi::acquire {

namespace fs = std::filesystem;

namespace {

bool safe_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

bool is_http_url(std::string_view s) { return s.starts_with("https://") || s.starts_with("http://"); }

// A value at a dotted path, nested ({"videoMeta": {"downloadAddr": ...}}) or flattened by the
// CSV importer ({"videoMeta/downloadAddr": ...}).
const Json* lookup(const Json& item, std::initializer_list<std::string_view> keys) {
  const Json* cur = &item;
  for (auto k : keys) {
    if (!cur->is_object()) {
      cur = nullptr;
      break;
    }
    auto it = cur->find(std::string(k));
    if (it == cur->end()) {
      cur = nullptr;
      break;
    }
    cur = &*it;
  }
  if (cur) return cur;
  std::string flat;
  for (auto k : keys) {
    if (!flat.empty()) flat += '/';
    flat.append(k);
  }
  auto it = item.find(flat);
  return it == item.end() ? nullptr : &*it;
}

void add_url(std::vector<std::string>& out, const Json* v) {
  if (!v || !v->is_string()) return;
  std::string s = v->get<std::string>();
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  if (!is_http_url(s)) return;
  if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
}

std::string_view host_of(std::string_view url) {
  std::size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  url.remove_prefix(start + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (std::size_t at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  return url.substr(0, url.find(':'));
}

std::string path_of(std::string_view url) {
  std::size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::size_t slash = url.find_first_of("/?#", start + 3);
  if (slash == std::string_view::npos || url[slash] != '/') return "/";
  return std::string(url.substr(slash, url.find_first_of("?#", slash) - slash));
}

std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string read_head(const fs::path& p, std::size_t n) {
  std::ifstream in(p, std::ios::binary);
  std::string buf(n, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(n));
  buf.resize(static_cast<std::size_t>(in.gcount()));
  return buf;
}

void fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string size_text(std::uintmax_t b) {
  if (b >= (std::uintmax_t{1} << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(b) / (1024.0 * 1024.0));
  return std::to_string(b) + " bytes";
}

// The URLs a Video carries, for the overload below. Written as a template so this file builds
// whether or not the normalized record has grown the field yet.
template <class V>
std::vector<std::string> media_urls_of(const V& v) {
  if constexpr (requires { v.media_urls; })
    return std::vector<std::string>(v.media_urls.begin(), v.media_urls.end());
  else
    return {};
}

}  // namespace

DownloadOptions download_options_from_env() {
  DownloadOptions o;
  if (const char* t = std::getenv("APIFY_TOKEN"); t && *t) o.apify_token = t;
  if (const char* b = std::getenv("RUMI_APIFY_BASE_URL"); b && *b) o.apify_base_url = b;
  return o;
}

std::vector<std::string> item_media_urls(const Json& item) {
  std::vector<std::string> out;
  if (!item.is_object()) return out;
  add_url(out, lookup(item, {"videoUrl"}));
  add_url(out, lookup(item, {"downloadAddr"}));
  add_url(out, lookup(item, {"videoMeta", "downloadAddr"}));
  if (const Json* m = lookup(item, {"mediaUrls"}); m && m->is_array()) {
    for (const Json& u : *m) add_url(out, &u);
  } else {
    for (int i = 0;; ++i) {  // CSV: mediaUrls/0, mediaUrls/1, ...
      auto it = item.find("mediaUrls/" + std::to_string(i));
      if (it == item.end()) break;
      add_url(out, &*it);
    }
  }
  add_url(out, lookup(item, {"downloadUrl"}));
  add_url(out, lookup(item, {"videoUrlNoWaterMark"}));
  return out;
}

bool is_apify_storage_url(std::string_view url, std::string_view apify_base_url) {
  if (!is_http_url(url)) return false;
  if (!path_of(url).starts_with("/v2/key-value-stores/")) return false;
  std::string_view host = host_of(url);
  if (url.starts_with("https://") && (host == "apify.com" || host.ends_with(".apify.com"))) return true;
  if (apify_base_url.empty()) return false;
  std::string base(apify_base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return url.starts_with(base + "/v2/key-value-stores/");
}

std::string authorized_url(const std::string& url, const DownloadOptions& o) {
  if (o.apify_token.empty() || !is_apify_storage_url(url, o.apify_base_url)) return url;
  std::size_t hash = url.find('#');
  std::string base = url.substr(0, hash);
  std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  std::string query;
  std::size_t q = base.find('?');
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(base).substr(q + 1);
    while (!rest.empty()) {  // drop a token already there: ours is the one that works
      std::size_t amp = rest.find('&');
      std::string_view p = rest.substr(0, amp);
      if (!p.starts_with("token=") && p != "token") {
        if (!query.empty()) query += '&';
        query.append(p);
      }
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
    base.resize(q);
  }
  if (!query.empty()) query += '&';
  query += "token=" + percent_encode(o.apify_token);
  return base + "?" + query + fragment;
}

std::string not_a_video_reason(std::string_view b) {
  if (b.empty()) return "empty file";
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 8) {
    std::string_view box = b.substr(4, 4);
    for (std::string_view k : {"ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"})
      if (box == k) return "";
  }
  if (b.size() >= 4 && at(0) == 0x1A && at(1) == 0x45 && at(2) == 0xDF && at(3) == 0xA3) return "";  // EBML
  if (b.starts_with("FLV\x01")) return "";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "AVI ") return "";  // not RIFF/WAVE: no picture
  if (b.size() >= 189 && at(0) == 0x47 && at(188) == 0x47) return "";  // MPEG-TS: two packets' sync bytes
  std::string_view t = b;
  if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\r' || t.front() == '\t'))
    t.remove_prefix(1);
  std::string lower(t.substr(0, 256));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.starts_with("<head") ||
      lower.starts_with("<body") || lower.find("<html") != std::string::npos)
    return "the server returned an HTML page";
  if (lower.starts_with("<")) return "the server returned an XML document";
  if (lower.starts_with("{") || lower.starts_with("[")) return "the server returned JSON";
  std::string hex;
  for (std::size_t i = 0; i < std::min<std::size_t>(b.size(), 8); ++i)
    hex += fmt::format("{}{:02x}", i ? " " : "", at(i));
  return "unknown format (first bytes " + hex + ")";
}

fs::path fetch_video(std::string_view video_id, const std::vector<std::string>& urls, const fs::path& dir,
                     const DownloadOptions& o) {
  if (!safe_id(video_id))
    throw UsageError("video id '" + redact_urls(video_id.substr(0, 64)) +
                     "' cannot name a file (1..64 of A-Z a-z 0-9 _ -)");
  const std::string id(video_id);
  fs::path final_path = dir / (id + ".mp4");
  std::error_code ec;
  if (fs::is_regular_file(final_path, ec) && fs::file_size(final_path, ec) > 0) {
    std::string why = not_a_video_reason(read_head(final_path, 256));
    if (why.empty()) {
      spdlog::debug("video {}: using the downloaded {}", id, final_path.string());
      return final_path;
    }
    spdlog::warn("video {}: {} is not a video ({}); downloading it again", id, final_path.string(), why);
    fs::remove(final_path, ec);
  }
  if (urls.empty())
    throw Error("video " + id + ": the item has no download link (videoUrl, downloadAddr, mediaUrls, downloadUrl)");
  ensure_directory(dir);
  auto deadline = steady_now_ms() + static_cast<std::int64_t>(o.overall_timeout_s * 1000);
  HttpClient client("", o.retry, o.seed, deadline);  // no bearer token: CDN hosts must never see it
  std::vector<std::string> failures;
  for (const std::string& url : urls) {
    const std::string shown = redact_url(url);
    const fs::path part = dir / (id + ".mp4." + sha256_hex(url).substr(0, 12) + ".part");
    DownloadRequest req{authorized_url(url, o), part, shown, o.max_bytes, o.connect_timeout_s};
    spdlog::info("video {}: downloading {}", id, shown);
    std::string failure;
    try {
      DownloadResult res = client.download(req);
      if (res.status == 200 || res.status == 206) {
        std::string why = not_a_video_reason(read_head(part, 256));
        if (why.empty()) {
          fs::rename(part, final_path, ec);
          if (ec) throw Error("video " + id + ": cannot rename " + part.string() + ": " + ec.message());
          fsync_dir(dir);
          spdlog::info("video {}: {} downloaded{}", id, size_text(res.bytes), res.resumed ? " (resumed)" : "");
          return final_path;
        }
        fs::remove(part, ec);
        failure = "GET " + shown + ": not a video: " + why;
      } else {
        failure = "GET " + shown + ": HTTP " + std::to_string(res.status);
      }
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      failure = e.what();
    }
    failure = redact_urls(redact_secrets(failure));
    spdlog::warn("video {}: {}", id, failure);
    failures.push_back(std::move(failure));
  }
  std::string msg = "video " + id + ": download failed: ";
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (i) msg += "; ";
    msg += failures[i];
  }
  throw Error(msg);
}

fs::path fetch_video(const Json& item, const fs::path& dir, const DownloadOptions& o) {
  std::string id;
  if (item.is_object() && item.contains("id")) {
    const Json& v = item["id"];
    if (v.is_string())
      id = v.get<std::string>();
    else if (v.is_number_unsigned())
      id = std::to_string(v.get<std::uint64_t>());
    else if (v.is_number_integer())
      id = std::to_string(v.get<std::int64_t>());
  }
  if (id.empty()) throw InputError("Apify item", "", "id", "missing or not a string");
  return fetch_video(id, item_media_urls(item), dir, o);
}

fs::path fetch_video(const Video& v, const fs::path& dir, const DownloadOptions& o) {
  return fetch_video(v.id, media_urls_of(v), dir, o);
}

}  // namespace rumi::acquire
