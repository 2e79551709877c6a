// Selection rules on planted data (filters, outlier flags, the contrast and top designs, weights,
// determinism), and on the real clockworks export against an independent pandas/numpy
// implementation of the same rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "acquire/importers.h"
#include "acquire/selection.h"
#include "core/json.h"
#include "core/rng.h"
#include "support/test_support.h"

namespace rumi::acquire {
namespace {

Video make(std::string id, double dur, std::int64_t views, std::int64_t likes, std::int64_t comments = 0,
           std::int64_t shares = 0) {
  Video v;
  v.id = std::move(id);
  v.duration_s = dur;
  v.views = views;
  v.likes = likes;
  v.comments = comments;
  v.shares = shares;
  v.created_utc = 1750000000;  // 2025-06-15
  return v;
}

std::string reason_of(const SelectionResult& r, std::span<const Video> vs, std::string_view id) {
  for (const auto& e : r.excluded)
    if (vs[e.index].id == id) return std::string(exclusion_reason_name(e.reason));
  return "";
}

const SelectedVideo* in_population(const BucketSelection& b, std::span<const Video> vs, std::string_view id) {
  for (const auto& v : b.population)
    if (vs[v.index].id == id) return &v;
  return nullptr;
}

std::vector<std::string> ids_of(std::span<const SelectedVideo> sel, std::span<const Video> vs, Role role) {
  std::vector<std::string> out;
  for (const auto& s : sel)
    if (s.role == role) out.push_back(vs[s.index].id);
  return out;
}

TEST(Selection, EveryRuleHasItsReason) {
  std::vector<Video> vs;
  // 10 ordinary 0-15 s videos with ER 5..8.7 % and views near 10k.
  for (int i = 0; i < 10; ++i) vs.push_back(make("10" + std::to_string(i), 10, 10000 + i * 100, 500 + i * 50));
  vs.push_back(make("200", 10, 0, 0));         // no_views
  vs.push_back(make("201", 121, 10000, 500));  // too_long
  vs.push_back(make("202", 0, 10000, 500));    // no duration
  Video slide = make("203", 10, 10000, 500);
  slide.is_slideshow = true;
  vs.push_back(slide);
  Video old = make("204", 10, 10000, 500);
  old.created_utc = 1600000000;  // 2020
  vs.push_back(old);
  vs.push_back(make("205", 10, 999, 500));         // low_views
  vs.push_back(make("206", 10, 10000, 150));       // ER 1.5 % -> low_engagement
  vs.push_back(make("207", 10, 10000, 9000));      // ER 90 %: flagged er_outlier, kept
  vs.push_back(make("208", 10, 5000000, 300000));  // ER 6 %, 5M views: flagged views_outlier, kept
  config::AnalysisConfig cfg;
  cfg.min_date = "2025-01-01";
  cfg.videos_per_segment = 5;
  cfg.selection.design = config::SelectionDesign::top;
  auto r = select_videos(vs, cfg, 0);
  EXPECT_EQ(reason_of(r, vs, "200"), "no_views");
  EXPECT_EQ(reason_of(r, vs, "201"), "too_long");
  EXPECT_EQ(reason_of(r, vs, "202"), "slideshow_or_no_duration");
  EXPECT_EQ(reason_of(r, vs, "203"), "slideshow_or_no_duration");
  EXPECT_EQ(reason_of(r, vs, "204"), "before_min_date");
  EXPECT_EQ(reason_of(r, vs, "205"), "low_views");
  EXPECT_EQ(reason_of(r, vs, "206"), "low_engagement");
  ASSERT_EQ(r.buckets.size(), 5u);
  const auto& b0 = r.buckets[0];
  EXPECT_EQ(b0.found, 16u);     // all 0-15 s that are not slideshows / no-duration / too long
  EXPECT_EQ(b0.eligible, 12u);  // outliers stay eligible
  EXPECT_EQ(b0.population.size(), 12u);
  // Outliers are kept, flagged with their reason, listed and down-weighted; never excluded.
  EXPECT_EQ(reason_of(r, vs, "207"), "");
  ASSERT_EQ(r.outliers.size(), 2u);
  EXPECT_EQ(vs[r.outliers[0].index].id, "207");
  EXPECT_EQ(r.outliers[0].reasons, std::vector<std::string>{"er_outlier"});
  EXPECT_EQ(vs[r.outliers[1].index].id, "208");
  EXPECT_EQ(r.outliers[1].reasons, std::vector<std::string>{"views_outlier"});
  EXPECT_EQ(b0.outliers(), 2u);
  ASSERT_EQ(b0.selected.size(), 5u);
  EXPECT_EQ(vs[b0.selected[0].index].id, "207");  // highest ER, an outlier, still selectable
  EXPECT_TRUE(b0.selected[0].er_outlier);
  EXPECT_DOUBLE_EQ(b0.selected[0].weight, 0.5);
  EXPECT_EQ(vs[b0.selected[1].index].id, "109");
  EXPECT_EQ(b0.selected[1].rank, 2);
  EXPECT_DOUBLE_EQ(b0.selected[1].weight, 1.0);
  for (const auto& s : b0.selected) EXPECT_EQ(s.role, Role::top);
  EXPECT_EQ(reason_of(r, vs, "100"), "not_ranked");
  EXPECT_EQ(reason_of(r, vs, "208"), "not_ranked");  // ER 6 %: rank 8
  const SelectedVideo* v208 = in_population(b0, vs, "208");
  ASSERT_NE(v208, nullptr);
  EXPECT_TRUE(v208->views_outlier);
  EXPECT_DOUBLE_EQ(v208->base_weight, 0.5);
  EXPECT_EQ(v208->role, Role::not_sampled);
  EXPECT_EQ(r.buckets[1].missing(), 5u);
  EXPECT_FALSE(r.buckets[1].suggestion.empty());
  EXPECT_EQ(r.excluded.size(), vs.size() - 5);
  // k = 0 switches flagging off.
  cfg.selection.outlier_iqr_k = 0;
  auto off = select_videos(vs, cfg, 0);
  EXPECT_TRUE(off.outliers.empty());
  EXPECT_FALSE(off.buckets[0].er_fence.active);
}

// Inside the fence is ordinary; just beyond it is flagged. Q1 = 4, Q3 = 6 on ER
// {3, 4, 4, 5, 6, 6, 6, x}, so with k = 2.5 the upper fence is 6 + 2.5 * 2 = 11. At the old
// k = 1.5 a video at 9 % would have been dropped; now it is ordinary.
TEST(Selection, OutlierFenceIsTwoAndAHalfIqr) {
  auto bucket_with = [](double top_er) {
    std::vector<Video> vs;
    const double ers[] = {3, 4, 4, 5, 6, 6, 6};
    for (int i = 0; i < 7; ++i) vs.push_back(make(std::to_string(10 + i), 10, 10000, std::llround(ers[i] * 100)));
    vs.push_back(make("99", 10, 10000, std::llround(top_er * 100)));
    return vs;
  };
  config::AnalysisConfig cfg;
  cfg.segments = {Bucket::s0_15};
  EXPECT_EQ(cfg.selection.outlier_iqr_k, 2.5);  // the default
  for (double er : {9.0, 10.99}) {
    auto vs = bucket_with(er);
    auto r = select_videos(vs, cfg, 0);
    // Q1/Q3 of the 8 values by numpy's linear rule.
    EXPECT_DOUBLE_EQ(r.buckets[0].er_fence.hi, 6 + 2.5 * (6 - 4)) << er;
    EXPECT_TRUE(r.outliers.empty()) << er;
  }
  auto vs = bucket_with(11.01);
  auto r = select_videos(vs, cfg, 0);
  ASSERT_EQ(r.outliers.size(), 1u);
  EXPECT_EQ(vs[r.outliers[0].index].id, "99");
  EXPECT_NE(r.outliers[0].detail.find("kept"), std::string::npos) << r.outliers[0].detail;
  EXPECT_EQ(r.buckets[0].eligible, 8u);
  EXPECT_EQ(r.buckets[0].selected.size(), 8u);  // budget 30 > 8: all selected, outlier included
}

// 100 ordinary videos in one bucket: ER 3..8 %, views 10k..20k, no outliers.
std::vector<Video> hundred() {
  std::vector<Video> vs;
  Rng rng = make_rng(7, "test/hundred");
  for (int i = 0; i < 100; ++i) {
    const std::int64_t views = 10000 + static_cast<std::int64_t>(uniform_index(rng, 10000));
    const double er = 3 + 5 * uniform01(rng);
    vs.push_back(make(std::to_string(1000 + i), 20, views, static_cast<std::int64_t>(er / 100 * views), 0,
                      static_cast<std::int64_t>(uniform_index(rng, 20))));
  }
  return vs;
}

TEST(Selection, ContrastSpendsHalfOnTopHalfOnARandomSample) {
  const auto vs = hundred();
  config::AnalysisConfig cfg;
  cfg.segments = {Bucket::s16_30};
  EXPECT_EQ(cfg.selection.design, config::SelectionDesign::contrast);  // the default
  auto r = select_videos(vs, cfg, 0, 42);
  const auto& b = r.buckets[0];
  ASSERT_EQ(b.eligible, 100u);
  EXPECT_TRUE(r.outliers.empty());
  ASSERT_EQ(b.selected.size(), 30u);
  EXPECT_EQ(b.top_count, 15u);
  EXPECT_EQ(b.random_count, 15u);
  EXPECT_EQ(b.random_pool, 85u);
  // The top half is exactly the old rule's top 15; the random half comes from ranks 16..100.
  config::AnalysisConfig old = cfg;
  old.selection.design = config::SelectionDesign::top;
  old.videos_per_segment = 15;
  auto top15 = select_videos(vs, old, 0);
  EXPECT_EQ(ids_of(b.selected, vs, Role::top), ids_of(top15.buckets[0].selected, vs, Role::top));
  double ipw_sum = 0, weight_sum = 0;
  for (std::size_t k = 0; k < b.selected.size(); ++k) {
    const auto& s = b.selected[k];
    if (k < 15) {
      EXPECT_EQ(s.role, Role::top);
      EXPECT_EQ(s.rank, static_cast<int>(k + 1));
      EXPECT_DOUBLE_EQ(s.ipw, 1.0);
    } else {
      EXPECT_EQ(s.role, Role::random);
      EXPECT_GT(s.rank, 15);
      EXPECT_DOUBLE_EQ(s.ipw, 85.0 / 15.0);
      if (k > 15) {
        EXPECT_GT(s.rank, b.selected[k - 1].rank);  // random half listed by rank
      }
    }
    ipw_sum += s.ipw;
    weight_sum += s.weight;
  }
  // Inverse-probability weights make the sample stand for the whole eligible bucket.
  EXPECT_NEAR(ipw_sum, 100.0, 1e-9);
  EXPECT_NEAR(weight_sum, 100.0, 1e-9);  // no celebrity, no outlier here
  // Every eligible video appears once in the population with its role; the others are listed.
  std::size_t not_sampled = 0;
  for (const auto& v : b.population) not_sampled += v.role == Role::not_sampled;
  EXPECT_EQ(not_sampled, 70u);
  EXPECT_EQ(r.excluded.size(), 70u);
  for (const auto& e : r.excluded) EXPECT_EQ(e.reason, ExclusionReason::not_sampled);

  // Same seed, same selection; another seed, another random half (same top half).
  auto again = select_videos(vs, cfg, 0, 42);
  EXPECT_EQ(ids_of(again.buckets[0].selected, vs, Role::random), ids_of(b.selected, vs, Role::random));
  auto other = select_videos(vs, cfg, 0, 43);
  EXPECT_NE(ids_of(other.buckets[0].selected, vs, Role::random), ids_of(b.selected, vs, Role::random));
  EXPECT_EQ(ids_of(other.buckets[0].selected, vs, Role::top), ids_of(b.selected, vs, Role::top));
  // Input order does not matter.
  std::vector<Video> reversed(vs.rbegin(), vs.rend());
  auto rev = select_videos(reversed, cfg, 0, 42);
  auto sorted_ids = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted_ids(ids_of(rev.buckets[0].selected, reversed, Role::random)),
            sorted_ids(ids_of(b.selected, vs, Role::random)));

  // The random half is uniform over the pool: over many seeds every pool rank is drawn about
  // 15/85 of the time (a sampler biased to the front of the pool would fail this).
  std::vector<int> hits(101, 0);
  const int draws = 400;
  for (int seed = 0; seed < draws; ++seed) {
    // Kept in a local: a range-for over a member of a temporary would read freed memory.
    const SelectionResult drawn = select_videos(vs, cfg, 0, static_cast<std::uint64_t>(seed));
    for (const auto& s : drawn.buckets[0].selected)
      if (s.role == Role::random) ++hits[static_cast<std::size_t>(s.rank)];
  }
  const double expect = draws * 15.0 / 85.0;  // 70.6, sd 7.7
  for (int rank = 16; rank <= 100; ++rank) EXPECT_NEAR(hits[static_cast<std::size_t>(rank)], expect, 30) << rank;

  // An odd budget rounds the top half up.
  cfg.videos_per_segment = 5;
  auto odd = select_videos(vs, cfg, 0, 42);
  EXPECT_EQ(odd.buckets[0].top_count, 3u);
  EXPECT_EQ(odd.buckets[0].random_count, 2u);
  EXPECT_DOUBLE_EQ(odd.buckets[0].selected.back().ipw, 97.0 / 2.0);
}

TEST(Selection, SmallBucketIsSelectedWholeWithBothRoles) {
  auto vs = hundred();
  vs.resize(11);
  vs[0].author_followers = 5000000;  // a celebrity keeps its 0.5
  config::AnalysisConfig cfg;
  cfg.segments = {Bucket::s16_30};
  auto r = select_videos(vs, cfg, 0);
  const auto& b = r.buckets[0];
  ASSERT_EQ(b.selected.size(), 11u);
  EXPECT_EQ(b.top_count, 6u);
  EXPECT_EQ(b.random_count, 5u);
  EXPECT_TRUE(r.excluded.empty());
  for (const auto& s : b.selected) {
    EXPECT_DOUBLE_EQ(s.ipw, 1.0);
    EXPECT_DOUBLE_EQ(s.weight, vs[s.index].id == vs[0].id ? 0.5 : 1.0);
    EXPECT_EQ(s.role, s.rank <= 6 ? Role::top : Role::random);
  }
  EXPECT_EQ(b.missing(), 19u);
}

TEST(Selection, TopDesignKeepsTheSeedRule) {
  const auto vs = hundred();
  config::AnalysisConfig cfg;
  cfg.segments = {Bucket::s16_30};
  cfg.selection.design = config::SelectionDesign::top;
  auto r = select_videos(vs, cfg, 0, 1);
  const auto& b = r.buckets[0];
  ASSERT_EQ(b.selected.size(), 30u);
  EXPECT_EQ(b.random_count, 0u);
  for (std::size_t k = 0; k < 30; ++k) {
    EXPECT_EQ(b.selected[k].rank, static_cast<int>(k + 1));
    EXPECT_EQ(b.selected[k].role, Role::top);
    EXPECT_EQ(b.selected[k].index, b.population[k].index);
    EXPECT_DOUBLE_EQ(b.selected[k].weight, 1.0);
  }
  // The seed is irrelevant to the top design.
  EXPECT_EQ(ids_of(select_videos(vs, cfg, 0, 2).buckets[0].selected, vs, Role::top), ids_of(b.selected, vs, Role::top));
  for (const auto& e : r.excluded) EXPECT_EQ(e.reason, ExclusionReason::not_ranked);
}

TEST(Selection, JsonRecordsRolesEligibleVideosAndOutliers) {
  auto vs = hundred();
  vs.push_back(make("5000", 20, 15000, 15000 * 40 / 100));  // ER 40 %: an ER outlier
  config::AnalysisConfig cfg;
  cfg.segments = {Bucket::s16_30};
  auto r = select_videos(vs, cfg, 0, 42);
  Json j = selection_to_json(r, vs, cfg, "#x", 0, "sha");
  EXPECT_EQ(j["format_version"], 2);
  EXPECT_EQ(j["design"], "contrast");
  EXPECT_EQ(j["seed"], 42);
  EXPECT_EQ(j["config"]["selection"]["design"], "contrast");
  const Json& b = j["buckets"]["16-30s"];
  EXPECT_EQ(b["eligible"], 101);
  EXPECT_EQ(b["outliers"], 1);
  EXPECT_EQ(b["sample"]["top"], 15);
  EXPECT_EQ(b["sample"]["random"], 15);
  EXPECT_EQ(b["sample"]["random_pool"], 86);
  EXPECT_EQ(b["fences"]["k"], 2.5);
  ASSERT_TRUE(b["fences"]["er"].is_object());
  ASSERT_EQ(b["eligible_videos"].size(), 101u);
  std::map<std::string, int> roles;
  std::set<std::string> selected_ids;
  for (const auto& s : b["selected"]) selected_ids.insert(s["video_id"].get<std::string>());
  for (const auto& v : b["eligible_videos"]) {
    for (const char* k : {"video_id", "er", "views", "role", "outlier", "base_weight", "rank", "score"})
      EXPECT_TRUE(v.contains(k)) << k;
    ++roles[v["role"].get<std::string>()];
    EXPECT_EQ(v["role"] != "not_sampled", selected_ids.count(v["video_id"].get<std::string>()) == 1);
  }
  EXPECT_EQ(roles["top"], 15);
  EXPECT_EQ(roles["random"], 15);
  EXPECT_EQ(roles["not_sampled"], 71);
  ASSERT_EQ(j["outliers"].size(), 1u);
  EXPECT_EQ(j["outliers"][0]["video_id"], "5000");
  EXPECT_EQ(j["outliers"][0]["bucket"], "16-30s");
  EXPECT_EQ(j["outliers"][0]["reasons"], Json::array({"er_outlier"}));
  // The outlier has the best score: selected, role top, weight 0.5.
  EXPECT_EQ(b["selected"][0]["video_id"], "5000");
  EXPECT_EQ(b["selected"][0]["role"], "top");
  EXPECT_EQ(b["selected"][0]["outlier"], Json::array({"er_outlier"}));
  EXPECT_EQ(b["selected"][0]["weight"], 0.5);
  // Random-half weights are ipw x base weight.
  EXPECT_NEAR(b["selected"][15]["weight"].get<double>(), 86.0 / 15.0, 1e-12);
  // Every video is selected, excluded or both nowhere else: selected + excluded = considered.
  EXPECT_EQ(b["selected"].size() + j["excluded"].size(), vs.size());
}

TEST(Selection, ScoreCelebrityTiesAndShortfall) {
  std::vector<Video> vs{make("3", 20, 10000, 400, 0, 100), make("2", 20, 10000, 500), make("1", 20, 10000, 500)};
  vs[0].author_followers = 2000000;
  config::AnalysisConfig cfg;
  cfg.segments = {Bucket::s16_30};
  cfg.videos_per_segment = 3;
  cfg.selection.outlier_iqr_k = 0;
  auto r = select_videos(vs, cfg, 0);
  ASSERT_EQ(r.buckets.size(), 1u);
  const auto& s = r.buckets[0].selected;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(vs[s[0].index].id, "3");  // ER 5 * (1 + 100/500) = 6
  EXPECT_DOUBLE_EQ(s[0].score, 6.0);
  EXPECT_DOUBLE_EQ(s[0].weight, 0.5);
  EXPECT_TRUE(s[0].celebrity);
  EXPECT_EQ(vs[s[1].index].id, "1");  // tie at 5.0: smaller id first
  EXPECT_EQ(vs[s[2].index].id, "2");
  EXPECT_DOUBLE_EQ(s[1].weight, 1.0);
  // A video in an unconfigured bucket is listed, not silently dropped.
  vs.push_back(make("4", 5, 10000, 500));
  EXPECT_EQ(reason_of(select_videos(vs, cfg, 0), vs, "4"), "bucket_not_configured");
  // Shortfall suggestion names the dominant reason.
  cfg.min_date = "2026-01-01";
  auto late = select_videos(vs, cfg, 0);
  EXPECT_EQ(late.buckets[0].missing(), 3u);
  EXPECT_EQ(late.buckets[0].suggestion, "lower min_date or add a hashtag");
  Json j = selection_to_json(late, vs, cfg, "#x", 0, "sha");
  EXPECT_EQ(j["buckets"]["16-30s"]["shortfall"]["missing"], 3);
  EXPECT_EQ(j["format"], "rumi-selection");
}

TEST(Selection, QuantileMatchesNumpyLinear) {
  std::vector<double> v{1, 2, 4, 8, 16};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.25), 2.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.75), 8.0);
  std::vector<double> w{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(w, 0.25), 1.75);
}

// pandas/numpy implementation of the rules: the eligible ranking, 2.5 x IQR flags and fences,
// and the old (round 1) selection that dropped 1.5 x IQR outliers.
const char* kReference = R"PY(
import pandas as pd, numpy as np, json, sys
d = pd.read_csv(sys.stdin.readline().strip(), dtype={'id': str})
d['eng'] = d.diggCount + d.commentCount + d.shareCount
d = d.sort_values(['id', 'playCount', 'eng'], ascending=[True, False, False]).drop_duplicates('id')
def bucket(x):
    if x <= 0: return None
    for b, hi in [('0-15s', 15), ('16-30s', 30), ('31-60s', 60), ('61-90s', 90), ('91-120s', 120)]:
        if x <= hi: return b
    return 'long'
d['b'] = d['videoMeta/duration'].map(bucket)
d.loc[d.isSlideshow == True, 'b'] = None
d['er'] = np.where(d.playCount > 0, d.eng / d.playCount.replace(0, 1) * 100, np.nan)
out = {}
def fences(x, k):
    q1, q3 = np.percentile(x, [25, 75]); return q1 - k * (q3 - q1), q3 + k * (q3 - q1)
for b in ['0-15s', '16-30s', '31-60s', '61-90s', '91-120s']:
    g = d[d.b == b]; found = len(g)
    g = g[(g.playCount >= 1000) & (g.er >= 2.0)]
    g = g.assign(score=g.er * (1 + g.shareCount / g.eng.replace(0, 1)))
    g = g.sort_values(['score', 'id'], ascending=[False, True])
    r = {'found': found, 'eligible': len(g), 'ranked': list(g.id), 'er_outliers': [], 'views_outliers': []}
    old = g
    if len(g) >= 4:
        elo, ehi = fences(g.er, 2.5); vlo, vhi = fences(g.playCount.astype(float), 2.5)
        r['er_fence'] = [elo, ehi]; r['views_fence'] = [vlo, vhi]
        r['er_outliers'] = sorted(g.id[(g.er < elo) | (g.er > ehi)])
        r['views_outliers'] = sorted(g.id[(g.playCount < vlo) | (g.playCount > vhi)])
        elo, ehi = fences(g.er, 1.5); vlo, vhi = fences(g.playCount.astype(float), 1.5)
        old = g[(g.er >= elo) & (g.er <= ehi) & (g.playCount >= vlo) & (g.playCount <= vhi)]
    r['old_selected'] = list(old.id[:30])
    r['old_dropped'] = sorted(set(g.id) - set(old.id))
    out[b] = r
print(json.dumps(out))
)PY";

TEST(Selection, ClockworksCsvMatchesPandasReference) {
  auto path = test::shared_dir() / "tiktok_datasets" / "apify_clockworks_hashtag_export_2025.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "real dataset " << path << " is absent";
  auto d = dedupe_videos(import_file(path, {}).videos);
  config::AnalysisConfig cfg;  // min_date unset, defaults otherwise (contrast, k = 2.5)
  auto r = select_videos(d.videos, cfg, 0);
  auto py = test::run_python(kReference, path.string() + "\n");
  ASSERT_EQ(py.exit_code, 0) << py.err;
  Json ref = Json::parse(py.out);
  config::AnalysisConfig top_cfg = cfg;
  top_cfg.selection.design = config::SelectionDesign::top;
  auto top = select_videos(d.videos, top_cfg, 0);
  ASSERT_EQ(r.buckets.size(), 5u);
  std::size_t flagged = 0;
  for (std::size_t bi = 0; bi < r.buckets.size(); ++bi) {
    const auto& b = r.buckets[bi];
    std::string name(bucket_name(b.bucket));
    SCOPED_TRACE(name);
    const Json& rb = ref[name];
    EXPECT_FALSE(b.selected.empty());
    EXPECT_EQ(b.found, rb["found"].get<std::size_t>());
    EXPECT_EQ(b.eligible, rb["eligible"].get<std::size_t>());
    const auto ranked = rb["ranked"].get<std::vector<std::string>>();
    std::vector<std::string> pop;
    for (const auto& v : b.population) pop.push_back(d.videos[v.index].id);
    EXPECT_EQ(pop, ranked);
    // Fences and flags against numpy.percentile.
    std::vector<std::string> er_out, views_out;
    for (const auto& v : b.population) {
      if (v.er_outlier) er_out.push_back(d.videos[v.index].id);
      if (v.views_outlier) views_out.push_back(d.videos[v.index].id);
    }
    std::sort(er_out.begin(), er_out.end());
    std::sort(views_out.begin(), views_out.end());
    EXPECT_EQ(er_out, rb["er_outliers"].get<std::vector<std::string>>());
    EXPECT_EQ(views_out, rb["views_outliers"].get<std::vector<std::string>>());
    flagged += b.outliers();
    ASSERT_TRUE(b.er_fence.active);
    EXPECT_NEAR(b.er_fence.lo, rb["er_fence"][0].get<double>(), 1e-9);
    EXPECT_NEAR(b.er_fence.hi, rb["er_fence"][1].get<double>(), 1e-9);
    EXPECT_NEAR(b.views_fence.hi, rb["views_fence"][1].get<double>(), 1e-6);
    // top: the first 30 of the ranking. contrast: its first half, then a sample of the rest.
    std::vector<std::string> top_ids = ids_of(top.buckets[bi].selected, d.videos, Role::top);
    EXPECT_EQ(top_ids,
              std::vector<std::string>(ranked.begin(), ranked.begin() + std::min<std::size_t>(30, ranked.size())));
    const std::size_t taken = std::min<std::size_t>(30, ranked.size()), top_n = taken - taken / 2;
    EXPECT_EQ(ids_of(b.selected, d.videos, Role::top),
              std::vector<std::string>(ranked.begin(), ranked.begin() + top_n));
    for (const auto& id : ids_of(b.selected, d.videos, Role::random))
      EXPECT_NE(std::find(ranked.begin() + top_n, ranked.end(), id), ranked.end()) << id;
    EXPECT_EQ(b.selected.size(), taken);

    // `top` reproduces the old selection exactly once the old rule's 1.5 x IQR drops are
    // removed from the input and flagging is off: the ranking rule itself is unchanged.
    const auto dropped = rb["old_dropped"].get<std::vector<std::string>>();
    std::vector<Video> kept;
    for (const auto& v : d.videos)
      if (!std::binary_search(dropped.begin(), dropped.end(), v.id)) kept.push_back(v);
    config::AnalysisConfig seed_rule = top_cfg;
    seed_rule.selection.outlier_iqr_k = 0;
    seed_rule.segments = {b.bucket};
    auto old = select_videos(kept, seed_rule, 0);
    EXPECT_EQ(ids_of(old.buckets[0].selected, kept, Role::top), rb["old_selected"].get<std::vector<std::string>>());
  }
  EXPECT_GT(flagged, 0u);  // the real export has viral videos: they are flagged, not dropped
  EXPECT_EQ(flagged, r.outliers.size());
  // Checked by hand in the CSV: the best 0-15 s video by score (the old rule dropped it as an ER
  // outlier, 1.5 x IQR), the old best, and the 91-120 s shortfall.
  EXPECT_EQ(d.videos[r.buckets[0].selected[0].index].id, "6918083211889282309");
  EXPECT_TRUE(r.buckets[0].selected[0].er_outlier);
  EXPECT_EQ(d.videos[r.buckets[0].selected[1].index].id, "7534847616190827782");
  EXPECT_EQ(r.buckets[4].found, 16u);
  EXPECT_EQ(r.buckets[4].selected.size(), 14u);
  EXPECT_EQ(r.buckets[4].missing(), 16u);
  // Every video is either selected or excluded with a reason, exactly once.
  std::size_t selected = 0;
  for (const auto& b : r.buckets) selected += b.selected.size();
  EXPECT_EQ(selected + r.excluded.size(), d.videos.size());
}

}  // namespace
}  // namespace rumi::acquire
