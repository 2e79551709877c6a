// Issue 21 point 1 (the seed's section 3.2 config shape next to Appendix B, YAML and JSON) and
// issue 18 point 3 (brand inputs for the creator briefs).
#include <gtest/gtest.h>

#include <fstream>

#include "config/apply.h"
#include "config/brand.h"
#include "config/config_file.h"
#include "core/error.h"
#include "core/file_io.h"
#include "store/clients.h"
#include "store/migrations.h"
#include "store/workspace_store.h"
#include "support/test_support.h"

namespace rumi::config {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::string& text, const fs::path& path = "cfg.yaml") {
  try {
    parse_config_text(text, path);
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

// Seed section 3.2, as YAML (its `//` comments turned into `#`, the only change).
constexpr const char* kSeed32Yaml = R"({
  "mode": "ml_training",
  "client": {
    "name": "Stateside Grower",
    "is_new": false,
    "industry": "nutritional_supplements"  # Current: supplements, functional_drinks
  },
  "hashtags": [
    {
      "name": "#nutrition",
      "url": "https://www.tiktok.com/search?q=%23nutrition",
      "videos_per_segment": 12,
      "date_filter": "2025-03-07",  # User-defined cutoff: only videos after this date
      "segments": ["0-15s", "31-60s"]
    }
  ]
}
)";

// The same as strict JSON (no comments), as a .json file would hold it.
constexpr const char* kSeed32Json =
    R"({"mode": "ml_training", "client": {"name": "Stateside Grower", "is_new": false,
"industry": "nutritional_supplements"}, "hashtags": [{"name": "#nutrition",
"url": "https://www.tiktok.com/search?q=%23nutrition", "videos_per_segment": 12, "date_filter": "2025-03-07",
"segments": ["0-15s", "31-60s"]}]})";

constexpr const char* kAppendixBYaml = R"(clients:
  - name: "Stateside Grower"
    industry: "nutritional_supplements"
    hashtags:
      - name: "#nutrition"
        url: "https://www.tiktok.com/search?q=%23nutrition"
        analysis_config:
          videos_per_segment: 12
          segments: ["0-15s", "31-60s"]
          min_date: "2025-03-07"
          ml_models:
            - type: "random_forest"
            - type: "clustering"
)";

constexpr const char* kAppendixBJson =
    R"({"clients": [{"name": "Stateside Grower", "industry": "nutritional_supplements", "hashtags": [
{"name": "#nutrition", "url": "https://www.tiktok.com/search?q=%23nutrition",
 "analysis_config": {"videos_per_segment": 12, "segments": ["0-15s", "31-60s"], "min_date": "2025-03-07"}}]}]})";

// What a run of this hashtag uses: the parsed config (rumi run) and the stored copy that every
// stage command reads back (cli/target.cc parses hashtags.config_json the same way).
void expect_configured(const fs::path& file) {
  SCOPED_TRACE(file.string());
  const ConfigFile cfg = load_config_file(file);
  ASSERT_EQ(cfg.clients.size(), 1u);
  EXPECT_EQ(cfg.clients[0].name, "Stateside Grower");
  EXPECT_EQ(cfg.clients[0].industry, "nutritional_supplements");
  ASSERT_EQ(cfg.clients[0].hashtags.size(), 1u);
  const HashtagSpec& h = cfg.clients[0].hashtags[0];
  EXPECT_EQ(h.name, "#nutrition");
  EXPECT_EQ(h.url, "https://www.tiktok.com/search?q=%23nutrition");
  for (const AnalysisConfig* a : {&h.analysis}) {
    EXPECT_EQ(a->videos_per_segment, 12);
    EXPECT_EQ(a->min_date, "2025-03-07");
    ASSERT_EQ(a->segments.size(), 2u);
    EXPECT_EQ(a->segments[0], Bucket::s0_15);
    EXPECT_EQ(a->segments[1], Bucket::s31_60);
  }
  test::TempDir dir;
  Workspace ws(dir.path() / "ws");
  store::Database db = store::init_workspace(ws);
  const ApplyResult res = apply_config(db, cfg);
  EXPECT_EQ(res.clients_created, 1);
  EXPECT_EQ(res.hashtags_created, 1);
  const auto client = store::find_client(db, "stateside-grower");
  ASSERT_TRUE(client);
  const auto tag = store::find_hashtag(db, client->id, "nutrition");
  ASSERT_TRUE(tag);
  const Json stored = Json::parse(tag->config_json);
  EXPECT_EQ(stored["videos_per_segment"], 12);
  EXPECT_EQ(stored["min_date"], "2025-03-07");
  EXPECT_EQ(stored["segments"], Json({"0-15s", "31-60s"}));
  const AnalysisConfig back = analysis_config_from_json(stored, "stored");
  EXPECT_EQ(back.videos_per_segment, 12);
  EXPECT_EQ(back.min_date, "2025-03-07");
  EXPECT_EQ(back.segments.size(), 2u);
}

TEST(ConfigShapes, Seed32AndAppendixBConfigureTheSameRunInYamlAndJson) {
  test::TempDir dir;
  const std::pair<const char*, const char*> files[] = {{"seed32.yaml", kSeed32Yaml},
                                                       {"seed32.json", kSeed32Json},
                                                       {"appendix_b.yaml", kAppendixBYaml},
                                                       {"appendix_b.json", kAppendixBJson}};
  for (const auto& [name, text] : files) {
    write_file_atomic(dir / name, text);
    expect_configured(dir / name);
  }
}

TEST(ConfigShapes, HashtagLevelKeysWorkInsideAClientsListToo) {
  const ConfigFile cfg = parse_config_text(
      "clients:\n  - name: A\n    hashtags:\n      - name: \"#n\"\n        videos_per_segment: 7\n"
      "        date_filter: \"2025-02-01\"\n        analysis_config:\n          ml_models: [gradient_boosting]\n",
      "cfg.yaml");
  const AnalysisConfig& a = cfg.clients[0].hashtags[0].analysis;
  EXPECT_EQ(a.videos_per_segment, 7);
  EXPECT_EQ(a.min_date, "2025-02-01");
  EXPECT_TRUE(a.has_model("gradient_boosting"));
  EXPECT_EQ(a.segments.size(), 5u);  // default: every bucket
}

TEST(ConfigShapes, ConflictsAndSeedKeysWithBadValuesAreErrorsNamingLineAndField) {
  struct Case {
    std::string text, fragments[3];
  };
  const std::string tag = "clients:\n  - name: A\n    hashtags:\n      - name: \"#n\"\n";
  const Case cases[] = {
      {tag + "        videos_per_segment: 7\n        analysis_config:\n          videos_per_segment: 9\n",
       {"line 5", "hashtags[0].videos_per_segment", "also set in analysis_config"}},
      {tag + "        date_filter: \"2025-01-01\"\n        analysis_config:\n          min_date: \"2025-01-01\"\n",
       {"line 5", "hashtags[0].date_filter", "one place"}},
      {tag + "        analysis_config:\n          min_date: \"2025-01-01\"\n          date_filter: \"2025-01-02\"\n",
       {"line 7", "analysis_config.date_filter", "once"}},
      {tag + "        date_filter: \"yesterday\"\n", {"line 5", "hashtags[0].date_filter", "YYYY-MM-DD"}},
      {tag + "        segments: [\"0-15s\", \"0-99s\"]\n", {"line 5", "hashtags[0].segments", "0-99s"}},
      {tag + "        videos_per_segment: 0\n", {"line 5", "hashtags[0].videos_per_segment", "between 1 and 1000"}},
      {tag + "        video_per_segment: 3\n", {"line 5", "video_per_segment", "unknown key"}},
      {"mode: ml_training\nclient:\n  name: A\nhashtags: [\"#n\"]\nextra: 1\n", {"line 5", "extra", "unknown key"}},
      {"mode: scoring\nclient:\n  name: A\n", {"line 1", "mode", "ml_training"}},
      {"client:\n  name: A\n  is_new: maybe\n", {"line 3", "client.is_new", "true or false"}},
      {"client:\n  name: A\n  hashtags: [\"#n\"]\n", {"line 3", "client.hashtags", "top level"}},
      {"client:\n  name: A\n  colour: red\n", {"line 3", "client.colour", "unknown key"}},
      {"client:\n  industry: x\n", {"line 2", "client.name", "required"}},
  };
  for (const auto& c : cases) {
    const std::string msg = error_of(c.text);
    EXPECT_NE(msg.find("cfg.yaml"), std::string::npos) << msg;
    for (const auto& f : c.fragments) EXPECT_NE(msg.find(f), std::string::npos) << "expected '" << f << "' in: " << msg;
  }
  // A file without either shape's list says what is required, not which stray key came first.
  std::string none = error_of("a: 1\n");
  EXPECT_NE(none.find("field 'clients': is required"), std::string::npos) << none;
  EXPECT_NE(none.find("3.2"), std::string::npos) << none;
  none = error_of("clients: [{name: A}]\nextra: 1\n");
  EXPECT_NE(none.find("line 2"), std::string::npos) << none;
  EXPECT_NE(none.find("unknown key 'extra'"), std::string::npos) << none;
  // JSON files report lines as well (read as YAML flow syntax).
  const std::string msg = error_of(
      "{\"clients\": [{\"name\": \"A\",\n \"hashtags\": [{\"name\": \"#n\",\n"
      " \"videos_per_segment\": \"many\"}]}]}",
      "cfg.json");
  EXPECT_NE(msg.find("cfg.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("videos_per_segment"), std::string::npos) << msg;
}

// ---- brand inputs -------------------------------------------------------------------------

void write_png(const fs::path& p) {
  // The 8-byte PNG signature plus a little: enough for the signature check, which is all the
  // config reader does (rendering re-checks at report time).
  std::string bytes = "\x89PNG\r\n\x1a\n";
  bytes += std::string(16, '\0');
  write_file_atomic(p, bytes);
}

std::string full_brief(const std::string& indent, const std::string& logo = "") {
  std::string s = indent + "brief:\n";
  const std::string i = indent + "  ";
  s += i + "brand: \"Stateside Grower\"\n";
  s += i + "product: \"Daily Greens\"\n";
  s += i + "usps: [\"Third-party tested\", \"No added sugar\"]\n";
  s += i + "target_audience: \"Active people aged 25-40\"\n";
  s += i + "key_messages: [\"One scoop covers your greens.\"]\n";
  s += i + "tone: \"Warm, not salesy\"\n";
  s += i + "call_to_action: \"Tap the link to try it.\"\n";
  s += i + "words_to_avoid: [\"cure\", \"detox\"]\n";
  s += i + "agency_contact: \"Sam Lee, sam@agency.example\"\n";
  if (!logo.empty()) s += i + "logo: \"" + logo + "\"\n";
  return s;
}

TEST(BrandInputs, ParsedPerClientAndOverriddenPerHashtag) {
  test::TempDir dir;
  write_png(dir / "logo.png");
  const std::string text = "clients:\n  - name: Acme\n" + full_brief("    ", "logo.png") +
                           "    hashtags:\n      - \"#plain\"\n      - name: \"#launch\"\n"
                           "        brief:\n          product: \"Greens Energy\"\n"
                           "          key_messages: [\"No crash.\", \"Green tea caffeine.\"]\n";
  write_file_atomic(dir / "cfg.yaml", text);
  const ConfigFile cfg = load_config_file(dir / "cfg.yaml");
  const ClientSpec& c = cfg.clients[0];
  EXPECT_EQ(c.brief.brand, "Stateside Grower");
  EXPECT_EQ(c.brief.usps, (std::vector<std::string>{"Third-party tested", "No added sugar"}));
  EXPECT_EQ(c.brief.words_to_avoid, (std::vector<std::string>{"cure", "detox"}));
  EXPECT_EQ(fs::path(c.brief.logo), fs::canonical(dir / "logo.png"));
  EXPECT_TRUE(missing_brand_fields(c.brief).empty());
  ASSERT_EQ(c.hashtags.size(), 2u);
  EXPECT_TRUE(c.hashtags[0].brief.empty());
  const BrandInputs launch = merge_brand(c.brief, c.hashtags[1].brief);
  EXPECT_EQ(launch.product, "Greens Energy");
  EXPECT_EQ(launch.key_messages.size(), 2u);
  EXPECT_EQ(launch.brand, "Stateside Grower");  // not overridden: the client's
  EXPECT_EQ(launch.tone, "Warm, not salesy");

  // Stored like the rest of the client config, read back merged.
  Workspace ws(dir.path() / "ws");
  store::Database db = store::init_workspace(ws);
  EXPECT_GE(store::current_schema_version(db), 4);
  const ApplyResult first = apply_config(db, cfg);
  EXPECT_TRUE(first.changed());
  EXPECT_FALSE(apply_config(db, cfg).changed());  // idempotent
  const auto client = *store::find_client(db, "acme");
  const auto tag = *store::find_hashtag(db, client.id, "launch");
  const auto plain = *store::find_hashtag(db, client.id, "plain");
  EXPECT_EQ(effective_brand(client, &tag), launch);
  EXPECT_EQ(effective_brand(client, &plain), c.brief);
  EXPECT_EQ(brand_from_json(to_json(launch), "x"), launch);  // the stored form round-trips

  // Removing a field from the file removes it from the store: the brief then says it is missing.
  std::string edited = text;
  edited.replace(edited.find("      tone: \"Warm, not salesy\"\n"),
                 std::string("      tone: \"Warm, not salesy\"\n").size(), "");
  write_file_atomic(dir / "cfg.yaml", edited);
  const ApplyResult second = apply_config(db, load_config_file(dir / "cfg.yaml"));
  ASSERT_TRUE(second.changed());
  bool named = false;
  for (const auto& ch : second.changes) named |= ch.find("still missing: tone") != std::string::npos;
  EXPECT_TRUE(named);
  const auto client2 = *store::find_client(db, "acme");
  EXPECT_EQ(missing_brand_fields(effective_brand(client2, &plain)), std::vector<std::string>{"tone"});
  bool recorded = false;
  for (const auto& ch : store::list_config_changes(db, client2.id))
    recorded |= ch.change.find("brand inputs") != std::string::npos;
  EXPECT_TRUE(recorded);
}

TEST(BrandInputs, MissingFieldsAreListedNotInvented) {
  const ConfigFile cfg = parse_config_text("clients:\n  - name: Acme\n    brief:\n      product: X\n", "cfg.yaml");
  EXPECT_EQ(cfg.clients[0].brief.brand, "");  // the client name is not taken as the brand
  EXPECT_EQ(missing_brand_fields(cfg.clients[0].brief),
            (std::vector<std::string>{"brand", "usps", "target_audience", "key_messages", "tone", "call_to_action",
                                      "agency_contact"}));
  EXPECT_EQ(brand_field_label("usps"), "USPs");
  EXPECT_EQ(brand_field_label("target_audience"), "target audience");
}

TEST(BrandInputs, BadValuesAreErrorsNamingFileLineAndField) {
  test::TempDir dir;
  const fs::path cfg = dir / "cfg" / "clients.yaml";
  ensure_directory(cfg.parent_path());
  write_png(dir / "outside.png");
  write_png(dir / "cfg" / "logo.png");
  write_file_atomic(dir / "cfg" / "notpng.png", "GIF89a not a png");
  std::error_code ec;
  fs::create_symlink(dir / "outside.png", dir / "cfg" / "link.png", ec);
  const std::string head = "clients:\n  - name: Acme\n    brief:\n";
  struct Case {
    std::string text, fragments[2];
  };
  std::vector<Case> cases = {
      {head + "      colour: red\n", {"line 4", "brief.colour"}},
      {head + "      usps: \"one string\"\n", {"line 4", "brief.usps"}},
      {head + "      usps: [[nested]]\n", {"line 4", "brief.usps"}},
      {head + "      tone: \"  \"\n", {"line 4", "brief.tone"}},
      {head + "      tone: [a]\n", {"line 4", "brief.tone"}},
      {head + "      product: \"" + std::string(700, 'x') + "\"\n", {"line 4", "longer than 600"}},
      {head + "      logo: \"../outside.png\"\n", {"line 4", "outside the config file's folder"}},
      {head + "      logo: \"" + (dir / "outside.png").string() + "\"\n", {"line 4", "outside"}},
      {head + "      logo: \"missing.png\"\n", {"line 4", "does not exist"}},
      {head + "      logo: \"notpng.png\"\n", {"line 4", "not a PNG"}},
      {head + "      logo: \".\"\n", {"line 4", "brief.logo"}},
      {"clients:\n  - name: Acme\n    hashtags:\n      - name: \"#n\"\n        brief:\n          tone: 5\n"
       "          call_to_acton: x\n",
       {"line 7", "hashtags[0].brief.call_to_acton"}},
      {head + "      brief: {}\n", {"line 4", "unknown brand input"}},
      {"clients:\n  - name: Acme\n    brief: [a]\n", {"line 3", "clients[0].brief"}},
  };
  if (!ec) cases.push_back({head + "      logo: \"link.png\"\n", {"line 4", "outside"}});
  for (const auto& c : cases) {
    const std::string msg = error_of(c.text, cfg);
    EXPECT_NE(msg.find(cfg.string()), std::string::npos) << msg;
    for (const auto& f : c.fragments) EXPECT_NE(msg.find(f), std::string::npos) << "expected '" << f << "' in: " << msg;
  }
  // Inside the folder (also through a subfolder and back) is fine.
  ensure_directory(dir / "cfg" / "img");
  const ConfigFile ok = parse_config_text(head + "      logo: \"img/../logo.png\"\n", cfg);
  EXPECT_EQ(fs::path(ok.clients[0].brief.logo), fs::canonical(dir / "cfg" / "logo.png"));
  // The stored form is validated too (a hand-edited database).
  EXPECT_THROW(brand_from_json(Json{{"tone", 5}}, "stored"), InputError);
  EXPECT_THROW(brand_from_json(Json{{"colour", "red"}}, "stored"), InputError);
  EXPECT_THROW(brand_from_json(Json{{"usps", {1}}}, "stored"), InputError);
}

}  // namespace
}  // namespace rumi::config
