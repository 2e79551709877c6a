#include "features/bucket_dataset.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <utility>

#include "core/error.h"
#include "core/log.h"
#include "core/parallel.h"
#include "core/workspace.h"
#include "features/fast_extract.h"
#include "features/feature_catalog.h"

namespace rumi::features {

namespace fs = std::filesystem;

namespace {

struct SelectedVideo {
  std::string id;
  double weight = 1.0;
  double er = std::numeric_limits<double>::quiet_NaN();
  double duration = std::numeric_limits<double>::quiet_NaN();
};

std::vector<SelectedVideo> selected_videos(const Json& selection, Bucket b) {
  const std::string file = "acquisition/selection.json";
  std::vector<SelectedVideo> out;
  if (!selection.is_object()) throw InputError(file, "document", "-", "not an object");
  auto buckets = selection.find("buckets");
  if (buckets == selection.end() || !buckets->is_object()) throw InputError(file, "document", "buckets", "missing");
  auto entry = buckets->find(std::string(bucket_name(b)));
  if (entry == buckets->end()) return out;
  auto sel = entry->find("selected");
  if (sel == entry->end() || !sel->is_array()) return out;
  std::size_t rank = 0;
  for (const auto& v : *sel) {
    ++rank;
    const std::string record = std::string(bucket_name(b)) + " #" + std::to_string(rank);
    if (!v.is_object() || !v.contains("video_id") || !v["video_id"].is_string())
      throw InputError(file, record, "video_id", "missing or not a string");
    SelectedVideo s;
    s.id = v["video_id"].get<std::string>();
    if (s.id.empty() || s.id.find_first_not_of("0123456789") != std::string::npos)
      throw InputError(file, record, "video_id", "not a numeric video id: '" + s.id + "'");
    if (v.contains("weight") && v["weight"].is_number()) s.weight = v["weight"].get<double>();
    if (!v.contains("er") || !v["er"].is_number()) throw InputError(file, record, "er", "missing or not a number");
    s.er = v["er"].get<double>();
    if (v.contains("duration_s") && v["duration_s"].is_number()) s.duration = v["duration_s"].get<double>();
    out.push_back(std::move(s));
  }
  return out;
}

// Era-B and era-C analyses share no feature column (docs/features.md, "Era C"): in one matrix
// the model would learn which RumiAI version analysed a video, not what makes it win. A bucket
// holding both is refused, naming the counts and an example of each, instead of mixed silently.
void check_one_era(Bucket b, const std::vector<SelectedVideo>& videos, const std::vector<char>& present,
                   const std::vector<std::string>& eras) {
  std::map<std::string, std::pair<std::size_t, std::string>> seen;  // era -> (count, first id)
  for (std::size_t i = 0; i < videos.size(); ++i) {
    if (!present[i]) continue;
    auto& [count, first] = seen[eras[i]];
    if (count++ == 0) first = videos[i].id;
  }
  if (seen.size() < 2) return;
  std::string msg = "bucket ";
  msg += bucket_name(b);
  msg += ": its analyses mix RumiAI output eras (";
  bool comma = false;
  for (const auto& [era, entry] : seen) {
    if (comma) msg += "; ";
    comma = true;
    msg += std::to_string(entry.first);
    msg += " era ";
    msg += era;
    msg += ", e.g. video ";
    msg += entry.second;
  }
  msg +=
      "). Era-B flows and era-C temporal windows measure different things and share no feature "
      "column, so one model cannot compare them. Analyse the whole bucket with one RumiAI version "
      "('rumi analyze ... --restart' with one analyzer or one replay directory); see docs/features.md, "
      "\"Mixing eras\"";
  throw InputError(msg);
}

}  // namespace

Dataset build_bucket_dataset(const fs::path& hashtag_dir, Bucket b, const Json& selection) {
  const auto videos = selected_videos(selection, b);
  const FeatureCatalog& cat = feature_catalog();
  const fs::path dir = bucket_files(hashtag_dir, b).videos;
  const std::size_t n = videos.size(), cols = cat.size();

  std::vector<double> values(n * cols, std::numeric_limits<double>::quiet_NaN());
  std::vector<char> present(n, 0);
  std::vector<std::string> eras(n);
  std::vector<std::exception_ptr> errors(n);
  auto work = [&](std::size_t begin, std::size_t step) {
    MergedAnalysisExtractor extractor;  // one simdjson parser per thread, reused across files
    for (std::size_t i = begin; i < n; i += step) {
      try {
        const fs::path file = dir / (videos[i].id + "_analysis.json");
        std::error_code ec;
        if (!fs::exists(file, ec)) continue;
        const std::string id = extractor.extract_file(
            file, videos[i].duration, std::span<double>(values.data() + i * cols, cols), nullptr, &eras[i]);
        if (id != videos[i].id)
          throw InputError(file.string(), "document", "video_id", "names " + id + ", expected " + videos[i].id);
        present[i] = 1;
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  // One job per thread, each taking every threads-th video with its own parser.
  const std::size_t threads = std::min<std::size_t>(2, std::max<std::size_t>(1, n / 8));
  parallel_for(threads, static_cast<int>(threads), [&](std::size_t t) { work(t, threads); });
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);  // the first failing video in selection order
  check_one_era(b, videos, present, eras);

  Dataset d;
  d.feature_names = cat.names();
  for (std::size_t i = 0; i < n; ++i) {
    if (!present[i]) {
      spdlog::warn("{}: no analysis for video {}, left out of features", bucket_name(b), videos[i].id);
      continue;
    }
    d.add_row(videos[i].id, videos[i].weight, videos[i].er, std::span<const double>(values.data() + i * cols, cols));
  }
  return d;
}

std::vector<BucketFeaturesSummary> write_features(const fs::path& hashtag_dir) {
  const fs::path sel_file = hashtag_dir / "acquisition" / "selection.json";
  std::error_code ec;
  if (!fs::exists(sel_file, ec))
    throw InputError(sel_file.string(), "-", "-", "no selection yet (run rumi acquire first)");
  const Json selection = read_json_file(sel_file);
  std::vector<BucketFeaturesSummary> out;
  for (Bucket b : kAllBuckets) {
    Dataset d = build_bucket_dataset(hashtag_dir, b, selection);
    if (d.rows() == 0) continue;
    BucketFeaturesSummary s;
    s.bucket = b;
    s.selected = selected_videos(selection, b).size();
    s.rows = d.rows();
    s.file = bucket_files(hashtag_dir, b).features;
    write_dataset_csv(s.file, d);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace rumi::features
