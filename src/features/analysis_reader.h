#pragma once
// Reading one video's RumiAI output in any era-B layout (schema doc sections 3 and 11) into the
// generic 7-flow x 6-block shape, or its era-C temporal windows file (section 8, era_c.h), and
// the merged `<id>_analysis.json` form stored per bucket (docs/contracts.md). Missing flows are
// recorded, not fatal; unreadable files are InputError.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace rumi::features {

// Which RumiAI output format an analysis came from. Era B: the 7 flows. Era C: one temporal
// windows document, stored as flows["temporal_windows"]; era-C features and era-B features are
// different columns, so one bucket never mixes the two (bucket_dataset.h).
inline constexpr std::string_view kEraB = "B";
inline constexpr std::string_view kEraC = "C";

struct LoadedAnalysis {
  std::string video_id;
  std::string era{kEraB};
  // Era B: flow -> {CoreMetrics..Quality}, generic block names. Era C: {"temporal_windows": doc}.
  Json flows = Json::object();
  std::vector<std::string> missing_flows;      // era-B flows not found; always empty for era C
  std::map<std::string, std::string> sources;  // flow -> file it came from (relative to the dir)
  std::vector<std::string> warnings;
};

// Every candidate flow file found under a directory, by video id, so a replay directory with
// thousands of files is walked once, not once per video.
struct FlowFileCandidate {
  std::string flow;       // one of kFlowNames, or kTemporalWindowsFlow for an era-C file
  std::string timestamp;  // "%Y%m%d_%H%M%S" from the name, empty when the name has none
  int layout_rank = 0;    // among equal timestamps: _ml (3) > _complete (2) > _result/flat (1);
                          // era C: the runner's `_updated` name (2) > any other (1)
  std::filesystem::path path;
};
struct AnalysisIndex {
  std::filesystem::path root;
  std::map<std::string, std::vector<FlowFileCandidate>> by_video;
};
AnalysisIndex index_analysis_dir(const std::filesystem::path& dir);

// Finds the flows for `video_id` under `dir` in any layout: insights/<id>/<flow>/<flow>_ml_<ts>.json,
// _complete_<ts> (parsed_response, else stringified response/result), _result_<ts> (prefixed),
// flat <id>_<flow>.json with prefixed or generic blocks. Newest timestamp wins.
// Era C: `<id>_temporal_windows*.json` anywhere under `dir` (the runner writes
// insights/<id>_temporal_windows_updated.json); of several, the newest `processing_timestamp`
// wins. A video with an era-C file is read as era C: RumiAI replaced the 7 flows by the temporal
// windows, so the era-C file is the later analysis; era-B files of the same video are ignored
// with a warning.
// Throws InputError when a file is unparseable, malformed or names a different video id.
LoadedAnalysis load_analysis_from_dir(const std::filesystem::path& dir, std::string_view video_id);
LoadedAnalysis load_analysis(const AnalysisIndex& index, std::string_view video_id);
// An era-B analysis an in-process analyzer produced (flow -> blocks), every flow's source set to
// `source`; the era-B flows it lacks are missing_flows.
LoadedAnalysis analysis_from_flows(std::string_view video_id, const Json& flows, const std::string& source);

// One flow document (any wrapper) -> the 6 generic blocks. `file` is for error messages.
Json normalize_flow_document(const Json& doc, std::string_view flow, std::string_view file);

// The merged per-video file of docs/contracts.md and its reader (validates format + version).
// Era B is written as format_version 1 (unchanged bytes); era C as format_version 2 with
// "era": "C". The reader accepts both.
Json merged_analysis_json(const LoadedAnalysis& a, std::string_view analyzer_version);
LoadedAnalysis read_merged_analysis(const std::filesystem::path& file);
LoadedAnalysis merged_analysis_from_json(const Json& j, std::string_view file_for_errors);
// kEraB or kEraC of a merged document; throws InputError for a bad format, version or era.
std::string merged_analysis_era(const Json& j, std::string_view file_for_errors);

}  // namespace rumi::features
