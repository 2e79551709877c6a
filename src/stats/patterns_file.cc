#include "stats/patterns_file.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/time_util.h"
#include "core/workspace.h"

namespace rumi::stats {

namespace fs = std::filesystem;

Json patterns_to_json(Bucket b, const BucketPatterns& result, const PatternOptions& opt) {
  Json patterns = Json::array(), all = Json::array(), untested = Json::array();
  for (const auto& p : result.patterns) patterns.push_back(to_json(p));
  for (const auto& p : result.all_elements) all.push_back(to_json(p));
  for (const auto& [c, why] : result.untested) untested.push_back(Json{{"feature", c}, {"reason", why}});
  Json tiers = Json::object();
  for (int t = 0; t < 4; ++t) tiers[std::string(tier_name(static_cast<Tier>(t)))] = result.tiers.counts[t];
  const SkillSummary& s = result.skill;
  return Json{{"format", "rumi-patterns"},
              {"format_version", kPatternsFormatVersion},
              {"bucket", bucket_name(b)},
              {"sample_size", result.sample_size},
              {"insufficient_data", result.insufficient},
              {"exploratory", result.exploratory},
              {"seed", opt.seed},
              {"tiers", tiers},
              {"comparison", "association_with_er_over_all_videos"},
              {"family", Json{{"unit", "creative_element"},
                              {"size", result.family_size},
                              {"columns_tested", result.columns_tested},
                              {"columns_untested", result.untested.size()},
                              {"correction", correction_name(opt.correction)},
                              {"element_min_abs_rho", opt.elements.min_abs_rho}}},
              {"thresholds", Json{{"q_strong", kQModerate},
                                  {"q_moderate", kQModerate},
                                  {"q_emerging", kQEmerging},
                                  {"skill_alpha", kSkillAlpha},
                                  {"min_importance_share", kMinImportanceShare},
                                  {"min_videos_for_strong", kMinConfirmedVideos},
                                  {"min_videos", kMinVideosForModel},
                                  {"bootstrap_resamples", opt.bootstrap_resamples},
                                  {"bootstrap_method", "BCa"},
                                  {"min_top_tier_size", kMinTopTierSize}}},
              {"forest_skill", Json{{"run", s.run},
                                    {"reason", s.reason},
                                    {"metric", "spearman(out_of_fold_prediction, er)"},
                                    {"skill", s.skill},
                                    {"p_value", s.p_value},
                                    {"permutations", s.permutations},
                                    {"repeats", s.repeats},
                                    {"elements", s.elements},
                                    {"passed", s.passed}}},
              {"patterns", patterns},
              {"all_elements", all},
              {"untested", untested}};
}

void write_patterns_file(const fs::path& path, Bucket b, const BucketPatterns& result, const PatternOptions& opt) {
  write_json_atomic(path, patterns_to_json(b, result, opt));
}

namespace {

// parse_json of a whole file that keeps only what `keep` accepts: keep(depth, key) is asked for
// every object key (depth 1 = the top level) and a rejected key's value is never built. The
// file is still parsed to the end, so invalid JSON fails as parse_json fails, at the same byte.
template <class Keep>
Json read_json_file_keeping(const fs::path& path, Keep keep) {
  const std::string text = read_file(path);
  const Json::parser_callback_t cb = [&keep](int depth, Json::parse_event_t event, Json& parsed) {
    return event != Json::parse_event_t::key || keep(depth, parsed.get_ref<const std::string&>());
  };
  try {
    return Json::parse(text.begin(), text.end(), cb);
  } catch (const Json::parse_error& e) {
    throw InputError(path.string(), "byte " + std::to_string(e.byte), "", "invalid JSON");
  } catch (const Json::exception& e) {
    throw InputError(path.string(), "document", "", std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace

std::vector<Pattern> read_patterns_file(const fs::path& path) {
  // Only "format" and "patterns" are read; the (much larger) element tables are skipped.
  const Json j = read_json_file_keeping(
      path, [](int depth, const std::string& key) { return depth != 1 || key == "format" || key == "patterns"; });
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

namespace {

// A selection entry's number or NaN (null / absent); a wrong type is an InputError.
double entry_number(const Json& e, const char* key, const std::string& file, const std::string& rec) {
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return std::nan("");
  if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
  if (!it->is_number()) throw InputError(file, rec, key, "not a number");
  return it->get<double>();
}

double entry_time(const Json& e, const char* key, const std::string& file, const std::string& rec) {
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return std::nan("");
  if (!it->is_string()) throw InputError(file, rec, key, "not a date-time string");
  const auto t = parse_iso8601_utc(it->get<std::string>());
  if (!t) throw InputError(file, rec, key, "not an ISO 8601 UTC date-time");
  return static_cast<double>(*t);
}

}  // namespace

BucketContext read_bucket_context(const fs::path& hashtag_dir, Bucket b, const Dataset& d) {
  BucketContext ctx;
  const fs::path file = hashtag_dir / "acquisition" / "selection.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return ctx;
  const std::string f = file.string(), name(bucket_name(b));
  // Only "created_at" and this bucket's entry are read: other buckets' lists are skipped.
  const Json j = read_json_file_keeping(file, [&name](int depth, const std::string& key) {
    return depth == 1 ? key == "created_at" || key == "buckets" : depth != 2 || key == name;
  });
  if (!j.is_object() || !j.contains("buckets") || !j["buckets"].is_object()) return ctx;
  const double now = j.contains("created_at") ? entry_time(j, "created_at", f, "") : std::nan("");
  const auto bit = j["buckets"].find(name);
  if (bit == j["buckets"].end() || !bit->is_object() || !bit->contains("selected")) return ctx;
  const Json& sel = (*bit)["selected"];
  if (!sel.is_array()) throw InputError(f, "buckets." + name, "selected", "not a list");
  std::map<std::string, std::size_t> row;
  for (std::size_t r = 0; r < d.rows(); ++r) row[d.video_ids[r]] = r;
  ctx.creators.assign(d.rows(), "");
  const char* names[] = {"followers_log", "age_days", "is_ad", "is_sponsored"};
  for (const char* n : names) ctx.covariates.push_back(Covariate{n, std::vector<double>(d.rows(), std::nan(""))});
  for (std::size_t i = 0; i < sel.size(); ++i) {
    const Json& e = sel[i];
    const std::string rec = "buckets." + name + ".selected[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("video_id") || !e["video_id"].is_string())
      throw InputError(f, rec, "video_id", "missing or not a string");
    const auto it = row.find(e["video_id"].get<std::string>());
    if (it == row.end()) continue;
    const std::size_t r = it->second;
    if (e.contains("author") && e["author"].is_string()) ctx.creators[r] = e["author"].get<std::string>();
    const double fans = entry_number(e, "followers", f, rec);
    ctx.covariates[0].values[r] = std::isfinite(fans) && fans >= 0 ? std::log1p(fans) : std::nan("");
    ctx.covariates[1].values[r] = (now - entry_time(e, "created_at", f, rec)) / 86400.0;
    ctx.covariates[2].values[r] = entry_number(e, "is_ad", f, rec);
    ctx.covariates[3].values[r] = entry_number(e, "is_sponsored", f, rec);
  }
  return ctx;
}

PatternsSummary find_patterns_for_hashtag(const fs::path& hashtag_dir, std::span<const FeatureInfo> catalog_info,
                                          const PatternOptions& opt) {
  PatternsSummary summary;
  for (Bucket b : kAllBuckets) {
    if (opt.only_bucket && *opt.only_bucket != b) continue;
    const std::string name(bucket_name(b));
    const BucketFiles files = bucket_files(hashtag_dir, b);
    const fs::path& csv = files.features;
    std::error_code ec;
    if (!fs::exists(csv, ec)) continue;
    const Dataset d = read_dataset_csv(csv);
    PatternOptions bucket_opt = opt;
    bucket_opt.stream = "patterns/" + name;
    BucketPatterns result;
    BucketPatternSummary s;
    s.bucket = b;
    s.sample_size = d.rows();
    // Under 20 videos analyze_patterns labels nothing and says so in the file.
    result = analyze_patterns(d, catalog_info, read_bucket_context(hashtag_dir, b, d), bucket_opt);
    s.insufficient_data = result.insufficient;
    s.exploratory = result.exploratory;
    s.family_size = result.family_size;
    s.skill_passed = result.skill.passed;
    for (const auto& p : result.patterns) {
      s.strong += p.evidence == Evidence::strong;
      s.moderate += p.evidence == Evidence::moderate;
      s.emerging += p.evidence == Evidence::emerging;
    }
    s.file = files.patterns;
    write_patterns_file(s.file, b, result, bucket_opt);
    spdlog::info("patterns {}: {} videos, {} strong, {} moderate, {} emerging", name, s.sample_size, s.strong,
                 s.moderate, s.emerging);
    summary.buckets.push_back(std::move(s));
  }
  return summary;
}

}  // namespace rumi::stats
