#include "stats/patterns_file.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/dataset.h"
#include "core/error.h"
#include "core/log.h"

namespace rumi::stats {

namespace fs = std::filesystem;

Json patterns_to_json(Bucket b, const BucketPatterns& result, const PatternOptions& opt) {
  Json patterns = Json::array(), all = Json::array();
  for (const auto& p : result.patterns) patterns.push_back(to_json(p));
  for (const auto& p : result.all_features) all.push_back(to_json(p));
  Json tiers = Json::object();
  for (int t = 0; t < 4; ++t) tiers[std::string(tier_name(static_cast<Tier>(t)))] = result.tiers.counts[t];
  return Json{{"format", "rumi-patterns"},
              {"format_version", kPatternsFormatVersion},
              {"bucket", bucket_name(b)},
              {"sample_size", result.sample_size},
              {"insufficient_data", result.sample_size < static_cast<std::size_t>(kMinVideosForModel)},
              {"seed", opt.seed},
              {"tiers", tiers},
              {"comparison", "top_10_vs_rest"},
              {"thresholds", Json{{"q_high", result.thresholds.high},
                                  {"q_moderate", result.thresholds.moderate},
                                  {"q_preliminary", result.thresholds.preliminary},
                                  {"correction", correction_name(opt.correction)},
                                  {"min_abs_lift", opt.min_abs_lift},
                                  {"min_top_consistency", opt.min_top_consistency},
                                  {"min_agreeing_models", opt.min_agreeing_models},
                                  {"bootstrap_resamples", opt.bootstrap_resamples},
                                  {"min_top_tier_size", kMinTopTierSize}}},
              {"patterns", patterns},
              {"all_features", all}};
}

void write_patterns_file(const fs::path& path, Bucket b, const BucketPatterns& result, const PatternOptions& opt) {
  write_json_atomic(path, patterns_to_json(b, result, opt));
}

std::vector<Pattern> read_patterns_file(const fs::path& path) {
  const Json j = read_json_file(path);
  const Json* list = &j;
  if (j.is_object()) {
    if (j.value("format", "") != "rumi-patterns")
      throw InputError(path.string(), "", "format", "expected \"rumi-patterns\"");
    if (!j.contains("patterns") || !j["patterns"].is_array())
      throw InputError(path.string(), "", "patterns", "missing or not a list");
    list = &j["patterns"];
  } else if (!j.is_array()) {
    throw InputError(path.string(), "", "", "not a patterns document");
  }
  std::vector<Pattern> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    try {
      out.push_back(pattern_from_json((*list)[i]));
    } catch (const InputError& e) {
      throw InputError(path.string(), "patterns[" + std::to_string(i) + "]", "", e.what());
    }
  }
  return out;
}

std::vector<ConsensusFeature> read_consensus(const fs::path& model_file) {
  std::vector<ConsensusFeature> out;
  std::error_code ec;
  if (!fs::exists(model_file, ec)) return out;
  const Json j = read_json_file(model_file);
  if (!j.is_object() || !j.contains("consensus")) return out;
  const Json& c = j["consensus"];
  if (!c.is_array()) throw InputError(model_file.string(), "", "consensus", "not a list");
  for (std::size_t i = 0; i < c.size(); ++i) {
    const Json& e = c[i];
    const std::string rec = "consensus[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("feature") || !e["feature"].is_string())
      throw InputError(model_file.string(), rec, "feature", "missing or not a string");
    ConsensusFeature f;
    f.feature = e["feature"].get<std::string>();
    if (e.contains("sign") && e["sign"].is_number()) f.sign = e["sign"].get<double>() > 0 ? 1 : (e["sign"].get<double>() < 0 ? -1 : 0);
    if (e.contains("models")) {
      if (!e["models"].is_array()) throw InputError(model_file.string(), rec, "models", "not a list");
      for (const auto& m : e["models"])
        if (m.is_string()) f.models.push_back(m.get<std::string>());
    }
    if (e.contains("importance") && e["importance"].is_number()) f.importance = e["importance"].get<double>();
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::vector<std::string>> read_correlated_groups(const fs::path& model_file) {
  std::vector<std::vector<std::string>> out;
  std::error_code ec;
  if (!fs::exists(model_file, ec)) return out;
  const Json j = read_json_file(model_file);
  if (!j.is_object() || !j.contains("importance") || !j["importance"].is_object()) return out;
  const Json& imp = j["importance"];
  if (!imp.contains("correlated_groups") || !imp["correlated_groups"].is_array()) return out;
  for (const auto& g : imp["correlated_groups"]) {
    if (!g.is_array()) continue;
    std::vector<std::string> members;
    for (const auto& m : g)
      if (m.is_string()) members.push_back(m.get<std::string>());
    out.push_back(std::move(members));
  }
  return out;
}

namespace {
// Sign of the Pearson correlation of two columns over rows where both are present.
int correlation_sign(const Dataset& d, std::size_t a, std::size_t b) {
  double sa = 0, sb = 0, n = 0;
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (std::isfinite(d.at(r, a)) && std::isfinite(d.at(r, b))) sa += d.at(r, a), sb += d.at(r, b), n += 1;
  if (n < 2) return 1;
  const double ma = sa / n, mb = sb / n;
  double cov = 0;
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (std::isfinite(d.at(r, a)) && std::isfinite(d.at(r, b))) cov += (d.at(r, a) - ma) * (d.at(r, b) - mb);
  return cov < 0 ? -1 : 1;
}
}  // namespace

std::vector<ConsensusFeature> expand_consensus_groups(std::vector<ConsensusFeature> consensus,
                                                      const std::vector<std::vector<std::string>>& groups,
                                                      const Dataset& d) {
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < d.cols(); ++c) col[d.feature_names[c]] = c;
  std::set<std::string> have;
  for (const auto& c : consensus) have.insert(c.feature);
  const std::size_t original = consensus.size();
  for (std::size_t i = 0; i < original; ++i) {
    const ConsensusFeature rep = consensus[i];
    for (const auto& g : groups) {
      if (std::find(g.begin(), g.end(), rep.feature) == g.end()) continue;
      for (const auto& m : g) {
        if (have.count(m)) continue;
        ConsensusFeature e = rep;
        e.feature = m;
        if (col.count(m) && col.count(rep.feature)) e.sign = rep.sign * correlation_sign(d, col[m], col[rep.feature]);
        consensus.push_back(std::move(e));
        have.insert(m);
      }
    }
  }
  return consensus;
}

PatternsSummary find_patterns_for_hashtag(const fs::path& hashtag_dir, std::span<const FeatureInfo> catalog_info,
                                          const PatternOptions& opt) {
  PatternsSummary summary;
  for (Bucket b : kAllBuckets) {
    if (opt.only_bucket && *opt.only_bucket != b) continue;
    const std::string name(bucket_name(b));
    const fs::path dir = hashtag_dir / ("bucket_" + name);
    const fs::path csv = dir / "features.csv";
    std::error_code ec;
    if (!fs::exists(csv, ec)) continue;
    const Dataset d = read_dataset_csv(csv);
    const fs::path model_file = dir / ("model_" + name + ".json");
    const std::vector<ConsensusFeature> consensus =
        expand_consensus_groups(read_consensus(model_file), read_correlated_groups(model_file), d);
    PatternOptions bucket_opt = opt;
    bucket_opt.stream = "patterns/" + name;
    BucketPatterns result;
    BucketPatternSummary s;
    s.bucket = b;
    s.sample_size = d.rows();
    s.had_consensus = !consensus.empty();
    if (d.rows() < static_cast<std::size_t>(kMinVideosForModel)) {
      // Too few videos to separate tiers credibly: write the file, say so, list nothing.
      result.sample_size = d.rows();
      result.thresholds = thresholds_for_sample_size(d.rows());
      result.tiers = assign_tiers(d.target, d.video_ids);
      s.insufficient_data = true;
    } else {
      result = analyze_patterns(d, catalog_info, consensus, bucket_opt);
    }
    for (const auto& p : result.patterns) {
      s.strong += p.evidence == Evidence::strong;
      s.moderate += p.evidence == Evidence::moderate;
      s.emerging += p.evidence == Evidence::emerging;
    }
    s.file = dir / ("patterns_" + name + ".json");
    write_patterns_file(s.file, b, result, bucket_opt);
    spdlog::info("patterns {}: {} videos, {} strong, {} moderate, {} emerging", name, s.sample_size, s.strong,
              s.moderate, s.emerging);
    summary.buckets.push_back(std::move(s));
  }
  return summary;
}

}  // namespace rumi::stats
