// The optional LLM rewrite against a local fake Anthropic server: accepted only when it keeps the
// numbers, template text kept on a changed number, an HTTP error or a missing key.
#include <gtest/gtest.h>

#include <httplib.h>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/file_io.h"
#include "core/json.h"
#include "report/llm_rewrite.h"
#include "report/write_reports.h"
#include "report_fixtures.h"
#include "support/test_support.h"

namespace rumi {
namespace {

class FakeAnthropic {
 public:
  explicit FakeAnthropic(std::function<void(const httplib::Request&, httplib::Response&)> handler) {
    server_.Post("/v1/messages", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    setenv("RUMI_ANTHROPIC_BASE_URL", ("http://127.0.0.1:" + std::to_string(port_)).c_str(), 1);
    setenv("ANTHROPIC_API_KEY", "test-key", 1);
  }
  ~FakeAnthropic() {
    server_.stop();
    thread_.join();
    unsetenv("RUMI_ANTHROPIC_BASE_URL");
    unsetenv("ANTHROPIC_API_KEY");
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

void answer(httplib::Response& res, const std::string& text) {
  res.set_content(
      Json{{"content", {{{"type", "text"}, {"text", text}}}}, {"usage", {{"input_tokens", 120}, {"output_tokens", 45}}}}
          .dump(),
      "application/json");
}

TEST(LlmRewrite, NumbersCheck) {
  EXPECT_TRUE(report::numbers_preserved("lift +34 % in 82 videos", "82 videos showed +34 %"));
  EXPECT_FALSE(report::numbers_preserved("lift +34 % in 82 videos", "lift +35 % in 82 videos"));
  EXPECT_EQ(report::numbers_in("p 1.2e-05 and 0.82"), (std::set<std::string>{"1.2e-05", "0.82"}));
}

TEST(LlmRewrite, AcceptsAFaithfulRewriteAndSendsTheKey) {
  std::string seen_key, seen_body;
  FakeAnthropic fake([&](const httplib::Request& req, httplib::Response& res) {
    seen_key = req.get_header_value("x-api-key");
    seen_body = req.body;
    answer(res, "Friendly: +34 % more, 82 videos!");
  });
  auto r = report::rewrite_with_anthropic("Top videos: +34 % (82 videos).");
  EXPECT_TRUE(r.rewritten) << r.fallback_reason;
  EXPECT_EQ(r.text, "Friendly: +34 % more, 82 videos!");
  EXPECT_EQ(r.input_tokens, 120);  // the call's cost, for the run's costs
  EXPECT_EQ(r.output_tokens, 45);
  EXPECT_EQ(seen_key, "test-key");
  EXPECT_NE(seen_body.find("+34 %"), std::string::npos);
}

TEST(LlmRewrite, FallsBackOnChangedNumbersErrorsAndMissingKey) {
  {
    FakeAnthropic fake([](const httplib::Request&, httplib::Response& res) { answer(res, "Now +50 % better"); });
    auto r = report::rewrite_with_anthropic("Top videos: +34 %.");
    EXPECT_FALSE(r.rewritten);
    EXPECT_EQ(r.text, "Top videos: +34 %.");
  }
  {
    FakeAnthropic fake([](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    auto r = report::rewrite_with_anthropic("Top videos: +34 %.");
    EXPECT_FALSE(r.rewritten);
    EXPECT_NE(r.fallback_reason.find("500"), std::string::npos);
    EXPECT_EQ(r.fallback_reason.find("test-key"), std::string::npos);  // the key never reaches a message
  }
  unsetenv("ANTHROPIC_API_KEY");
  auto r = report::rewrite_with_anthropic("x");
  EXPECT_FALSE(r.rewritten);
  EXPECT_EQ(r.text, "x");
}

TEST(LlmRewrite, ReportStageUsesTheRewriteOnlyWhenAsked) {
  FakeAnthropic fake([](const httplib::Request&, httplib::Response& res) { answer(res, "# Rewritten strategy"); });
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  report::ReportOptions o;
  o.date = "2026-01-13";
  o.client = "C";
  o.hashtag = "#nutrition";
  o.formats = {"md"};
  auto plain = report::write_reports(dir.path(), o);
  EXPECT_NE(read_file(plain.dir / "strategies" / "strategy_01.md").find("Test plan"), std::string::npos);
  o.llm = "anthropic";
  auto polished = report::write_reports(dir.path(), o);
  // The rewrite, then the ownership notice every client-facing file ends with (not sent to the LLM).
  const std::string polished_md = read_file(polished.dir / "strategies" / "strategy_01.md");
  EXPECT_EQ(polished_md.rfind("# Rewritten strategy\n", 0), 0u) << polished_md;
  EXPECT_NE(polished_md.find("Confidential. Prepared by RumiAI for C"), std::string::npos);
  EXPECT_EQ(plain.llm_calls, 0);
  EXPECT_GT(polished.llm_calls, 0);
  EXPECT_EQ(polished.llm_input_tokens, 120 * polished.llm_calls);
  EXPECT_EQ(polished.to_json()["llm"]["output_tokens"], 45 * polished.llm_calls);
}

}  // namespace
}  // namespace rumi
