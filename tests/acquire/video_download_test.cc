// Downloading videos against an in-process fake media server on 127.0.0.1: success, resume after
// a cut (206), a server that ignores Range (200 -> restart), the size cap, error pages that are not
// videos, 5xx retries, URL order, reuse of a finished file, and that no token ever shows in an
// error or a log line. The redaction helper and the media-link order are tested here too.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "acquire/video_download.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/redact.h"
#include "support/test_support.h"

namespace rumi::acquire {
namespace {
namespace fs = std::filesystem;

// A small MP4-looking body: a real ftyp box header, then deterministic filler.
std::string fake_mp4(std::size_t n) {
  std::string s(
      "\x00\x00\x00\x18"
      "ftypmp42\x00\x00\x00\x00mp42isom",
      24);
  std::uint32_t x = 12345;
  while (s.size() < n) {
    x = x * 1103515245u + 12345u;
    s += static_cast<char>(x >> 24);
  }
  return s;
}

struct Seen {
  std::string path, range, query, auth;
};

class FakeMedia {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, int call)>;
  explicit FakeMedia(Handler h) : handler_(std::move(h)) {
    svr_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      int call = 0;
      {
        std::lock_guard lock(mu_);
        std::string q;
        for (const auto& [k, v] : req.params) q += (q.empty() ? "" : "&") + k + "=" + v;
        seen_.push_back({req.path, req.get_header_value("Range"), q, req.get_header_value("Authorization")});
        call = static_cast<int>(seen_.size());
      }
      handler_(req, res, call);
    });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
    while (!svr_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeMedia() {
    svr_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  Handler handler_;
  httplib::Server svr_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

// Sends the first `half` bytes of `body` with the full Content-Length, then drops the connection.
void send_half(httplib::Response& res, const std::string& body, std::size_t half) {
  res.set_content_provider(body.size(), "video/mp4",
                           [body, half](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                             if (offset < half) sink.write(body.data() + offset, half - offset);
                             return offset < half;  // false on the next call: the connection is cut mid-body
                           });
}

DownloadOptions quick_options() {
  DownloadOptions o;
  o.retry.max_attempts = 3;
  o.retry.initial_backoff_s = 0.01;
  o.retry.max_backoff_s = 0.02;
  o.retry.request_timeout_s = 10;
  o.connect_timeout_s = 5;
  o.overall_timeout_s = 30;
  o.apify_token.clear();
  return o;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    out.push_back(it->path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

// Collects what the default logger writes while it lives.
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)) {
    spdlog::default_logger()->sinks().push_back(sink_);
    level_ = spdlog::default_logger()->level();
    spdlog::default_logger()->set_level(spdlog::level::debug);
  }
  ~LogCapture() {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    spdlog::default_logger()->set_level(level_);
  }
  std::string text() {
    spdlog::default_logger()->flush();
    return out_.str();
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  spdlog::level::level_enum level_;
};

const std::string kId = "7522345762324237623";

TEST(VideoDownload, DownloadsAndRenamesAtomically) {
  test::TempDir dir;
  const std::string body = fake_mp4(150000);
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int) { res.set_content(body, "video/mp4"); });
  fs::path out = fetch_video(kId, {srv.url("/v.mp4")}, dir / "videos", quick_options());
  EXPECT_EQ(out, dir / "videos" / (kId + ".mp4"));
  EXPECT_EQ(read_file(out), body);
  EXPECT_EQ(files_in(dir / "videos"), std::vector<fs::path>{kId + ".mp4"});  // no .part left
  ASSERT_EQ(srv.seen().size(), 1u);
  EXPECT_EQ(srv.seen()[0].range, "");
  EXPECT_EQ(srv.seen()[0].auth, "");  // a media host never gets credentials
}

TEST(VideoDownload, ResumesAfterACutWithARangeRequest) {
  test::TempDir dir;
  const std::string body = fake_mp4(200000);
  const std::size_t half = 70000;
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int call) {
    if (call == 1) return send_half(res, body, half);
    res.set_content(body, "video/mp4");  // httplib answers a Range request with 206 + the slice
  });
  fs::path out = fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), quick_options());
  EXPECT_EQ(read_file(out), body);
  auto seen = srv.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].range, "");
  EXPECT_EQ(seen[1].range, "bytes=" + std::to_string(half) + "-");
}

TEST(VideoDownload, ALaterCallResumesThePartFileAnInterruptedOneLeft) {
  test::TempDir dir;
  const std::string body = fake_mp4(120000);
  const std::size_t half = 50000;
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int call) {
    if (call == 1) return send_half(res, body, half);
    res.set_content(body, "video/mp4");
  });
  DownloadOptions o = quick_options();
  o.retry.max_attempts = 1;
  try {
    fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), o);
    FAIL() << "a cut transfer with no retries left must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("video " + kId), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(srv.url("/v.mp4")), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / (kId + ".mp4")));
  auto left = files_in(dir.path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(left[0].string().ends_with(".part")) << left[0];
  EXPECT_EQ(fs::file_size(dir.path() / left[0]), half);

  fs::path out = fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), o);
  EXPECT_EQ(read_file(out), body);
  ASSERT_EQ(srv.seen().size(), 2u);
  EXPECT_EQ(srv.seen()[1].range, "bytes=" + std::to_string(half) + "-");
  EXPECT_EQ(files_in(dir.path()), std::vector<fs::path>{kId + ".mp4"});
}

TEST(VideoDownload, AServerThatIgnoresRangeRestartsTheFile) {
  test::TempDir dir;
  const std::string body = fake_mp4(100000);
  FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int call) {
    if (call == 1) return send_half(res, body, 40000);
    // This server does not do ranges: the whole body with 200. httplib would slice the body for a
    // Range request by itself, so the parsed ranges are dropped before it sees them.
    const_cast<httplib::Request&>(req).ranges.clear();
    res.status = 200;
    res.set_content(body, "video/mp4");
  });
  fs::path out = fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), quick_options());
  EXPECT_EQ(read_file(out), body);  // not the first 40000 bytes followed by the whole body
  ASSERT_EQ(srv.seen().size(), 2u);
  EXPECT_EQ(srv.seen()[1].range, "bytes=40000-");
}

TEST(VideoDownload, A206ForAnotherRangeOrA416RestartsFromByteZero) {
  test::TempDir dir;
  const std::string body = fake_mp4(90000);
  for (int answer : {206, 416}) {
    FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int call) {
      if (call == 1) return send_half(res, body, 30000);
      if (call == 2) {
        const_cast<httplib::Request&>(req).ranges.clear();
        res.status = answer;
        if (answer == 206) {  // claims the whole file although bytes 30000- were asked for
          res.set_header("Content-Range", "bytes 0-89999/90000");
          res.set_content(body, "video/mp4");
        }
        return;
      }
      res.set_content(body, "video/mp4");
    });
    fs::path out = fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), quick_options());
    EXPECT_EQ(read_file(out), body) << answer;
    auto seen = srv.seen();
    ASSERT_EQ(seen.size(), 3u) << answer;
    EXPECT_EQ(seen[1].range, "bytes=30000-");
    EXPECT_EQ(seen[2].range, "") << "the untrusted partial file is dropped, not resumed";
    fs::remove(out);
  }
}

TEST(VideoDownload, AStalledServerTimesOutAndIsRetried) {
  test::TempDir dir;
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    res.set_content(fake_mp4(1000), "video/mp4");
  });
  DownloadOptions o = quick_options();
  o.retry.max_attempts = 2;
  o.retry.request_timeout_s = 0.2;
  auto t0 = std::chrono::steady_clock::now();
  try {
    fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), o);
    FAIL() << "a stalled server must time out";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gave up after 2 attempts"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_FALSE(fs::exists(dir / (kId + ".mp4")));
}

TEST(VideoDownload, FollowsARedirectToTheFile) {
  test::TempDir dir;
  const std::string body = fake_mp4(20000);
  FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.path == "/r") return res.set_redirect("/v.mp4");
    res.set_content(body, "video/mp4");
  });
  EXPECT_EQ(read_file(fetch_video(kId, {srv.url("/r")}, dir.path(), quick_options())), body);
  EXPECT_EQ(srv.seen().size(), 2u);
}

TEST(VideoDownload, RefusesABodyOverTheSizeCapAndLeavesNoFile) {
  test::TempDir dir;
  const std::string body = fake_mp4(100000);
  FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.path == "/chunked.mp4") {  // no Content-Length: the cap must stop the stream itself
      res.set_chunked_content_provider("video/mp4", [body](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= body.size()) return sink.done(), true;
        sink.write(body.data() + offset, std::min<std::size_t>(8192, body.size() - offset));
        return true;
      });
      return;
    }
    res.set_content(body, "video/mp4");
  });
  DownloadOptions o = quick_options();
  o.max_bytes = 60000;
  for (const std::string path : {"/v.mp4", "/chunked.mp4"}) {
    try {
      fetch_video(kId, {srv.url(path)}, dir.path(), o);
      FAIL() << path << ": over the cap must throw";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("size cap"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(kId), std::string::npos) << e.what();
    }
    EXPECT_TRUE(files_in(dir.path()).empty()) << path;
  }
  EXPECT_EQ(srv.seen().size(), 2u);  // too large is final: never retried
  o.max_bytes = 100000;              // exactly the size is allowed
  EXPECT_EQ(read_file(fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), o)), body);
}

TEST(VideoDownload, RefusesAnHtmlPageOrJsonSavedAsVideo) {
  test::TempDir dir;
  FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.path == "/json") return res.set_content(R"({"error":{"type":"record-not-found"}})", "application/json");
    res.set_content("<!DOCTYPE html>\n<html><body>Please log in</body></html>", "text/html");
  });
  try {
    fetch_video(kId, {srv.url("/page")}, dir.path(), quick_options());
    FAIL() << "an HTML page must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a video: the server returned an HTML page"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(
      {
        try {
          fetch_video(kId, {srv.url("/json")}, dir.path(), quick_options());
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("not a video: the server returned JSON"), std::string::npos) << e.what();
          throw;
        }
      },
      Error);
  EXPECT_TRUE(files_in(dir.path()).empty());
  EXPECT_EQ(srv.seen().size(), 2u);  // a 200 with the wrong content is not retried
}

TEST(VideoDownload, RetriesA500ThenSucceeds) {
  test::TempDir dir;
  const std::string body = fake_mp4(30000);
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int call) {
    if (call == 1) return void(res.status = 500);
    res.set_content(body, "video/mp4");
  });
  LogCapture log;
  EXPECT_EQ(read_file(fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), quick_options())), body);
  EXPECT_EQ(srv.seen().size(), 2u);
  EXPECT_NE(log.text().find("HTTP 500; retrying"), std::string::npos) << log.text();
}

TEST(VideoDownload, AFinal404FallsBackToTheNextLink) {
  test::TempDir dir;
  const std::string body = fake_mp4(30000);
  FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.path == "/gone.mp4") return void(res.status = 404);
    res.set_content(body, "video/mp4");
  });
  EXPECT_EQ(read_file(fetch_video(kId, {srv.url("/gone.mp4"), srv.url("/kept.mp4")}, dir.path(), quick_options())),
            body);
  auto seen = srv.seen();
  ASSERT_EQ(seen.size(), 2u);  // a 404 is final for its link: no retry, the next link instead
  EXPECT_EQ(seen[0].path, "/gone.mp4");
  EXPECT_EQ(seen[1].path, "/kept.mp4");
}

TEST(VideoDownload, TheTokenGoesToApifyStorageOnlyAndIsRedactedInErrorsAndLogs) {
  test::TempDir dir;
  const std::string token = "apify_api_SeCrEt0123456789";
  FakeMedia srv([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.path.starts_with("/v2/key-value-stores/")) return void(res.status = 503);
    res.status = 403;
  });
  DownloadOptions o = quick_options();
  o.apify_token = token;
  o.apify_base_url = srv.url("");
  o.retry.max_attempts = 2;
  const std::string kv = srv.url("/v2/key-value-stores/store1/records/video-" + kId);
  const std::string cdn = srv.url("/cdn/v.mp4?x-expires=1751828400&x-signature=AbCdSig%3D&t=4d5b");
  LogCapture log;
  std::string message;
  try {
    fetch_video(kId, {kv, cdn}, dir.path(), o);
  } catch (const Error& e) {
    message = e.what();
  }
  ASSERT_FALSE(message.empty()) << "every link fails: must throw";
  auto seen = srv.seen();
  ASSERT_EQ(seen.size(), 3u);                  // the storage link twice (503 retried), the CDN link once (403)
  EXPECT_EQ(seen[0].query, "token=" + token);  // the token really was sent to Apify storage
  EXPECT_EQ(seen[2].query.find("token"), std::string::npos);  // and never to the CDN
  for (const auto& s : seen) EXPECT_EQ(s.auth, "");

  const std::string logged = log.text();
  for (const std::string& text : {message, logged}) {
    EXPECT_EQ(text.find(token), std::string::npos) << text;
    EXPECT_EQ(text.find("AbCdSig"), std::string::npos) << text;
  }
  EXPECT_NE(message.find("video " + kId), std::string::npos) << message;
  EXPECT_NE(message.find("/v2/key-value-stores/store1/records/video-" + kId), std::string::npos) << message;
  EXPECT_NE(message.find("x-signature=***"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 503"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 403"), std::string::npos) << message;
  EXPECT_NE(logged.find("/cdn/v.mp4?x-expires=1751828400&x-signature=***&t=4d5b"), std::string::npos) << logged;
}

TEST(VideoDownload, AFinishedFileIsReusedWithoutARequest) {
  test::TempDir dir;
  const std::string body = fake_mp4(5000);
  write_file_atomic(dir / (kId + ".mp4"), body);
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int) { res.status = 500; });
  EXPECT_EQ(fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), quick_options()), dir / (kId + ".mp4"));
  EXPECT_TRUE(srv.seen().empty());
  EXPECT_EQ(read_file(dir / (kId + ".mp4")), body);
}

TEST(VideoDownload, AnHtmlPageLeftUnderTheVideoNameIsDownloadedAgain) {
  test::TempDir dir;
  const std::string body = fake_mp4(5000);
  write_file_atomic(dir / (kId + ".mp4"), "<html>error</html>");
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int) { res.set_content(body, "video/mp4"); });
  EXPECT_EQ(read_file(fetch_video(kId, {srv.url("/v.mp4")}, dir.path(), quick_options())), body);
  EXPECT_EQ(srv.seen().size(), 1u);
}

TEST(VideoDownload, NoLinkOrAnUnsafeIdIsRefusedBeforeAnyRequest) {
  test::TempDir dir;
  try {
    fetch_video(kId, {}, dir.path(), quick_options());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("video " + kId + ": the item has no download link"), std::string::npos);
  }
  EXPECT_THROW(fetch_video("../etc/passwd", {"http://127.0.0.1:1/x"}, dir.path(), quick_options()), UsageError);
  EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(VideoDownload, ItemOverloadsReadTheIdAndLinks) {
  test::TempDir dir;
  const std::string body = fake_mp4(5000);
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int) { res.set_content(body, "video/mp4"); });
  Json item{{"id", kId}, {"mediaUrls", {srv.url("/m.mp4")}}};
  EXPECT_EQ(read_file(fetch_video(item, dir.path(), quick_options())), body);
  EXPECT_EQ(srv.seen().at(0).path, "/m.mp4");
  EXPECT_THROW(fetch_video(Json{{"mediaUrls", Json::array()}}, dir.path(), quick_options()), InputError);
  Video v;
  v.id = "7000000000000000001";
  EXPECT_THROW(fetch_video(v, dir.path(), quick_options()), Error);  // a Video with no media links
}

TEST(VideoDownload, MediaLinksFollowRumiAisOrderInNestedAndCsvItems) {
  Json nested{{"downloadUrl", "https://d/4"},
              {"mediaUrls", {"https://m/2", "not a url", "https://m/3", "https://m/2"}},
              {"videoUrl", "https://v/1"},
              {"downloadAddr", ""},
              {"videoUrlNoWaterMark", "https://n/5"},
              {"webVideoUrl", "https://www.tiktok.com/@a/video/1"}};
  EXPECT_EQ(item_media_urls(nested),
            (std::vector<std::string>{"https://v/1", "https://m/2", "https://m/3", "https://d/4", "https://n/5"}));
  Json csv{{"mediaUrls/0", "https://api.apify.com/v2/key-value-stores/s/records/a"},
           {"mediaUrls/1", "https://m/b"},
           {"videoMeta/downloadAddr", "https://cdn/x"},
           {"videoUrl", ""}};
  EXPECT_EQ(item_media_urls(csv),
            (std::vector<std::string>{"https://cdn/x", "https://api.apify.com/v2/key-value-stores/s/records/a",
                                      "https://m/b"}));
  EXPECT_TRUE(item_media_urls(Json{{"webVideoUrl", "https://www.tiktok.com/x"}}).empty());
  EXPECT_TRUE(item_media_urls(Json::array()).empty());
}

TEST(VideoDownload, TokenIsAddedToApifyStorageLinksOnly) {
  DownloadOptions o;
  o.apify_token = "tok/en+1";
  EXPECT_TRUE(is_apify_storage_url("https://api.apify.com/v2/key-value-stores/s/records/k"));
  EXPECT_FALSE(is_apify_storage_url("https://api.apify.com.evil.example/v2/key-value-stores/s/records/k"));
  EXPECT_FALSE(is_apify_storage_url("http://api.apify.com/v2/key-value-stores/s/records/k"));  // no token in clear
  EXPECT_FALSE(is_apify_storage_url("https://v16.tiktokcdn.com/v2/x.mp4"));
  EXPECT_FALSE(is_apify_storage_url("https://evil.example/?u=https://api.apify.com/v2/key-value-stores/s"));
  EXPECT_EQ(authorized_url("https://api.apify.com/v2/key-value-stores/s/records/k", o),
            "https://api.apify.com/v2/key-value-stores/s/records/k?token=tok%2Fen%2B1");
  EXPECT_EQ(authorized_url("https://api.apify.com/v2/key-value-stores/s/records/k?token=old&disableRedirect=1", o),
            "https://api.apify.com/v2/key-value-stores/s/records/k?disableRedirect=1&token=tok%2Fen%2B1");
  EXPECT_EQ(authorized_url("https://v16.tiktokcdn.com/x.mp4?a=1", o), "https://v16.tiktokcdn.com/x.mp4?a=1");
  o.apify_token.clear();
  EXPECT_EQ(authorized_url("https://api.apify.com/v2/key-value-stores/s/records/k", o),
            "https://api.apify.com/v2/key-value-stores/s/records/k");
}

TEST(VideoDownload, ContentCheckKnowsContainersAndErrorPages) {
  EXPECT_EQ(not_a_video_reason(fake_mp4(64)), "");
  EXPECT_EQ(not_a_video_reason(std::string("\x1A\x45\xDF\xA3\x9F\x42\x86\x81", 8)), "");           // WebM / Matroska
  EXPECT_EQ(not_a_video_reason(std::string("\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", 16)), "");  // QuickTime
  EXPECT_EQ(not_a_video_reason("\xEF\xBB\xBF  <!doctype HTML><html>"), "the server returned an HTML page");
  EXPECT_EQ(not_a_video_reason("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>"),
            "the server returned an XML document");
  EXPECT_EQ(not_a_video_reason("\n{\"error\": 1}"), "the server returned JSON");
  std::string ts(376, '\xff');
  ts[0] = ts[188] = '\x47';
  EXPECT_EQ(not_a_video_reason(ts), "");  // MPEG-TS: two packets
  EXPECT_EQ(not_a_video_reason(std::string("RIFF\x24\x08\x00\x00WAVEfmt ", 16)),
            "unknown format (first bytes 52 49 46 46 24 08 00 00)");  // audio only
  EXPECT_EQ(not_a_video_reason(""), "empty file");
  EXPECT_EQ(not_a_video_reason(std::string("GIF89a\x01\x00", 8)),
            "unknown format (first bytes 47 49 46 38 39 61 01 00)");
}

// The oracle is ffmpeg: every container it writes passes the content check, and a file fetched
// in two pieces (cut, then resumed) still probes with the duration it was made with.
TEST(VideoDownload, RealContainersFromFfmpegPassAndSurviveAResume) {
  if (!fs::exists("/usr/bin/ffmpeg") || !fs::exists("/usr/bin/ffprobe")) GTEST_SKIP() << "needs ffmpeg and ffprobe";
  test::TempDir dir;
  for (const std::string ext : {"mp4", "mov", "webm", "mkv", "ts", "flv", "avi"}) {
    const fs::path f = dir / ("clip." + ext);
    auto r = test::run_program({"/usr/bin/ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                                "testsrc=size=64x64:rate=10:duration=1", "-f", "lavfi", "-i", "sine=d=1", "-shortest",
                                f.string()});
    ASSERT_EQ(r.exit_code, 0) << ext << ": " << r.err;
    EXPECT_EQ(not_a_video_reason(read_file(f).substr(0, 256)), "") << ext;
  }
  const std::string body = read_file(dir / "clip.mp4");
  FakeMedia srv([&](const httplib::Request&, httplib::Response& res, int call) {
    if (call == 1) return send_half(res, body, body.size() / 2);
    res.set_content(body, "video/mp4");
  });
  fs::path out = fetch_video(kId, {srv.url("/clip.mp4")}, dir / "videos", quick_options());
  ASSERT_EQ(srv.seen().size(), 2u);
  auto probe = test::run_program({"/usr/bin/ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                                  "default=nw=1:nk=1", out.string()});
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  EXPECT_NEAR(std::stod(probe.out), 1.0, 0.15);
}

TEST(Redact, SecretsInUrlsAreMaskedAndTheRestKept) {
  EXPECT_EQ(redact_url("https://api.apify.com/v2/key-value-stores/s/records/k?token=abc123&x=1#f"),
            "https://api.apify.com/v2/key-value-stores/s/records/k?token=***&x=1#f");
  EXPECT_EQ(redact_url("https://b.s3.amazonaws.com/v.mp4?X-Amz-Algorithm=AWS4&X-Amz-Credential=AK%2F1"
                       "&X-Amz-Signature=deadbeef&X-Amz-Security-Token=zz"),
            "https://b.s3.amazonaws.com/v.mp4?X-Amz-Algorithm=AWS4&X-Amz-Credential=***&X-Amz-Signature=***"
            "&X-Amz-Security-Token=***");
  EXPECT_EQ(redact_url("https://user:pa55@host.example/p?TOKEN=x&tokens=keep"),
            "https://***@host.example/p?TOKEN=***&tokens=keep");
  EXPECT_EQ(redact_url("https://v16.tiktokcdn.com/x.mp4?x-expires=17&x-signature=S%3D&sig=1&Policy=p&Key-Pair-Id=k"),
            "https://v16.tiktokcdn.com/x.mp4?x-expires=17&x-signature=***&sig=***&Policy=***&Key-Pair-Id=***");
  EXPECT_EQ(redact_url("https://www.tiktok.com/@a/video/1"), "https://www.tiktok.com/@a/video/1");
  EXPECT_EQ(redact_urls("GET https://h/p?token=t1 failed; see \"http://h2/q?a=1&api_key=k\" or httpx://h?token=t"),
            "GET https://h/p?token=*** failed; see \"http://h2/q?a=1&api_key=***\" or httpx://h?token=t");
  EXPECT_EQ(redact_urls("no urls here, http only"), "no urls here, http only");
}

}  // namespace
}  // namespace rumi::acquire
