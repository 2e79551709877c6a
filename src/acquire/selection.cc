#include "acquire/selection.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

#include "core/enum_names.h"
#include "core/time_util.h"

namespace rumi::acquire {

double quantile_sorted(std::span<const double> s, double q) {
  if (s.empty()) return 0;
  double pos = q * static_cast<double>(s.size() - 1);
  std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  std::size_t hi = std::min(lo + 1, s.size() - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - static_cast<double>(lo));
}

namespace {

std::string fmt_num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

Fence iqr_fence(std::vector<double> values, double k) {
  Fence f;
  if (k <= 0 || values.size() < 4) return f;
  std::sort(values.begin(), values.end());
  double q1 = quantile_sorted(values, 0.25), q3 = quantile_sorted(values, 0.75);
  f.lo = q1 - k * (q3 - q1);
  f.hi = q3 + k * (q3 - q1);
  f.active = true;
  return f;
}

struct Candidate {
  std::size_t index;
  double er;
};

// The suggestion for the commonest reason; a tie goes to the name first in alphabetical order,
// so the answer does not depend on the order of the enum.
std::string suggestion_for(const std::map<ExclusionReason, std::size_t>& reasons) {
  std::optional<ExclusionReason> top;
  std::size_t best = 0;
  for (const auto& [reason, n] : reasons)
    if (n > best || (n == best && top && exclusion_reason_name(reason) < exclusion_reason_name(*top)))
      best = n, top = reason;
  if (top == ExclusionReason::before_min_date) return "lower min_date or add a hashtag";
  if (top == ExclusionReason::low_views) return "lower selection.min_views or add a hashtag";
  if (top == ExclusionReason::low_engagement) return "lower selection.min_engagement_rate or add a hashtag";
  return "raise max_items or add a hashtag";
}

std::string fence_text(const Fence& f) { return "[" + fmt_num(f.lo) + ", " + fmt_num(f.hi) + "]"; }

}  // namespace

constexpr EnumName<Role> kRoleNames[] = {
    {Role::top, "top"}, {Role::random, "random"}, {Role::not_sampled, "not_sampled"}, {Role::all, "all"}};

std::string_view role_name(Role r) { return name_of(kRoleNames, r); }

std::size_t BucketSelection::outliers() const {
  std::size_t n = 0;
  for (const auto& v : population) n += v.outlier() ? 1 : 0;
  return n;
}

namespace {

// The working state of one selection: the result being built, each configured bucket's
// surviving candidates and its exclusion counts (which drive the shortfall suggestion).
struct SelectionState {
  SelectionResult out;
  std::array<int, kAllBuckets.size()> slot_of{};  // bucket -> index into out.buckets, -1 = not configured
  std::vector<std::vector<Candidate>> passing;
  std::vector<std::map<ExclusionReason, std::size_t>> reasons;

  void exclude(std::size_t i, int slot, ExclusionReason reason, std::string detail) {
    if (slot >= 0) ++reasons[static_cast<std::size_t>(slot)][reason];
    out.excluded.push_back({i, reason, std::move(detail)});
  }
};

// One BucketSelection per configured segment, in config order (a repeated segment counts once).
void open_buckets(const config::AnalysisConfig& cfg, SelectionState& st) {
  st.slot_of.fill(-1);
  for (Bucket b : cfg.segments) {
    int& slot = st.slot_of[static_cast<std::size_t>(b)];
    if (slot >= 0) continue;
    slot = static_cast<int>(st.out.buckets.size());
    BucketSelection s;
    s.bucket = b;
    s.target = cfg.videos_per_segment;
    st.out.buckets.push_back(s);
  }
  st.passing.resize(st.out.buckets.size());
  st.reasons.resize(st.out.buckets.size());
}

// Rule 1: the filters, per video in the header's order. Survivors become their bucket's candidates.
void apply_filters(std::span<const Video> videos, const config::AnalysisConfig& cfg, SelectionState& st) {
  const auto& th = cfg.selection;
  std::optional<std::int64_t> min_created;
  if (cfg.min_date) min_created = parse_iso8601_utc(*cfg.min_date);
  for (std::size_t i = 0; i < videos.size(); ++i) {
    const Video& v = videos[i];
    Bucket b{};
    DurationVerdict d =
        v.is_slideshow ? DurationVerdict::slideshow_or_no_duration : classify_duration(v.duration_s, &b);
    if (d == DurationVerdict::too_long) {
      st.exclude(i, -1, ExclusionReason::too_long, "duration " + fmt_num(v.duration_s) + " s > 120 s");
      continue;
    }
    if (d == DurationVerdict::slideshow_or_no_duration) {
      st.exclude(i, -1, ExclusionReason::slideshow_or_no_duration,
                 v.is_slideshow ? "slideshow" : "duration " + fmt_num(v.duration_s) + " s");
      continue;
    }
    int slot = st.slot_of[static_cast<std::size_t>(b)];
    if (slot < 0) {
      st.exclude(i, -1, ExclusionReason::bucket_not_configured, std::string(bucket_name(b)) + " is not in segments");
      continue;
    }
    ++st.out.buckets[static_cast<std::size_t>(slot)].found;
    auto er = engagement_rate(v);
    if (!er) {
      st.exclude(i, slot, ExclusionReason::no_views, "0 views: no engagement rate");
      continue;
    }
    if (min_created && v.created_utc < *min_created) {
      st.exclude(i, slot, ExclusionReason::before_min_date,
                 v.created_utc ? "created " + format_date_utc(v.created_utc) + " < " + *cfg.min_date
                               : "creation time unknown");
      continue;
    }
    if (v.views < th.min_views) {
      st.exclude(i, slot, ExclusionReason::low_views,
                 std::to_string(v.views) + " views < " + std::to_string(th.min_views));
      continue;
    }
    if (*er < th.min_engagement_rate) {
      st.exclude(i, slot, ExclusionReason::low_engagement,
                 "ER " + fmt_num(*er) + " % < " + fmt_num(th.min_engagement_rate) + " %");
      continue;
    }
    st.passing[static_cast<std::size_t>(slot)].push_back({i, *er});
  }
}

// Rules 2, 3 and 5 (without the design): score, outlier flags and base weight of one candidate.
SelectedVideo score_candidate(const Candidate& c, const Video& v, const BucketSelection& bs,
                              const config::SelectionThresholds& th) {
  const double vw = static_cast<double>(v.views);
  SelectedVideo sv;
  sv.index = c.index;
  sv.er = c.er;
  std::int64_t eng = v.likes + v.comments + v.shares;
  double share_ratio = eng > 0 ? static_cast<double>(v.shares) / static_cast<double>(eng) : 0.0;
  sv.score = c.er * (1.0 + th.share_boost * share_ratio);
  sv.celebrity = v.author_followers && *v.author_followers > th.celebrity_followers;
  sv.er_outlier = bs.er_fence.active && (c.er < bs.er_fence.lo || c.er > bs.er_fence.hi);
  sv.views_outlier = bs.views_fence.active && (vw < bs.views_fence.lo || vw > bs.views_fence.hi);
  sv.base_weight = (sv.celebrity ? th.celebrity_weight : 1.0) * (sv.outlier() ? kOutlierWeight : 1.0);
  sv.weight = sv.base_weight;
  return sv;
}

Outlier outlier_record(const SelectedVideo& sv, const Video& v, const BucketSelection& bs) {
  Outlier o;
  o.index = sv.index;
  o.bucket = bs.bucket;
  std::string detail;
  if (sv.er_outlier) {
    o.reasons.push_back("er_outlier");
    detail = "ER " + fmt_num(sv.er) + " % outside " + fence_text(bs.er_fence);
  }
  if (sv.views_outlier) {
    o.reasons.push_back("views_outlier");
    detail += (detail.empty() ? "" : "; ") + std::to_string(v.views) + " views outside " + fence_text(bs.views_fence);
  }
  o.detail = detail + "; kept at weight x" + fmt_num(kOutlierWeight);
  return o;
}

// Rules 2 and 3: fences on the bucket's candidates, then every eligible video scored, flagged
// and ranked into bs.population.
void rank_eligible(BucketSelection& bs, const std::vector<Candidate>& cands, std::span<const Video> videos,
                   const config::SelectionThresholds& th, std::vector<Outlier>& outliers) {
  std::vector<double> ers, views;
  for (const auto& c : cands) {
    ers.push_back(c.er);
    views.push_back(static_cast<double>(videos[c.index].views));
  }
  bs.er_fence = iqr_fence(ers, th.outlier_iqr_k);
  bs.views_fence = iqr_fence(views, th.outlier_iqr_k);
  std::vector<SelectedVideo>& ranked = bs.population;
  for (const auto& c : cands) {
    const SelectedVideo sv = score_candidate(c, videos[c.index], bs, th);
    if (sv.outlier()) outliers.push_back(outlier_record(sv, videos[c.index], bs));
    ranked.push_back(sv);
  }
  bs.eligible = ranked.size();
  std::sort(ranked.begin(), ranked.end(), [&](const SelectedVideo& a, const SelectedVideo& b) {
    if (a.score != b.score) return a.score > b.score;
    return videos[a.index].id < videos[b.index].id;
  });
  for (std::size_t r = 0; r < ranked.size(); ++r) ranked[r].rank = static_cast<int>(r + 1);
}

// The contrast design's random half: `want` videos of the pool below the top, weighted by
// inverse selection probability (rule 5).
void draw_random_half(BucketSelection& bs, std::size_t budget, std::uint64_t seed) {
  std::vector<SelectedVideo>& ranked = bs.population;
  bs.random_pool = ranked.size() - bs.top_count;
  const std::size_t want = std::min(budget / 2, bs.random_pool);
  // Partial Fisher-Yates over the pool in rank order: depends only on the seed, the bucket
  // and the ranked list, never on input order.
  std::vector<std::size_t> pool(bs.random_pool);
  std::iota(pool.begin(), pool.end(), bs.top_count);
  Rng rng = make_rng(seed, "selection/" + std::string(bucket_name(bs.bucket)));
  for (std::size_t k = 0; k < want; ++k) {
    const std::size_t j = k + static_cast<std::size_t>(uniform_index(rng, pool.size() - k));
    std::swap(pool[k], pool[j]);
  }
  const double ipw = want > 0 ? static_cast<double>(bs.random_pool) / static_cast<double>(want) : 1.0;
  for (std::size_t k = 0; k < want; ++k) {
    SelectedVideo& v = ranked[pool[k]];
    v.role = Role::random;
    v.ipw = ipw;
    v.weight = v.base_weight * ipw;
  }
  bs.random_count = want;
}

// Rule 4: spend the budget by the design, giving every ranked video its role.
void apply_design(BucketSelection& bs, config::SelectionDesign design, std::uint64_t seed) {
  std::vector<SelectedVideo>& ranked = bs.population;
  const bool contrast = design == config::SelectionDesign::contrast;
  if (design == config::SelectionDesign::all) bs.target = static_cast<int>(ranked.size());
  const std::size_t budget = static_cast<std::size_t>(bs.target);
  // contrast: half of what is selected is the top (rounded up, so a budget of 1 is still the
  // best video); a bucket smaller than the budget is selected whole, split the same way.
  const std::size_t taken = std::min(ranked.size(), budget);
  const std::size_t top_n = contrast ? taken - taken / 2 : taken;
  const Role first = design == config::SelectionDesign::all ? Role::all : Role::top;
  for (std::size_t r = 0; r < top_n; ++r) ranked[r].role = first;
  bs.top_count = top_n;
  if (contrast) draw_random_half(bs, budget, seed);
  for (const auto& v : ranked)
    if (v.role == Role::top || v.role == Role::all) bs.selected.push_back(v);
  for (const auto& v : ranked)
    if (v.role == Role::random) bs.selected.push_back(v);
}

// Eligible videos the design left out: not_sampled (contrast) or not_ranked (top).
void exclude_unselected(const BucketSelection& bs, std::size_t slot, bool contrast, SelectionState& st) {
  for (const auto& v : bs.population) {
    if (v.role != Role::not_sampled) continue;
    if (contrast)
      st.exclude(v.index, static_cast<int>(slot), ExclusionReason::not_sampled,
                 "rank " + std::to_string(v.rank) + " > " + std::to_string(bs.top_count) + " (score " +
                     fmt_num(v.score) + ") and not drawn for the random half (" + std::to_string(bs.random_count) +
                     " of " + std::to_string(bs.random_pool) + ")");
    else
      st.exclude(
          v.index, static_cast<int>(slot), ExclusionReason::not_ranked,
          "rank " + std::to_string(v.rank) + " > " + std::to_string(bs.target) + " (score " + fmt_num(v.score) + ")");
  }
}

}  // namespace

SelectionResult select_videos(std::span<const Video> videos, const config::AnalysisConfig& cfg, std::int64_t,
                              std::uint64_t seed) {
  SelectionState st;
  st.out.design = cfg.selection.design;
  st.out.seed = seed;
  open_buckets(cfg, st);
  apply_filters(videos, cfg, st);
  const bool contrast = cfg.selection.design == config::SelectionDesign::contrast;
  for (std::size_t s = 0; s < st.out.buckets.size(); ++s) {
    BucketSelection& bs = st.out.buckets[s];
    rank_eligible(bs, st.passing[s], videos, cfg.selection, st.out.outliers);
    apply_design(bs, cfg.selection.design, seed);
    exclude_unselected(bs, s, contrast, st);
    if (bs.missing() > 0) bs.suggestion = suggestion_for(st.reasons[s]);
  }
  std::stable_sort(st.out.outliers.begin(), st.out.outliers.end(),
                   [](const Outlier& a, const Outlier& b) { return a.index < b.index; });
  std::stable_sort(st.out.excluded.begin(), st.out.excluded.end(),
                   [](const Exclusion& a, const Exclusion& b) { return a.index < b.index; });
  return std::move(st.out);
}

namespace {

Json fence_json(const Fence& f) {
  return f.active ? Json{{"lo", json_number(f.lo)}, {"hi", json_number(f.hi)}} : Json(nullptr);
}

Json outlier_reasons(const SelectedVideo& s) {
  Json r = Json::array();
  if (s.er_outlier) r.push_back("er_outlier");
  if (s.views_outlier) r.push_back("views_outlier");
  return r;
}

Json selected_json(const SelectedVideo& s, const Video& v) {
  return {{"rank", s.rank},
          {"role", role_name(s.role)},
          {"video_id", v.id},
          {"url", v.url},
          {"er", json_number(s.er)},
          {"score", json_number(s.score)},
          {"weight", json_number(s.weight)},
          {"ipw", json_number(s.ipw)},
          {"celebrity", s.celebrity},
          {"outlier", outlier_reasons(s)},
          {"views", v.views},
          {"likes", v.likes},
          {"comments", v.comments},
          {"shares", v.shares},
          {"duration_s", v.duration_s},
          {"created_at", v.created_utc ? Json(format_iso8601_utc(v.created_utc)) : Json(nullptr)},
          {"author", v.author},
          {"followers", v.author_followers ? Json(*v.author_followers) : Json(nullptr)},
          {"is_ad", v.is_ad ? Json(*v.is_ad) : Json(nullptr)},
          {"is_sponsored", v.is_sponsored ? Json(*v.is_sponsored) : Json(nullptr)}};
}

Json eligible_json(const SelectedVideo& s, const Video& v) {
  return {{"rank", s.rank},
          {"video_id", v.id},
          {"role", role_name(s.role)},
          {"er", json_number(s.er)},
          {"views", v.views},
          {"score", json_number(s.score)},
          {"base_weight", json_number(s.base_weight)},
          {"celebrity", s.celebrity},
          {"outlier", outlier_reasons(s)}};
}

Json bucket_json(const BucketSelection& b, std::span<const Video> videos, const config::AnalysisConfig& cfg) {
  Json sel = Json::array();
  for (const auto& s : b.selected) sel.push_back(selected_json(s, videos[s.index]));
  // Every eligible video, so bucket statistics describe the bucket and not the sample.
  Json population = Json::array();
  for (const auto& s : b.population) population.push_back(eligible_json(s, videos[s.index]));
  Json shortfall = nullptr;
  if (b.missing() > 0) shortfall = {{"missing", b.missing()}, {"suggestion", b.suggestion}};
  const double ipw =
      b.random_count > 0 ? static_cast<double>(b.random_pool) / static_cast<double>(b.random_count) : 1.0;
  return {{"target", b.target},
          {"found", b.found},
          {"eligible", b.eligible},
          {"outliers", b.outliers()},
          {"sample",
           {{"top", b.top_count},
            {"random", b.random_count},
            {"random_pool", b.random_pool},
            {"random_ipw", json_number(ipw)}}},
          {"fences",
           {{"k", cfg.selection.outlier_iqr_k}, {"er", fence_json(b.er_fence)}, {"views", fence_json(b.views_fence)}}},
          {"selected", std::move(sel)},
          {"eligible_videos", std::move(population)},
          {"shortfall", std::move(shortfall)}};
}

Json excluded_json(const SelectionResult& r, std::span<const Video> videos) {
  Json ex = Json::array();
  for (const auto& e : r.excluded)
    ex.push_back({{"video_id", videos[e.index].id}, {"reason", exclusion_reason_name(e.reason)}, {"detail", e.detail}});
  return ex;
}

Json outliers_json(const SelectionResult& r, std::span<const Video> videos) {
  Json outl = Json::array();
  for (const auto& o : r.outliers)
    outl.push_back({{"video_id", videos[o.index].id},
                    {"bucket", std::string(bucket_name(o.bucket))},
                    {"reasons", o.reasons},
                    {"weight_factor", kOutlierWeight},
                    {"detail", o.detail}});
  return outl;
}

}  // namespace

Json selection_to_json(const SelectionResult& r, std::span<const Video> videos, const config::AnalysisConfig& cfg,
                       std::string_view hashtag, std::int64_t now, std::string_view sha256_inputs) {
  Json j;
  j["format"] = "rumi-selection";
  j["format_version"] = kSelectionFormatVersion;
  j["hashtag"] = std::string(hashtag);
  j["created_at"] = format_iso8601_utc(now);
  j["sha256_inputs"] = std::string(sha256_inputs);
  j["config"] = config::to_json(cfg);
  j["design"] = std::string(config::design_name(r.design));
  j["seed"] = r.seed;
  j["videos_considered"] = videos.size();
  Json buckets = Json::object();
  for (const auto& b : r.buckets) buckets[std::string(bucket_name(b.bucket))] = bucket_json(b, videos, cfg);
  j["buckets"] = std::move(buckets);
  j["excluded"] = excluded_json(r, videos);
  j["outliers"] = outliers_json(r, videos);
  return j;
}

std::string selection_summary_table(const SelectionResult& r) {
  std::ostringstream o;
  char line[320];
  std::snprintf(line, sizeof line, "%-8s %7s %9s %8s %13s %7s  %s\n", "bucket", "found", "eligible", "outliers",
                "selected(t+r)", "target", "note");
  o << line;
  for (const auto& b : r.buckets) {
    std::string note = b.missing() ? "short by " + std::to_string(b.missing()) + ": " + b.suggestion : "ok";
    const std::string sel = std::to_string(b.selected.size()) + " (" + std::to_string(b.top_count) + "+" +
                            std::to_string(b.random_count) + ")";
    std::snprintf(line, sizeof line, "%-8s %7zu %9zu %8zu %13s %7d  %s\n", std::string(bucket_name(b.bucket)).c_str(),
                  b.found, b.eligible, b.outliers(), sel.c_str(), b.target, note.c_str());
    o << line;
  }
  o << "design " << config::design_name(r.design) << ", seed " << r.seed << "\n";
  return o.str();
}

}  // namespace rumi::acquire
