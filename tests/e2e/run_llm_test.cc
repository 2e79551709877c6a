// `rumi run --llm anthropic` against a local fake Anthropic server: the strategy texts come back
// rewritten only when every number survives, the summary sent holds no raw video data or brand
// inputs, and the tokens spent are the run's costs (per-hashtag manifest and run summary).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/file_io.h"
#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;

TEST(RunLlm, RewritesStrategiesKeepsNumbersAndCountsTokens) {
  test::TempDir dir;
  const std::string data = (dir / "data").string();
  auto r = test::run_rumi({"synth", "--videos", "90", "--out", data, "--mix", "1,0,0,0,0", "--seed", "11"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file_atomic(dir / "c.yaml",
                    "clients:\n  - name: \"Acme Drinks\"\n    brief:\n      product: \"Secret Formula X\"\n"
                    "    hashtags:\n      - name: \"#nutrition\"\n"
                    "        analysis_config:\n          videos_per_segment: 80\n          segments: [\"0-15s\"]\n"
                    "          min_date: \"2025-01-01\"\n          selection:\n            min_views: 0\n"
                    "            min_engagement_rate: 0\n");

  // The fake answers every strategy with its own text, prefixed: a faithful rewrite. The first
  // answer changes a number instead, which must be refused for the template text.
  std::mutex m;
  std::vector<std::string> bodies;
  httplib::Server server;
  server.Post("/v1/messages", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> g(m);
    bodies.push_back(req.body);
    const Json in = Json::parse(req.body);
    std::string text = in["messages"][0]["content"].get<std::string>();
    const std::size_t strategy = text.find("# ");
    text = strategy == std::string::npos ? text : text.substr(strategy);
    const std::string answer = bodies.size() == 1 ? "# Changed 999999 %" : "# Polished\n" + text;
    res.set_content(Json{{"content", {{{"type", "text"}, {"text", answer}}}},
                         {"usage", {{"input_tokens", 100}, {"output_tokens", 40}}}}
                        .dump(),
                    "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  setenv("RUMI_ANTHROPIC_BASE_URL", ("http://127.0.0.1:" + std::to_string(port)).c_str(), 1);
  setenv("ANTHROPIC_API_KEY", "test-key-not-logged", 1);
  r = test::run_rumi({"--workspace", (dir / "ws").string(), "--json", "run", (dir / "c.yaml").string(), "--import",
                      data + "/apify_items.json", "--replay", data + "/analyses", "--formats", "json,md,pdf", "--llm",
                      "anthropic", "--date", "2026-02-03"});
  unsetenv("RUMI_ANTHROPIC_BASE_URL");
  unsetenv("ANTHROPIC_API_KEY");
  server.stop();
  t.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("test-key-not-logged"), std::string::npos);

  const Json out = Json::parse(r.out);
  const Json costs = out["hashtags"][0]["costs"];
  const long calls = static_cast<long>(bodies.size());
  ASSERT_GT(calls, 1) << "the synthetic hashtag has planted effects, so strategies to rewrite";
  EXPECT_EQ(costs["llm_calls"].get<long>(), calls);
  EXPECT_EQ(costs["llm_input_tokens"].get<long>(), 100 * calls);
  EXPECT_EQ(costs["llm_output_tokens"].get<long>(), 40 * calls);
  const Json manifest = read_json_file(out["hashtags"][0]["manifest"].get<std::string>());
  EXPECT_EQ(manifest["costs"]["llm_input_tokens"].get<long>(), 100 * calls);
  // The client report states the cost too.
  const fs::path reports = out["hashtags"][0]["reports_dir"].get<std::string>();
  const auto text = test::run_program({"/usr/bin/pdftotext", (reports / "Client_Strategy_Report.pdf").string(), "-"});
  std::string flat = text.out;
  for (char& c : flat)
    if (c == '\n') c = ' ';
  EXPECT_NE(flat.find("used " + std::to_string(140 * calls) + " LLM tokens"), std::string::npos) << text.out;

  // What was sent: aggregated strategy text, never video ids, captions or the brand's inputs.
  const Json items = read_json_file(dir / "data" / "apify_items.json");
  for (const auto& body : bodies) {
    EXPECT_EQ(body.find("Secret Formula X"), std::string::npos);
    for (std::size_t i = 0; i < items.size(); i += 10) {
      EXPECT_EQ(body.find(items[i]["id"].get<std::string>()), std::string::npos);
      const std::string caption = items[i].value("text", std::string());
      if (caption.size() > 20) {
        EXPECT_EQ(body.find(caption), std::string::npos);
      }
    }
  }
  // The first answer changed a number: its strategy keeps the template; the others are polished.
  const fs::path strategies = reports / "strategies";
  int polished = 0, template_kept = 0;
  for (const auto& e : fs::directory_iterator(strategies)) {
    if (e.path().extension() != ".md") continue;
    const std::string md = read_file(e.path());
    EXPECT_EQ(md.find("999999"), std::string::npos) << e.path();
    (md.rfind("# Polished\n", 0) == 0 ? polished : template_kept)++;
  }
  EXPECT_EQ(template_kept, 1);
  EXPECT_EQ(polished, calls - 1);
}

}  // namespace
}  // namespace rumi
