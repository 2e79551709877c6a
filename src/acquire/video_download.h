#pragma once
// Downloading one selected video's file for the native analyzer, from the media links the Apify
// item carries. The analyzer reads `<dir>/<video_id>.mp4`; this puts a real, complete video there
// or throws, and never leaves a half file under that name.
//
// Rules:
// * Which URL: the item's media fields in RumiAI's order (spec/rumiai-output-schema.md section 2):
//   videoUrl, downloadAddr, every mediaUrls entry, downloadUrl, then videoUrlNoWaterMark; the
//   first present is tried first and the next one only when a candidate fails for good (4xx,
//   not a video, too large). Only http(s) URLs count. CSV exports flatten the keys
//   ("mediaUrls/0"); both forms are read.
// * Apify key-value-store links (https://api.apify.com/v2/key-value-stores/..., or the same path
//   under RUMI_APIFY_BASE_URL, where tests run a fake server) are private to the account:
//   APIFY_TOKEN from the environment is appended as a `token` query parameter. Nothing else ever
//   gets the token: a TikTok CDN link is fetched with no credentials.
// * Limits: a size cap (DownloadOptions::max_bytes, 300 MB; a Content-Length over it is refused
//   before any byte is written, a body that grows past it is cut off), a connect timeout and a
//   total per-attempt timeout.
// * Retries: network errors, timeouts, 429 and 5xx are retried with RetryPolicy's exponential
//   backoff. Each retry resumes the `.part` file with `Range: bytes=N-`; a 206 whose
//   Content-Range starts at N is appended, a 200 (the server ignored Range) restarts the file
//   from byte 0. A 4xx other than 429 is final for that URL.
// * Atomic: bytes go to `<video_id>.mp4.<h>.part` (h: 12 hex digits of the URL's SHA-256, so a
//   partial file is only ever continued from the link it came from), which is fsynced and renamed
//   to `<video_id>.mp4` only when complete and checked. A `.part` left by an interrupted run is
//   resumed; one from another link is left to `rumi gc --videos`.
// * Content check: the first bytes must be a video container: an ISO-BMFF box header (`ftyp`,
//   `moov`, `mdat`, `free`, `skip`, `wide` at offset 4: MP4/MOV/3GP), EBML (1A 45 DF A3:
//   WebM/Matroska), FLV, MPEG-TS (0x47 sync at bytes 0 and 188) or RIFF/AVI (not RIFF/WAVE). An HTML page is refused
//   with "not a video: the server returned an HTML page", JSON and anything else with "not a video: ..."; the file is
//   removed so a retry starts clean.
// * Reuse: a complete `<video_id>.mp4` that passes the content check is returned without any
//   request (so a retention-kept file costs nothing the second time).
// * Errors (rumi::Error) name the video id and the URL, with every token and signature redacted
//   (core/redact.h), and so do the log lines; a bad video id (not 1..64 of [A-Za-z0-9_-]) is a
//   UsageError before anything touches the disk.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "acquire/http_client.h"
#include "core/json.h"
#include "core/video.h"
#include "store/gc.h"

namespace rumi::acquire {

struct DownloadOptions {
  std::uintmax_t max_bytes = std::uintmax_t{300} << 20;  // 300 MiB: a 10-minute 1080p upload fits
  double connect_timeout_s = 15.0;
  RetryPolicy retry{.max_attempts = 4, .initial_backoff_s = 1.0, .max_backoff_s = 20.0, .request_timeout_s = 300.0};
  double overall_timeout_s = 1800.0;  // all attempts and URLs of one video together
  // APIFY_TOKEN by default (download_options_from_env); appended only to Apify storage links.
  std::string apify_token;
  std::string apify_base_url = "https://api.apify.com";  // RUMI_APIFY_BASE_URL when set
  std::uint64_t seed = 42;                               // backoff jitter
};

// The public layer's folder of downloaded videos (store/gc.h; `rumi gc --videos` keeps it small).
using store::public_videos_dir;

// Defaults + APIFY_TOKEN and RUMI_APIFY_BASE_URL from the environment (an unset token stays
// empty: public CDN links still work, Apify storage links then fail with HTTP 401/403).
DownloadOptions download_options_from_env();

// The candidate download URLs of a raw Apify item (nested JSON or a flattened CSV row), in the
// order above, duplicates removed. Empty when the item offers none.
std::vector<std::string> item_media_urls(const Json& item);

// True for a /v2/key-value-stores/ path on apify.com (or a subdomain) over https, or under
// `apify_base_url`: the links that need the token.
bool is_apify_storage_url(std::string_view url, std::string_view apify_base_url = "https://api.apify.com");

// The URL actually requested: for Apify storage links, `url` with `token=<token>` (replacing a
// token already there); every other URL unchanged. An empty token changes nothing.
std::string authorized_url(const std::string& url, const DownloadOptions& o);

// Downloads the first working URL of `urls` to `dir/<video_id>.mp4` (dir is created) and returns
// that path. Throws Error naming the id and the redacted URL(s) when none works or `urls` is
// empty; UsageError for an unsafe video id.
std::filesystem::path fetch_video(std::string_view video_id, const std::vector<std::string>& urls,
                                  const std::filesystem::path& dir, const DownloadOptions& o);

// The same for an item as read from the raw JSONL (the id from its "id" field).
std::filesystem::path fetch_video(const Json& item, const std::filesystem::path& dir, const DownloadOptions& o);

// The same for a normalized Video, from its media_urls (the importers fill them from the fields
// above); a Video without any is an Error naming the id.
std::filesystem::path fetch_video(const Video& v, const std::filesystem::path& dir, const DownloadOptions& o);

// What the content check sees in a file's first bytes: "" for a video container, else the reason
// ("the server returned an HTML page", "the server returned JSON", "empty file",
// "unknown format (first bytes 3c 21 ...)").
std::string not_a_video_reason(std::string_view first_bytes);

}  // namespace rumi::acquire
