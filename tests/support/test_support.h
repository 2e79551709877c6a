#pragma once
// Helpers shared by every test binary: temp dirs, running programs, calling scipy. Running the
// real `rumi` binary is support/rumi_cli.h, for tests/e2e only.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rumi::test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs any program with args (argv[0] is the program path), no shell.
CommandResult run_program(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
                          const std::string& stdin_text = {});
// Runs /usr/bin/python3 -c script with stdin; the system interpreter has scipy/sklearn.
CommandResult run_python(const std::string& script, const std::string& stdin_text = {});
// True when `import MODULES` (comma-separated) works in that interpreter.
bool python_has(const std::string& modules);
// run_python with `input` as JSON on stdin; the script's stdout parsed as JSON (null when empty).
// A failing script is a test failure (its stderr is shown).
nlohmann::json python_json(const std::string& script, const nlohmann::json& input);

std::filesystem::path source_dir();
std::filesystem::path shared_dir();  // ../shared next to the checkout
// tests/fixtures: small inputs of the repository's own making (tests/fixtures/README.md), so
// every code path is tested from a clean clone without ../shared.
std::filesystem::path fixtures_dir();

}  // namespace rumi::test

// Skips the current test when a piece of ../shared test data is absent (a clean clone has no
// ../shared beside it), naming the missing path; the same code path is covered by a test on
// tests/fixtures. Use inside a TEST body (GTEST_SKIP returns from it).
#define RUMI_REQUIRE_SHARED(path_expr)                                                              \
  do {                                                                                              \
    const std::filesystem::path rumi_required_ = (path_expr);                                       \
    if (!std::filesystem::exists(rumi_required_))                                                   \
      GTEST_SKIP() << "needs " << rumi_required_.string()                                           \
                   << " (shared test data beside the checkout, absent here); the repository's own " \
                      "fixtures cover this code path";                                              \
  } while (0)
