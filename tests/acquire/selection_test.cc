// Selection rules on planted data, and on the real clockworks export against an independent
// pandas/numpy implementation of the same rules.
#include <gtest/gtest.h>

#include "acquire/importers.h"
#include "acquire/selection.h"
#include "core/json.h"
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
    if (vs[e.index].id == id) return e.reason;
  return "";
}

TEST(Selection, EveryRuleHasItsReason) {
  std::vector<Video> vs;
  // 10 ordinary 0-15 s videos with ER 5..9.5 % and views near 10k.
  for (int i = 0; i < 10; ++i) vs.push_back(make("10" + std::to_string(i), 10, 10000 + i * 100, 500 + i * 50));
  vs.push_back(make("200", 10, 0, 0));                   // no_views
  vs.push_back(make("201", 121, 10000, 500));            // too_long
  vs.push_back(make("202", 0, 10000, 500));              // no duration
  Video slide = make("203", 10, 10000, 500);
  slide.is_slideshow = true;
  vs.push_back(slide);
  Video old = make("204", 10, 10000, 500);
  old.created_utc = 1600000000;                          // 2020
  vs.push_back(old);
  vs.push_back(make("205", 10, 999, 500));               // low_views
  vs.push_back(make("206", 10, 10000, 150));             // ER 1.5 % -> low_engagement
  vs.push_back(make("207", 10, 10000, 9000));            // ER 90 % -> er_outlier
  vs.push_back(make("208", 10, 5000000, 300000));        // ER 6 %, views outlier
  config::AnalysisConfig cfg;
  cfg.min_date = "2025-01-01";
  cfg.videos_per_segment = 5;
  auto r = select_videos(vs, cfg, 0);
  EXPECT_EQ(reason_of(r, vs, "200"), "no_views");
  EXPECT_EQ(reason_of(r, vs, "201"), "too_long");
  EXPECT_EQ(reason_of(r, vs, "202"), "slideshow_or_no_duration");
  EXPECT_EQ(reason_of(r, vs, "203"), "slideshow_or_no_duration");
  EXPECT_EQ(reason_of(r, vs, "204"), "before_min_date");
  EXPECT_EQ(reason_of(r, vs, "205"), "low_views");
  EXPECT_EQ(reason_of(r, vs, "206"), "low_engagement");
  EXPECT_EQ(reason_of(r, vs, "207"), "er_outlier");
  EXPECT_EQ(reason_of(r, vs, "208"), "views_outlier");
  ASSERT_EQ(r.buckets.size(), 5u);
  const auto& b0 = r.buckets[0];
  EXPECT_EQ(b0.found, 16u);  // all 0-15 s that are not slideshows / no-duration / too long
  EXPECT_EQ(b0.eligible, 10u);
  ASSERT_EQ(b0.selected.size(), 5u);
  EXPECT_EQ(vs[b0.selected[0].index].id, "109");  // highest ER
  EXPECT_EQ(b0.selected[0].rank, 1);
  EXPECT_EQ(reason_of(r, vs, "100"), "not_ranked");
  EXPECT_EQ(r.buckets[1].missing(), 5u);
  EXPECT_FALSE(r.buckets[1].suggestion.empty());
  EXPECT_EQ(r.excluded.size(), vs.size() - 5);
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
for b in ['0-15s', '16-30s', '31-60s', '61-90s', '91-120s']:
    g = d[d.b == b]; found = len(g)
    g = g[(g.playCount >= 1000) & (g.er >= 2.0)]
    if len(g) >= 4:
        q1, q3 = np.percentile(g.er, [25, 75]); v1, v3 = np.percentile(g.playCount.astype(float), [25, 75])
        g = g[(g.er >= q1 - 1.5 * (q3 - q1)) & (g.er <= q3 + 1.5 * (q3 - q1)) &
              (g.playCount >= v1 - 1.5 * (v3 - v1)) & (g.playCount <= v3 + 1.5 * (v3 - v1))]
    g = g.assign(score=g.er * (1 + g.shareCount / g.eng.replace(0, 1)))
    g = g.sort_values(['score', 'id'], ascending=[False, True])
    out[b] = {'found': found, 'eligible': len(g), 'selected': list(g.id[:30])}
print(json.dumps(out))
)PY";

TEST(Selection, ClockworksCsvMatchesPandasReference) {
  auto path = test::shared_dir() / "tiktok_datasets" / "apify_clockworks_hashtag_export_2025.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "real dataset " << path << " is absent";
  auto d = dedupe_videos(import_file(path, {}).videos);
  config::AnalysisConfig cfg;  // min_date unset, defaults otherwise
  auto r = select_videos(d.videos, cfg, 0);
  auto py = test::run_python(kReference, path.string() + "\n");
  ASSERT_EQ(py.exit_code, 0) << py.err;
  Json ref = Json::parse(py.out);
  ASSERT_EQ(r.buckets.size(), 5u);
  for (const auto& b : r.buckets) {
    std::string name(bucket_name(b.bucket));
    SCOPED_TRACE(name);
    EXPECT_FALSE(b.selected.empty());
    EXPECT_EQ(b.found, ref[name]["found"].get<std::size_t>());
    EXPECT_EQ(b.eligible, ref[name]["eligible"].get<std::size_t>());
    std::vector<std::string> ids;
    for (const auto& s : b.selected) ids.push_back(d.videos[s.index].id);
    EXPECT_EQ(ids, ref[name]["selected"].get<std::vector<std::string>>());
  }
  // Checked by hand in the CSV: the best 0-15 s video by score, and the 91-120 s shortfall.
  EXPECT_EQ(d.videos[r.buckets[0].selected[0].index].id, "7534847616190827782");
  EXPECT_EQ(r.buckets[4].found, 16u);
  EXPECT_EQ(r.buckets[4].selected.size(), 12u);
  EXPECT_EQ(r.buckets[4].missing(), 18u);
  // Every video is either selected or excluded with a reason, exactly once.
  std::size_t selected = 0;
  for (const auto& b : r.buckets) selected += b.selected.size();
  EXPECT_EQ(selected + r.excluded.size(), d.videos.size());
}

}  // namespace
}  // namespace rumi::acquire
