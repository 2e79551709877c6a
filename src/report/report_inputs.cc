#include "report/report_inputs.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>

#include "core/dataset.h"
#include "core/error.h"
#include "core/json.h"
#include "core/workspace.h"
#include "stats/confounders.h"
#include "stats/correlation.h"

namespace rumi::report {

namespace fs = std::filesystem;

bool is_evidence_backed(Evidence e) { return e == Evidence::strong || e == Evidence::moderate; }

const BucketInputs* HashtagInputs::find(Bucket b) const {
  for (const auto& x : buckets)
    if (x.bucket == b) return &x;
  return nullptr;
}

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

void load_patterns(const fs::path& file, BucketInputs& b) {
  const Json j = read_json_file(file);
  if (!j.is_object() || j.value("format", "") != "rumi-patterns")
    throw InputError(file.string(), "", "format", "expected \"rumi-patterns\"");
  if (!j.contains("patterns") || !j["patterns"].is_array())
    throw InputError(file.string(), "", "patterns", "missing or not a list");
  // Format 1 wrote the relative gap between feature means as `lift`; printing it as "+X %"
  // engagement would mislead, so old files are refused rather than reinterpreted.
  const auto version = j.find("format_version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() < kMinPatternsFormat)
    throw InputError(file.string(), "", "format_version",
                     "patterns format 2 or later is needed (older files carry the feature-mean gap as 'lift'); "
                     "re-run 'rumi patterns' for this hashtag");
  b.has_patterns_file = true;
  if (j.contains("sample_size") && j["sample_size"].is_number_integer()) b.sample_size = j["sample_size"].get<int>();
  if (j.value("insufficient_data", false)) b.insufficient = true;
  if (j.contains("exploratory") && j["exploratory"].is_boolean() && j["exploratory"].get<bool>()) b.exploratory = true;
  if (j.contains("family")) {
    const Json& f = j["family"];
    if (!f.is_object() || !f.contains("size") || !f["size"].is_number_integer() || f["size"].get<int>() < 0)
      throw InputError(file.string(), "family", "size", "missing or not a non-negative integer");
    b.family_size = f["size"].get<int>();
  }
  if (j.contains("forest_skill") && j["forest_skill"].is_object()) {
    const Json& s = j["forest_skill"];
    ForestSkill fs;
    fs.run = s.value("run", false);
    fs.passed = s.value("passed", false);
    if (s.contains("p_value") && s["p_value"].is_number()) fs.p_value = s["p_value"].get<double>();
    fs.reason = s.value("reason", "");
    b.forest_skill = fs;
  }
  const Json& list = j["patterns"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    try {
      Pattern p = pattern_from_json(list[i]);
      if (is_evidence_backed(p.evidence))
        b.patterns.push_back(std::move(p));
      else if (p.evidence == Evidence::emerging)
        b.hypotheses.push_back(std::move(p));
    } catch (const InputError& e) {
      throw InputError(file.string(), "patterns[" + std::to_string(i) + "]", "", e.what());
    }
  }
}

void load_model(const fs::path& file, BucketInputs& b) {
  const Json j = read_json_file(file);
  if (!j.is_object()) throw InputError(file.string(), "", "", "not an object");
  if (j.contains("exploratory") && j["exploratory"].is_boolean()) b.exploratory = j["exploratory"].get<bool>();
  if (j.contains("cv") && j["cv"].is_object() && j["cv"].contains("r2") && j["cv"]["r2"].is_number())
    b.cv_r2 = j["cv"]["r2"].get<double>();
  const Json* rules = nullptr;
  if (j.contains("models") && j["models"].is_object() && j["models"].contains("decision_tree") &&
      j["models"]["decision_tree"].is_object() && j["models"]["decision_tree"].contains("rules"))
    rules = &j["models"]["decision_tree"]["rules"];
  // Training writes rule objects {conditions, value, cover, text}; older models wrote strings.
  if (rules && rules->is_array())
    for (const auto& r : *rules) {
      if (r.is_string())
        b.tree_rules.push_back(r.get<std::string>());
      else if (r.is_object() && r.contains("text") && r["text"].is_string())
        b.tree_rules.push_back(r["text"].get<std::string>());
    }
}

// Returns video id -> URL of every selected video of every bucket (https only).
std::map<std::string, std::string> load_selection(const fs::path& file, HashtagInputs& in) {
  std::map<std::string, std::string> urls;
  const Json j = read_json_file(file);
  if (!j.is_object() || !j.contains("buckets") || !j["buckets"].is_object()) return urls;
  for (auto& b : in.buckets) {
    auto it = j["buckets"].find(std::string(bucket_name(b.bucket)));
    if (it == j["buckets"].end() || !it->is_object() || !it->contains("selected") || !(*it)["selected"].is_array())
      continue;
    for (const auto& v : (*it)["selected"]) {
      if (!v.is_object() || !v.contains("url") || !v["url"].is_string()) continue;
      std::string url = v["url"].get<std::string>();
      if (url.rfind("https://", 0) != 0 || url.size() >= 300) continue;
      if (v.contains("video_id") && v["video_id"].is_string()) urls[v["video_id"].get<std::string>()] = url;
      b.example_urls.push_back(std::move(url));
    }
  }
  return urls;
}

// The example video of each evidence-backed element: features.csv holds every analysed video's
// values, selection.json their URLs. Highest ER first, ties by smaller id (deterministic).
void find_examples(const Dataset& d, BucketInputs& b, const std::map<std::string, std::string>& urls) {
  std::vector<std::size_t> order(d.rows());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (d.target[x] != d.target[y]) return d.target[x] > d.target[y];
    return d.video_ids[x] < d.video_ids[y];
  });
  for (const Pattern& p : b.patterns) {
    const auto col = std::find(d.feature_names.begin(), d.feature_names.end(), p.feature);
    if (col == d.feature_names.end()) continue;
    const std::size_t c = static_cast<std::size_t>(col - d.feature_names.begin());
    for (std::size_t r : order) {
      const double v = d.at(r, c);
      const auto url = urls.find(d.video_ids[r]);
      if (url == urls.end() || !std::isfinite(v) || !std::isfinite(d.target[r]) || !shows_element(p, v)) continue;
      b.examples[p.feature] = ExampleVideo{d.video_ids[r], url->second, d.target[r], v};
      break;
    }
  }
}

// The rows measured on both columns (and on ER), as three aligned vectors.
struct PairedRows {
  std::vector<double> x, y, er;
};
PairedRows paired_rows(const Dataset& d, std::size_t cx, std::size_t cy) {
  PairedRows out;
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (std::isfinite(d.at(r, cx)) && std::isfinite(d.at(r, cy)) && std::isfinite(d.target[r])) {
      out.x.push_back(d.at(r, cx));
      out.y.push_back(d.at(r, cy));
      out.er.push_back(d.target[r]);
    }
  return out;
}

// How two elements of a bucket relate, on the videos measured on both (PairedRows).
struct PairRelation {
  bool measured = false;                                           // at least 4 such videos
  double rho = 0;                                                  // Spearman between the two
  bool close = false;                                              // |rho| >= kSameIdeaRho
  stats::TestResult weaker_given_stronger, stronger_given_weaker;  // partial Spearman with ER
};

PairRelation relate(const Dataset& d, std::size_t c_weaker, std::size_t c_stronger) {
  PairRelation r;
  const PairedRows rows = paired_rows(d, c_weaker, c_stronger);
  if (rows.x.size() < 4) return r;
  r.measured = true;
  const stats::TestResult t = stats::spearman(rows.x, rows.y);
  r.rho = t.defined ? t.statistic : 0;
  r.close = t.defined && std::fabs(t.statistic) >= kSameIdeaRho;
  r.weaker_given_stronger = stats::partial_spearman(rows.x, rows.er, rows.y);
  r.stronger_given_weaker = stats::partial_spearman(rows.y, rows.er, rows.x);
  return r;
}

bool explains(const stats::TestResult& partial) { return partial.defined && partial.p_value >= kExplainedAlpha; }

std::vector<double> column_values(const Dataset& d, std::size_t c) {
  std::vector<double> v(d.rows());
  for (std::size_t r = 0; r < d.rows(); ++r) v[r] = d.at(r, c);
  return v;
}

// The pairwise relations of a bucket's elements, keyed (weaker i, stronger j), i > j.
using Relations = std::map<std::pair<std::size_t, std::size_t>, PairRelation>;

// Rules 1 and 2 of find_same_ideas, in ranking order; returns the elements that stand.
std::vector<std::size_t> fold_into_stronger(const Dataset& d, const std::vector<std::optional<std::size_t>>& col,
                                            Relations& rel, BucketInputs& b) {
  std::vector<std::size_t> standing;
  for (std::size_t i = 0; i < col.size(); ++i) {
    if (!col[i]) continue;
    std::optional<std::size_t> close, nearest, pair;  // pair: the one that explains it alone best
    for (std::size_t j : standing) {
      const PairRelation& r = rel[{i, j}];
      if (!r.measured) continue;
      if (r.close && !close) close = j;
      if (!nearest || std::fabs(r.rho) > std::fabs(rel[{i, *nearest}].rho)) nearest = j;
      if (explains(r.weaker_given_stronger) &&
          (!pair || r.weaker_given_stronger.p_value > rel[{i, *pair}].weaker_given_stronger.p_value))
        pair = j;
    }
    if (close) {
      b.same_idea_as[b.patterns[i].feature] = b.patterns[*close].feature;
      continue;
    }
    if (pair) {  // one stronger element alone leaves it nothing
      const stats::TestResult& t = rel[{i, *pair}].weaker_given_stronger;
      b.same_idea_as[b.patterns[i].feature] = b.patterns[*pair].feature;
      b.explained_by[b.patterns[i].feature] = Explanation{
          b.patterns[*pair].feature, {b.patterns[*pair].feature}, t.statistic, t.p_value, static_cast<int>(t.df) + 3};
      continue;
    }
    // All of them together (an undefined pairwise partial means ER or the element does not vary:
    // nothing to explain).
    if (nearest && rel[{i, *nearest}].weaker_given_stronger.defined) {
      std::vector<stats::Covariate> held;
      for (std::size_t j : standing) held.push_back({b.patterns[j].feature, column_values(d, *col[j])});
      const stats::AdjustedTest t = stats::rank_regression(column_values(d, *col[i]), d.target, held);
      if (t.defined && t.p_value >= kExplainedAlpha) {
        const std::string& by = b.patterns[*nearest].feature;
        b.same_idea_as[b.patterns[i].feature] = by;
        b.explained_by[b.patterns[i].feature] =
            Explanation{by, t.covariates, t.coefficient, t.p_value,
                        static_cast<int>(t.df) + 2 + static_cast<int>(t.covariates.size())};
        continue;
      }
    }
    standing.push_back(i);
  }
  return standing;
}

// BucketInputs::same_idea_as and ::explained_by. In ranking order (i weaker than j: later in
// `patterns`), against the stronger elements that stand on their own:
//   1. i ranks the videos almost like one of them (the first): i is one idea with it;
//   2. else one of them explains i alone (its partial Spearman with ER, that one held fixed, is
//      not significant at kExplainedAlpha; the one that leaves it the least), or all of them
//      together do (rank regression with all of them held fixed; then the one i moves with
//      most): i is one idea with that one;
//   3. of two standing elements, the stronger one is the weaker one's echo when the weaker one
//      explains it (partial Spearman, pairwise) but not the other way round: the marginal
//      ranking put the echo first by chance (its q is lower), the partial tests say which of the
//      two carries the signal.
void find_same_ideas(const Dataset& d, BucketInputs& b) {
  const std::size_t n = b.patterns.size();
  std::vector<std::optional<std::size_t>> col(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = std::find(d.feature_names.begin(), d.feature_names.end(), b.patterns[i].feature);
    if (it != d.feature_names.end()) col[i] = static_cast<std::size_t>(it - d.feature_names.begin());
  }
  Relations rel;
  for (std::size_t i = 1; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (col[i] && col[j]) rel[{i, j}] = relate(d, *col[i], *col[j]);
  const std::vector<std::size_t> standing = fold_into_stronger(d, col, rel, b);
  for (std::size_t a = 0; a < standing.size(); ++a) {  // rule 3
    const std::size_t j = standing[a];
    std::optional<std::size_t> best;
    for (std::size_t k = a + 1; k < standing.size(); ++k) {
      const std::size_t i = standing[k];
      const PairRelation& r = rel[{i, j}];
      if (r.measured && explains(r.stronger_given_weaker) && r.weaker_given_stronger.defined &&
          !explains(r.weaker_given_stronger) &&
          (!best || r.stronger_given_weaker.p_value > rel[{*best, j}].stronger_given_weaker.p_value))
        best = i;
    }
    if (!best) continue;
    const stats::TestResult& t = rel[{*best, j}].stronger_given_weaker;
    b.same_idea_as[b.patterns[j].feature] = b.patterns[*best].feature;
    b.explained_by[b.patterns[j].feature] = Explanation{
        b.patterns[*best].feature, {b.patterns[*best].feature}, t.statistic, t.p_value, static_cast<int>(t.df) + 3};
  }
}

// What the bucket's features.csv adds: example videos (with the selection's URLs) and which
// elements say the same as a stronger one.
void read_bucket_rows(const fs::path& hashtag_dir, BucketInputs& b, const std::map<std::string, std::string>& urls) {
  if (b.patterns.empty()) return;
  const fs::path csv = bucket_files(hashtag_dir, b.bucket).features;
  if (!is_file(csv)) return;
  const Dataset d = read_dataset_csv(csv);
  find_examples(d, b, urls);
  find_same_ideas(d, b);
}

}  // namespace

HashtagInputs load_hashtag_inputs(const fs::path& hashtag_dir) {
  HashtagInputs in;
  in.dir = hashtag_dir;
  const fs::path progress = hashtag_dir / "checkpoints" / "progress.json";
  if (is_file(progress)) {
    const Json pj = read_json_file(progress);
    in.metadata_only = pj.value("mode", "") == "metadata";
    in.native_content = !in.metadata_only && pj.value("analyzer_version", "").starts_with("rumi-native-");
    if (pj.contains("videos") && pj["videos"].is_array())
      for (const auto& v : pj["videos"]) {
        if (v.value("status", "") != "done") continue;
        ++in.analysed_videos;
        if (v.contains("duration_s") && v["duration_s"].is_number())
          in.analysis_seconds += v["duration_s"].get<double>();
      }
  }
  if (const fs::path sel = hashtag_dir / "acquisition" / "selection.json"; is_file(sel)) {
    const Json sj = read_json_file(sel);
    if (sj.contains("apify") && sj["apify"].is_object()) {
      in.apify_scraped = true;
      if (sj["apify"].contains("usage_usd") && sj["apify"]["usage_usd"].is_number())
        in.apify_usage_usd = sj["apify"]["usage_usd"].get<double>();
    }
  }
  for (Bucket bucket : kAllBuckets) {
    const BucketFiles files = bucket_files(hashtag_dir, bucket);
    const fs::path &patterns = files.patterns, &perf = files.performance, &model = files.model;
    if (!is_file(patterns) && !is_file(perf) && !is_file(model)) continue;
    BucketInputs b;
    b.bucket = bucket;
    b.metadata_only = in.metadata_only;
    if (is_file(patterns)) load_patterns(patterns, b);
    if (is_file(perf)) {
      const Json j = read_json_file(perf);
      if (!j.is_object()) throw InputError(perf.string(), "", "", "not an object");
      b.performance = performance_from_json(j);
      if (b.performance->insufficient) b.insufficient = true;
      if (b.performance->exploratory) b.exploratory = true;
      if (b.sample_size == 0) b.sample_size = b.performance->sample_size;
      if (!b.cv_r2) b.cv_r2 = b.performance->cv_r2;
    }
    if (is_file(model)) load_model(model, b);
    if (b.sample_size > 0 && b.sample_size < kMinVideosForModel) b.insufficient = true;
    if (b.insufficient) {  // never advise from, or hypothesise on, a bucket too small to test
      b.patterns.clear();
      b.hypotheses.clear();
    }
    in.buckets.push_back(std::move(b));
  }
  int largest_family = 0;
  for (const auto& b : in.buckets) largest_family = std::max(largest_family, b.family_size);
  for (auto& b : in.buckets) b.planning_family = b.family_size > 0 ? b.family_size : largest_family;
  const fs::path selection = hashtag_dir / "acquisition" / "selection.json";
  std::map<std::string, std::string> urls;
  if (is_file(selection)) urls = load_selection(selection, in);
  for (auto& b : in.buckets) read_bucket_rows(hashtag_dir, b, urls);
  return in;
}

bool shows_element(const Pattern& p, double value) {
  switch (p.direction) {
    case Direction::present_is_better: return value > 0;
    case Direction::absent_is_better: return value == 0;
    case Direction::higher_is_better: return value >= p.top_median && value > p.rest_median;
    case Direction::lower_is_better: return value <= p.top_median && value < p.rest_median;
  }
  return false;
}

void apply_pattern_validations(HashtagInputs& in, const PatternValidations& v) {
  in.validations = v;
  for (auto& b : in.buckets) {
    b.validations = v;
    for (auto* list : {&b.patterns, &b.hypotheses}) {
      std::vector<Pattern> kept;
      for (auto& p : *list) (is_rejected(v, p.feature) ? b.rejected : kept).push_back(std::move(p));
      *list = std::move(kept);
    }
  }
}

std::vector<std::string> idea_chain_of(const BucketInputs& b, const std::string& feature) {
  std::set<std::string> seen{feature};
  std::vector<std::string> chain;
  std::string f = feature;
  for (auto it = b.same_idea_as.find(f); it != b.same_idea_as.end(); it = b.same_idea_as.find(f)) {
    if (!seen.insert(it->second).second) break;  // a cycle: stop where it closes
    f = it->second;
    chain.push_back(f);
  }
  return chain;
}

std::string idea_root_of(const BucketInputs& b, const std::string& feature) {
  std::vector<std::string> chain = idea_chain_of(b, feature);
  return chain.empty() ? feature : chain.back();
}

std::vector<std::size_t> idea_order(const std::vector<std::pair<const BucketInputs*, std::string>>& items) {
  std::map<std::pair<const BucketInputs*, std::string>, std::size_t> pos;
  for (std::size_t i = 0; i < items.size(); ++i) pos.emplace(items[i], i);
  std::vector<std::tuple<std::size_t, int, std::size_t>> key(items.size());  // (group place, root first, own place)
  std::map<std::size_t, std::size_t> group_place;  // root's position -> its group's best position
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& [b, feature] = items[i];
    const auto root = b ? pos.find({b, idea_root_of(*b, feature)}) : pos.end();
    const std::size_t r = root == pos.end() ? i : root->second;
    group_place.emplace(r, i);  // the first (best-ranked) member seen
    key[i] = {r, r == i ? 0 : 1, i};
  }
  for (auto& k : key) std::get<0>(k) = group_place[std::get<0>(k)];
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return key[x] < key[y]; });
  return order;
}

}  // namespace rumi::report
