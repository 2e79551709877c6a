#include "insights/bucket_performance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <regex>

#include "core/bucket_population.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "core/ownership_notice.h"
#include "stats/patterns_file.h"

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
  if (verdict == "MODERATE") return "MODERATE - Selective use";
  if (verdict == "LOW PRIORITY") return "LOW PRIORITY - Only if needed";
  if (verdict == "AVOID") return "AVOID - Poor performance";
  return "INSUFFICIENT DATA - Fewer than " + std::to_string(kMinVideosForModel) + " videos";
}

bool sufficient(const BucketIntel& b) { return b.perf.sample_size >= kMinVideosForModel; }

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
         " eligible videos of the hashtag (every video that passed the selection filters, " +
         std::to_string(outliers) + " flagged outliers included), not only the " + std::to_string(analysed) +
         " analysed ones";
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
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; used < 100 && k < order.size(); ++k, ++used) ++out[order[k]];
  return out;
}

BucketReport build_bucket_report(std::vector<BucketIntel> buckets, std::string client, std::string hashtag,
                                 std::string analysis_date) {
  BucketReport r;
  r.client = std::move(client);
  r.hashtag = std::move(hashtag);
  r.analysis_date = std::move(analysis_date);
  std::stable_sort(buckets.begin(), buckets.end(), [](const BucketIntel& a, const BucketIntel& b) {
    if (sufficient(a) != sufficient(b)) return sufficient(a);
    if (a.perf.avg_er != b.perf.avg_er) return a.perf.avg_er > b.perf.avg_er;
    return a.bucket < b.bucket;
  });
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i].rank = static_cast<int>(i + 1);

  // Mix: recommended buckets in proportion to mean ER; if none qualifies, every bucket with
  // enough videos; if none has enough, nothing is recommended (all 0 %).
  const auto weights_where = [&](auto pred) {
    std::vector<double> w;
    for (const auto& b : buckets) w.push_back(pred(b) ? b.perf.avg_er : 0.0);
    return w;
  };
  std::vector<int> mix = allocate_percentages(
      weights_where([](const BucketIntel& b) { return sufficient(b) && b.verdict != "AVOID"; }));
  if (std::accumulate(mix.begin(), mix.end(), 0) == 0) mix = allocate_percentages(weights_where(sufficient));
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i].mix_percent = mix[i];

  const std::string tag = r.hashtag.empty() ? std::string() : (r.hashtag.front() == '#' ? r.hashtag : "#" + r.hashtag);
  std::vector<const BucketIntel*> ranked;
  for (const auto& b : buckets)
    if (sufficient(b)) ranked.push_back(&b);
  if (!ranked.empty()) {
    const BucketIntel& best = *ranked.front();
    r.recommendations.push_back("Prioritize " + best.perf.bucket + " content - highest average engagement at " +
                                fixed(best.perf.avg_er, 1) + " % across " + std::to_string(best.perf.sample_size) +
                                " videos");
    if (ranked.size() > 1) {
      const BucketIntel& worst = *ranked.back();
      r.recommendations.push_back((worst.verdict == "AVOID" ? "Avoid " : "Use ") + worst.perf.bucket +
                                  " content only with a strategic reason - lowest average engagement at " +
                                  fixed(worst.perf.avg_er, 1) + " %");
    }
    for (const BucketIntel* b : ranked)
      if (b->risk_level == "high")
        r.recommendations.push_back(b->perf.bucket + " results vary widely between videos (consistency 1/(1+CV) " +
                                    fixed(b->perf.consistency, 2) + "): test a few before scaling up");
    r.key_insight = best.perf.bucket + " content drives the highest engagement" + (tag.empty() ? "" : " for " + tag) +
                    " (" + fixed(best.perf.avg_er, 1) + " % average; " + std::to_string(best.mix_percent) +
                    " % of the recommended mix)";
  } else {
    r.key_insight = "No duration bucket has the " + std::to_string(kMinVideosForModel) +
                    " videos needed for a reliable recommendation yet";
  }
  for (const auto& b : buckets)
    if (!sufficient(b))
      r.recommendations.push_back("Collect more " + b.perf.bucket + " videos (have " +
                                  std::to_string(b.perf.sample_size) + ", need " +
                                  std::to_string(kMinVideosForModel) + ") before drawing conclusions");
  r.recommendations.push_back(
      "Each bucket requires its own creative strategy - use the bucket-specific guides");
  r.buckets = std::move(buckets);
  return r;
}

Json bucket_report_json(const BucketReport& r) {
  Json ranking = Json::array(), mix = Json::object();
  int total = 0;
  for (const auto& b : r.buckets) {
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
                           {"top_patterns", b.top_patterns}});
    mix[b.perf.bucket] = b.mix_percent;
    total += b.mix_percent;
  }
  // Version 2: statistics describe the eligible videos (statistics_basis, eligible/analysed counts).
  // Version 3: consistency_score renamed consistency_cv (it is 1/(1+CV), not the seed's
  // 1/(1+std)); client and hashtag are display names; ownership_notice.
  return Json{{"format", "rumi-bucket-performance"},
              {"format_version", 3},
              {"ownership_notice", ownership_notice(r.client)},
              {"analysis_context", Json{{"client", r.client}, {"hashtag", r.hashtag}, {"analysis_date", r.analysis_date},
                                        {"total_videos_analyzed", [&] {
                                           int n = 0;
                                           for (const auto& b : r.buckets) n += std::max(b.analysed, 0);
                                           return n;
                                         }()},
                                        {"total_videos_described", [&] {
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
              {"key_insight", r.key_insight}};
}

std::string bucket_report_markdown(const BucketReport& r) {
  std::string md = "# Bucket performance report\n\n";
  md += "Client: " + r.client + "  \nHashtag: " + r.hashtag + "  \nDate: " + r.analysis_date + "\n\n";
  md += "**Key insight:** " + r.key_insight + "\n\n";
  md += "*Sample:* " + sample_sentence(r) + "\n\n";
  md += "| Rank | Bucket | Avg ER | Median ER | Consistency 1/(1+CV) | Risk | Videos | Analysed | Outliers | Model CV R² | Verdict | Mix |\n";
  md += "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|---:|\n";
  for (const auto& b : r.buckets)
    // Too few videos: listed last, never ranked among the others.
    md += "| " + (sufficient(b) ? std::to_string(b.rank) : std::string("-")) + " | " + b.perf.bucket + " | " +
          fixed(b.perf.avg_er, 2) + " % | " +
          fixed(b.perf.median_er, 2) + " % | " + fixed(b.perf.consistency, 2) + " | " + b.risk_level + " | " +
          std::to_string(b.perf.sample_size) + " | " + (b.analysed >= 0 ? std::to_string(b.analysed) : "n/a") + " | " +
          std::to_string(b.outliers) + " | " +
          (b.perf.cv_r2 ? fixed(*b.perf.cv_r2, 2) : std::string("n/a")) + " | " + b.verdict + " | " +
          std::to_string(b.mix_percent) + " % |\n";
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
                                 {"verdict", b.verdict}};
    mix[b.perf.bucket] = std::to_string(b.mix_percent) + "%";
  }
  return Json{{"client", r.client},
              {"hashtag", r.hashtag},
              {"analysis_date", r.analysis_date},
              {"ownership_notice", ownership_notice(r.client)},
              {"bucket_models", models},
              {"strategic_summary", Json{{"recommended_content_mix", mix}, {"key_insight", r.key_insight}}}};
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
    if (fs::exists(patterns, ec)) {
      for (const auto& p : stats::read_patterns_file(patterns)) {
        if (bi.top_patterns.size() >= 3) break;
        if (!p.phrase.empty()) bi.top_patterns.push_back(p.phrase);
      }
    }
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
