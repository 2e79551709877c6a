#include "analyze/selection_input.h"

#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/sha256.h"

namespace rumi::analyze {

bool is_safe_video_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

SelectionInput read_selection_input(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    throw UsageError("no selection at " + file.string() + "; run 'rumi acquire' for this hashtag first");
  const std::string text = read_file(file);
  const std::string name = file.string();
  Json j = parse_json(text, name);
  if (!j.is_object() || j.value("format", "") != "rumi-selection")
    throw InputError(name, "document", "format", "not a rumi-selection file");
  // Version 2 (roles, eligible list, outliers) only added keys; analyze reads the same ones.
  if (!j.contains("format_version") || (j["format_version"] != 1 && j["format_version"] != 2))
    throw InputError(name, "document", "format_version", "unsupported version (expected 1 or 2)");
  if (!j.contains("buckets") || !j["buckets"].is_object())
    throw InputError(name, "document", "buckets", "missing or not an object");

  SelectionInput out;
  out.sha256 = sha256_hex(text);
  std::set<std::string> seen;
  for (Bucket b : kAllBuckets) {
    auto it = j["buckets"].find(std::string(bucket_name(b)));
    if (it == j["buckets"].end()) continue;
    out.buckets.push_back(b);
    const std::string record = "buckets." + std::string(bucket_name(b));
    if (!it->is_object()) throw InputError(name, record, "-", "not an object");
    auto sel = it->find("selected");
    if (sel == it->end()) continue;
    if (!sel->is_array()) throw InputError(name, record, "selected", "not an array");
    for (std::size_t i = 0; i < sel->size(); ++i) {
      const Json& v = (*sel)[i];
      const std::string rec = record + ".selected[" + std::to_string(i) + "]";
      if (!v.is_object()) throw InputError(name, rec, "-", "not an object");
      auto id = v.find("video_id");
      if (id == v.end() || !id->is_string() || id->get<std::string>().empty())
        throw InputError(name, rec, "video_id", "missing or not a non-empty string");
      SelectedVideo sv;
      sv.bucket = b;
      sv.video_id = id->get<std::string>();
      if (auto url = v.find("url"); url != v.end() && url->is_string()) sv.url = url->get<std::string>();
      if (!seen.insert(sv.video_id).second) throw InputError(name, rec, "video_id", "duplicate video " + sv.video_id);
      out.videos.push_back(std::move(sv));
    }
  }
  for (const auto& [key, value] : j["buckets"].items()) {
    if (!parse_bucket(key)) throw InputError(name, "buckets", key, "unknown duration bucket");
  }
  return out;
}

}  // namespace rumi::analyze
