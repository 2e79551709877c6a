#include "e2e/analyze_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/file_io.h"

namespace rumi::test {

namespace fs = std::filesystem;

AnalyzeFixture::AnalyzeFixture() {
  fs::create_directories(dir_.path() / "modes");
  const std::string d = dir_.path().string();
  std::ostringstream s;
  s << "#!/bin/sh\n"
       "id=\"$1\"; out=\"$2\"; url=\"$3\"\n"
       "dir='"
    << d
    << "'\n"
       "echo \"start $id\" >> \"$dir/invocations.log\"\n"
       "printf '%s\\n' \"$url\" >> \"$dir/urls.log\"\n"
       "mode=ok; [ -f \"$dir/modes/$id\" ] && mode=$(cat \"$dir/modes/$id\")\n"
       "delay=0.01; [ -f \"$dir/delay\" ] && delay=$(cat \"$dir/delay\")\n"
       "sleep \"$delay\"\n"
       "write_flow() { printf '{\"video_id\": \"%s\", \"CoreMetrics\": {\"score\": %s}, \"Quality\": {\"confidence\": "
       "0.9}}' "
       "\"$2\" \"$3\" > \"$out/$1_$4.json\"; }\n"
       "case \"$mode\" in\n"
       "  fail) echo 'analyzer failed on purpose' >&2; exit 1 ;;\n"
       "  hang) sleep 300 & echo $! >> \"$dir/child_$id.pid\"; exec sleep 300 ;;\n"
       "  garbage) printf '{\"CoreMetrics\": {\"score\": ' > \"$out/${id}_creative_density.json\" ;;\n"
       "  partial) write_flow \"$id\" \"$id\" 1 creative_density; write_flow \"$id\" \"$id\" 2 scene_pacing ;;\n"
       "  wrongid) for f in creative_density scene_pacing; do write_flow \"$id\" 999 1 $f; done ;;\n"
       "  othername) for f in creative_density scene_pacing; do write_flow 7111111111111111111 7111111111111111111 1 "
       "$f; done ;;\n"
       "  *) for f in creative_density emotional_journey person_framing scene_pacing speech_analysis "
       "visual_overlay_analysis metadata_analysis; do write_flow \"$id\" \"$id\" 3 $f; done ;;\n"
       "esac\n"
       "echo \"end $id\" >> \"$dir/invocations.log\"\n";
  write_file_atomic(script(), s.str());
  fs::permissions(script(), fs::perms::owner_all);
}

std::string AnalyzeFixture::analyzer_template() const {
  // Appended, not "'" + ...: GCC 12 reports a false -Wrestrict on that operator+.
  std::string t = "'";
  t += script().string();
  t += "' {id} {out} {url}";
  return t;
}

void AnalyzeFixture::setup_clients(const std::vector<std::string>& names) {
  std::string yaml = "clients:\n";
  for (const auto& n : names) yaml += "  - name: " + n + "\n    hashtags:\n      - name: \"#nutrition\"\n";
  write_file_atomic(root() / "clients.yaml", yaml);
  auto r = rumi({"config", "apply", (root() / "clients.yaml").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void AnalyzeFixture::write_selection(const std::string& client_slug, const std::vector<FakeVideo>& videos) {
  Json buckets = Json::object();
  for (const char* b : {"0-15s", "16-30s", "31-60s", "61-90s", "91-120s"})
    buckets[b] =
        Json{{"target", 30}, {"found", 0}, {"eligible", 0}, {"selected", Json::array()}, {"shortfall", nullptr}};
  int rank = 0;
  for (const auto& v : videos) {
    buckets[v.bucket]["selected"].push_back(
        Json{{"rank", ++rank},
             {"video_id", v.id},
             {"url", v.url.empty() ? "https://www.tiktok.com/@a/video/" + v.id : v.url},
             {"er", 5.0},
             {"score", 5.0},
             {"weight", 1.0},
             {"celebrity", false},
             {"views", 10000},
             {"likes", 400},
             {"comments", 50},
             {"shares", 50},
             {"duration_s", 10.0},
             {"created_at", "2025-07-01T00:00:00Z"},
             {"author", "someone"},
             {"followers", 1000}});
  }
  Json sel{{"format", "rumi-selection"}, {"format_version", 1},
           {"hashtag", "#nutrition"},    {"created_at", "2026-01-01T00:00:00Z"},
           {"sha256_inputs", "x"},       {"config", Json::object()},
           {"buckets", buckets},         {"excluded", Json::array()}};
  write_json_atomic(hashtag_dir(client_slug) / "acquisition" / "selection.json", sel);
}

void AnalyzeFixture::set_mode(const std::string& id, const std::string& mode) {
  write_file_atomic(root() / "modes" / id, mode);
}

CommandResult AnalyzeFixture::rumi(std::vector<std::string> args) const {
  args.insert(args.begin(), {"--workspace", ws().string()});
  return run_rumi(args);
}

pid_t AnalyzeFixture::spawn_rumi(std::vector<std::string> args) const {
  args.insert(args.begin(), {rumi_binary().string(), "--workspace", ws().string()});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

std::vector<std::string> AnalyzeFixture::started_ids() const {
  std::vector<std::string> out;
  std::ifstream in(invocation_log());
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("start ", 0) == 0) out.push_back(line.substr(6));
  return out;
}

std::vector<FakeVideo> make_videos(int n, std::uint64_t first) {
  std::vector<FakeVideo> v;
  const char* buckets[] = {"0-15s", "16-30s", "31-60s"};
  for (int i = 0; i < n; ++i)
    v.push_back({std::to_string(first + static_cast<std::uint64_t>(i) * 7919), buckets[i % 3], ""});
  return v;
}

bool process_alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  std::string all;
  std::getline(stat, all);
  auto close = all.rfind(')');
  if (close == std::string::npos || close + 2 >= all.size()) return false;
  const char state = all[close + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace rumi::test
