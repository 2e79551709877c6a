#include "report/client_report.h"

#include <algorithm>
#include <array>
#include <set>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <optional>

#include "core/error.h"
#include "core/file_io.h"
#include "core/time_util.h"
#include "insights/bucket_performance.h"
#include "report/client_replication.h"
#include "report/html_dashboard.h"
#include "report/notice.h"
#include "report/pdf_document.h"
#include "report/report_inputs.h"
#include "report/strategies.h"
#include "report/wording.h"

namespace rumi::report {

namespace fs = std::filesystem;

namespace {

// One row of a hashtag's bucket ranking (bucket_performance_report.json).
struct RankedBucket {
  Bucket bucket{};
  int rank = 0;
  bool ranked = false;
  int mix_percent = 0;
  int sample_size = 0;
  std::string verdict;
};

// One strategy of a hashtag (strategies/index.json + its strategy_NN.json).
struct StrategyRef {
  std::string id, title;
  Bucket bucket{};
  Evidence evidence = Evidence::none;
  int rank = 0;
  std::string primary_feature;
  std::string validation;  // "" (untested), proven, inconclusive
};

struct ClientHashtag {
  std::string slug, name;
  std::string report_date;
  fs::path report_dir;
  HashtagInputs in;                   // validations from the written reports applied
  std::vector<TestedFamily> tested;   // all_elements per tested bucket
  std::vector<RankedBucket> ranking;  // empty when the bucket report is missing
  std::vector<StrategyRef> strategies;
};

bool valid_date(std::string_view d) { return d.size() == 10 && parse_iso8601_utc(d).has_value(); }

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
  for (const auto& r : j["bucket_performance_ranking"]) {
    RankedBucket b;
    b.bucket = bucket_field(r, file);
    b.rank = r.value("rank", 0);
    b.ranked = r.value("ranked", false);
    b.mix_percent = r.value("recommended_mix_percent", 0);
    b.sample_size = r.value("sample_size", 0);
    b.verdict = r.value("verdict", std::string());
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
        if (p.is_object() && p.value("role", std::string()) == "primary") r.primary_feature = p.value("feature", std::string());
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
    const std::string name(bucket_name(b.bucket));
    const fs::path file = h.in.dir / ("bucket_" + name) / ("patterns_" + name + ".json");
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
    if (j.is_object() && j.contains("hashtag") && j["hashtag"].is_string()) return hashtag_tag(j["hashtag"].get<std::string>());
    if (j.is_object() && j.contains("analysis_context") && j["analysis_context"].is_object() &&
        j["analysis_context"].contains("hashtag") && j["analysis_context"]["hashtag"].is_string())
      return hashtag_tag(j["analysis_context"]["hashtag"].get<std::string>());
  }
  return hashtag_tag(slug);
}

int total_videos(const HashtagInputs& in) {
  int n = 0;
  for (const auto& b : in.buckets) n += b.sample_size;
  return n;
}

std::string join(const std::vector<std::string>& items, std::string_view sep, std::string_view last_sep = {}) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += (i + 1 == items.size() && !last_sep.empty()) ? last_sep : sep;
    out += items[i];
  }
  return out;
}

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// "engagement lift +34 % (STRONG; 6 of 9 top videos do it)" for one hashtag's test.
std::string lift_label(const Pattern& p, const std::string& validation = {}) {
  std::string s = "engagement lift ";
  s += lift_measured(p) ? signed_percent(p.lift) : std::string("not measurable");
  s += " (" + std::string(evidence_name(p.evidence)) + validation;
  if (p.top_count > 0) s += fmt::format("; {} of {} top videos do it", top_videos_showing(p), p.top_count);
  s += ")";
  return s;
}

// An expected count: two decimals, or three significant digits below 0.01 so a small expectation
// never prints as "0.00".
std::string expected_count(double v) { return v >= 0.01 || v == 0 ? fmt::format("{:.2f}", v) : p_value_text(v); }

struct Finding {
  std::string hashtag;
  Bucket bucket{};
  Pattern p;
  std::string validation;  // validation_suffix
};

struct RoadmapItem {
  const ClientHashtag* h;
  const StrategyRef* s;
  bool across = false;
};

std::string mix_line(const std::vector<RankedBucket>& ranking) {
  std::vector<std::string> parts, unranked;
  std::vector<RankedBucket> sorted = ranking;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
  for (const auto& r : sorted) {
    if (r.ranked && r.mix_percent > 0) parts.push_back(fmt::format("{} {} %", bucket_name(r.bucket), r.mix_percent));
    else if (r.ranked) parts.push_back(fmt::format("{} 0 % ({})", bucket_name(r.bucket), lower_first(r.verdict)));
    else unranked.push_back(fmt::format("{} ({} videos)", bucket_name(r.bucket), r.sample_size));
  }
  std::string s = parts.empty() ? std::string("no bucket ranked") : join(parts, ", ");
  if (!unranked.empty()) s += ". Not ranked, too few videos: " + join(unranked, ", ");
  return s + ".";
}

Json pattern_key_json(const std::string& hashtag, Bucket b, const Pattern& p) {
  return Json{{"hashtag", hashtag},
              {"bucket", bucket_name(b)},
              {"feature", p.feature},
              {"subject", pattern_subject(p)},
              {"evidence", evidence_name(p.evidence)},
              {"direction", direction_name(p.direction)},
              {"lift", json_number(p.lift)},
              {"q_value", json_number(p.q_value)}};
}

}  // namespace

fs::path client_reports_dir(const Workspace& ws, std::string_view client_slug, std::string_view date) {
  if (!valid_date(date)) throw UsageError("client report date must be YYYY-MM-DD, got '" + std::string(date) + "'");
  return ws.client_dir(client_slug) / std::string(kClientReportsFolder) / std::string(date);
}

Json ClientReportSummary::to_json() const {
  Json files_j = Json::array();
  for (const auto& f : files) files_j.push_back(f.string());
  return Json{{"dir", dir.string()},
              {"files", files_j},
              {"hashtags_reported", hashtags_reported},
              {"hashtags_not_reported", hashtags_not_reported},
              {"findings", findings},
              {"holds_across", holds_across},
              {"does_not_hold", does_not_hold},
              {"replication_candidates", candidates},
              {"expected_by_chance", json_number(expected_by_chance)},
              {"roadmap_tests", roadmap_tests},
              {"previous_date", previous_date.empty() ? Json(nullptr) : Json(previous_date)},
              {"pdf", pdf ? Json{{"path", pdf->path.string()}, {"pages", pdf->pages}, {"truncated", pdf->truncated}}
                          : Json(nullptr)}};
}

std::vector<std::string> client_summary_changes(const Json& previous, const Json& current) {
  std::vector<std::string> out;
  auto hashtags_of = [](const Json& s) {
    std::set<std::string> h;
    if (s.contains("hashtags") && s["hashtags"].is_array())
      for (const auto& x : s["hashtags"])
        if (x.is_object() && x.value("reported", true)) h.insert(x.value("name", std::string()));
    return h;
  };
  const std::set<std::string> before = hashtags_of(previous), now = hashtags_of(current);
  for (const auto& h : now)
    if (!before.count(h)) out.push_back(h + " is new in this report; its findings are not compared.");
  for (const auto& h : before)
    if (!now.count(h)) out.push_back(h + " was in the previous report and is not in this one.");
  auto keyed = [](const Json& s, const char* list) {
    std::map<std::string, Json> m;
    if (s.contains(list) && s[list].is_array())
      for (const auto& f : s[list])
        if (f.is_object())
          m[f.value("hashtag", std::string()) + "|" + f.value("bucket", std::string()) + "|" + f.value("feature", std::string())] = f;
    return m;
  };
  const auto say = [](const Json& f) {
    return fmt::format("{} {}: {}", f.value("hashtag", std::string()), f.value("bucket", std::string()),
                       f.value("subject", std::string()));
  };
  const auto old_f = keyed(previous, "findings"), new_f = keyed(current, "findings");
  for (const auto& [k, f] : new_f) {
    if (!before.count(f.value("hashtag", std::string()))) continue;
    const auto it = old_f.find(k);
    if (it == old_f.end()) {
      out.push_back("New finding: " + say(f) + " (" + f.value("evidence", std::string()) + ").");
    } else if (it->second.value("evidence", std::string()) != f.value("evidence", std::string())) {
      out.push_back("Label changed: " + say(f) + " was " + it->second.value("evidence", std::string()) + ", now " +
                    f.value("evidence", std::string()) + ".");
    } else if (it->second.value("direction", std::string()) != f.value("direction", std::string())) {
      out.push_back("Direction changed: " + say(f) + " now points the other way.");
    }
  }
  for (const auto& [k, f] : old_f)
    if (now.count(f.value("hashtag", std::string())) && !new_f.count(k))
      out.push_back("No longer found: " + say(f) + " (was " + f.value("evidence", std::string()) + ").");
  auto across = [](const Json& s) {
    std::map<std::string, std::string> m;
    if (s.contains("holds_across") && s["holds_across"].is_array())
      for (const auto& f : s["holds_across"])
        if (f.is_object())
          m[f.value("bucket", std::string()) + "|" + f.value("feature", std::string())] =
              f.value("bucket", std::string()) + ": " + f.value("subject", std::string());
    return m;
  };
  const auto old_a = across(previous), new_a = across(current);
  for (const auto& [k, s] : new_a)
    if (!old_a.count(k)) out.push_back("Now holds across hashtags: " + s + ".");
  for (const auto& [k, s] : old_a)
    if (!new_a.count(k)) out.push_back("No longer holds across hashtags: " + s + ".");
  return out;
}

namespace {

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

std::vector<Finding> collect_findings(const std::vector<ClientHashtag>& tags) {
  std::vector<Finding> findings;
  for (const auto& h : tags)
    for (const auto& b : h.in.buckets)
      for (const auto& p : b.patterns)
        if (is_evidence_backed(p.evidence))
          findings.push_back({h.name, b.bucket, p, validation_suffix(h.in.validations, p.feature)});
  return findings;
}

struct Roadmap {
  std::vector<RoadmapItem> queue;   // the tests to run, in order, at most kRoadmapTests
  std::vector<RoadmapItem> proven;  // ready for affiliates
};

// Untested before inconclusive, then holds across hashtags, then stronger evidence, then rank.
bool roadmap_before(const RoadmapItem& a, const RoadmapItem& b) {
  const bool ia = a.s->validation == "inconclusive", ib = b.s->validation == "inconclusive";
  if (ia != ib) return !ia;
  if (a.across != b.across) return a.across;
  if (evidence_rank(a.s->evidence) != evidence_rank(b.s->evidence))
    return evidence_rank(a.s->evidence) < evidence_rank(b.s->evidence);
  return a.s->rank < b.s->rank;
}

// The items point into `tags`, which must outlive the roadmap unchanged.
Roadmap build_roadmap(const std::vector<ClientHashtag>& tags, const ReplicationResult& rep) {
  std::set<std::pair<int, std::string>> across_keys;
  for (const auto& e : rep.holds) across_keys.insert({static_cast<int>(e.bucket), e.feature});
  Roadmap r;
  for (const auto& h : tags)
    for (const auto& s : h.strategies) {
      const bool across = across_keys.count({static_cast<int>(s.bucket), s.primary_feature}) > 0;
      if (s.validation == "proven") r.proven.push_back({&h, &s, across});
      else r.queue.push_back({&h, &s, across});
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

struct BudgetMix {
  Json buckets = Json::array();  // {bucket, percent} for each bucket ranked in some hashtag
  int with_ranking = 0;          // hashtags whose report has a bucket ranking
};

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

// Everything the client report says, derived from the hashtags' written reports.
struct ClientView {
  std::vector<ClientHashtag> tags;
  ReplicationResult rep;
  std::vector<Finding> findings;
  Roadmap roadmap;  // points into tags
  BudgetMix mix;
};

// ---- client_summary.json (what the next run diffs) and the previous one

Json hashtags_json(const ClientView& v, const ClientReportSummary& sum) {
  Json hashtags_j = Json::array();
  for (const auto& h : v.tags)
    hashtags_j.push_back(Json{{"slug", h.slug}, {"name", h.name}, {"report_date", h.report_date}, {"reported", true},
                              {"videos", total_videos(h.in)}, {"metadata_only", h.in.metadata_only}});
  for (const auto& n : sum.hashtags_not_reported) hashtags_j.push_back(Json{{"name", n}, {"reported", false}});
  return hashtags_j;
}

Json cross_json(const CrossElement& e) {
  Json tests = Json::array();
  for (const auto& t : e.tests) tests.push_back(pattern_key_json(t.hashtag, e.bucket, t.pattern));
  Json j{{"bucket", bucket_name(e.bucket)}, {"feature", e.feature},
         {"subject", pattern_subject(e.tests.front().pattern)}, {"tests", tests}};
  if (e.holds) {
    j["chance_bound"] = json_number(e.chance_bound);
    j["chance_bound_corrected"] = json_number(e.corrected);
  }
  return j;
}

Json roadmap_json(const std::vector<RoadmapItem>& queue) {
  Json roadmap_j = Json::array();
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const int slot = static_cast<int>(i) / kRoadmapParallelTests;
    roadmap_j.push_back(Json{{"week_start", slot * kRoadmapWeeksPerTest + 1},
                             {"week_end", (slot + 1) * kRoadmapWeeksPerTest},
                             {"hashtag", queue[i].h->name},
                             {"strategy", queue[i].s->id},
                             {"title", queue[i].s->title},
                             {"bucket", bucket_name(queue[i].s->bucket)},
                             {"evidence", evidence_name(queue[i].s->evidence)},
                             {"holds_across", queue[i].across},
                             {"retest", queue[i].s->validation == "inconclusive"}});
  }
  return roadmap_j;
}

Json replication_json(const ReplicationResult& rep) {
  return Json{{"rule", "same direction and q < 0.05 in every hashtag that tested the element in the bucket "
                       "(at least two)"},
              {"alpha", kReplicationAlpha},
              {"hashtags", rep.hashtags},
              {"families", rep.families},
              {"tests", rep.tests},
              {"candidates", rep.candidates},
              {"expected_by_chance", json_number(rep.expected_by_chance)},
              {"found", rep.holds.size()}};
}

Json summary_json(const std::string& client, const std::string& date, const ClientView& v,
                  const ClientReportSummary& sum, const std::string& notice) {
  Json findings_j = Json::array();
  for (const auto& f : v.findings) findings_j.push_back(pattern_key_json(f.hashtag, f.bucket, f.p));
  Json holds_j = Json::array(), not_j = Json::array();
  for (const auto& e : v.rep.holds) holds_j.push_back(cross_json(e));
  for (const auto& e : v.rep.does_not_hold) not_j.push_back(cross_json(e));
  return Json{{"format", "rumi-client-summary"},
              {"format_version", 1},
              {"client", client},
              {"date", date},
              {"hashtags", hashtags_json(v, sum)},
              {"findings", findings_j},
              {"holds_across", holds_j},
              {"does_not_hold", not_j},
              {"replication", replication_json(v.rep)},
              {"budget_mix", v.mix.buckets},
              {"roadmap", roadmap_json(v.roadmap.queue)},
              {"ownership_notice", notice}};
}

// The summary of the latest client report dated before `date` (null when none); sets
// sum.previous_date. sum.dir must be set.
Json previous_summary(ClientReportSummary& sum, const std::string& date) {
  std::error_code ec;
  std::vector<std::string> dates;
  for (const auto& e : fs::directory_iterator(sum.dir.parent_path(), ec)) {
    const std::string n = e.path().filename().string();
    if (e.is_directory() && valid_date(n) && n < date && fs::exists(e.path() / kClientSummaryFile)) dates.push_back(n);
  }
  if (dates.empty()) return Json(nullptr);
  std::sort(dates.begin(), dates.end());
  sum.previous_date = dates.back();
  return read_json_file(sum.dir.parent_path() / sum.previous_date / kClientSummaryFile);
}

// ---- the words (Markdown carries everything; the PDF the same order within 2 pages)

struct Section {
  std::string heading;
  std::vector<std::string> lines;  // each a paragraph or a bullet
  bool bullets = true;
  std::size_t pdf_lines = 0;  // the PDF keeps this many lines (0: all) and points to the Markdown
};

// Where the sections that the later parts refer to sit in the section list.
constexpr std::size_t kHoldsSection = 1, kDoesNotHoldSection = 2;

Section scope_section(const ClientView& v, const ClientReportSummary& sum, const std::string& date) {
  Section s{"Scope", {}, true};
  int videos = 0;
  for (const auto& h : v.tags) videos += total_videos(h.in);
  s.lines.push_back(fmt::format("{} hashtags reported: {}. {} videos in all; {} hashtag and length groups had enough "
                                "videos to test.",
                                v.tags.size(), join(sum.hashtags_reported, ", ", " and "), videos, v.rep.families));
  for (const auto& h : v.tags) {
    std::vector<std::string> per;
    for (const auto& b : h.in.buckets)
      per.push_back(fmt::format("{} {}{}", bucket_name(b.bucket), b.sample_size,
                                b.insufficient ? " (too few)" : b.exploratory ? " (exploratory)" : ""));
    s.lines.push_back(fmt::format("{}: {} videos ({}). {}. Report of {}.", h.name, total_videos(h.in), join(per, ", "),
                                  h.in.metadata_only ? "Captions and posting data only, not the video content"
                                                     : "Video content analysed",
                                  h.report_date));
  }
  if (!sum.hashtags_not_reported.empty())
    s.lines.push_back("Not reported yet: " + join(sum.hashtags_not_reported, ", ") + ". Run their reports to add them.");
  s.lines.push_back(fmt::format("Client report of {}.", date));
  return s;
}

Section holds_section(const ClientView& v) {
  const ReplicationResult& rep = v.rep;
  Section s{"What holds across hashtags", {}, true, 6};
  s.lines.push_back(fmt::format(
      "An element counts here only when it was tested in the same video length in two or more hashtags, and it "
      "was significant with the same direction in each one (q below 0.05). We checked {} such elements. If none "
      "of them truly mattered, about {} would still pass by chance. {} passed.",
      rep.candidates, expected_count(rep.expected_by_chance), rep.holds.size()));
  for (const auto& e : rep.holds) {
    std::vector<std::string> per;
    for (const auto& t : e.tests) per.push_back(t.hashtag + " " + lift_label(t.pattern, test_suffix(v.tags, t)));
    s.lines.push_back(fmt::format("{} ({} videos): {} had more engagement in every hashtag. {}. Chance of this by luck "
                                  "alone: at most {}{}.",
                                  bucket_name(e.bucket), bucket_human(e.bucket), pattern_who(e.tests.front().pattern),
                                  capitalize(join(per, "; ")), p_value_text(e.corrected),
                                  e.corrected < kReplicationAlpha ? "" : ", so luck is not ruled out"));
  }
  if (rep.holds.empty())
    s.lines.push_back(rep.candidates == 0
                          ? "No element was tested in the same video length in two hashtags yet, so nothing can "
                            "replicate. The findings below are per hashtag."
                          : "No element replicated. Treat each hashtag's findings as its own.");
  return s;
}

// One element found in some hashtags and not (or the other way) in others.
std::string does_not_hold_line(const std::vector<ClientHashtag>& tags, const CrossElement& e) {
  const Pattern* sig = nullptr;
  for (const auto& t : e.tests)
    if (significant(t.pattern)) {
      sig = &t.pattern;
      break;
    }
  std::vector<std::string> per;
  for (const auto& t : e.tests) {
    if (significant(t.pattern) && t.pattern.direction == sig->direction)
      per.push_back(t.hashtag + " " + lift_label(t.pattern, test_suffix(tags, t)));
    else if (significant(t.pattern))
      per.push_back(t.hashtag + ": the opposite did better (" + std::string(evidence_name(t.pattern.evidence)) + ")");
    else
      per.push_back(t.hashtag + ": no clear difference (q " + p_value_text(t.pattern.q_value) + ")");
  }
  return fmt::format("{}: {}. {}. Use it only where it was found.", bucket_name(e.bucket), pattern_who(*sig),
                     capitalize(join(per, "; ")));
}

Section does_not_hold_section(const ClientView& v) {
  Section s{"What does not hold", {}, true, 4};
  for (const auto& e : v.rep.does_not_hold) s.lines.push_back(does_not_hold_line(v.tags, e));
  if (s.lines.empty()) s.lines.push_back("No finding was contradicted by another hashtag.");
  return s;
}

Section budget_section(const ClientView& v) {
  Section s{"Duration budget mix", {}, true};
  if (v.mix.with_ranking > 0 && !v.mix.buckets.empty()) {
    std::vector<std::string> parts;
    for (const auto& m : v.mix.buckets)
      parts.push_back(fmt::format("{} {} %", m["bucket"].get<std::string>(), m["percent"].get<int>()));
    s.lines.push_back("Across all hashtags, each counted the same: " + join(parts, ", ") + ".");
  }
  for (const auto& h : v.tags)
    s.lines.push_back(h.name + ": " +
                      (h.ranking.empty() ? std::string("no bucket ranking in its report.") : mix_line(h.ranking)));
  s.lines.push_back("Buckets with too few videos are not ranked. Collect more videos of those lengths first.");
  return s;
}

Section roadmap_section(const Roadmap& r) {
  Section s{"Testing roadmap", {}, true, 10};
  for (std::size_t i = 0; i < r.queue.size(); ++i) {
    const int slot = static_cast<int>(i) / kRoadmapParallelTests;
    const auto& it = r.queue[i];
    s.lines.push_back(fmt::format("Weeks {}-{}: {} \u201c{}\u201d for {} ({}{}). {} test and {} control videos.{}",
                                  slot * kRoadmapWeeksPerTest + 1, (slot + 1) * kRoadmapWeeksPerTest,
                                  it.s->validation == "inconclusive" ? "Test again" : "Billo test of", it.s->title,
                                  it.h->name, evidence_name(it.s->evidence),
                                  it.across ? ", holds across hashtags" : "", kBilloTestVideos, kBilloControlVideos,
                                  it.s->validation == "inconclusive" ? " The last test was not clear." : ""));
  }
  for (const auto& it : r.proven)
    s.lines.push_back(
        fmt::format("Proven by Billo tests: \u201c{}\u201d for {}. Brief affiliates with it.", it.s->title, it.h->name));
  if (r.queue.empty() && r.proven.empty())
    s.lines.push_back("No strategy is backed by strong enough evidence to test yet. Collect more videos first.");
  else
    s.lines.push_back(fmt::format("Each week pair films one week and posts and measures the next. Two tests run at "
                                  "a time. Each Billo brief is in the hashtag's report folder."));
  return s;
}

Section changes_section(const Json& previous, const std::vector<std::string>& changes,
                        const std::string& previous_date) {
  Section s{"What changed since the previous run", {}, true, 8};
  if (previous.is_null()) s.lines.push_back("This is the first client report for these hashtags.");
  else if (changes.empty()) s.lines.push_back("Nothing changed since the client report of " + previous_date + ".");
  else {
    s.lines.push_back("Compared with the client report of " + previous_date + ":");
    for (const auto& c : changes) s.lines.push_back(c);
  }
  return s;
}

std::string finding_key(const std::string& hashtag, Bucket b, const std::string& feature) {
  return hashtag + "|" + std::string(bucket_name(b)) + "|" + feature;
}

// The findings already said under "holds across" or "does not hold": in the Markdown, and in the
// PDF (there only the lines the PDF printed).
struct SaidFindings {
  std::set<std::string> md, pdf;
};

SaidFindings said_findings(const ReplicationResult& rep, const std::vector<Section>& sections) {
  SaidFindings said;
  for (std::size_t i = 0; i < rep.holds.size(); ++i)
    for (const auto& t : rep.holds[i].tests) {
      said.md.insert(finding_key(t.hashtag, rep.holds[i].bucket, t.pattern.feature));
      if (i + 1 < sections[kHoldsSection].pdf_lines)
        said.pdf.insert(finding_key(t.hashtag, rep.holds[i].bucket, t.pattern.feature));
    }
  for (std::size_t i = 0; i < rep.does_not_hold.size(); ++i)
    for (const auto& t : rep.does_not_hold[i].tests)
      if (significant(t.pattern)) {
        said.md.insert(finding_key(t.hashtag, rep.does_not_hold[i].bucket, t.pattern.feature));
        if (i < sections[kDoesNotHoldSection].pdf_lines)
          said.pdf.insert(finding_key(t.hashtag, rep.does_not_hold[i].bucket, t.pattern.feature));
      }
  return said;
}

struct TopFindings {
  Section md;                     // up to 3 per hashtag and bucket
  std::vector<std::string> pdf;  // the PDF's shorter version
};

// Top findings: per hashtag and bucket, evidence-backed only, each once: a finding already said
// under "holds across" or "does not hold" is not repeated (in the PDF: not repeated when the PDF
// printed it there).
TopFindings top_findings(const ClientView& v, const std::vector<Section>& sections) {
  const SaidFindings said = said_findings(v.rep, sections);
  TopFindings top{{"Top findings per hashtag and bucket", {}, true}, {}};
  top.md.lines.push_back(std::string(kLiftMeaning) + " Findings named above are not repeated here.");
  // The PDF's shorter version: the first finding of each hashtag and bucket, at most 8.
  constexpr std::size_t kPdfFindings = 8;
  for (const auto& h : v.tags)
    for (const auto& b : h.in.buckets) {
      int shown_md = 0, shown_pdf = 0;
      for (const auto& f : v.findings) {
        if (f.hashtag != h.name || f.bucket != b.bucket) continue;
        const std::string key = finding_key(f.hashtag, f.bucket, f.p.feature);
        const bool md_new = !said.md.count(key), pdf_new = !said.pdf.count(key);
        if (!md_new && !pdf_new) continue;
        const std::string line = fmt::format("{} {} ({}{}{}): {}{}", h.name, bucket_name(b.bucket),
                                             evidence_name(f.p.evidence), b.exploratory ? ", exploratory" : "",
                                             f.validation, pattern_sentence(f.p), adjustment_note(f.p));
        if (md_new && shown_md < 3) {
          top.md.lines.push_back(line);
          ++shown_md;
        }
        if (pdf_new && shown_pdf == 0 && top.pdf.size() < kPdfFindings) {
          top.pdf.push_back(line);
          ++shown_pdf;
        }
      }
    }
  if (v.findings.empty()) top.md.lines.push_back("No element is backed by STRONG or MODERATE evidence yet.");
  else if (top.md.lines.size() == 1) top.md.lines.push_back("Every finding is named in the sections above.");
  return top;
}

void add_markdown(std::string& md, const Section& s) {
  md += "## " + s.heading + "\n\n";
  for (const auto& l : s.lines) md += (s.bullets ? "- " : "") + l + "\n";
  md += "\n";
}

std::string how_to_read_markdown(const ReplicationResult& rep) {
  std::string md = "## How to read this report\n\n";
  md += fmt::format(
      "Every hashtag and video length is tested on its own, with its own correction for testing many elements. "
      "An element without a real effect passes one such test at most {:.0f} % of the time, and at most {:.1f} % in a "
      "given direction. Hashtags have different videos, so passing in k hashtags by luck has a chance of at most 2 x "
      "{:.3f}^k. Summed over the {} elements tested in two or more hashtags, that gives the {} above. The chance "
      "for one element is at most 2 x the product of its halved q values, times {} for the number of elements "
      "checked.\n\n",
      kReplicationAlpha * 100, kReplicationAlpha * 50, kReplicationAlpha / 2, rep.candidates,
      expected_count(rep.expected_by_chance), rep.candidates);
  return md;
}

std::string client_markdown(const std::string& client, const std::string& date, const ClientReportSummary& sum,
                            const std::vector<Section>& sections, const TopFindings& top, const ReplicationResult& rep,
                            const std::string& notice) {
  std::string md = fmt::format("# {}: creative report across hashtags\n\n", client);
  md += fmt::format("{} \u00b7 {}\n\n", join(sum.hashtags_reported, ", "), date);
  for (const auto& s : sections) add_markdown(md, s);
  add_markdown(md, top.md);
  md += how_to_read_markdown(rep);
  md += notice + "\n";
  return md;
}

// ---- the files

// previous_client_summary.json, Client_Report.md and client_summary.json.
void write_text_files(ClientReportSummary& sum, const ClientReportOptions& opt, const Json& previous,
                      const Json& summary) {
  ensure_directory(sum.dir);
  if (!previous.is_null()) {
    write_json_atomic(sum.dir / kPreviousClientSummaryFile, previous);
    sum.files.push_back(sum.dir / kPreviousClientSummaryFile);
  } else if (fs::exists(sum.dir / kPreviousClientSummaryFile)) {
    fs::remove(sum.dir / kPreviousClientSummaryFile);  // an earlier report of that date was removed
  }
  if (opt.formats.count("md")) {
    write_file_atomic(sum.dir / kClientReportMarkdown, sum.markdown);
    sum.files.push_back(sum.dir / kClientReportMarkdown);
  }
  // The summary is what the next run compares with, so it is always written.
  write_json_atomic(sum.dir / kClientSummaryFile, summary);
  sum.files.push_back(sum.dir / kClientSummaryFile);
}

void write_pdf(ClientReportSummary& sum, const std::string& client, const ClientReportOptions& opt,
               const std::vector<Section>& sections, const TopFindings& top) {
  PdfDocument doc;
  doc.set_dates(opt.date);
  FlowLayout flow(doc, {"RumiAI \u00b7 Client Report Across Hashtags", client + " \u00b7 " + opt.date,
                        ownership_notice_line(client, opt.agency)},
                  kMaxPdfPages);
  const TextStyle bullet{.size = 9, .max_lines = 4, .indent = 10, .space_after = 3};
  const TextStyle small{.size = 8, .color = kBrandSecondary, .max_lines = 6};
  for (const auto& s : sections) {
    flow.heading(s.heading);
    const std::size_t keep = s.pdf_lines == 0 ? s.lines.size() : std::min(s.pdf_lines, s.lines.size());
    for (std::size_t i = 0; i < keep; ++i) flow.text("\u2022 " + s.lines[i], bullet);
    if (keep < s.lines.size()) flow.text(fmt::format("{} more in {}.", s.lines.size() - keep, kClientReportMarkdown), small);
  }
  flow.heading(top.md.heading);
  flow.text(top.md.lines.front(), small);
  for (const auto& l : top.pdf) flow.text("\u2022 " + l, bullet);
  flow.text(fmt::format("Every finding, and how the chance figures are worked out, is in {}.", kClientReportMarkdown),
            small);
  flow.finish();
  const fs::path p = sum.dir / kClientReportPdf;
  doc.save(p.string());
  sum.pdf = PdfResult{p, flow.pages(), flow.truncated(), flow.plain_text()};
  sum.files.push_back(p);
}

// The client dashboard (report/html_dashboard.h) renders last, so it links only files that exist.
void write_dashboard(ClientReportSummary& sum, const std::string& client, const ClientReportOptions& opt,
                     const std::string& notice, const std::vector<Section>& sections,
                     const std::vector<ClientHashtag>& tags) {
  ClientDashboardInput d;
  d.client = client;
  d.date = opt.date;
  d.notice = notice;
  if (!sum.hashtags_not_reported.empty())
    d.notes.push_back("Not reported yet: " + join(sum.hashtags_not_reported, ", ") + ".");
  d.cross_hashtag = sections[kHoldsSection].lines;
  d.links = {{"Client report (PDF)", sum.dir / kClientReportPdf},
             {"Client report (Markdown)", sum.dir / kClientReportMarkdown},
             {"Client summary (JSON)", sum.dir / kClientSummaryFile}};
  for (const auto& h : tags) d.hashtags.push_back(client_entry_from_report_dir(h.report_dir, h.name));
  sum.files.push_back(write_client_dashboard(sum.dir, d));
}

}  // namespace

ClientReportSummary write_client_report(const Workspace& ws, std::string_view client_slug,
                                        const ClientReportOptions& opt) {
  if (!valid_date(opt.date)) throw UsageError("client report date must be YYYY-MM-DD, got '" + opt.date + "'");
  const std::string client = opt.client.empty() ? std::string(client_slug) : opt.client;
  ClientReportSummary sum;
  // v.roadmap points into v.tags, so the view is filled in place and never moved.
  ClientView v;
  v.tags = load_hashtags(ws, client_slug, client, opt, sum);
  v.rep = replicate(v.tags);
  v.findings = collect_findings(v.tags);
  v.roadmap = build_roadmap(v.tags, v.rep);
  v.mix = budget_mix(v.tags);
  sum.holds_across = static_cast<int>(v.rep.holds.size());
  sum.does_not_hold = static_cast<int>(v.rep.does_not_hold.size());
  sum.candidates = v.rep.candidates;
  sum.expected_by_chance = v.rep.expected_by_chance;
  sum.findings = static_cast<int>(v.findings.size());
  sum.roadmap_tests = static_cast<int>(v.roadmap.queue.size());

  const std::string notice = ownership_notice(client, opt.agency);
  const Json summary = summary_json(client, opt.date, v, sum, notice);
  sum.dir = client_reports_dir(ws, client_slug, opt.date);
  const Json previous = previous_summary(sum, opt.date);
  const std::vector<std::string> changes =
      previous.is_null() ? std::vector<std::string>{} : client_summary_changes(previous, summary);

  const std::vector<Section> sections{scope_section(v, sum, opt.date), holds_section(v), does_not_hold_section(v),
                                      budget_section(v),              roadmap_section(v.roadmap),
                                      changes_section(previous, changes, sum.previous_date)};
  const TopFindings top = top_findings(v, sections);
  sum.markdown = client_markdown(client, opt.date, sum, sections, top, v.rep, notice);

  write_text_files(sum, opt, previous, summary);
  if (opt.formats.count("pdf")) write_pdf(sum, client, opt, sections, top);
  if (opt.formats.count("html")) write_dashboard(sum, client, opt, notice, sections, v.tags);
  return sum;
}

}  // namespace rumi::report
