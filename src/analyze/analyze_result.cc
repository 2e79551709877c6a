// Reporting of an analysis run: the JSON for --json / the run manifest, and the summary table.
#include <cstdio>
#include <sstream>

#include "analyze/analyze_hashtag.h"

namespace rumi::analyze {

Json AnalyzeResult::to_json() const {
  Json j{{"run_id", run_id},
         {"analyzer_version", analyzer_version},
         {"mode", mode},
         {"status", status},
         {"resumed", resumed},
         {"min_success", min_success},
         {"gate_passed", gate_passed},
         {"analyzer_invocations", analyzer_invocations},
         {"cache_hits", cache_hits},
         {"wall_seconds", json_number(wall_seconds)},
         {"resume_command", resume_command}};
  j["stop_reason"] = stop_reason.empty() ? Json(nullptr) : Json(stop_reason);
  Json b = Json::array();
  for (const auto& s : buckets)
    b.push_back({{"bucket", bucket_name(s.bucket)},
                 {"selected", s.selected},
                 {"done", s.done},
                 {"failed", s.failed},
                 {"skipped", s.skipped},
                 {"seconds_per_video", json_number(s.seconds_per_video)},
                 {"passed_gate", s.passed_gate}});
  j["buckets"] = std::move(b);
  Json v = Json::array();
  for (const auto& o : videos) {
    Json e{{"video_id", o.video_id},
           {"bucket", bucket_name(o.bucket)},
           {"status", store::checkpoint_status_name(o.status)},
           {"attempts", o.attempts},
           {"processed_now", o.processed_now},
           {"from_cache", o.from_cache},
           {"duration_s", json_number(o.duration_s)},
           {"missing_flows", o.missing_flows}};
    e["error"] = o.error ? Json(*o.error) : Json(nullptr);
    v.push_back(std::move(e));
  }
  j["videos"] = std::move(v);
  return j;
}

std::string AnalyzeResult::summary_table() const {
  std::ostringstream out;
  int done = 0, failed = 0, skipped = 0, now = 0;
  for (const auto& s : buckets) {
    done += s.done;
    failed += s.failed;
    skipped += s.skipped;
  }
  for (const auto& v : videos) now += v.processed_now;
  out << "Analysis run " << run_id << " (" << status << (resumed ? ", resumed" : "") << ", analyzer "
      << analyzer_version << "): " << done << " done, " << failed << " failed, " << skipped << " skipped; " << now
      << " processed now (" << analyzer_invocations << " analyzer runs, " << cache_hits << " from the shared cache)\n";
  if (mode == "metadata")
    out << "  Metadata only: rumi analysed captions and posting data from the Apify items, not the videos' content.\n"
           "  Every eligible video was analysed when the selection design is \"all\" (rumi run does this), since a\n"
           "  metadata analysis costs nothing.\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %-8s %8s %6s %7s %8s %9s  %s\n", "bucket", "selected", "done", "failed",
                "skipped", "s/video", "gate");
  out << line;
  for (const auto& s : buckets) {
    std::snprintf(line, sizeof line, "  %-8s %8d %6d %7d %8d %9.3f  %s\n", std::string(bucket_name(s.bucket)).c_str(),
                  s.selected, s.done, s.failed, s.skipped, s.seconds_per_video,
                  s.selected == 0 ? "-"
                  : s.passed_gate ? "ok"
                                  : "BELOW");
    out << line;
  }
  int shown = 0;
  for (const auto& v : videos) {
    if (v.status != store::CheckpointStatus::failed || !v.error || !v.processed_now) continue;
    if (shown++ == 10) {
      out << "  ...\n";
      break;
    }
    out << "  failed " << v.video_id << ": " << *v.error << "\n";
  }
  return out.str();
}

}  // namespace rumi::analyze
