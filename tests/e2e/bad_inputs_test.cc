// The bad-input catalog (tests/bad_inputs/cases.json) through the real binary: every case sets
// up a fresh workspace, writes its broken input, runs one command and checks the exit code and
// a fragment of the message. One gtest per case, named after it, so a failure names the case.
//
// Placeholders in every string: {ws} the case's workspace, {case} the case's scratch folder,
// {data} tests/bad_inputs/data, {syn} a synthetic data set (rumi synth --videos 40 --seed 1),
// {shared} ../shared, {schema_sha} the current feature schema hash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "acquire/csv_reader.h"
#include "core/file_io.h"
#include "core/json.h"
#include "features/feature_catalog.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;

fs::path catalog_dir() { return test::source_dir() / "tests" / "bad_inputs"; }

struct BadInputCase {
  std::string name;
  Json spec;
};
// gtest prints parameters on failure; the case name is enough.
void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

std::vector<BadInputCase> load_cases() {
  std::vector<BadInputCase> out;
  std::ifstream in(catalog_dir() / "cases.json");
  if (!in) return out;
  const Json doc = Json::parse(in);
  for (const auto& c : doc.at("cases")) out.push_back({c.at("name").get<std::string>(), c});
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

std::string csv_quote(const std::string& cell) {
  std::string out = "\"";  // appended: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string
  out += replace_all(cell, "\"", "\"\"");
  out += '"';
  return out;
}

// The synthetic data set is generated once for all cases (it is deterministic for a seed).
class SynthData {
 public:
  static const fs::path& dir() {
    static const SynthData data;
    return data.dir_;
  }

 private:
  SynthData() : dir_(tmp_.path() / "syn") {
    auto r = test::run_rumi({"synth", "--videos", "40", "--out", dir_.string(), "--seed", "1"});
    if (r.exit_code != 0) throw std::runtime_error("rumi synth failed: " + r.err);
  }
  test::TempDir tmp_;
  fs::path dir_;
};

class BadInput : public ::testing::TestWithParam<BadInputCase> {
 protected:
  test::TempDir tmp;
  fs::path ws() const { return tmp.path() / "ws"; }
  fs::path case_dir() const { return tmp.path() / "case"; }

  // Without ../shared, the two real exports the import cases start from are replaced by the
  // repository's fixtures of the same shape (tests/fixtures/imports), so those cases still run.
  static std::string shared_or_fixtures(std::string& r) {
    if (fs::exists(test::shared_dir())) return test::shared_dir().string();
    const fs::path imports = test::fixtures_dir() / "imports";
    r = replace_all(r, "{shared}/tiktok_datasets/apify_clockworks_single_item_2025-07.json",
                    (imports / "apify_single_item.json").string());
    r = replace_all(r, "{shared}/tiktok_datasets/apify_clockworks_hashtag_export_2025.csv",
                    (imports / "apify_hashtag_export.csv").string());
    return test::shared_dir().string();
  }
  static bool needs_missing_shared(const Json& spec) {
    if (fs::exists(test::shared_dir())) return false;
    std::string text = spec.dump();
    shared_or_fixtures(text);
    return text.find("{shared}") != std::string::npos;
  }

  std::string expand(const std::string& s) const {
    std::string r = replace_all(s, "{ws}", ws().string());
    // The current feature schema's hash, so model cases fail on what they break, not on the hash.
    r = replace_all(r, "{schema_sha}", features::feature_catalog().sha256);
    r = replace_all(r, "{case}", case_dir().string());
    r = replace_all(r, "{data}", (catalog_dir() / "data").string());
    const std::string shared = shared_or_fixtures(r);  // first: it may rewrite r
    r = replace_all(r, "{shared}", shared);
    if (r.find("{syn}") != std::string::npos) r = replace_all(r, "{syn}", SynthData::dir().string());
    return r;
  }
  std::vector<std::string> expand_args(const Json& args) const {
    std::vector<std::string> out;
    for (const auto& a : args) out.push_back(expand(a.get<std::string>()));
    return out;
  }
  // Every command runs in the case's workspace unless the case names its own --workspace.
  test::CommandResult rumi(std::vector<std::string> args) const {
    if (std::find(args.begin(), args.end(), "--workspace") == args.end())
      args.insert(args.begin(), {"--workspace", ws().string()});
    return test::run_rumi(args);
  }
  void rumi_ok(const std::vector<std::string>& args) const {
    auto r = rumi(args);
    ASSERT_EQ(r.exit_code, 0) << "setup step failed: " << ::testing::PrintToString(args) << "\n" << r.err;
  }

  // Presets build on each other: none < init < config < acquired < analyzed.
  void apply_preset(const std::string& preset) {
    const std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> levels = {
        {"none", {}},
        {"init", {{"init"}}},
        {"config", {{"config", "apply", "{data}/base.yaml"}}},
        {"acquired", {{"acquire", "Acme", "#fit", "--import", "{syn}/apify_items.json"}}},
        {"analyzed", {{"analyze", "Acme", "#fit", "--replay", "{syn}/analyses"}, {"features", "Acme", "#fit"}}},
    };
    for (const auto& [name, commands] : levels) {
      for (const auto& command : commands) {
        std::vector<std::string> args;
        for (const auto& a : command) args.push_back(expand(a));
        ASSERT_NO_FATAL_FAILURE(rumi_ok(args));
      }
      if (name == preset) return;
    }
    FAIL() << "unknown preset '" << preset << "'";
  }

  // One setup step: write a file, copy a folder, derive a JSON or CSV file from a sample.
  void apply_step(const Json& step) {
    if (step.contains("rumi")) {
      // A setup command may be expected to fail (e.g. to leave an unfinished run behind).
      auto r = rumi(expand_args(step["rumi"]));
      ASSERT_EQ(r.exit_code, step.value("exit", 0)) << "setup step " << step.dump() << "\n" << r.err;
      return;
    }
    const fs::path to = expand(step.at("to").get<std::string>());
    fs::create_directories(to.parent_path());
    if (step.contains("text")) {
      write_file_atomic(to, expand(step["text"].get<std::string>()));
    } else if (step.contains("copy_dir")) {
      fs::copy(expand(step["copy_dir"].get<std::string>()), to, fs::copy_options::recursive);
      for (const auto& e : fs::recursive_directory_iterator(to))
        fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
    } else if (step.contains("json_from")) {
      Json j = read_json_file(expand(step["json_from"].get<std::string>()));
      const Json set = step.value("set", Json::object());
      const Json remove = step.value("remove", Json::array());
      for (const auto& [ptr, value] : set.items()) j[Json::json_pointer(ptr)] = value;
      for (const auto& ptr : remove) {
        const Json::json_pointer p(ptr.get<std::string>());
        j[p.parent_pointer()].erase(p.back());
      }
      if (step.value("wrap_array", false)) j = Json::array({j});
      write_file_atomic(to, j.dump());
    } else if (step.contains("csv_from")) {
      const fs::path src = expand(step["csv_from"].get<std::string>());
      auto table = acquire::parse_csv(read_file(src), src.string());
      const std::size_t rows = std::min<std::size_t>(step.value("rows", 1), table.rows.size());
      std::vector<int> keep;
      const Json drop = step.value("drop", Json::array());
      const Json set = step.value("set", Json::object());
      for (std::size_t c = 0; c < table.header.size(); ++c)
        if (std::find(drop.begin(), drop.end(), Json(table.header[c])) == drop.end())
          keep.push_back(static_cast<int>(c));
      std::ostringstream out;
      auto write_row = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < keep.size(); ++i) out << (i ? "," : "") << csv_quote(cells[keep[i]]);
        out << "\n";
      };
      write_row(table.header);
      for (std::size_t r = 0; r < rows; ++r) {
        auto cells = table.rows[r];
        cells.resize(table.header.size());
        for (const auto& [col, value] : set.items()) {
          const int c = table.column(col);
          ASSERT_GE(c, 0) << "no column " << col << " in " << src;
          cells[c] = value.get<std::string>();
        }
        write_row(cells);
      }
      write_file_atomic(to, out.str());
    } else {
      FAIL() << "unknown setup step " << step.dump();
    }
  }
};

TEST_P(BadInput, ExitCodeAndMessage) {
  const Json& spec = GetParam().spec;
  if (needs_missing_shared(spec)) GTEST_SKIP() << "needs the samples in " << test::shared_dir() << " (absent here)";
  fs::create_directories(case_dir());
  ASSERT_NO_FATAL_FAILURE(apply_preset(spec.value("preset", "none")));
  for (const auto& step : spec.value("setup", Json::array())) ASSERT_NO_FATAL_FAILURE(apply_step(step));

  auto r = rumi(expand_args(spec.at("args")));
  const std::string all = r.err + r.out;
  const int expected = spec.at("exit").get<int>();
  EXPECT_EQ(r.exit_code, expected) << "case " << GetParam().name << "\n" << all;
  // "message" is one fragment or a list of fragments that must all appear.
  const Json& message = spec.at("message");
  for (const auto& f : message.is_array() ? message : Json::array({message})) {
    const std::string fragment = expand(f.get<std::string>());
    EXPECT_NE(all.find(fragment), std::string::npos)
        << "case " << GetParam().name << ": message lacks '" << fragment << "'\n"
        << all;
  }
  // Whatever the exit code, bad input never reaches an unexpected exception or a sanitizer.
  EXPECT_EQ(all.find("internal error"), std::string::npos) << "case " << GetParam().name << "\n" << all;
  EXPECT_EQ(all.find("Sanitizer"), std::string::npos) << "case " << GetParam().name << "\n" << all;
  EXPECT_EQ(all.find("runtime error:"), std::string::npos) << "case " << GetParam().name << "\n" << all;
}

std::string case_test_name(const ::testing::TestParamInfo<BadInputCase>& info) {
  std::string n = info.param.name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Catalog, BadInput, ::testing::ValuesIn(load_cases()), case_test_name);

TEST(BadInputCatalog, HasAtLeastFortyUniqueCasesAcrossAllAreas) {
  const auto cases = load_cases();
  EXPECT_GE(cases.size(), 40u);
  std::set<std::string> names, areas;
  for (const auto& c : cases) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case name " << c.name;
    areas.insert(c.spec.at("area").get<std::string>());
  }
  for (const char* area : {"config", "import", "analysis", "model", "cli"}) EXPECT_TRUE(areas.count(area)) << area;
}

}  // namespace
}  // namespace rumi
