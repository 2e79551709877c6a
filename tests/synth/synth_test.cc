// The synthetic generator: deterministic bytes, the real layouts and quirks (read back by the
// features reader), and planted effects that really show in the data (checked with scipy).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "features/analysis_reader.h"
#include "features/feature_catalog.h"
#include "support/test_support.h"
#include "synth/generator.h"

namespace fs = std::filesystem;
using namespace rumi;

namespace {

std::map<std::string, std::string> all_files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).generic_string()] = read_file(e.path());
  return out;
}

}  // namespace

TEST(Synth, SameSeedSameBytesOtherSeedDiffers) {
  test::TempDir a, b, c;
  synth::SynthOptions o;
  o.videos = 40;
  o.seed = 7;
  synth::generate(o, a.path());
  synth::generate(o, b.path());
  o.seed = 8;
  synth::generate(o, c.path());
  const auto fa = all_files(a.path()), fb = all_files(b.path()), fc = all_files(c.path());
  EXPECT_EQ(fa, fb);
  EXPECT_NE(fa.at("apify_items.json"), fc.at("apify_items.json"));
}

TEST(Synth, NoEffectsKeepsTheFeaturesAndPlantsNothing) {
  // The pure-noise pool for calibration: identical flow files (same draws), different ER, and a
  // truth file that lists no effect.
  test::TempDir a, b;
  synth::SynthOptions o;
  o.videos = 60;
  synth::generate(o, a.path());
  o.plant_effects = false;
  synth::generate(o, b.path());
  const auto fa = all_files(a.path()), fb = all_files(b.path());
  const Json planted = read_json_file(b / "planted.json");
  EXPECT_TRUE(planted["effects"].empty());
  EXPECT_FALSE(planted["plant_effects"].get<bool>());
  EXPECT_FALSE(read_json_file(a / "planted.json")["effects"].empty());
  EXPECT_NE(fa.at("apify_items.json"), fb.at("apify_items.json"));  // ER differs
  std::size_t same_flows = 0, flows = 0;
  for (const auto& [name, bytes] : fa) {
    if (name.rfind("analyses", 0) != 0 || name.find("metadata") != std::string::npos) continue;
    ++flows;
    same_flows += fb.count(name) && fb.at(name) == bytes;
  }
  EXPECT_GT(flows, 100u);
  EXPECT_EQ(same_flows, flows);  // the content analyses do not depend on the outcome
}

TEST(Synth, ItemsHaveTheApifyShapeAndConsistentCounts) {
  test::TempDir dir;
  synth::SynthOptions o;
  o.videos = 60;
  o.hashtag = "#guthealth";
  o.bucket_mix = {1, 1, 1, 1, 0.2};
  const auto s = synth::generate(o, dir.path());
  EXPECT_EQ(s.videos, 60);
  int total = 0;
  for (int n : s.per_bucket) total += n;
  EXPECT_EQ(total, 60);
  const Json items = read_json_file(dir / "apify_items.json");
  ASSERT_TRUE(items.is_array());
  ASSERT_EQ(items.size(), 60u);
  for (const auto& it : items) {
    ASSERT_TRUE(it["id"].is_string());
    EXPECT_EQ(it["id"].get<std::string>().size(), 19u);
    for (const char* k : {"text", "createTimeISO", "webVideoUrl"}) EXPECT_TRUE(it[k].is_string()) << k;
    for (const char* k : {"createTime", "playCount", "diggCount", "commentCount", "shareCount", "collectCount"})
      EXPECT_TRUE(it[k].is_number_integer()) << k;
    EXPECT_TRUE(it["authorMeta"]["fans"].is_number_integer());
    EXPECT_TRUE(it["authorMeta"]["name"].is_string());
    EXPECT_FALSE(it["isSlideshow"].get<bool>());
    const double d = it["videoMeta"]["duration"].get<double>();
    EXPECT_GT(d, 0);
    EXPECT_LE(d, 120);
    EXPECT_EQ(it["hashtags"][0]["name"], "guthealth");
    const double views = it["playCount"].get<double>();
    EXPECT_GE(views, 1000);
    // The metadata flow agrees with the item (ER realised through the counts).
    const std::string id = it["id"];
    auto a = features::load_analysis_from_dir(dir / "analyses", id);
    if (a.flows.contains("metadata_analysis")) {
      const auto& m = a.flows["metadata_analysis"];
      EXPECT_EQ(m["CoreMetrics"]["viewCount"], it["playCount"]);
      EXPECT_EQ(m["Interactions"]["likeCount"], it["diggCount"]);
      const double er =
          (it["diggCount"].get<double>() + it["commentCount"].get<double>() + it["shareCount"].get<double>()) / views *
          100.0;
      EXPECT_NEAR(m["CoreMetrics"]["engagementRate"].get<double>(), er, 0.006);
    }
  }
  const Json planted = read_json_file(dir / "planted.json");
  EXPECT_EQ(planted["format"], "rumi-planted");
  for (const auto& e : planted["effects"]) {
    EXPECT_TRUE(features::feature_catalog().index_of(e["feature"].get<std::string>())) << e["feature"];
    if (e["interaction_with"].is_string()) {
      EXPECT_TRUE(features::feature_catalog().index_of(e["interaction_with"].get<std::string>()));
    }
  }
}

// TikTok ids encode the creation time: id >> 32 is the Unix second the video was posted. The
// synthetic ids do too, so they look like real ones (the demo's used to decode to 2028).
TEST(Synth, IdsDecodeToTheirCreateTime) {
  test::TempDir dir;
  synth::SynthOptions o;
  o.videos = 80;
  synth::generate(o, dir.path());
  const Json items = read_json_file(dir / "apify_items.json");
  ASSERT_EQ(items.size(), 80u);
  std::set<std::string> ids;
  for (const auto& it : items) {
    const std::string id = it["id"];
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    const std::uint64_t decoded = std::stoull(id) >> 32;
    EXPECT_EQ(static_cast<std::int64_t>(decoded), it["createTime"].get<std::int64_t>()) << id;
    EXPECT_GE(static_cast<std::int64_t>(decoded), o.created_from_unix) << id;
    EXPECT_LT(static_cast<std::int64_t>(decoded), o.created_from_unix + o.created_span_days * 86400) << id;
    EXPECT_EQ(id.substr(0, 2), "75") << id;  // mid-2025, like the real exports' ids
  }
}

TEST(Synth, LayoutsQuirksAndMissingFlowsReadBack) {
  test::TempDir dir;
  synth::SynthOptions o;
  o.videos = 120;
  o.missing_flow_rate = 0.2;
  const auto s = synth::generate(o, dir.path());
  EXPECT_GT(s.missing_flows, 5);
  const auto index = features::index_analysis_dir(dir / "analyses");
  const Json items = read_json_file(dir / "apify_items.json");
  int ml = 0, complete = 0, flat = 0, missing = 0, empty_framing = 0, null_climax = 0;
  for (const auto& it : items) {
    auto a = features::load_analysis(index, it["id"].get<std::string>());
    missing += a.missing_flows.empty() ? 0 : 1;
    EXPECT_LE(a.missing_flows.size(), 1u);
    for (const auto& [flow, src] : a.sources) {
      ml += src.find("_ml_") != std::string::npos;
      complete += src.find("_complete_") != std::string::npos;
      flat += src.find("insights/") == std::string::npos;
      // Stale older runs carry {"stale": true}; the newest file must win.
      EXPECT_FALSE(a.flows[flow]["CoreMetrics"].contains("stale")) << src;
    }
    if (a.flows.contains("person_framing") && a.flows["person_framing"]["KeyEvents"]["framingChanges"].is_array())
      ++empty_framing;
    if (a.flows.contains("visual_overlay_analysis") &&
        a.flows["visual_overlay_analysis"]["KeyEvents"]["climaxMoment"].is_null())
      ++null_climax;
    if (a.flows.contains("scene_pacing")) {
      EXPECT_TRUE(a.flows["scene_pacing"]["CoreMetrics"]["rhythmConsistency"].is_string());
    }
    auto v = features::extract_features(a, it["videoMeta"]["duration"].get<double>());
    EXPECT_EQ(v.size(), features::feature_catalog().size());
  }
  EXPECT_EQ(missing, s.missing_flows);
  EXPECT_GT(ml, 0);
  EXPECT_GT(complete, 0);
  EXPECT_GT(flat, 0);
  EXPECT_GT(empty_framing, 0);
  EXPECT_GT(null_climax, 0);
}

// Planted features correlate with ER in their bucket, with the planted sign (scipy Spearman),
// and noise features do not.
TEST(Synth, PlantedEffectsShowInTheData) {
  test::TempDir dir;
  synth::SynthOptions o;
  o.videos = 600;
  o.missing_flow_rate = 0;
  synth::generate(o, dir.path());
  const auto index = features::index_analysis_dir(dir / "analyses");
  const Json items = read_json_file(dir / "apify_items.json");
  const auto& cat = features::feature_catalog();
  const Json planted = read_json_file(dir / "planted.json");
  std::vector<std::string> names;
  auto add_name = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const auto& e : planted["effects"]) add_name(e["feature"]);
  add_name("framing.eyeContactRate");
  for (const auto& n : planted["noise_features"]) add_name(n);
  // CSV: bucket, er, features...
  std::ostringstream csv;
  for (const auto& it : items) {
    const double d = it["videoMeta"]["duration"].get<double>();
    Bucket b;
    ASSERT_EQ(classify_duration(d, &b), DurationVerdict::ok);
    const double er =
        (it["diggCount"].get<double>() + it["commentCount"].get<double>() + it["shareCount"].get<double>()) /
        it["playCount"].get<double>() * 100.0;
    auto v = features::extract_features(features::load_analysis(index, it["id"].get<std::string>()), d);
    csv << bucket_name(b) << "," << er;
    for (const auto& n : names) csv << "," << v[*cat.index_of(n)];
    csv << "\n";
  }
  Json cols = names;
  std::ostringstream py;
  py << "import sys, json\nimport pandas as pd\nfrom scipy.stats import spearmanr\n"
     << "names = json.loads('" << cols.dump() << "')\n"
     << "df = pd.read_csv(sys.stdin, header=None, names=['bucket','er']+names)\n"
     << "out = {}\n"
     << "for b, g in df.groupby('bucket'):\n"
     << "    out[b] = {}\n"
     << "    for n in names:\n"
     << "        x = g[n]\n"
     << "        if n == 'meta.ctaFeatures.hasCTA':\n"
     << "            x = g[n] * (g['framing.eyeContactRate'] - 0.45)\n"
     << "        r, p = spearmanr(x, g['er'], nan_policy='omit')\n"
     << "        out[b][n] = [float(r), float(p)]\n"
     << "print(json.dumps(out))\n";
  auto res = test::run_python(py.str(), csv.str());
  ASSERT_EQ(res.exit_code, 0) << res.err;
  const Json stats = Json::parse(res.out);
  for (const auto& e : planted["effects"]) {
    const std::string b = e["bucket"], f = e["feature"], dir_s = e["direction"];
    const double r = stats[b][f][0], p = stats[b][f][1];
    const double sign = dir_s == "lower_is_better" ? -1 : 1;
    EXPECT_GT(sign * r, 0.2) << b << " " << f << " rho=" << r;
    EXPECT_LT(p, e["interaction_with"].is_string() ? 1e-2 : 1e-3) << b << " " << f;
  }
  for (const auto& n : planted["noise_features"])
    for (const auto& [b, s] : stats.items())
      EXPECT_LT(std::abs(s[n.get<std::string>()][0].get<double>()), 0.25) << b << " " << n;
}
