// Shared stage results through the real binary (`rumi run` for two clients of one public
// hashtag): the second client's model, metrics and patterns files are byte-identical to what the
// stage computes (checked against a --force run that computes every stage), a damaged entry is
// never used, and no client name reaches the shared entries. The entries themselves:
// tests/pipeline/stage_share_test.cc.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;

// Bytes of every model / metrics / patterns file of one client's hashtag, by file name.
std::map<std::string, std::string> stage_files(const fs::path& hashtag_dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(hashtag_dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() &&
        (name.starts_with("model_") || name.starts_with("patterns_") || name == "performance_metrics.json"))
      out[e.path().lexically_relative(hashtag_dir).string()] = read_file(e.path());
  }
  return out;
}

// The stage's counts in a `rumi --json run` output, for hashtag row `row`.
Json stage_counts(const Json& out, std::size_t row, const std::string& stage) {
  for (const auto& s : out["hashtags"][row]["stages"])
    if (s["stage"] == stage) return s["counts"];
  return nullptr;
}

bool reused(const Json& out, std::size_t row, const std::string& stage) {
  const Json c = stage_counts(out, row, stage);
  return c.is_object() && c.value("reused", false);
}

void remove_stage_files(const fs::path& hashtag_dir) {
  for (const auto& [rel, _] : stage_files(hashtag_dir)) fs::remove(hashtag_dir / rel);
}

std::vector<fs::path> entries(const fs::path& ws, const std::string& stage) {
  std::vector<fs::path> out;
  const fs::path dir = ws / "public" / "stage_results" / stage;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

TEST(StageShare, SecondClientReusesIdenticalResultsByteForByte) {
  test::TempDir dir;
  const std::string data = (dir / "data").string();
  auto r = test::run_rumi({"synth", "--videos", "70", "--out", data, "--mix", "1,0,0,0,0", "--seed", "11"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string yaml = "clients:\n";
  for (const char* name : {"Alpha Foods", "Beta Drinks"})
    yaml.append("  - name: \"")
        .append(name)
        .append(
            "\"\n    hashtags:\n      - name: \"#nutrition\"\n"
            "        analysis_config:\n          videos_per_segment: 60\n          segments: [\"0-15s\"]\n"
            "          min_date: \"2025-01-01\"\n          selection:\n            min_views: 0\n"
            "            min_engagement_rate: 0\n");
  write_file_atomic(dir / "c.yaml", yaml);
  const std::string ws = (dir / "ws").string();
  const std::vector<std::string> base = {"--workspace", ws,     "--json", "run",       (dir / "c.yaml").string(),
                                         "--formats",   "json", "--date", "2026-01-05"};
  std::vector<std::string> first = base;
  first.insert(first.end(), {"--import", data + "/apify_items.json", "--replay", data + "/analyses"});
  r = test::run_rumi(first);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json out = Json::parse(r.out);
  EXPECT_FALSE(reused(out, 0, "train")) << "the first client computes";
  EXPECT_TRUE(reused(out, 1, "train")) << stage_counts(out, 1, "train").dump();
  EXPECT_TRUE(reused(out, 1, "patterns")) << "one selection time per run: the same selection, the same patterns";
  EXPECT_EQ(stage_counts(out, 1, "train").value("models", -1), 1) << "the stored counts come back with the files";
  const fs::path alpha = dir / "ws" / "MLAnalysis" / "alpha-foods" / "nutrition";
  const fs::path beta = dir / "ws" / "MLAnalysis" / "beta-drinks" / "nutrition";
  const auto shared = stage_files(beta);
  ASSERT_TRUE(shared.contains("bucket_0-15s/model_0-15s.json"));
  ASSERT_TRUE(shared.contains("bucket_0-15s/patterns_0-15s.json"));
  EXPECT_EQ(stage_files(alpha).at("bucket_0-15s/model_0-15s.json"), shared.at("bucket_0-15s/model_0-15s.json"));

  // --force computes every stage again on the same inputs (no new import: same selection): the
  // reused files are what the stages write.
  std::vector<std::string> force = base;
  force.push_back("--force");
  r = test::run_rumi(force);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = Json::parse(r.out);
  for (std::size_t row : {0u, 1u})
    for (const char* stage : {"train", "patterns"}) EXPECT_FALSE(reused(out, row, stage)) << row << " " << stage;
  EXPECT_EQ(stage_files(beta), shared);

  // Outputs gone, inputs unchanged: both shared stages come back from the entries, identical.
  remove_stage_files(beta);
  r = test::run_rumi(base);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = Json::parse(r.out);
  EXPECT_TRUE(reused(out, 1, "train"));
  EXPECT_TRUE(reused(out, 1, "patterns")) << stage_counts(out, 1, "patterns").dump();
  EXPECT_EQ(stage_files(beta), shared);

  // A damaged entry (one byte of a stored file changed, as a torn or edited file would be) is
  // not used: the stage computes, and the result is still right.
  const auto train_entries = entries(dir / "ws", "train");
  ASSERT_EQ(train_entries.size(), 1u) << "identical inputs share one entry";
  Json damaged = read_json_file(train_entries[0]);
  std::string& content = damaged["files"][0]["content"].get_ref<std::string&>();
  ASSERT_FALSE(content.empty());
  content[content.size() / 2] = content[content.size() / 2] == '1' ? '2' : '1';
  write_file_atomic(train_entries[0], damaged.dump());
  remove_stage_files(beta);
  r = test::run_rumi(base);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = Json::parse(r.out);
  EXPECT_FALSE(reused(out, 1, "train"));
  EXPECT_EQ(stage_files(beta), shared);

  // Isolation: the shared entries name no client (name or slug) and no private folder.
  for (const char* stage : {"train", "patterns"})
    for (const auto& e : entries(dir / "ws", stage)) {
      const std::string body = read_file(e);
      for (const char* secret : {"Alpha", "alpha-foods", "Beta", "beta-drinks", "MLAnalysis"})
        EXPECT_EQ(body.find(secret), std::string::npos) << secret << " in " << e;
    }
}

}  // namespace
}  // namespace rumi
