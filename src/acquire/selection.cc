#include "acquire/selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

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

struct Fence {
  double lo = 0, hi = 0;
  bool active = false;
};

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

std::string suggestion_for(const std::map<std::string, std::size_t>& reasons) {
  std::string top;
  std::size_t best = 0;
  for (const auto& [reason, n] : reasons)
    if (n > best) best = n, top = reason;
  if (top == "before_min_date") return "lower min_date or add a hashtag";
  if (top == "low_views") return "lower selection.min_views or add a hashtag";
  if (top == "low_engagement") return "lower selection.min_engagement_rate or add a hashtag";
  return "raise max_items or add a hashtag";
}

}  // namespace

SelectionResult select_videos(std::span<const Video> videos, const config::AnalysisConfig& cfg, std::int64_t) {
  const auto& th = cfg.selection;
  std::optional<std::int64_t> min_created;
  if (cfg.min_date) min_created = parse_iso8601_utc(*cfg.min_date);

  SelectionResult out;
  int slot_of[5] = {-1, -1, -1, -1, -1};
  for (Bucket b : cfg.segments) {
    if (slot_of[static_cast<int>(b)] >= 0) continue;
    slot_of[static_cast<int>(b)] = static_cast<int>(out.buckets.size());
    BucketSelection s;
    s.bucket = b;
    s.target = cfg.videos_per_segment;
    out.buckets.push_back(s);
  }
  std::vector<std::vector<Candidate>> passing(out.buckets.size());
  std::vector<std::map<std::string, std::size_t>> reasons(out.buckets.size());
  auto exclude = [&](std::size_t i, int slot, std::string reason, std::string detail) {
    if (slot >= 0) ++reasons[static_cast<std::size_t>(slot)][reason];
    out.excluded.push_back({i, std::move(reason), std::move(detail)});
  };

  for (std::size_t i = 0; i < videos.size(); ++i) {
    const Video& v = videos[i];
    Bucket b{};
    DurationVerdict d = v.is_slideshow ? DurationVerdict::slideshow_or_no_duration : classify_duration(v.duration_s, &b);
    if (d == DurationVerdict::too_long) {
      exclude(i, -1, "too_long", "duration " + fmt_num(v.duration_s) + " s > 120 s");
      continue;
    }
    if (d == DurationVerdict::slideshow_or_no_duration) {
      exclude(i, -1, "slideshow_or_no_duration", v.is_slideshow ? "slideshow" : "duration " + fmt_num(v.duration_s) + " s");
      continue;
    }
    int slot = slot_of[static_cast<int>(b)];
    if (slot < 0) {
      exclude(i, -1, "bucket_not_configured", std::string(bucket_name(b)) + " is not in segments");
      continue;
    }
    ++out.buckets[static_cast<std::size_t>(slot)].found;
    auto er = engagement_rate(v);
    if (!er) {
      exclude(i, slot, "no_views", "0 views: no engagement rate");
      continue;
    }
    if (min_created && v.created_utc < *min_created) {
      exclude(i, slot, "before_min_date",
              v.created_utc ? "created " + format_date_utc(v.created_utc) + " < " + *cfg.min_date : "creation time unknown");
      continue;
    }
    if (v.views < th.min_views) {
      exclude(i, slot, "low_views", std::to_string(v.views) + " views < " + std::to_string(th.min_views));
      continue;
    }
    if (*er < th.min_engagement_rate) {
      exclude(i, slot, "low_engagement", "ER " + fmt_num(*er) + " % < " + fmt_num(th.min_engagement_rate) + " %");
      continue;
    }
    passing[static_cast<std::size_t>(slot)].push_back({i, *er});
  }

  for (std::size_t s = 0; s < out.buckets.size(); ++s) {
    BucketSelection& bs = out.buckets[s];
    auto& cands = passing[s];
    std::vector<double> ers, views;
    for (const auto& c : cands) {
      ers.push_back(c.er);
      views.push_back(static_cast<double>(videos[c.index].views));
    }
    Fence er_fence = iqr_fence(ers, th.outlier_iqr_k), views_fence = iqr_fence(views, th.outlier_iqr_k);
    std::vector<SelectedVideo> ranked;
    for (const auto& c : cands) {
      const Video& v = videos[c.index];
      double vw = static_cast<double>(v.views);
      if (er_fence.active && (c.er < er_fence.lo || c.er > er_fence.hi)) {
        exclude(c.index, static_cast<int>(s), "er_outlier",
                "ER " + fmt_num(c.er) + " % outside [" + fmt_num(er_fence.lo) + ", " + fmt_num(er_fence.hi) + "]");
        continue;
      }
      if (views_fence.active && (vw < views_fence.lo || vw > views_fence.hi)) {
        exclude(c.index, static_cast<int>(s), "views_outlier",
                std::to_string(v.views) + " views outside [" + fmt_num(views_fence.lo) + ", " + fmt_num(views_fence.hi) + "]");
        continue;
      }
      SelectedVideo sv;
      sv.index = c.index;
      sv.er = c.er;
      std::int64_t eng = v.likes + v.comments + v.shares;
      double share_ratio = eng > 0 ? static_cast<double>(v.shares) / static_cast<double>(eng) : 0.0;
      sv.score = c.er * (1.0 + th.share_boost * share_ratio);
      sv.celebrity = v.author_followers && *v.author_followers > th.celebrity_followers;
      sv.weight = sv.celebrity ? th.celebrity_weight : 1.0;
      ranked.push_back(sv);
    }
    bs.eligible = ranked.size();
    std::sort(ranked.begin(), ranked.end(), [&](const SelectedVideo& a, const SelectedVideo& b) {
      if (a.score != b.score) return a.score > b.score;
      return videos[a.index].id < videos[b.index].id;
    });
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      if (r < static_cast<std::size_t>(bs.target)) {
        ranked[r].rank = static_cast<int>(r + 1);
        bs.selected.push_back(ranked[r]);
      } else {
        exclude(ranked[r].index, static_cast<int>(s), "not_ranked",
                "rank " + std::to_string(r + 1) + " > " + std::to_string(bs.target) + " (score " + fmt_num(ranked[r].score) + ")");
      }
    }
    if (bs.missing() > 0) bs.suggestion = suggestion_for(reasons[s]);
  }
  std::stable_sort(out.excluded.begin(), out.excluded.end(),
                   [](const Exclusion& a, const Exclusion& b) { return a.index < b.index; });
  return out;
}

Json selection_to_json(const SelectionResult& r, std::span<const Video> videos, const config::AnalysisConfig& cfg,
                       std::string_view hashtag, std::int64_t now, std::string_view sha256_inputs) {
  Json j;
  j["format"] = "rumi-selection";
  j["format_version"] = 1;
  j["hashtag"] = std::string(hashtag);
  j["created_at"] = format_iso8601_utc(now);
  j["sha256_inputs"] = std::string(sha256_inputs);
  j["config"] = config::to_json(cfg);
  j["videos_considered"] = videos.size();
  Json buckets = Json::object();
  for (const auto& b : r.buckets) {
    Json sel = Json::array();
    for (const auto& s : b.selected) {
      const Video& v = videos[s.index];
      sel.push_back({{"rank", s.rank},
                     {"video_id", v.id},
                     {"url", v.url},
                     {"er", json_number(s.er)},
                     {"score", json_number(s.score)},
                     {"weight", s.weight},
                     {"celebrity", s.celebrity},
                     {"views", v.views},
                     {"likes", v.likes},
                     {"comments", v.comments},
                     {"shares", v.shares},
                     {"duration_s", v.duration_s},
                     {"created_at", v.created_utc ? Json(format_iso8601_utc(v.created_utc)) : Json(nullptr)},
                     {"author", v.author},
                     {"followers", v.author_followers ? Json(*v.author_followers) : Json(nullptr)}});
    }
    Json shortfall = nullptr;
    if (b.missing() > 0) shortfall = {{"missing", b.missing()}, {"suggestion", b.suggestion}};
    buckets[std::string(bucket_name(b.bucket))] = {{"target", b.target},
                                                   {"found", b.found},
                                                   {"eligible", b.eligible},
                                                   {"selected", std::move(sel)},
                                                   {"shortfall", std::move(shortfall)}};
  }
  j["buckets"] = std::move(buckets);
  Json ex = Json::array();
  for (const auto& e : r.excluded)
    ex.push_back({{"video_id", videos[e.index].id}, {"reason", e.reason}, {"detail", e.detail}});
  j["excluded"] = std::move(ex);
  return j;
}

std::string selection_summary_table(const SelectionResult& r) {
  std::ostringstream o;
  char line[256];
  std::snprintf(line, sizeof line, "%-8s %7s %9s %9s %7s  %s\n", "bucket", "found", "eligible", "selected", "target", "note");
  o << line;
  for (const auto& b : r.buckets) {
    std::string note = b.missing() ? "short by " + std::to_string(b.missing()) + ": " + b.suggestion : "ok";
    std::snprintf(line, sizeof line, "%-8s %7zu %9zu %9zu %7d  %s\n", std::string(bucket_name(b.bucket)).c_str(), b.found,
                  b.eligible, b.selected.size(), b.target, note.c_str());
    o << line;
  }
  return o.str();
}

}  // namespace rumi::acquire
