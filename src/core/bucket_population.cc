#include "core/bucket_population.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/file_io.h"

namespace rumi {

std::optional<std::vector<EligibleVideo>> eligible_videos(const Json& selection, Bucket b, std::string_view file) {
  const std::string f(file);
  if (!selection.is_object()) throw InputError(f, "document", "-", "not an object");
  if (selection.value("format_version", 0) < 2) return std::nullopt;
  auto buckets = selection.find("buckets");
  if (buckets == selection.end() || !buckets->is_object()) throw InputError(f, "document", "buckets", "missing");
  const std::string name(bucket_name(b));
  auto entry = buckets->find(name);
  if (entry == buckets->end()) return std::nullopt;
  if (!entry->is_object()) throw InputError(f, "buckets." + name, "-", "not an object");
  auto list = entry->find("eligible_videos");
  if (list == entry->end() || !list->is_array())
    throw InputError(f, "buckets." + name, "eligible_videos", "missing or not an array (format 2 requires it)");
  std::vector<EligibleVideo> out;
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& v = (*list)[i];
    const std::string rec = "buckets." + name + ".eligible_videos[" + std::to_string(i) + "]";
    if (!v.is_object()) throw InputError(f, rec, "-", "not an object");
    EligibleVideo e;
    auto id = v.find("video_id");
    if (id == v.end() || !id->is_string() || id->get<std::string>().empty())
      throw InputError(f, rec, "video_id", "missing or not a non-empty string");
    e.video_id = id->get<std::string>();
    auto er = v.find("er");
    if (er == v.end() || !er->is_number() || !std::isfinite(er->get<double>()))
      throw InputError(f, rec, "er", "missing or not a finite number");
    e.er = er->get<double>();
    if (auto views = v.find("views"); views != v.end() && views->is_number_integer())
      e.views = views->get<std::int64_t>();
    if (auto role = v.find("role"); role != v.end() && role->is_string()) e.role = role->get<std::string>();
    if (auto o = v.find("outlier"); o != v.end())
      e.outlier = o->is_array() ? !o->empty() : (o->is_boolean() && o->get<bool>());
    if (auto w = v.find("base_weight"); w != v.end() && w->is_number()) e.base_weight = w->get<double>();
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<std::vector<EligibleVideo>> read_eligible_videos(const std::filesystem::path& hashtag_dir, Bucket b) {
  const std::filesystem::path file = hashtag_dir / "acquisition" / "selection.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return eligible_videos(read_json_file(file), b, file.string());
}

namespace {

double linear_quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

BucketPerformance describe_engagement(std::string bucket, std::span<const double> er_percent) {
  std::vector<double> er;
  for (double v : er_percent)
    if (std::isfinite(v)) er.push_back(v);
  BucketPerformance p;
  p.bucket = std::move(bucket);
  p.sample_size = static_cast<int>(er.size());
  p.insufficient = p.sample_size < kMinVideosForModel;
  p.exploratory = !p.insufficient && p.sample_size < kMinVideosForFullAnalysis;
  if (er.empty()) {
    p.consistency = 1.0;  // 1 / (1 + 0): nothing varies
    return p;
  }
  std::sort(er.begin(), er.end());
  const double n = static_cast<double>(er.size());
  p.avg_er = std::accumulate(er.begin(), er.end(), 0.0) / n;
  double ss = 0;
  for (double v : er) ss += (v - p.avg_er) * (v - p.avg_er);
  p.std_er = er.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  p.median_er = linear_quantile(er, 0.5);
  p.p90_er = linear_quantile(er, 0.9);
  const double cv = p.avg_er > 0 ? p.std_er / p.avg_er : 0.0;
  p.consistency = 1.0 / (1.0 + cv);
  return p;
}

}  // namespace rumi
