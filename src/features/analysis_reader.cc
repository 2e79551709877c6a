#include "features/analysis_reader.h"

#include <algorithm>
#include <limits>
#include <regex>
#include <tuple>

#include "core/error.h"
#include "features/era_c.h"
#include "features/fast_json.h"
#include "features/flows.h"

namespace rumi::features {

namespace fs = std::filesystem;

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Recognises a flow file or an era-C temporal windows file by its name; returns false for
// anything else (unified analyses, temporal markers...), which are ignored.
bool classify(const fs::path& path, std::string* video_id, FlowFileCandidate* out) {
  static const std::regex kInsights(R"(^([a-z_]+)_(ml|complete|result)_(\d{8}_\d{6})\.json$)");
  static const std::regex kFlat(R"(^(\d{6,25})_([a-z_]+?)(?:_(ml|complete|result))?\.json$)");
  static const std::regex kWindows(R"(^(\d{6,25})_temporal_windows(_[A-Za-z0-9_-]+)?\.json$)");
  const std::string name = path.filename().string();
  std::smatch m;
  if (std::regex_match(name, m, kWindows)) {
    *video_id = m[1];
    out->flow = std::string(kTemporalWindowsFlow);
    out->timestamp.clear();
    out->layout_rank = m[2] == "_updated" ? 2 : 1;
    out->path = path;
    return true;
  }
  if (std::regex_match(name, m, kInsights)) {
    const std::string flow = m[1];
    if (!is_flow_name(flow)) return false;
    // insights/<id>/<flow>/<file>
    const fs::path flow_dir = path.parent_path();
    const std::string id = flow_dir.parent_path().filename().string();
    if (flow_dir.filename() != flow || !all_digits(id)) return false;
    *video_id = id;
    out->flow = flow;
    out->timestamp = m[3];
    out->layout_rank = m[2] == "ml" ? 3 : m[2] == "complete" ? 2 : 1;
    out->path = path;
    return true;
  }
  if (std::regex_match(name, m, kFlat)) {
    const std::string flow = m[2];
    if (!is_flow_name(flow)) return false;
    *video_id = m[1];
    out->flow = flow;
    out->timestamp.clear();
    const std::string kind = m[3];
    out->layout_rank = kind == "ml" ? 3 : kind == "complete" ? 2 : 1;
    out->path = path;
    return true;
  }
  return false;
}

Json parse_embedded(const Json& s, std::string_view file, std::string_view field) {
  try {
    return parse_json_fast(s.get<std::string>(), file);
  } catch (const InputError&) {
    throw InputError(file, "document", field, "stringified JSON does not parse");
  }
}

std::string embedded_video_id(const Json& doc) {
  for (const char* key : {"video_id", "videoId"}) {
    auto it = doc.find(key);
    if (it != doc.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

}  // namespace

Json normalize_flow_document(const Json& doc, std::string_view flow, std::string_view file) {
  if (!doc.is_object()) throw InputError(file, "document", "-", "a flow file must be a JSON object");
  const Json* body = &doc;
  Json inner;
  if (auto it = doc.find("parsed_response"); it != doc.end() && it->is_object() && !it->empty()) {
    body = &*it;
  } else if (auto r = doc.find("response"); r != doc.end() && r->is_string()) {
    inner = parse_embedded(*r, file, "response");
    body = &inner;
  } else if (auto res = doc.find("result"); res != doc.end() && res->is_string()) {
    inner = parse_embedded(*res, file, "result");
    body = &inner;
  }
  if (!body->is_object()) throw InputError(file, "document", "-", "flow content is not an object");
  const std::string_view prefix = flow_prefix(flow).value_or("");
  Json out = Json::object();
  for (const auto& [key, value] : body->items()) {
    if (auto block = generic_block_name(key, prefix)) out[*block] = value;
  }
  if (out.empty()) throw InputError(file, "document", "-", "no RumiAI blocks (CoreMetrics..Quality) found");
  return out;
}

AnalysisIndex index_analysis_dir(const fs::path& dir) {
  AnalysisIndex index;
  index.root = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir.string(), "-", "-", "not a directory");
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec) || it->path().extension() != ".json") continue;
    std::string id;
    FlowFileCandidate c;
    if (classify(it->path(), &id, &c)) index.by_video[id].push_back(std::move(c));
  }
  if (ec) throw InputError(dir.string(), "-", "-", "cannot list directory: " + ec.message());
  return index;
}

namespace {

// Upstream's processing_timestamp (Unix seconds); -inf when absent, so any stamped file wins.
double processing_timestamp(const Json& doc) {
  auto it = doc.find("processing_timestamp");
  return it != doc.end() && it->is_number() ? it->get<double>() : -std::numeric_limits<double>::infinity();
}

void check_video_id(const Json& doc, const std::string& expected, const std::string& file) {
  if (std::string id = embedded_video_id(doc); !id.empty() && id != expected)
    throw InputError(file, "document", "video_id", "names video " + id + ", expected " + expected);
}

// The era-C analysis of a video from its temporal windows candidates (at least one).
LoadedAnalysis load_era_c(const AnalysisIndex& index, const std::string& video_id,
                          const std::vector<const FlowFileCandidate*>& files, std::size_t era_b_files) {
  LoadedAnalysis out;
  out.video_id = video_id;
  out.era = std::string(kEraC);
  const FlowFileCandidate* best = nullptr;
  Json best_doc;
  double best_ts = 0;
  for (const FlowFileCandidate* c : files) {
    const std::string file = c->path.string();
    Json doc = read_json_fast(c->path);
    validate_temporal_windows(doc, file);
    check_video_id(doc, video_id, file);
    if (auto meta = doc.find("metadata"); meta != doc.end() && meta->is_object())
      if (std::string id = embedded_video_id(*meta); !id.empty() && id != video_id)
        throw InputError(file, "metadata", "video_id", "names video " + id + ", expected " + video_id);
    const double ts = processing_timestamp(doc);
    // Newest analysis; then the runner's own file name; then the path, for determinism.
    if (!best || std::tie(ts, c->layout_rank, c->path) > std::tie(best_ts, best->layout_rank, best->path)) {
      best = c;
      best_doc = std::move(doc);
      best_ts = ts;
    }
  }
  out.flows[std::string(kTemporalWindowsFlow)] = std::move(best_doc);
  out.sources[std::string(kTemporalWindowsFlow)] = best->path.lexically_relative(index.root).generic_string();
  if (files.size() > 1) {
    std::string w = "several temporal windows files for video ";
    w += video_id;
    w += "; read the newest, ";
    w += out.sources[std::string(kTemporalWindowsFlow)];
    out.warnings.push_back(std::move(w));
  }
  if (era_b_files > 0) {
    std::string w = std::to_string(era_b_files);
    w += " era-B flow file(s) of video ";
    w += video_id;
    w += " ignored: its era-C temporal windows file is the later RumiAI analysis";
    out.warnings.push_back(std::move(w));
  }
  return out;
}

}  // namespace

LoadedAnalysis load_analysis(const AnalysisIndex& index, std::string_view video_id) {
  LoadedAnalysis out;
  out.video_id = std::string(video_id);
  auto found = index.by_video.find(out.video_id);
  if (found != index.by_video.end()) {
    std::vector<const FlowFileCandidate*> windows;
    for (const auto& c : found->second)
      if (c.flow == kTemporalWindowsFlow) windows.push_back(&c);
    if (!windows.empty()) return load_era_c(index, out.video_id, windows, found->second.size() - windows.size());
  }
  for (std::string_view flow : kFlowNames) {
    const FlowFileCandidate* best = nullptr;
    if (found != index.by_video.end()) {
      for (const auto& c : found->second) {
        if (c.flow != flow) continue;
        // Newest timestamp wins; then the generic _ml form; then the path for determinism.
        if (!best ||
            std::tie(c.timestamp, c.layout_rank, c.path) > std::tie(best->timestamp, best->layout_rank, best->path))
          best = &c;
      }
    }
    if (!best) {
      out.missing_flows.emplace_back(flow);
      continue;
    }
    const std::string file = best->path.string();
    Json doc = read_json_fast(best->path);
    check_video_id(doc, out.video_id, file);
    out.flows[std::string(flow)] = normalize_flow_document(doc, flow, file);
    out.sources[std::string(flow)] = best->path.lexically_relative(index.root).generic_string();
  }
  return out;
}

LoadedAnalysis load_analysis_from_dir(const fs::path& dir, std::string_view video_id) {
  return load_analysis(index_analysis_dir(dir), video_id);
}

Json merged_analysis_json(const LoadedAnalysis& a, std::string_view analyzer_version) {
  Json j;
  j["format"] = "rumi-analysis";
  // Era-B files keep version 1 byte for byte (cached analyses stay valid); version 2 adds `era`.
  if (a.era == kEraB) {
    j["format_version"] = 1;
  } else {
    j["format_version"] = 2;
    j["era"] = a.era;
  }
  j["video_id"] = a.video_id;
  j["analyzer_version"] = std::string(analyzer_version);
  j["flows"] = a.flows.is_object() ? a.flows : Json::object();
  j["missing_flows"] = a.missing_flows;
  j["sources"] = a.sources;
  return j;
}

std::string merged_analysis_era(const Json& j, std::string_view file) {
  // json::value() throws a type_error when "format" is not a string: check the type first.
  const auto format = j.is_object() ? j.find("format") : j.end();
  if (!j.is_object() || format == j.end() || !format->is_string() || format->get<std::string>() != "rumi-analysis")
    throw InputError(file, "document", "format", "not a rumi-analysis file");
  const int version =
      j.contains("format_version") && j["format_version"].is_number_integer() ? j["format_version"].get<int>() : 0;
  if (version == 1) return std::string(kEraB);
  if (version != 2) throw InputError(file, "document", "format_version", "unsupported version (expected 1 or 2)");
  std::string era = j.contains("era") && j["era"].is_string() ? j["era"].get<std::string>() : "";
  if (era != kEraB && era != kEraC) throw InputError(file, "document", "era", "missing or not \"B\" or \"C\"");
  return era;
}

LoadedAnalysis merged_analysis_from_json(const Json& j, std::string_view file) {
  const std::string era = merged_analysis_era(j, file);
  if (!j.contains("video_id") || !j["video_id"].is_string())
    throw InputError(file, "document", "video_id", "missing or not a string");
  LoadedAnalysis a;
  a.video_id = j["video_id"].get<std::string>();
  a.era = era;
  const Json flows = j.value("flows", Json::object());
  if (!flows.is_object()) throw InputError(file, "document", "flows", "not an object");
  if (era == kEraC) {
    auto tw = flows.find(kTemporalWindowsFlow);
    if (tw == flows.end()) throw InputError(file, "flows", kTemporalWindowsFlow, "missing in an era-C analysis");
    validate_temporal_windows(*tw, file);
    a.flows[std::string(kTemporalWindowsFlow)] = *tw;
    for (const auto& [flow, blocks] : flows.items())
      if (flow != kTemporalWindowsFlow) a.warnings.push_back("flow '" + flow + "' in an era-C analysis ignored");
    if (auto s = j.find("sources"); s != j.end() && s->is_object())
      for (const auto& [flow, path] : s->items())
        if (path.is_string()) a.sources[flow] = path.get<std::string>();
    return a;
  }
  for (const auto& [flow, blocks] : flows.items()) {
    if (!is_flow_name(flow)) {
      a.warnings.push_back("unknown flow '" + flow + "' ignored");
      continue;
    }
    if (!blocks.is_object()) throw InputError(file, "flows", flow, "not an object");
    a.flows[flow] = blocks;
  }
  for (std::string_view flow : kFlowNames)
    if (!a.flows.contains(std::string(flow))) a.missing_flows.emplace_back(flow);
  if (auto s = j.find("sources"); s != j.end() && s->is_object())
    for (const auto& [flow, path] : s->items())
      if (path.is_string()) a.sources[flow] = path.get<std::string>();
  return a;
}

LoadedAnalysis read_merged_analysis(const fs::path& file) {
  return merged_analysis_from_json(read_json_fast(file), file.string());
}

LoadedAnalysis analysis_from_flows(std::string_view video_id, const Json& flows, const std::string& source) {
  LoadedAnalysis loaded;
  loaded.video_id = std::string(video_id);
  for (const auto& [flow, blocks] : flows.items()) {
    loaded.flows[flow] = blocks;
    loaded.sources[flow] = source;
  }
  for (std::string_view flow : kFlowNames)
    if (!loaded.flows.contains(std::string(flow))) loaded.missing_flows.emplace_back(flow);
  return loaded;
}

}  // namespace rumi::features
