#include "pipeline/success_gate.h"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "analyze/selection_input.h"
#include "core/bucket.h"
#include "core/error.h"
#include "core/workspace.h"

namespace rumi::pipeline {
namespace fs = std::filesystem;

Json GateCheck::to_json() const {
  Json b = Json::array();
  for (const auto& g : buckets)
    b.push_back({{"bucket", g.bucket},
                 {"selected", g.selected},
                 {"analysed", g.analysed},
                 {"share", g.selected > 0 ? static_cast<double>(g.analysed) / g.selected : 1.0},
                 {"passed", g.passed}});
  return Json{{"min_success", min_success}, {"source", source}, {"checked", checked},
              {"passed", passed},           {"note", note},     {"buckets", b}};
}

std::string GateCheck::failure_message(const std::string& hashtag, const std::string& command) const {
  std::string msg = hashtag + ": not enough analysed videos to train on:";
  for (const auto& g : buckets) {
    if (g.passed) continue;
    msg += fmt::format(
        "\n  bucket {}: only {} of {} selected videos ({:.0f} %) are analysed, below the required {:.0f} %", g.bucket,
        g.analysed, g.selected, 100.0 * g.analysed / std::max(g.selected, 1), 100.0 * min_success);
  }
  msg += "\nFix the failed analyses (rumi analyze ... --resume --retry-failed) and rerun, or accept fewer with '";
  msg += command;
  msg += " --min-success X' (recorded with the results).";
  return msg;
}

GateCheck check_success_gate(const fs::path& hashtag_dir, double min_success, std::string source) {
  if (!(min_success >= 0 && min_success <= 1))
    throw UsageError(fmt::format("--min-success must be between 0 and 1, got {}", min_success));
  GateCheck g;
  g.min_success = min_success;
  g.source = std::move(source);
  const fs::path selection = hashtag_dir / "acquisition" / "selection.json";
  std::error_code ec;
  if (!fs::exists(selection, ec)) {
    g.note = "no acquisition/selection.json: the gate cannot be checked";
    return g;
  }
  const analyze::SelectionInput in = analyze::read_selection_input(selection);
  std::map<Bucket, GateBucket> per;
  for (Bucket b : in.buckets) per[b].bucket = std::string(bucket_name(b));
  for (const auto& v : in.videos) {
    GateBucket& gb = per[v.bucket];
    gb.bucket = std::string(bucket_name(v.bucket));
    ++gb.selected;
    // Unsafe ids were never analysed (analyze refuses them); they count as not analysed.
    if (!analyze::is_safe_video_id(v.video_id)) continue;
    const fs::path file = bucket_files(hashtag_dir, v.bucket).analysis(v.video_id);
    if (fs::is_regular_file(file, ec)) ++gb.analysed;
  }
  g.checked = true;
  for (auto& [b, gb] : per) {
    // The same comparison as analyze's gate (analyze_hashtag.cc), tolerance included.
    gb.passed = gb.selected == 0 || static_cast<double>(gb.analysed) >= min_success * gb.selected - 1e-9;
    g.passed = g.passed && gb.passed;
    g.buckets.push_back(gb);
  }
  return g;
}

}  // namespace rumi::pipeline
