#include "insights/bucket_performance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <regex>
#include <set>

#include "core/bucket_population.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/ownership_notice.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "stats/multiple_testing.h"
#include "stats/patterns_file.h"
#include "stats/two_sample_tests.h"

namespace rumi::insights {

namespace fs = std::filesystem;

std::string bucket_verdict(double avg_er_percent, int sample_size) {
  if (sample_size < kMinVideosForModel) return "INSUFFICIENT DATA";
  if (avg_er_percent > 6) return "HIGH PRIORITY";
  if (avg_er_percent > 4) return "MODERATE";
  if (avg_er_percent > 2) return "LOW PRIORITY";
  return "AVOID";
}

namespace {

double finite_or(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, finite_or(v, 0));
  return buf;
}

std::string verdict_detail(const std::string& verdict) {
  if (verdict == "HIGH PRIORITY") return "HIGH PRIORITY - Strong performance";
  if (verdict == "STRONG PERFORMER") return "STRONG PERFORMER - Above the 6 % mark, below the leading tier";
  if (verdict == "MODERATE") return "MODERATE - Selective use";
  if (verdict == "LOW PRIORITY") return "LOW PRIORITY - Only if needed";
  if (verdict == "AVOID") return "AVOID - Poor performance";
  return "INSUFFICIENT DATA - Fewer than " + std::to_string(kMinVideosForModel) + " videos";
}

bool sufficient(const BucketIntel& b) { return b.perf.sample_size >= kMinVideosForModel; }

// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// The tie, said as tested: neighbours only (a tier is a chain of non-significant steps).
std::string tie_clause(std::size_t members) {
  return members == 2 ? "the difference between them is not significant"
                      : "none of the steps between neighbouring buckets is significant";
}

std::string p_text(double p) { return p < 0.001 ? std::string("p < 0.001") : "p = " + fixed(p, 3); }

std::string pct(double er) {
  std::string s = fixed(er, 1);
  s += " %";
  return s;
}

// What the table and JSON say about a ranked bucket's place: tied, ahead or behind.
std::string ranking_note(const BucketIntel& b, const BucketIntel* prev) {
  if (!sufficient(b)) return "not ranked (fewer than " + std::to_string(kMinVideosForModel) + " videos)";
  if (!b.tied_with.empty()) {
    // A gap that is significant but against the typical video is still no gap; say why.
    const bool against =
        (b.vs_next && !b.vs_next->same_direction && b.vs_next->p_holm < kRankingAlpha) ||
        (prev && prev->vs_next && !prev->vs_next->same_direction && prev->vs_next->p_holm < kRankingAlpha);
    std::string s = "tied with " + join_and(b.tied_with);
    // Only neighbours are tested, so with three or more the claim is about the steps between them.
    s += against
             ? " (the averages and the typical video disagree on the order)"
             : (b.tied_with.size() > 1 ? " (no step between neighbours significant)" : " (difference not significant)");
    return s;
  }
  if (b.vs_next && b.vs_next->differs && b.rank == 1)
    return "leads: above " + b.vs_next->bucket + " (" + p_text(b.vs_next->p_holm) + ", Holm)";
  if (prev && prev->vs_next && prev->vs_next->differs) {
    std::string s = "below " + prev->perf.bucket + " (" + p_text(prev->vs_next->p_holm) + ", Holm)";
    if (b.vs_next && b.vs_next->differs) s += ", above " + b.vs_next->bucket + " (" + p_text(b.vs_next->p_holm) + ")";
    return s;
  }
  return "the only ranked bucket";
}

// Adjacent comparisons of the ranked buckets (sorted by mean ER), Holm over them, and the tiers.
void set_tiers(std::vector<BucketIntel>& buckets) {
  std::vector<std::size_t> ranked;
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (sufficient(buckets[i])) ranked.push_back(i);
  if (ranked.empty()) return;
  std::vector<double> p;
  for (std::size_t k = 0; k + 1 < ranked.size(); ++k) {
    BucketIntel& hi = buckets[ranked[k]];
    const BucketIntel& lo = buckets[ranked[k + 1]];
    const stats::TestResult t = stats::mann_whitney_u(hi.er_values, lo.er_values);
    BucketIntel::NextComparison c;
    c.bucket = lo.perf.bucket;
    c.p_value = t.defined && std::isfinite(t.p_value) ? t.p_value : 1.0;
    const double half = static_cast<double>(hi.er_values.size()) * static_cast<double>(lo.er_values.size()) / 2;
    c.same_direction = t.defined && t.statistic > half;
    hi.vs_next = c;
    p.push_back(c.p_value);
  }
  const std::vector<double> adjusted = stats::holm(p);
  int tier = 1;
  buckets[ranked[0]].tier = tier;
  for (std::size_t k = 0; k + 1 < ranked.size(); ++k) {
    auto& c = *buckets[ranked[k]].vs_next;
    c.p_holm = adjusted[k];
    c.differs = c.p_holm < kRankingAlpha && c.same_direction;
    if (c.differs) ++tier;
    buckets[ranked[k + 1]].tier = tier;
  }
  for (std::size_t i : ranked)
    for (std::size_t j : ranked)
      if (i != j && buckets[i].tier == buckets[j].tier) buckets[i].tied_with.push_back(buckets[j].perf.bucket);
}

// Says which videos the numbers describe, so a reader never mistakes the analysed sample (half
// of it the top performers under the contrast design) for the bucket.
std::string sample_sentence(const BucketReport& r) {
  int described = 0, analysed = 0, outliers = 0;
  bool eligible = !r.buckets.empty();
  for (const auto& b : r.buckets) {
    described += b.perf.sample_size;
    analysed += std::max(b.analysed, 0);
    outliers += b.outliers;
    eligible = eligible && b.eligible_basis;
  }
  if (r.buckets.empty()) return "no videos";
  if (!eligible)
    return "bucket statistics describe the " + std::to_string(described) +
           " analysed videos (the selection predates the eligible-video list)";
  return "bucket statistics describe all " + std::to_string(described) +
         " eligible videos of the hashtag (every video that passed the selection filters, " + std::to_string(outliers) +
         " flagged outliers included), not only the " + std::to_string(analysed) + " analysed ones";
}

std::optional<double> read_cv_r2(const BucketFiles& files) {
  std::error_code ec;
  const fs::path& metrics = files.performance;
  if (fs::exists(metrics, ec)) {
    const Json j = read_json_file(metrics);
    if (j.is_object() && j.contains("cv_r2") && j["cv_r2"].is_number()) return j["cv_r2"].get<double>();
  }
  const fs::path& model = files.model;
  if (fs::exists(model, ec)) {
    const Json j = read_json_file(model);
    if (j.is_object() && j.contains("cv") && j["cv"].is_object() && j["cv"].contains("r2")) {
      const Json& r2 = j["cv"]["r2"];
      if (r2.is_number()) return r2.get<double>();
      if (r2.is_array() && !r2.empty()) {
        double s = 0;
        int k = 0;
        for (const auto& v : r2)
          if (v.is_number()) s += v.get<double>(), ++k;
        if (k > 0) return s / k;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

BucketIntel summarize_bucket(Bucket b, std::span<const double> er_percent) {
  BucketIntel bi;
  bi.bucket = b;
  // The same summary the training stage writes to performance_metrics.json.
  bi.perf = describe_engagement(std::string(bucket_name(b)), er_percent);
  bi.cv = bi.perf.avg_er > 0 ? bi.perf.std_er / bi.perf.avg_er : 0;
  bi.risk_level = bi.perf.consistency > 0.7 ? "low" : bi.perf.consistency > 0.5 ? "medium" : "high";
  bi.verdict = bucket_verdict(bi.perf.avg_er, bi.perf.sample_size);
  bi.er_values.assign(er_percent.begin(), er_percent.end());
  return bi;
}

std::vector<int> allocate_percentages(std::span<const double> weights) {
  std::vector<int> out(weights.size(), 0);
  double total = 0;
  for (double w : weights) total += (std::isfinite(w) && w > 0) ? w : 0;
  if (!(total > 0)) return out;
  std::vector<double> remainder(weights.size(), 0);
  int used = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double w = (std::isfinite(weights[i]) && weights[i] > 0) ? weights[i] : 0;
    const double exact = w / total * 100.0;
    out[i] = static_cast<int>(std::floor(exact));
    remainder[i] = exact - out[i];
    used += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; used < 100 && k < order.size(); ++k, ++used) ++out[order[k]];
  return out;
}

namespace {

// Ranked buckets first, by mean ER (the bucket order breaks ties), so rank is the list position.
void sort_and_rank(std::vector<BucketIntel>& buckets) {
  std::stable_sort(buckets.begin(), buckets.end(), [](const BucketIntel& a, const BucketIntel& b) {
    if (sufficient(a) != sufficient(b)) return sufficient(a);
    if (a.perf.avg_er != b.perf.avg_er) return a.perf.avg_er > b.perf.avg_er;
    return a.bucket < b.bucket;
  });
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i].rank = static_cast<int>(i + 1);
}

// Only the leading tier keeps HIGH PRIORITY: a bucket above the 6 % mark that is significantly
// below the leaders is a STRONG PERFORMER (the seed's label for it, section 5.3), so a report
// never calls every bucket the priority. Runs after set_tiers.
void set_relative_verdicts(std::vector<BucketIntel>& buckets) {
  for (auto& b : buckets)
    if (sufficient(b) && b.tier > 1 && b.verdict == "HIGH PRIORITY") b.verdict = "STRONG PERFORMER";
}

// Mix: recommended buckets in proportion to mean ER; if none qualifies, every bucket with
// enough videos; if none has enough, nothing is recommended (all 0 %).
void set_mix(std::vector<BucketIntel>& buckets) {
  const auto weights_where = [&](auto pred) {
    std::vector<double> w;
    for (const auto& b : buckets) w.push_back(pred(b) ? b.perf.avg_er : 0.0);
    return w;
  };
  std::vector<int> mix =
      allocate_percentages(weights_where([](const BucketIntel& b) { return sufficient(b) && b.verdict != "AVOID"; }));
  if (std::accumulate(mix.begin(), mix.end(), 0) == 0) mix = allocate_percentages(weights_where(sufficient));
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i].mix_percent = mix[i];
}

// The bucket names of a list, for join_and.
std::vector<std::string> bucket_names(const std::vector<const BucketIntel*>& v) {
  std::vector<std::string> out;
  for (const auto* b : v) out.push_back(b->perf.bucket);
  return out;
}

// The mean ERs of a list, for join_and.
std::vector<std::string> averages(const std::vector<const BucketIntel*>& v) {
  std::vector<std::string> out;
  for (const auto* b : v) out.push_back(pct(b->perf.avg_er));
  return out;
}

// "name (mean, verdict)" per bucket, so a tied bucket with a lower verdict says so.
std::vector<std::string> with_averages(const std::vector<const BucketIntel*>& v) {
  std::vector<std::string> out;
  for (const auto* b : v) out.push_back(b->perf.bucket + " (" + pct(b->perf.avg_er) + ", " + b->verdict + ")");
  return out;
}

// What every sentence about the ranked buckets needs, worked out once so the phrases agree.
struct Leading {
  std::vector<const BucketIntel*> ranked;  // in rank order, never empty
  const BucketIntel* best = nullptr;
  // The buckets named as leading: the leading tier's ones with the leader's verdict, so a tie
  // never makes the text promote a bucket its verdict ranks lower. The others of the tier are
  // named as sharing it.
  std::vector<const BucketIntel*> lead, tied_lower;
  bool several = false;  // more than one bucket leads
  std::string who;       // the leaders' names, joined
  std::string for_tag;   // " for #tag", or empty without a hashtag
};

// The ranked buckets and the leading tier; nullopt when no bucket has enough videos to rank.
std::optional<Leading> find_leading(const std::vector<BucketIntel>& buckets, const std::string& hashtag) {
  Leading L;
  for (const auto& b : buckets)
    if (sufficient(b)) L.ranked.push_back(&b);
  if (L.ranked.empty()) return std::nullopt;
  L.best = L.ranked.front();
  for (const BucketIntel* b : L.ranked)
    if (b->tier == 1) (b->verdict == L.best->verdict ? L.lead : L.tied_lower).push_back(b);
  L.several = L.lead.size() > 1;
  L.who = join_and(bucket_names(L.lead));
  const std::string tag = hashtag.empty() ? std::string() : (hashtag.front() == '#' ? hashtag : "#" + hashtag);
  L.for_tag = tag.empty() ? std::string() : " for " + tag;
  return L;
}

// The first recommendation: what to lead with, worded from the leader's verdict.
std::string leading_recommendation(const Leading& L, bool clear_leader) {
  const BucketIntel& best = *L.best;
  const bool several = L.several;
  const std::string& who = L.who;
  // How the leaders stand against the rest, in words a reader can repeat.
  std::string standing;
  if (several)
    standing = "; " + tie_clause(L.lead.size());
  else if (clear_leader)
    standing = ", significantly above " + best.vs_next->bucket + " (" + pct(L.ranked[1]->perf.avg_er) + ")";
  else if (L.ranked.size() == 1)
    standing = " (the only bucket with enough videos to rank)";
  if (!L.tied_lower.empty())
    standing += "; " + join_and(with_averages(L.tied_lower)) + (L.tied_lower.size() > 1 ? " share" : " shares") +
                " the leading tier";

  const std::string avg_phrase =
      several ? join_and(averages(L.lead)) + " average engagement" : pct(best.perf.avg_er) + " average engagement";
  const std::string videos = several ? std::string() : " across " + std::to_string(best.perf.sample_size) + " videos";
  if (best.verdict == "HIGH PRIORITY")
    return "Prioritize " + who + " content" + (several ? " together - they lead at " : " - highest ") +
           (several ? avg_phrase : "average engagement at " + pct(best.perf.avg_er)) + videos + standing;
  if (best.verdict == "MODERATE")
    return "Lead with " + who + " content, selectively - " +
           (several ? "they lead at " + avg_phrase : "highest average engagement at " + pct(best.perf.avg_er)) +
           videos + standing + "; no bucket reaches the 6 % mark for high priority";
  if (best.verdict == "LOW PRIORITY")
    return "No bucket reaches the 4 % mark for moderate: " + who + (several ? " share" : " has") +
           " the highest average (" + join_and(averages(L.lead)) + ")" + videos + standing + "; use " +
           (several ? "them" : "it") + " only with a strategic reason";
  return "Every ranked bucket is below the 2 % mark (AVOID): " + who + (several ? " share" : " has") +
         " the highest average (" + join_and(averages(L.lead)) + ")" + standing +
         "; rethink the approach before producing more" + L.for_tag + " content";
}

// The lowest ranked bucket, worded from its own verdict; nothing when it leads or is alone.
void add_lowest_recommendation(const Leading& L, std::vector<std::string>& out) {
  const BucketIntel& worst = *L.ranked.back();
  const bool worst_leads = std::find(L.lead.begin(), L.lead.end(), &worst) != L.lead.end();
  if (L.ranked.size() <= 1 || worst_leads) return;
  const BucketIntel& above = *L.ranked[L.ranked.size() - 2];
  const std::string tie = above.tier == worst.tier ? "; not significantly below " + above.perf.bucket : std::string();
  const std::string avg = pct(worst.perf.avg_er);
  if (worst.verdict == "HIGH PRIORITY")
    out.push_back(worst.perf.bucket + " has the lowest average here (" + avg + tie +
                  "), still above the 6 % mark for high priority: keep it in the mix with its own guide");
  else if (worst.verdict == "STRONG PERFORMER")
    out.push_back(worst.perf.bucket + " has the lowest average here (" + avg + tie +
                  "), still above the 6 % mark but significantly below the leading tier: keep it in the mix "
                  "with its own guide");
  else if (worst.verdict == "MODERATE")
    out.push_back(worst.perf.bucket + " has the lowest average here (" + avg + tie +
                  "), above the 4 % mark for moderate: use it selectively, with its own guide");
  else if (worst.verdict == "LOW PRIORITY")
    out.push_back("Use " + worst.perf.bucket + " content only with a strategic reason - lowest average engagement at " +
                  avg + " (LOW PRIORITY" + tie + ")");
  else if (L.best->verdict != "AVOID")  // when every bucket is AVOID the first line already says so
    out.push_back("Avoid " + worst.perf.bucket + " content - lowest average engagement at " + avg +
                  ", below the 2 % mark" + tie + (worst.mix_percent == 0 ? "; it gets no share of the mix" : ""));
}

// Every other AVOID bucket is said too: the mix gives it nothing, the text must not be silent.
void add_other_avoid_recommendation(const Leading& L, std::vector<std::string>& out) {
  if (L.best->verdict == "AVOID") return;
  std::vector<const BucketIntel*> avoid;
  for (const BucketIntel* b : L.ranked)
    if (b != L.ranked.back() && b->verdict == "AVOID") avoid.push_back(b);
  if (!avoid.empty())
    out.push_back("Avoid " + join_and(bucket_names(avoid)) + " content - average engagement " +
                  join_and(averages(avoid)) + ", below the 2 % mark");
}

// A ranked bucket whose videos vary widely gets a warning before anyone scales it up.
void add_risk_recommendations(const Leading& L, std::vector<std::string>& out) {
  for (const BucketIntel* b : L.ranked)
    if (b->risk_level == "high")
      out.push_back(b->perf.bucket + " results vary widely between videos (consistency 1/(1+CV) " +
                    fixed(b->perf.consistency, 2) + "): test a few before scaling up");
}

// Key insight: one leader only when it differs from the next bucket.
std::string key_insight(const Leading& L, bool clear_leader) {
  const BucketIntel& best = *L.best;
  if (best.verdict != "HIGH PRIORITY" && best.verdict != "MODERATE")
    return "No bucket reaches the 4 % mark for moderate engagement" + L.for_tag + "; " + L.who +
           (L.several ? " share" : " has") + " the highest average (" + join_and(averages(L.lead)) + ")";
  if (L.several) {
    int lead_mix = 0;
    for (const auto* b : L.lead) lead_mix += b->mix_percent;
    return L.who + " lead together" + L.for_tag + " (" + join_and(averages(L.lead)) + " average; " +
           tie_clause(L.lead.size()) + "; together " + std::to_string(lead_mix) + " % of the recommended mix)";
  }
  return best.perf.bucket + " videos have the highest engagement" + L.for_tag + " (" + pct(best.perf.avg_er) +
         " average" +
         (clear_leader ? ", significantly above " + best.vs_next->bucket + " at " + pct(L.ranked[1]->perf.avg_er)
                       : std::string()) +
         (L.tied_lower.empty() ? std::string()
                               : "; " + join_and(bucket_names(L.tied_lower)) +
                                     (L.tied_lower.size() > 1 ? " share" : " shares") + " the leading tier") +
         "; " + std::to_string(best.mix_percent) + " % of the recommended mix)";
}

// The text about the ranked buckets: leaders, recommendations in order, and the key insight.
void write_ranked_text(const Leading& L, BucketReport& r) {
  r.leaders = bucket_names(L.lead);
  r.clear_leader = L.ranked.size() > 1 && L.best->tied_with.empty();
  r.recommendations.push_back(leading_recommendation(L, r.clear_leader));
  add_lowest_recommendation(L, r.recommendations);
  add_other_avoid_recommendation(L, r.recommendations);
  add_risk_recommendations(L, r.recommendations);
  r.key_insight = key_insight(L, r.clear_leader);
}

// Buckets with too few videos are named with how many more they need, never ranked.
void add_unranked_recommendations(const std::vector<BucketIntel>& buckets, std::vector<std::string>& out) {
  for (const auto& b : buckets)
    if (!sufficient(b))
      out.push_back("Collect more " + b.perf.bucket + " videos (have " + std::to_string(b.perf.sample_size) +
                    ", need " + std::to_string(kMinVideosForModel) + ") before drawing conclusions");
}

}  // namespace

BucketReport build_bucket_report(std::vector<BucketIntel> buckets, std::string client, std::string hashtag,
                                 std::string analysis_date) {
  BucketReport r;
  r.client = std::move(client);
  r.hashtag = std::move(hashtag);
  r.analysis_date = std::move(analysis_date);
  sort_and_rank(buckets);
  set_mix(buckets);
  set_tiers(buckets);
  set_relative_verdicts(buckets);
  if (const std::optional<Leading> leading = find_leading(buckets, r.hashtag))
    write_ranked_text(*leading, r);
  else
    r.key_insight = "No duration bucket has the " + std::to_string(kMinVideosForModel) +
                    " videos needed for a reliable recommendation yet";
  add_unranked_recommendations(buckets, r.recommendations);
  r.recommendations.push_back("Each bucket requires its own creative strategy - use the bucket-specific guides");
  r.buckets = std::move(buckets);
  return r;
}

namespace {

// The comparison with the next ranked bucket, null for the last and the unranked ones.
Json next_json(const BucketIntel& b) {
  if (!b.vs_next) return nullptr;
  const auto& c = *b.vs_next;
  return Json{{"bucket", c.bucket},
              {"p_value", json_number(c.p_value)},
              {"p_value_holm", json_number(c.p_holm)},
              {"typical_video_agrees", c.same_direction},
              {"differs", c.differs}};
}

const BucketIntel* previous_ranked(const BucketReport& r, std::size_t i) {
  if (i == 0 || !sufficient(r.buckets[i])) return nullptr;
  return &r.buckets[i - 1];  // ranked buckets come first, in rank order
}

Json ranking_test_json(const BucketReport& r) {
  int comparisons = 0;
  for (const auto& b : r.buckets) comparisons += b.vs_next ? 1 : 0;
  return Json{{"test", "mann_whitney_u_two_sided"},
              {"compared", "adjacent ranked buckets, on the ER values the statistics describe"},
              {"correction", "holm"},
              {"comparisons", comparisons},
              {"alpha", kRankingAlpha},
              {"gap_needs", "adjusted p below alpha and the typical video agreeing with the averages"}};
}

}  // namespace

Json bucket_report_json(const BucketReport& r) {
  Json ranking = Json::array(), mix = Json::object();
  int total = 0;
  for (std::size_t i = 0; i < r.buckets.size(); ++i) {
    const BucketIntel& b = r.buckets[i];
    ranking.push_back(Json{{"rank", b.rank},
                           {"ranked", sufficient(b)},  // false: too few videos, listed last
                           {"bucket", b.perf.bucket},
                           {"avg_engagement_rate", b.perf.avg_er},
                           {"median_engagement_rate", b.perf.median_er},
                           {"std_engagement_rate", b.perf.std_er},
                           {"top_10pct_engagement_rate", b.perf.p90_er},
                           {"consistency_cv", b.perf.consistency},
                           {"coefficient_of_variation", b.cv},
                           {"risk_level", b.risk_level},
                           {"sample_size", b.perf.sample_size},
                           {"statistics_basis", b.eligible_basis ? "eligible" : "analysed"},
                           {"eligible_videos", b.eligible_basis ? Json(b.perf.sample_size) : Json(nullptr)},
                           {"analysed_videos", b.analysed >= 0 ? Json(b.analysed) : Json(nullptr)},
                           {"outliers_flagged", b.outliers},
                           {"exploratory", b.perf.exploratory},
                           {"model_cv_r2", b.perf.cv_r2 ? json_number(*b.perf.cv_r2) : Json(nullptr)},
                           {"verdict", b.verdict},
                           {"verdict_detail", verdict_detail(b.verdict)},
                           {"recommended_mix_percent", b.mix_percent},
                           {"top_patterns", b.top_patterns},
                           // The honest ranking: tiers of buckets without a significant gap.
                           {"tier", sufficient(b) ? Json(b.tier) : Json(nullptr)},
                           {"tied_with", b.tied_with},
                           {"compared_with_next", next_json(b)},
                           {"ranking_note", ranking_note(b, previous_ranked(r, i))}});
    mix[b.perf.bucket] = b.mix_percent;
    total += b.mix_percent;
  }
  // Version 2: statistics describe the eligible videos (statistics_basis, eligible/analysed counts).
  // Version 3: consistency_score renamed consistency_cv (it is 1/(1+CV), not the seed's
  // 1/(1+std)); client and hashtag are display names; ownership_notice.
  return Json{{"format", "rumi-bucket-performance"},
              {"format_version", 3},
              {"ownership_notice", ownership_notice(r.client)},
              {"analysis_context", Json{{"client", r.client},
                                        {"hashtag", r.hashtag},
                                        {"analysis_date", r.analysis_date},
                                        {"total_videos_analyzed",
                                         [&] {
                                           int n = 0;
                                           for (const auto& b : r.buckets) n += std::max(b.analysed, 0);
                                           return n;
                                         }()},
                                        {"total_videos_described",
                                         [&] {
                                           int n = 0;
                                           for (const auto& b : r.buckets) n += b.perf.sample_size;
                                           return n;
                                         }()},
                                        {"statistics_sample", sample_sentence(r)},
                                        {"engagement_rate_unit", "percent"}}},
              {"bucket_performance_ranking", ranking},
              {"content_allocation_guide", mix},
              {"content_allocation_total", total},
              {"strategic_recommendations", r.recommendations},
              {"key_insight", r.key_insight},
              {"ranking_test", ranking_test_json(r)},
              {"leading_buckets", r.leaders},
              {"clear_leader", r.clear_leader}};
}

std::vector<std::string> top_distinct_phrases(std::span<const Pattern> patterns, std::size_t max) {
  std::vector<std::string> phrases;
  std::set<std::string> subjects;
  for (const Pattern& p : patterns) {
    if (phrases.size() >= max) break;
    if (p.phrase.empty()) continue;
    std::string subject = p.source.substr(0, p.source.find('.'));
    if (subject.empty() || subject == "temporal_windows") subject = "element:" + p.feature;
    if (!subjects.insert(subject).second) continue;
    phrases.push_back(p.phrase);
  }
  return phrases;
}

std::string bucket_report_markdown(const BucketReport& r) {
  std::string md = "# Bucket performance report\n\n";
  md += "Client: " + r.client + "  \nHashtag: " + r.hashtag + "  \nDate: " + r.analysis_date + "\n\n";
  md += "**Key insight:** " + r.key_insight + "\n\n";
  md += "*Sample:* " + sample_sentence(r) + "\n\n";
  md +=
      "| Rank | Bucket | Avg ER | Median ER | Consistency 1/(1+CV) | Risk | Videos | Analysed | Outliers | Model CV R² "
      "| Verdict | Mix | Tier | Against the others |\n";
  md += "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---|\n";
  for (std::size_t i = 0; i < r.buckets.size(); ++i) {
    const BucketIntel& b = r.buckets[i];
    // Too few videos: listed last, never ranked among the others.
    md += "| " + (sufficient(b) ? std::to_string(b.rank) : std::string("-")) + " | " + b.perf.bucket + " | " +
          fixed(b.perf.avg_er, 2) + " % | " + fixed(b.perf.median_er, 2) + " % | " + fixed(b.perf.consistency, 2) +
          " | " + b.risk_level + " | " + std::to_string(b.perf.sample_size) + " | " +
          (b.analysed >= 0 ? std::to_string(b.analysed) : "n/a") + " | " + std::to_string(b.outliers) + " | " +
          (b.perf.cv_r2 ? fixed(*b.perf.cv_r2, 2) : std::string("n/a")) + " | " + b.verdict + " | " +
          std::to_string(b.mix_percent) + " % | " + (sufficient(b) ? std::to_string(b.tier) : std::string("-")) +
          " | " + ranking_note(b, previous_ranked(r, i)) + " |\n";
  }
  if (!r.buckets.empty() && sufficient(r.buckets.front()))
    md +=
        "\nTiers: adjacent buckets are compared with a two-sided Mann-Whitney U test on their videos' ER, "
        "Holm-corrected over the " +
        std::to_string(ranking_test_json(r)["comparisons"].get<int>()) +
        " comparisons; a gap needs p < 0.05 and the typical video agreeing with the averages. "
        "Buckets of one tier are not distinguishable. The verdicts are the absolute cuts on average ER, except that "
        "HIGH PRIORITY is kept for the leading tier: a bucket above 6 % below it is a STRONG PERFORMER.\n";
  md += "\n## Strategic recommendations\n\n";
  for (const auto& s : r.recommendations) md += "- " + s + "\n";
  bool any = false;
  for (const auto& b : r.buckets) any = any || !b.top_patterns.empty();
  if (any) {
    md += "\n## What the top videos share, per bucket\n";
    for (const auto& b : r.buckets) {
      if (b.top_patterns.empty()) continue;
      md += "\n### " + b.perf.bucket + "\n\n";
      for (const auto& p : b.top_patterns) md += "- " + p + "\n";
    }
  }
  md += "\n---\n\n";
  md += ownership_notice(r.client);
  md += "\n";
  return md;
}

Json strategic_summary_json(const BucketReport& r) {
  Json models = Json::object(), mix = Json::object();
  for (const auto& b : r.buckets) {
    models[b.perf.bucket] = Json{{"videos_analyzed", b.analysed >= 0 ? b.analysed : b.perf.sample_size},
                                 {"eligible_videos", b.eligible_basis ? Json(b.perf.sample_size) : Json(nullptr)},
                                 {"avg_engagement", b.perf.avg_er / 100.0},
                                 {"model_accuracy", b.perf.cv_r2 ? json_number(*b.perf.cv_r2) : Json(nullptr)},
                                 {"top_patterns", b.top_patterns},
                                 {"verdict", b.verdict},
                                 {"tier", sufficient(b) ? Json(b.tier) : Json(nullptr)},
                                 {"tied_with", b.tied_with}};
    mix[b.perf.bucket] = std::to_string(b.mix_percent) + "%";
  }
  return Json{{"client", r.client},
              {"hashtag", r.hashtag},
              {"analysis_date", r.analysis_date},
              {"ownership_notice", ownership_notice(r.client)},
              {"bucket_models", models},
              {"strategic_summary", Json{{"recommended_content_mix", mix},
                                         {"key_insight", r.key_insight},
                                         {"leading_buckets", r.leaders},
                                         {"clear_leader", r.clear_leader}}}};
}

BucketReportFiles write_bucket_performance_report(const fs::path& hashtag_dir, const fs::path& reports_dir,
                                                  const BucketReportNames& names) {
  std::vector<BucketIntel> buckets;
  const fs::path selection_file = hashtag_dir / "acquisition" / "selection.json";
  std::error_code ec;
  std::optional<Json> selection;
  if (fs::is_regular_file(selection_file, ec)) selection = read_json_file(selection_file);
  for (Bucket b : kAllBuckets) {
    const std::string name(bucket_name(b));
    const BucketFiles files = bucket_files(hashtag_dir, b);
    std::optional<Dataset> d;
    if (fs::exists(files.features, ec)) d = read_dataset_csv(files.features);
    std::optional<std::vector<EligibleVideo>> pop;
    if (selection) pop = eligible_videos(*selection, b, selection_file.string());
    if (pop && pop->empty()) pop.reset();
    if (!pop && !d) continue;
    BucketIntel bi;
    if (pop) {
      std::vector<double> er;
      int outliers = 0;
      for (const auto& v : *pop) {
        er.push_back(v.er);
        outliers += v.outlier ? 1 : 0;
      }
      bi = summarize_bucket(b, er);
      bi.eligible_basis = true;
      bi.outliers = outliers;
    } else {
      bi = summarize_bucket(b, d->target);
    }
    bi.analysed = d ? static_cast<int>(d->rows()) : 0;
    // Exploratory is about the model, which sees the analysed videos only.
    bi.perf.exploratory = bi.analysed >= kMinVideosForModel && bi.analysed < kMinVideosForFullAnalysis;
    bi.perf.cv_r2 = read_cv_r2(files);
    const fs::path& patterns = files.patterns;
    if (fs::exists(patterns, ec)) bi.top_patterns = top_distinct_phrases(stats::read_patterns_file(patterns), 3);
    buckets.push_back(std::move(bi));
  }
  // Names, not slugs: the hashtag as the selection recorded it ("#Nutrition"), the client as the
  // caller knows it; folder slugs only when nothing better is known.
  const fs::path abs = fs::absolute(hashtag_dir).lexically_normal();
  const fs::path trimmed = abs.has_filename() ? abs : abs.parent_path();
  std::string hashtag = names.hashtag;
  if (hashtag.empty() && selection && selection->is_object() && selection->contains("hashtag") &&
      (*selection)["hashtag"].is_string())
    hashtag = (*selection)["hashtag"].get<std::string>();
  if (hashtag.empty()) hashtag = trimmed.filename().string();
  if (hashtag.front() != '#') hashtag.insert(0, 1, '#');
  const std::string client = names.client.empty() ? trimmed.parent_path().filename().string() : names.client;
  std::string date = reports_dir.filename().string();
  if (!std::regex_match(date, std::regex(R"(\d{4}-\d{2}-\d{2})"))) date = format_date_utc(now_unix());
  const BucketReport report = build_bucket_report(std::move(buckets), client, hashtag, date);
  ensure_directory(reports_dir);
  BucketReportFiles files{reports_dir / "bucket_performance_report.json", reports_dir / "bucket_performance_report.md",
                          reports_dir / "strategic_summary.json"};
  write_json_atomic(files.json, bucket_report_json(report));
  write_file_atomic(files.markdown, bucket_report_markdown(report));
  write_json_atomic(files.strategic_summary, strategic_summary_json(report));
  return files;
}

}  // namespace rumi::insights
