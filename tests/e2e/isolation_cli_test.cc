// Issues 12 + 14 through the real binary: one client can never see another's private data,
// client names never reach the public layer, names never become paths outside the workspace,
// and planted tokens never appear in any file or output. The commands are enumerated from
// `rumi --help` at test time, so a command added later is covered without editing this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/file_io.h"
#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;

// The real Apify export when ../shared is beside the checkout, else the repository's own
// fixture in the same format, so a clean clone still gives the public layer content.
fs::path import_sample() {
  const fs::path real = test::shared_dir() / "tiktok_datasets/apify_clockworks_hashtag_export_2025.csv";
  return fs::exists(real) ? real : test::fixtures_dir() / "imports" / "apify_hashtag_export.csv";
}

constexpr const char* kConfig = R"(clients:
  - name: "Zephyr Tonics"
    industry: "beverages"
    hashtags:
      - name: "#nutrition"
  - name: "Quokka Vitamins"
    industry: "nutritional_supplements"
    hashtags:
      - name: "#nutrition"
)";
constexpr const char* kSlugA = "zephyr-tonics";
constexpr const char* kSlugB = "quokka-vitamins";
// Anything that would reveal client A: its name, slug and the markers planted in its files.
const std::vector<std::string> kSecretsOfA = {"zephyr", "markerzeta"};
constexpr const char* kFakeApifyToken = "apify_api_FAKEplantedTOKEN0123456789";
constexpr const char* kFakeAnthropicKey = "sk-ant-api03-FAKEplantedKEY9876543210";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// One entry of a CLI11 help section ("Subcommands:", "Positionals:", "Options:").
std::vector<std::string> section_lines(const std::string& help, const std::string& title) {
  std::vector<std::string> out;
  std::istringstream in(help);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (lower(line).rfind(lower(title) + ":", 0) == 0) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (line.empty() || line[0] != ' ') {
      if (!line.empty() || !out.empty()) inside = !line.empty() && line[0] == ' ';
      if (!inside) break;
    }
    // Entries start at column 2; wrapped descriptions are indented further.
    if (line.size() > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ') out.push_back(line);
  }
  return out;
}

std::string first_word(const std::string& line) {
  std::istringstream in(line);
  std::string w;
  in >> w;
  return w;
}

struct Leaf {
  std::vector<std::string> path;                                      // e.g. {"client", "show"}
  std::vector<std::string> positionals;                               // e.g. {"CLIENT"}
  std::vector<std::pair<std::string, std::string>> required_options;  // name, type
  bool client_option = false;                                         // takes --client
  bool takes_client() const {
    return client_option || std::find(positionals.begin(), positionals.end(), "CLIENT") != positionals.end();
  }
};

std::vector<Leaf> enumerate_commands(std::vector<std::string> path = {}) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  const auto r = test::run_rumi(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Leaf> leaves;
  const auto subs = section_lines(r.out, "Subcommands");
  if (!subs.empty()) {
    for (const auto& line : subs) {
      const std::string name = first_word(line);
      if (name.empty()) continue;
      auto sub = path;
      sub.push_back(name);
      for (auto& l : enumerate_commands(sub)) leaves.push_back(std::move(l));
    }
    return leaves;
  }
  Leaf leaf{path, {}, {}, false};
  for (const auto& line : section_lines(r.out, "Positionals")) {
    const std::string name = first_word(line);
    if (!name.empty()) leaf.positionals.push_back(name);
  }
  for (const auto& line : section_lines(r.out, "Options")) {
    std::istringstream in(line);
    std::string names, type;
    in >> names >> type;
    if (names.find("--client") != std::string::npos) leaf.client_option = true;
    if (line.find("REQUIRED") == std::string::npos) continue;
    std::string longest = names.substr(names.rfind(',') == std::string::npos ? 0 : names.rfind(',') + 1);
    leaf.required_options.emplace_back(longest, type);
  }
  return {leaf};
}

class Isolation : public ::testing::Test {
 protected:
  test::TempDir dir;
  fs::path ws() const { return dir / "ws"; }

  test::CommandResult rumi(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"/usr/bin/env",        "-u", "APIFY_TOKEN", "-u", "ANTHROPIC_API_KEY",
                                     "RUMI_LOCK_TIMEOUT=60"};
    for (const auto& e : env) argv.push_back(e);
    argv.push_back(test::rumi_binary().string());
    argv.push_back("--workspace");
    argv.push_back(ws().string());
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_program(argv, dir.path());
  }

  void SetUp() override {
    write_file_atomic(dir / "clients.yaml", kConfig);
    auto r = rumi({"config", "apply", (dir / "clients.yaml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    plant_private_files_of_a();
  }

  void plant_private_files_of_a() {
    const fs::path h = ws() / "MLAnalysis" / kSlugA / "nutrition";
    const std::map<std::string, std::string> files = {
        {"bucket_0-15s/patterns_0-15s.json",
         R"([{"feature": "markerzeta_pattern", "phrase": "MARKERZETA secret pattern"}])"},
        {"bucket_0-15s/performance_metrics.json", R"({"note": "MARKERZETA metrics"})"},
        {"bucket_0-15s/model_0-15s.json", R"({"format": "rumi-model", "note": "MARKERZETA model"})"},
        {"acquisition/selection.json", R"({"note": "MARKERZETA selection"})"},
        {"reports/2025-07-01/report.json", R"({"note": "MARKERZETA report"})"},
        {"reports/2025-07-01/summary.md", "# MARKERZETA summary for Zephyr Tonics\n"},
        {"checkpoints/progress.json", R"({"note": "MARKERZETA checkpoint"})"},
    };
    for (const auto& [rel, content] : files) {
      fs::create_directories((h / rel).parent_path());
      write_file_atomic(h / rel, content);
    }
  }

  // Values for one invocation of `leaf` acting on `client` and `hashtag`.
  std::vector<std::string> invocation(const Leaf& leaf, const std::string& client, const std::string& hashtag,
                                      int n) const {
    std::vector<std::string> args = leaf.path;
    for (const auto& p : leaf.positionals) {
      if (p == "CLIENT")
        args.push_back(client);
      else if (p == "HASHTAG")
        args.push_back(hashtag);
      else
        args.push_back((dir / ("positional-" + std::to_string(n))).string());
    }
    if (leaf.client_option &&
        std::find(leaf.positionals.begin(), leaf.positionals.end(), "CLIENT") == leaf.positionals.end()) {
      args.push_back("--client");
      args.push_back(client);
    }
    for (const auto& [name, type] : leaf.required_options) {
      args.push_back(name);
      if (type == "INT" || type == "UINT" || type == "FLOAT" || type == "NUMBER")
        args.push_back("10");
      else
        args.push_back((dir / ("option-" + std::to_string(n) + name.substr(2))).string());
    }
    return args;
  }

  std::vector<fs::path> all_files(const fs::path& root) const {
    std::vector<fs::path> out;
    if (!fs::exists(root)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file()) out.push_back(e.path());
    return out;
  }
};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& a : v) s += a + " ";
  return s;
}

TEST_F(Isolation, NoClientCommandRevealsAnotherClientsPrivateData) {
  const auto leaves = enumerate_commands();
  ASSERT_GE(leaves.size(), 5u) << test::run_rumi({"--help"}).out;
  int client_commands = 0;
  int n = 0;
  for (const auto& leaf : leaves) {
    if (!leaf.takes_client()) continue;
    ++client_commands;
    for (bool json : {false, true}) {
      auto args = invocation(leaf, "Quokka Vitamins", "#nutrition", n++);
      if (json) args.insert(args.begin(), "--json");
      const auto r = rumi(args);
      const std::string out = lower(r.out + r.err);
      for (const auto& secret : kSecretsOfA)
        EXPECT_EQ(out.find(secret), std::string::npos)
            << "rumi " << joined(args) << " (exit " << r.exit_code << ") revealed '" << secret << "':\n"
            << r.out << r.err;
    }
  }
  EXPECT_GE(client_commands, 3) << "expected at least client show, hashtag list, export to take a client";

  // Sanity: the same probe does see A's own data when asked for A, so the check above is not vacuous.
  const auto own = rumi({"client", "show", "Zephyr Tonics"});
  EXPECT_NE(lower(own.out).find("zephyr"), std::string::npos);
  const auto pkg = rumi({"export", kSlugA, "#nutrition", "--out", (dir / "a.rpkg").string()});
  EXPECT_EQ(pkg.exit_code, 0) << pkg.err;
  // B's package (when the probes above gave B anything to export at all) holds nothing of A's.
  const auto b = rumi({"export", kSlugB, "#nutrition", "--out", (dir / "b.rpkg").string()});
  EXPECT_TRUE(b.exit_code == 0 || b.exit_code == 3) << b.err;
  if (b.exit_code == 0) {
    const std::string bytes = lower(read_file(dir / "b.rpkg"));
    for (const auto& secret : kSecretsOfA) EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(lower(read_file(dir / "a.rpkg")).find("markerzeta"), std::string::npos);
}

TEST_F(Isolation, ClientNamesNeverReachThePublicLayer) {
  // Give the public layer content from both clients where the acquire stage exists.
  const fs::path sample = import_sample();
  for (const char* c : {kSlugA, kSlugB}) rumi({"acquire", c, "#nutrition", "--import", sample.string()});
  rumi({"gc"});
  for (const auto& f : all_files(ws() / "public")) {
    const std::string rel = lower(f.lexically_relative(ws()).string());
    const std::string content = lower(read_file(f));
    for (const std::string name : {"zephyr", "quokka"}) {
      EXPECT_EQ(rel.find(name), std::string::npos) << rel;
      EXPECT_EQ(content.find(name), std::string::npos) << rel << " mentions " << name;
    }
  }
  // Workspace-level logs are shared too.
  for (const auto& f : all_files(ws() / "logs")) EXPECT_EQ(lower(read_file(f)).find("zephyr"), std::string::npos) << f;
}

TEST_F(Isolation, NamesThatWouldEscapeTheWorkspaceAreRefused) {
  const std::vector<std::string> bad = {"../x", "a/b", "..", std::string(150, 'a'), "###", "/etc", "a\\b", "."};
  const auto before = all_files(dir.path());
  const auto leaves = enumerate_commands();
  int n = 0;
  for (const auto& leaf : leaves) {
    const bool has_hashtag =
        std::find(leaf.positionals.begin(), leaf.positionals.end(), "HASHTAG") != leaf.positionals.end();
    if (!leaf.takes_client() && !has_hashtag) continue;
    for (const auto& name : bad) {
      auto args = invocation(leaf, name, "#nutrition", n++);
      auto r = rumi(args);
      EXPECT_EQ(r.exit_code, 2) << "rumi " << joined(args) << "\n" << r.err;
      if (has_hashtag) {
        args = invocation(leaf, kSlugB, name, n++);
        r = rumi(args);
        EXPECT_EQ(r.exit_code, 2) << "rumi " << joined(args) << "\n" << r.err;
      }
    }
  }
  for (const auto& name : bad) {
    EXPECT_EQ(rumi({"client", "add", name}).exit_code, 2) << name;
    EXPECT_EQ(rumi({"hashtag", "add", kSlugB, name}).exit_code, 2) << name;
  }
  // Nothing appeared outside the workspace, and nothing inside MLAnalysis but the two clients.
  auto after = all_files(dir.path());
  std::erase_if(after, [&](const fs::path& p) {
    const std::string rel = p.lexically_relative(dir.path()).string();
    return rel.rfind("ws/", 0) == 0 || std::find(before.begin(), before.end(), p) != before.end();
  });
  EXPECT_TRUE(after.empty()) << after.front();
  std::set<std::string> client_dirs;
  for (const auto& e : fs::directory_iterator(ws() / "MLAnalysis")) client_dirs.insert(e.path().filename().string());
  for (const auto& d : client_dirs) EXPECT_TRUE(d == kSlugA || d == kSlugB) << d;
  EXPECT_FALSE(fs::exists(dir / "x"));
  EXPECT_FALSE(fs::exists(ws() / "x"));
}

TEST_F(Isolation, PlantedTokensNeverAppearInFilesOrOutput) {
  const std::vector<std::string> env = {std::string("APIFY_TOKEN=") + kFakeApifyToken,
                                        std::string("ANTHROPIC_API_KEY=") + kFakeAnthropicKey};
  const fs::path sample = import_sample();
  write_file_atomic(dir / "key-dir/.keep", "");
  const std::vector<std::vector<std::string>> commands = {
      {"init"},
      {"config", "apply", (dir / "clients.yaml").string()},
      {"client", "list"},
      {"--json", "client", "show", kSlugB},
      {"hashtag", "list", kSlugB},
      {"acquire", kSlugB, "#nutrition", "--import", sample.string()},
      {"-v", "-v", "acquire", kSlugA, "#nutrition", "--import", sample.string()},
      {"client", "show", kFakeApifyToken},  // the token as an argument: echoed in the error, audited
      {"keygen", kSlugA, "--out", (dir / "key-dir/a.key").string()},
      {"export", kSlugA, "#nutrition", "--out", (dir / "a.rpkg").string(), "--encrypt", "--key-file",
       (dir / "key-dir/a.key").string()},
      {"gc"},
      {"gc", "--apply"},
      {"audit"},
      {"--json", "audit"},
  };
  for (const auto& args : commands) {
    const auto r = rumi(args, env);
    for (const std::string token : {kFakeApifyToken, kFakeAnthropicKey}) {
      EXPECT_EQ(r.out.find(token), std::string::npos) << "stdout of rumi " << joined(args);
      EXPECT_EQ(r.err.find(token), std::string::npos) << "stderr of rumi " << joined(args) << ":\n" << r.err;
    }
  }
  // Every file under the workspace, the database included, byte for byte.
  const auto files = all_files(ws());
  EXPECT_GE(files.size(), 3u);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string token : {kFakeApifyToken, kFakeAnthropicKey})
      EXPECT_EQ(bytes.find(token), std::string::npos) << f << " contains a planted token";
  }
}

}  // namespace
}  // namespace rumi
