#pragma once
// A workspace with clients, a hand-written selection.json and a fake analyzer script whose
// behaviour per video is set by files under <dir>/modes/<id> (ok, fail, hang, garbage, partial,
// wrongid, othername); <dir>/delay, when present, sets how long each analysis takes (default
// 0.01 s). The script appends "start <id>" / "end <id>" lines to an invocation log.
#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi::test {

struct FakeVideo {
  std::string id;
  std::string bucket = "0-15s";
  std::string url;
};

class AnalyzeFixture {
 public:
  AnalyzeFixture();
  const std::filesystem::path& root() const { return dir_.path(); }
  std::filesystem::path ws() const { return dir_.path() / "ws"; }
  std::filesystem::path script() const { return dir_.path() / "fake_analyzer.sh"; }
  std::filesystem::path invocation_log() const { return dir_.path() / "invocations.log"; }
  std::string analyzer_template() const;

  // rumi init + config apply with the given clients, each with hashtag #nutrition.
  void setup_clients(const std::vector<std::string>& client_names);
  void write_selection(const std::string& client_slug, const std::vector<FakeVideo>& videos);
  void set_mode(const std::string& id, const std::string& mode);

  CommandResult rumi(std::vector<std::string> args) const;
  // Starts the real binary without waiting (stdout/stderr to /dev/null).
  pid_t spawn_rumi(std::vector<std::string> args) const;

  std::filesystem::path hashtag_dir(const std::string& client_slug) const {
    return ws() / "MLAnalysis" / client_slug / "nutrition";
  }
  // Invocation log lines of the form "start <id>" (ids only).
  std::vector<std::string> started_ids() const;

 private:
  TempDir dir_;
};

std::vector<FakeVideo> make_videos(int n, std::uint64_t first = 7300000000000000000ULL);
bool process_alive(pid_t pid);

}  // namespace rumi::test
