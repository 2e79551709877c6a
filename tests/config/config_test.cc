#include <gtest/gtest.h>

#include "config/apply.h"
#include "config/config_file.h"
#include "core/error.h"
#include "core/file_io.h"
#include "store/clients.h"
#include "store/workspace_store.h"
#include "support/test_support.h"

namespace rumi::config {
namespace {

// The spec's Appendix B example, verbatim.
constexpr const char* kAppendixB = R"(# config/ml_training_config.yaml
clients:
  - name: "Stateside Grower"
    industry: "nutritional_supplements"
    hashtags:
      - name: "#nutrition"
        url: "https://www.tiktok.com/search?q=%23nutrition"
        analysis_config:
          videos_per_segment: 30
          segments: ["0-15s", "16-30s", "31-60s", "61-90s", "91-120s"]
          min_date: "2025-01-05"
          ml_models:
            - type: "random_forest"
            - type: "clustering"
)";

std::string error_of(const std::string& yaml) {
  try {
    parse_config_text(yaml, "cfg.yaml");
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return {};
}

TEST(ConfigFile, ParsesAppendixB) {
  ConfigFile cfg = parse_config_text(kAppendixB, "cfg.yaml");
  ASSERT_EQ(cfg.clients.size(), 1u);
  const ClientSpec& c = cfg.clients[0];
  EXPECT_EQ(c.name, "Stateside Grower");
  EXPECT_EQ(c.slug, "stateside-grower");
  EXPECT_EQ(c.industry, "nutritional_supplements");
  ASSERT_EQ(c.hashtags.size(), 1u);
  const HashtagSpec& h = c.hashtags[0];
  EXPECT_EQ(h.name, "#nutrition");
  EXPECT_EQ(h.slug, "nutrition");
  EXPECT_EQ(h.url, "https://www.tiktok.com/search?q=%23nutrition");
  EXPECT_EQ(h.analysis.videos_per_segment, 30);
  EXPECT_EQ(h.analysis.segments.size(), 5u);
  EXPECT_EQ(h.analysis.min_date, "2025-01-05");
  EXPECT_TRUE(h.analysis.has_model("random_forest"));
  EXPECT_TRUE(h.analysis.has_model("clustering"));
  EXPECT_TRUE(cfg.warnings.empty());
}

TEST(ConfigFile, JsonRoundTripOfAnalysisConfig) {
  ConfigFile cfg = parse_config_text(kAppendixB, "cfg.yaml");
  const AnalysisConfig& a = cfg.clients[0].hashtags[0].analysis;
  AnalysisConfig b = analysis_config_from_json(to_json(a));
  EXPECT_EQ(to_json(a), to_json(b));
}

TEST(ConfigFile, UnknownKeysAreErrorsWithLine) {
  // A typo or a setting rumi does not implement must not pass silently (issue 21 point 1).
  std::string msg = error_of("clients:\n  - name: A\n    colour: red\n");
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("clients[0].colour"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key 'colour'"), std::string::npos) << msg;
  msg = error_of(
      "clients:\n  - name: A\n    hashtags:\n      - name: n\n        analysis_config:\n"
      "          videos_per_segmnt: 5\n");
  EXPECT_NE(msg.find("line 6"), std::string::npos) << msg;
  EXPECT_NE(msg.find("videos_per_segmnt"), std::string::npos) << msg;
  msg = error_of("clientz: []\n");
  EXPECT_NE(msg.find("line 1"), std::string::npos) << msg;
}

TEST(ConfigFile, ValidationErrorsNameFileLineAndField) {
  struct Case {
    std::string yaml, fragment;
  };
  const std::string head = "clients:\n  - name: Acme\n    hashtags:\n      - name: \"#n\"\n        analysis_config:\n";
  std::vector<Case> cases = {
      {head + "          min_date: \"2025-02-30\"\n", "min_date"},
      {head + "          min_date: \"last week\"\n", "not a valid date"},
      {head + "          segments: [\"0-15s\", \"15-45s\"]\n", "unknown bucket '15-45s'"},
      {head + "          videos_per_segment: 0\n", "between 1 and 1000"},
      {head + "          videos_per_segment: 1001\n", "between 1 and 1000"},
      {head + "          videos_per_segment: lots\n", "videos_per_segment"},
      {head + "          ml_models: [{type: neural_net}]\n", "unknown model type"},
      {"clients:\n  - name: Acme\n    hashtags: [\"#n\", \"#N\"]\n", "duplicate hashtag"},
      {"clients:\n  - name: Acme\n  - name: ACME\n", "duplicate client"},
      {"clients:\n  - name: \"###\"\n", "no letters or digits"},
      {"clients:\n  - name: \"../../etc\"\n", "path syntax"},
      {"clients:\n  - name: Acme\n    hashtags: [\"../x\"]\n", "path syntax"},
      {"clients:\n  - name: \"" + std::string(150, 'a') + "\"\n", "too long"},
      {"clients:\n  - industry: x\n", "name"},
      {"clients: []\n", "non-empty list"},
      {"clients:\n  - name: [unclosed\n", "invalid YAML"},
      {"", "empty"},
      {"clients:\n  - name: Acme\n    hashtags:\n      - name: \"#n\"\n        url: \"ftp://x\"\n", "https://"},
  };
  for (const auto& c : cases) {
    std::string msg = error_of(c.yaml);
    EXPECT_NE(msg.find("cfg.yaml"), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.fragment), std::string::npos) << "expected '" << c.fragment << "' in: " << msg;
  }
  std::string msg = error_of(head + "          videos_per_segment: 0\n");
  EXPECT_NE(msg.find("line 6"), std::string::npos) << msg;
}

TEST(ConfigFile, SelectionDesignAndOutlierFlags) {
  const std::string head = "clients:\n  - name: Acme\n    hashtags:\n      - name: \"#n\"\n        analysis_config:\n";
  // Defaults: the contrast design, outliers flagged beyond 2.5 x IQR (seed section 12).
  const AnalysisConfig def =
      parse_config_text(head + "          videos_per_segment: 10\n", "cfg.yaml").clients[0].hashtags[0].analysis;
  EXPECT_EQ(def.selection.design, SelectionDesign::contrast);
  EXPECT_EQ(def.selection.outlier_iqr_k, 2.5);
  const AnalysisConfig top =
      parse_config_text(head + "          selection:\n            design: top\n            outlier_iqr_k: 0\n",
                        "cfg.yaml")
          .clients[0]
          .hashtags[0]
          .analysis;
  EXPECT_EQ(top.selection.design, SelectionDesign::top);
  EXPECT_EQ(top.selection.outlier_iqr_k, 0);
  // The workspace's JSON copy round-trips the design and validates it the same way.
  const Json j = to_json(top);
  EXPECT_EQ(j["selection"]["design"], "top");
  EXPECT_EQ(analysis_config_from_json(j).selection.design, SelectionDesign::top);
  EXPECT_EQ(to_json(analysis_config_from_json(j)), j);
  Json bad = j;
  bad["selection"]["design"] = "random";
  try {
    analysis_config_from_json(bad, "hashtags.config_json");
    ADD_FAILURE() << "no error for design 'random'";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    EXPECT_NE(std::string(e.what()).find("hashtags.config_json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("selection.design"), std::string::npos) << e.what();
  }
  bad["selection"]["design"] = "top";
  bad["selection"]["outlier_iqr_k"] = -1;
  EXPECT_THROW(analysis_config_from_json(bad), InputError);
  // A bad value names file, line and field; a typo in the key is an error with its line too.
  std::string msg = error_of(head + "          selection:\n            design: best\n");
  EXPECT_NE(msg.find("cfg.yaml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 7"), std::string::npos) << msg;
  EXPECT_NE(msg.find("selection.design"), std::string::npos) << msg;
  EXPECT_NE(msg.find("contrast, top"), std::string::npos) << msg;
  msg = error_of(head + "          selection:\n            design: [top]\n");
  EXPECT_NE(msg.find("selection.design"), std::string::npos) << msg;
  msg = error_of(head + "          selection:\n            outlier_iqr_k: -2\n");
  EXPECT_NE(msg.find("outlier_iqr_k"), std::string::npos) << msg;
  msg = error_of(head + "          selection:\n            desing: top\n");
  EXPECT_NE(msg.find("line 7"), std::string::npos) << msg;
  EXPECT_NE(msg.find("selection.desing"), std::string::npos) << msg;
}

TEST(ConfigApply, IdempotentAndRecordsChanges) {
  test::TempDir dir;
  Workspace ws(dir.path() / "ws");
  store::Database db = store::init_workspace(ws);
  ConfigFile cfg = parse_config_text(kAppendixB, "cfg.yaml");
  ApplyResult first = apply_config(db, cfg);
  EXPECT_EQ(first.clients_created, 1);
  EXPECT_EQ(first.hashtags_created, 1);
  ApplyResult second = apply_config(db, cfg);
  EXPECT_FALSE(second.changed());

  std::string edited = kAppendixB;
  edited.replace(edited.find("videos_per_segment: 30"), 22, "videos_per_segment: 40");
  ApplyResult third = apply_config(db, parse_config_text(edited, "cfg.yaml"));
  EXPECT_EQ(third.hashtags_updated, 1);
  ASSERT_EQ(third.changes.size(), 1u);
  EXPECT_NE(third.changes[0].find("videos_per_segment"), std::string::npos) << third.changes[0];
  auto client = store::find_client(db, "stateside-grower");
  ASSERT_TRUE(client);
  EXPECT_EQ(store::list_config_changes(db, client->id).size(), 3u);
  auto tag = store::find_hashtag(db, client->id, "nutrition");
  EXPECT_EQ(analysis_config_from_json(Json::parse(tag->config_json)).videos_per_segment, 40);
}

TEST(ConfigApply, FailedApplyLeavesStoreUnchanged) {
  test::TempDir dir;
  Workspace ws(dir.path() / "ws");
  store::Database db = store::init_workspace(ws);
  apply_config(db, parse_config_text(kAppendixB, "cfg.yaml"));
  // Force a failure in the middle of the transaction: a trigger that rejects a second client.
  db.exec(
      "CREATE TRIGGER no_beta BEFORE INSERT ON clients WHEN NEW.slug = 'beta' BEGIN SELECT RAISE(ABORT, 'boom'); END");
  std::string two = std::string(kAppendixB) + "  - name: Alpha\n  - name: Beta\n";
  EXPECT_THROW(apply_config(db, parse_config_text(two, "cfg.yaml")), Error);
  EXPECT_EQ(store::list_clients(db).size(), 1u);  // Alpha rolled back too
}

}  // namespace
}  // namespace rumi::config
