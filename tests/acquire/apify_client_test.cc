// The live Apify client against an in-process fake Apify server on 127.0.0.1: pagination,
// 429 / 500 retries, every terminal status, malformed JSON, missing token.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "acquire/apify_client.h"
#include "acquire/importers.h"
#include "core/error.h"
#include "core/json.h"

namespace rumi::acquire {
namespace {

struct FakeBehaviour {
  int start_500s = 0;                                         // POST /runs fails this many times first
  std::vector<std::string> statuses{"RUNNING", "SUCCEEDED"};  // successive poll answers
  int items = 0;
  int page_429s = 0;  // first dataset page gets this many 429s
  bool malformed_page = false;
  bool always_500 = false;
};

class FakeApify {
 public:
  explicit FakeApify(FakeBehaviour b) : b_(std::move(b)) {
    svr_.Post("/v2/acts/clockworks~tiktok-scraper/runs", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      if (b_.always_500 || start_500s_++ < b_.start_500s) return void(res.status = 500);
      last_input_ = Json::parse(req.body);
      res.set_content(R"({"data":{"id":"run1","status":"READY","defaultDatasetId":"ds1"}})", "application/json");
    });
    svr_.Get("/v2/actor-runs/run1", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      std::string st = b_.statuses[std::min<std::size_t>(polls_++, b_.statuses.size() - 1)];
      Json data{{"id", "run1"}, {"status", st}, {"defaultDatasetId", "ds1"}};
      if (st == "SUCCEEDED") data["usageTotalUsd"] = 0.0421, data["stats"] = {{"computeUnits", 0.0135}};
      res.set_content(Json{{"data", data}}.dump(), "application/json");
    });
    svr_.Get("/v2/datasets/ds1/items", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      if (page_429s_++ < b_.page_429s) return void(res.status = 429);
      if (b_.malformed_page) return res.set_content(R"([{"id":"1","playCount":)", "application/json");
      int offset = std::stoi(req.get_param_value("offset")), limit = std::stoi(req.get_param_value("limit"));
      Json arr = Json::array();
      for (int i = offset; i < std::min(b_.items, offset + limit); ++i)
        arr.push_back({{"id", std::to_string(7000000000000000000LL + i)},
                       {"playCount", 1000 + i},
                       {"diggCount", 50},
                       {"commentCount", 1},
                       {"shareCount", 2},
                       {"videoMeta", {{"duration", 10}}}});
      res.set_content(arr.dump(), "application/json");
    });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
  }
  ~FakeApify() {
    svr_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> paths() {
    std::lock_guard lock(mu_);
    return paths_;
  }
  std::vector<std::string> auth_headers() {
    std::lock_guard lock(mu_);
    return auth_;
  }
  Json last_input_;

 private:
  void record(const httplib::Request& req) {
    std::lock_guard lock(mu_);
    std::string p = req.path;
    if (!req.params.empty()) p += "?offset=" + req.get_param_value("offset") + "&limit=" + req.get_param_value("limit");
    paths_.push_back(p);
    auth_.push_back(req.get_header_value("Authorization"));
  }
  FakeBehaviour b_;
  httplib::Server svr_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> paths_, auth_;
  std::atomic<int> start_500s_{0}, page_429s_{0};
  std::atomic<std::size_t> polls_{0};
};

ApifyOptions options(const FakeApify& f) {
  ApifyOptions o;
  o.base_url = f.base();
  o.token = "secret-token-123";
  o.max_items = 250;
  o.page_limit = 100;
  o.poll_interval_s = 0.01;
  o.overall_timeout_s = 20;
  o.retry.max_attempts = 4;
  o.retry.initial_backoff_s = 0.01;
  o.retry.max_backoff_s = 0.05;
  o.retry.request_timeout_s = 5;
  return o;
}

std::string message_of(const std::function<void()>& f, ExitCode expected) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

TEST(ApifyClient, PaginatesDatasetAndSendsTokenOnlyInHeader) {
  FakeApify fake({.items = 250});
  auto got = fetch_hashtag(options(fake), "#nutrition");
  EXPECT_EQ(got.run_id, "run1");
  EXPECT_EQ(got.dataset_id, "ds1");
  EXPECT_EQ(got.item_count, 250u);
  ASSERT_TRUE(got.usage_usd && got.compute_units);  // what the run cost, from the finished run object
  EXPECT_DOUBLE_EQ(*got.usage_usd, 0.0421);
  EXPECT_DOUBLE_EQ(*got.compute_units, 0.0135);
  ASSERT_EQ(got.pages.size(), 3u);
  std::size_t imported = 0;
  for (const auto& p : got.pages) imported += import_text(p, "page", {}).videos.size();
  EXPECT_EQ(imported, 250u);
  EXPECT_EQ(fake.last_input_["hashtags"], Json::array({"nutrition"}));
  EXPECT_EQ(fake.last_input_["resultsPerPage"], 250);
  auto paths = fake.paths();
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/v2/datasets/ds1/items?offset=0&limit=100"), 1);
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/v2/datasets/ds1/items?offset=200&limit=50"), 1);
  for (const auto& p : paths) EXPECT_EQ(p.find("secret"), std::string::npos);
  for (const auto& a : fake.auth_headers()) EXPECT_EQ(a, "Bearer secret-token-123");
}

TEST(ApifyClient, StopsOnShortPage) {
  FakeApify fake({.items = 120});
  auto got = fetch_hashtag(options(fake), "x");
  EXPECT_EQ(got.item_count, 120u);
  EXPECT_EQ(got.pages.size(), 2u);
}

TEST(ApifyClient, RetriesServerErrorsAnd429) {
  FakeApify fake({.start_500s = 2, .items = 10, .page_429s = 2});
  auto got = fetch_hashtag(options(fake), "x");
  EXPECT_EQ(got.item_count, 10u);
  auto paths = fake.paths();
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/v2/acts/clockworks~tiktok-scraper/runs"), 3);
}

TEST(ApifyClient, GivesUpAfterMaxAttemptsWithoutLeakingToken) {
  FakeApify fake({.always_500 = true});
  auto msg = message_of([&] { fetch_hashtag(options(fake), "x"); }, ExitCode::failure);
  EXPECT_NE(msg.find("HTTP 500"), std::string::npos) << msg;
  EXPECT_NE(msg.find("4 attempts"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("secret"), std::string::npos) << msg;
}

TEST(ApifyClient, TerminalFailureStatuses) {
  for (std::string status : {"FAILED", "TIMED-OUT", "ABORTED"}) {
    FakeApify fake({.statuses = {"RUNNING", status}, .items = 5});
    auto msg = message_of([&] { fetch_hashtag(options(fake), "x"); }, ExitCode::failure);
    EXPECT_NE(msg.find(status), std::string::npos) << msg;
    EXPECT_NE(msg.find("run1"), std::string::npos) << msg;
  }
}

TEST(ApifyClient, MalformedDatasetJson) {
  FakeApify fake({.items = 5, .malformed_page = true});
  auto msg = message_of([&] { fetch_hashtag(options(fake), "x"); }, ExitCode::bad_input);
  EXPECT_NE(msg.find("ds1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("offset 0"), std::string::npos) << msg;
}

TEST(ApifyClient, OverallTimeoutWhileRunning) {
  FakeApify fake({.statuses = {"RUNNING"}});
  auto o = options(fake);
  o.overall_timeout_s = 0.2;
  auto msg = message_of([&] { fetch_hashtag(o, "x"); }, ExitCode::failure);
  EXPECT_NE(msg.find("timeout"), std::string::npos) << msg;
}

TEST(ApifyClient, MissingTokenAndUnreachableServer) {
  ApifyOptions o;
  o.base_url = "http://127.0.0.1:1";
  auto msg = message_of([&] { fetch_hashtag(o, "x"); }, ExitCode::bad_input);
  EXPECT_NE(msg.find("APIFY_TOKEN"), std::string::npos);
  o.token = "t";
  o.retry.max_attempts = 2;
  o.retry.initial_backoff_s = 0.01;
  auto net = message_of([&] { fetch_hashtag(o, "x"); }, ExitCode::failure);
  EXPECT_NE(net.find("network error"), std::string::npos) << net;
}

}  // namespace
}  // namespace rumi::acquire
