#include "report/client_view.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/time_util.h"
#include "insights/bucket_performance.h"
#include "report/strategies.h"
#include "report/wording.h"

namespace rumi::report::client {

namespace fs = std::filesystem;

namespace {

// The latest reports/<date> folder of the hashtag dated on or before `date` that holds a bucket
// report or a strategy index (what `rumi report CLIENT HASHTAG` writes).
std::optional<fs::path> latest_report_dir(const fs::path& hashtag_dir, const std::string& date) {
  std::error_code ec;
  const fs::path reports = hashtag_dir / "reports";
  if (!fs::is_directory(reports, ec)) return std::nullopt;
  std::vector<std::string> dates;
  for (const auto& e : fs::directory_iterator(reports, ec)) {
    const std::string n = e.path().filename().string();
    if (!e.is_directory() || !valid_date(n) || n > date) continue;
    if (fs::exists(e.path() / "bucket_performance_report.json") || fs::exists(e.path() / "strategies" / "index.json"))
      dates.push_back(n);
  }
  if (dates.empty()) return std::nullopt;
  std::sort(dates.begin(), dates.end());
  return reports / dates.back();
}

Json read_optional(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return Json(nullptr);
  return read_json_file(p);
}

std::string string_field(const Json& j, const char* key, const fs::path& file) {
  if (!j.contains(key) || !j[key].is_string()) throw InputError(file.string(), "", key, "missing or not a string");
  return j[key].get<std::string>();
}

Bucket bucket_field(const Json& j, const fs::path& file) {
  const std::string b = string_field(j, "bucket", file);
  const auto parsed = parse_bucket(b);
  if (!parsed) throw InputError(file.string(), "", "bucket", "unknown bucket '" + b + "'");
  return *parsed;
}

// Validation state as the hashtag's reports wrote it: rejected patterns from the guides'
// `tested_and_rejected`, proven / inconclusive ones from each strategy pattern's `validation`.
PatternValidations written_validations(const fs::path& report_dir) {
  PatternValidations v;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(report_dir, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("creative_guide_", 0) != 0 || e.path().extension() != ".json") continue;
    const Json g = read_json_file(e.path());
    if (!g.contains("tested_and_rejected") || !g["tested_and_rejected"].is_array()) continue;
    for (const auto& r : g["tested_and_rejected"])
      if (r.is_object() && r.contains("feature") && r["feature"].is_string())
        v[r["feature"].get<std::string>()] = {"rejected", r.value("validation", std::string("rejected")), ""};
  }
  for (const auto& e : fs::directory_iterator(report_dir / "strategies", ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("strategy_", 0) != 0 || e.path().extension() != ".json") continue;
    const Json s = read_json_file(e.path());
    if (!s.contains("patterns") || !s["patterns"].is_array()) continue;
    for (const auto& p : s["patterns"]) {
      if (!p.is_object() || !p.contains("validation") || !p["validation"].is_object()) continue;
      const Json& val = p["validation"];
      const std::string feature = p.value("feature", std::string());
      if (feature.empty() || v.count(feature)) continue;
      v[feature] = {val.value("status", std::string()), val.value("phrase", std::string()), ""};
    }
  }
  return v;
}

std::vector<RankedBucket> read_ranking(const fs::path& file) {
  std::vector<RankedBucket> out;
  const Json j = read_optional(file);
  if (j.is_null()) return out;
  if (!j.contains("bucket_performance_ranking") || !j["bucket_performance_ranking"].is_array())
    throw InputError(file.string(), "", "bucket_performance_ranking", "missing or not an array");
  std::set<std::string> leaders;
  const bool has_leaders = j.contains("leading_buckets") && j["leading_buckets"].is_array();
  if (has_leaders)
    for (const auto& l : j["leading_buckets"])
      if (l.is_string()) leaders.insert(l.get<std::string>());
  for (const auto& r : j["bucket_performance_ranking"]) {
    RankedBucket b;
    b.bucket = bucket_field(r, file);
    b.rank = r.value("rank", 0);
    b.ranked = r.value("ranked", false);
    b.mix_percent = r.value("recommended_mix_percent", 0);
    b.sample_size = r.value("sample_size", 0);
    b.verdict = r.value("verdict", std::string());
    if (r.contains("avg_engagement_rate") && r["avg_engagement_rate"].is_number())
      b.avg_er = r["avg_engagement_rate"].get<double>();
    const bool tier_one = r.contains("tier") && r["tier"].is_number() && r["tier"].get<int>() == 1;
    b.leading = b.ranked && (has_leaders ? leaders.count(std::string(bucket_name(b.bucket))) > 0 : tier_one);
    out.push_back(b);
  }
  return out;
}

std::vector<StrategyRef> read_strategies(const fs::path& report_dir, const PatternValidations& v) {
  std::vector<StrategyRef> out;
  const fs::path index_file = report_dir / "strategies" / "index.json";
  const Json index = read_optional(index_file);
  if (index.is_null()) return out;
  if (!index.contains("strategies") || !index["strategies"].is_array())
    throw InputError(index_file.string(), "", "strategies", "missing or not an array");
  int rank = 0;
  for (const auto& s : index["strategies"]) {
    StrategyRef r;
    r.rank = ++rank;
    r.id = string_field(s, "id", index_file);
    r.title = string_field(s, "title", index_file);
    r.bucket = bucket_field(s, index_file);
    r.evidence = parse_evidence(string_field(s, "evidence", index_file));
    const fs::path sf = report_dir / "strategies" / (r.id + ".json");
    const Json sj = read_optional(sf);
    if (sj.is_object() && sj.contains("patterns") && sj["patterns"].is_array())
      for (const auto& p : sj["patterns"])
        if (p.is_object() && p.value("role", std::string()) == "primary")
          r.primary_feature = p.value("feature", std::string());
    if (const auto* note = find_validation(v, r.primary_feature)) r.validation = note->status;
    if (s.value("validated", false)) r.validation = "proven";
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<TestedFamily> read_tested(const ClientHashtag& h) {
  std::vector<TestedFamily> out;
  for (const auto& b : h.in.buckets) {
    if (b.insufficient || !b.has_patterns_file) continue;
    const fs::path file = bucket_files(h.in.dir, b.bucket).patterns;
    const Json j = read_json_file(file);
    TestedFamily f{h.name, b.bucket, {}};
    // Files without `all_elements` list only their labelled elements: those are what was tested
    // as far as the client view can know.
    const char* key = j.contains("all_elements") && j["all_elements"].is_array() ? "all_elements" : "patterns";
    if (j.contains(key) && j[key].is_array())
      for (const auto& p : j[key]) {
        try {
          f.elements.push_back(pattern_from_json(p));
        } catch (const InputError& e) {
          throw InputError(file.string(), "", key, e.what());
        }
      }
    out.push_back(std::move(f));
  }
  return out;
}

std::string hashtag_display(const fs::path& report_dir, const std::string& slug) {
  for (const fs::path& f : {report_dir / "strategies" / "index.json", report_dir / "bucket_performance_report.json"}) {
    const Json j = read_optional(f);
    if (j.is_object() && j.contains("hashtag") && j["hashtag"].is_string())
      return hashtag_tag(j["hashtag"].get<std::string>());
    if (j.is_object() && j.contains("analysis_context") && j["analysis_context"].is_object() &&
        j["analysis_context"].contains("hashtag") && j["analysis_context"]["hashtag"].is_string())
      return hashtag_tag(j["analysis_context"]["hashtag"].get<std::string>());
  }
  return hashtag_tag(slug);
}

// ---- loading: each hashtag's latest reported inputs

// The hashtags in the order asked for; none asked for: every hashtag folder of the client, by slug.
std::vector<ClientHashtagRef> hashtag_refs(const fs::path& client_dir, const ClientReportOptions& opt) {
  std::vector<ClientHashtagRef> refs = opt.hashtags;
  if (!refs.empty()) return refs;
  std::error_code ec;
  std::vector<std::string> slugs;
  for (const auto& e : fs::directory_iterator(client_dir, ec))
    if (e.is_directory() && e.path().filename() != kClientReportsFolder) slugs.push_back(e.path().filename().string());
  std::sort(slugs.begin(), slugs.end());
  for (auto& s : slugs) refs.push_back({std::move(s), ""});
  return refs;
}

// One hashtag as its report of `report_dir` left it: validations from the written reports applied.
ClientHashtag load_hashtag(const fs::path& hashtag_dir, const ClientHashtagRef& ref, const fs::path& report_dir) {
  ClientHashtag h;
  h.slug = ref.slug;
  h.name = ref.name.empty() ? hashtag_display(report_dir, ref.slug) : hashtag_tag(ref.name);
  h.report_dir = report_dir;
  h.report_date = report_dir.filename().string();
  h.in = load_hashtag_inputs(hashtag_dir);
  const PatternValidations v = written_validations(report_dir);
  apply_pattern_validations(h.in, v);
  h.tested = read_tested(h);
  h.ranking = read_ranking(report_dir / "bucket_performance_report.json");
  h.strategies = read_strategies(report_dir, v);
  return h;
}

// Untested before inconclusive, then holds across hashtags, then stronger evidence, then rank.
bool roadmap_before(const RoadmapItem& a, const RoadmapItem& b) {
  const bool ia = a.s->validation == "inconclusive", ib = b.s->validation == "inconclusive";
  if (ia != ib) return !ia;
  if (a.across != b.across) return a.across;
  if (evidence_rank(a.s->evidence) != evidence_rank(b.s->evidence))
    return evidence_rank(a.s->evidence) < evidence_rank(b.s->evidence);
  return a.s->rank < b.s->rank;
}

}  // namespace

bool valid_date(std::string_view d) { return d.size() == 10 && parse_iso8601_utc(d).has_value(); }

int total_videos(const HashtagInputs& in) {
  int n = 0;
  for (const auto& b : in.buckets) n += b.sample_size;
  return n;
}

// The reported hashtags; the names of both kinds go into `sum`. UsageError when the client folder
// is missing or no hashtag has a report on or before the date.
std::vector<ClientHashtag> load_hashtags(const Workspace& ws, std::string_view client_slug, const std::string& client,
                                         const ClientReportOptions& opt, ClientReportSummary& sum) {
  const fs::path client_dir = ws.client_dir(client_slug);
  const auto none_reported = [&](const std::string& why) {
    return UsageError("client '" + client + "' has no reported hashtags " + why + ": run 'rumi report " +
                      std::string(client_slug) + " HASHTAG' (or 'rumi run') first");
  };
  std::error_code ec;
  if (!fs::is_directory(client_dir, ec)) throw none_reported("(no analysis folder " + client_dir.string() + ")");
  std::vector<ClientHashtag> tags;
  for (const auto& ref : hashtag_refs(client_dir, opt)) {
    const fs::path dir = ws.hashtag_dir(client_slug, ref.slug);
    const auto rdir = latest_report_dir(dir, opt.date);
    if (!rdir) {
      sum.hashtags_not_reported.push_back(ref.name.empty() ? hashtag_tag(ref.slug) : hashtag_tag(ref.name));
      continue;
    }
    tags.push_back(load_hashtag(dir, ref, *rdir));
    sum.hashtags_reported.push_back(tags.back().name);
  }
  if (tags.empty()) throw none_reported("on or before " + opt.date);
  return tags;
}

// ---- what the report derives: replication, findings, roadmap, budget mix

ReplicationResult replicate(const std::vector<ClientHashtag>& tags) {
  // Rejected patterns stay out of the cross-hashtag view too: a controlled test outranks the
  // observational q value.
  std::vector<TestedFamily> families;
  for (const auto& h : tags)
    for (auto f : h.tested) {
      std::erase_if(f.elements, [&](const Pattern& p) { return is_rejected(h.in.validations, p.feature); });
      families.push_back(std::move(f));
    }
  return find_replications(families);
}

// The validation suffix of one hashtag's test, from that hashtag's validations.
std::string test_suffix(const std::vector<ClientHashtag>& tags, const HashtagTest& t) {
  for (const auto& h : tags)
    if (h.name == t.hashtag) return validation_suffix(h.in.validations, t.pattern.feature);
  return std::string();
}

// One finding per idea: an element that is the same signal as a stronger one of its bucket
// (idea_root_of) is left out, as on the hashtag's own PDF.
std::vector<Finding> collect_findings(const std::vector<ClientHashtag>& tags) {
  std::vector<Finding> findings;
  for (const auto& h : tags)
    for (const auto& b : h.in.buckets)
      for (const auto& p : b.patterns)
        if (is_evidence_backed(p.evidence) && idea_root_of(b, p.feature) == p.feature)
          findings.push_back({h.name, b.bucket, p, validation_suffix(h.in.validations, p.feature)});
  return findings;
}

bool is_echo(const std::vector<ClientHashtag>& tags, const CrossElement& e) {
  int backed = 0, echoes = 0;
  for (const auto& t : e.tests)
    for (const auto& h : tags) {
      if (h.name != t.hashtag) continue;
      const BucketInputs* b = h.in.find(e.bucket);
      if (!b) continue;
      for (const auto& p : b->patterns)
        if (p.feature == e.feature && is_evidence_backed(p.evidence)) {
          ++backed;
          echoes += idea_root_of(*b, p.feature) != p.feature;
        }
    }
  return backed > 0 && echoes == backed;
}

// The items point into `tags`, which must outlive the roadmap unchanged.
Roadmap build_roadmap(const std::vector<ClientHashtag>& tags, const ReplicationResult& rep) {
  std::set<std::pair<int, std::string>> across_keys;
  for (const auto& e : rep.holds) across_keys.insert({static_cast<int>(e.bucket), e.feature});
  Roadmap r;
  for (const auto& h : tags)
    for (const auto& s : h.strategies) {
      const bool across = across_keys.count({static_cast<int>(s.bucket), s.primary_feature}) > 0;
      if (s.validation == "proven")
        r.proven.push_back({&h, &s, across});
      else
        r.queue.push_back({&h, &s, across});
    }
  std::stable_sort(r.queue.begin(), r.queue.end(), roadmap_before);
  // An element that holds across hashtags is tested once, in the hashtag where it ranks first.
  std::set<std::pair<int, std::string>> seen;
  std::erase_if(r.queue, [&](const RoadmapItem& it) {
    if (!it.across) return false;
    return !seen.insert({static_cast<int>(it.s->bucket), it.s->primary_feature}).second;
  });
  if (r.queue.size() > static_cast<std::size_t>(kRoadmapTests)) r.queue.resize(kRoadmapTests);
  return r;
}

// Each hashtag's recommended mix, the hashtags weighted equally.
BudgetMix budget_mix(const std::vector<ClientHashtag>& tags) {
  std::array<double, kAllBuckets.size()> weight{};
  std::array<bool, kAllBuckets.size()> ranked_somewhere{};
  BudgetMix mix;
  for (const auto& h : tags) {
    if (h.ranking.empty()) continue;
    ++mix.with_ranking;
    for (const auto& r : h.ranking)
      if (r.ranked) {
        weight[static_cast<int>(r.bucket)] += r.mix_percent;
        ranked_somewhere[static_cast<int>(r.bucket)] = true;
      }
  }
  const std::vector<int> client_mix = insights::allocate_percentages(weight);
  for (std::size_t i = 0; i < kAllBuckets.size(); ++i)
    if (ranked_somewhere[i])
      mix.buckets.push_back(Json{{"bucket", bucket_name(kAllBuckets[i])}, {"percent", client_mix[i]}});
  return mix;
}

}  // namespace rumi::report::client
