// The evidence engine end to end on one bucket: planted effects are found with the right
// direction, noise is not, duplicates become one element, labels follow q exactly, STRONG needs
// out-of-sample confirmation, lifts are cross-fitted engagement ratios, confounders are checked,
// and degenerate buckets still give valid files.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/rng.h"
#include "stats/pattern_finder.h"
#include "stats/patterns_file.h"
#include "support/test_support.h"

namespace rumi::stats {
namespace {

double normal(Rng& rng) { return standard_normal(rng); }

// "v<r>" built with += (GCC 12 warns falsely on "literal" + std::to_string(...) here).
std::string vid(std::size_t r) {
  std::string s = "v";
  s += std::to_string(r);
  return s;
}

struct Planted {
  Dataset data;
  std::vector<FeatureInfo> info;
  std::map<std::string, int> planted_sign;  // +1 more is better / present, -1 less / absent
};

FeatureInfo info_of(const std::string& name, int kind, const std::string& group = "") {
  FeatureInfo fi;
  fi.name = name;
  fi.source = "synthetic." + name;
  fi.kind = kind == 0 ? FeatureKind::numeric : kind == 1 ? FeatureKind::flag : FeatureKind::onehot;
  fi.phrase = "the synthetic element " + name;
  fi.group = group;
  return fi;
}

// `videos` rows; log ER = 0.5 * latent + noise. Planted columns carry the latent (numeric: rho
// 0.8 with it; flags: latent > 0.3), `copies` of planted.num0 measure it again (one scaled, one
// shifted), noise columns are independent. Kinds: 4 numeric (1 lower-is-better), 2 flags,
// one-hot pairs in noise.
Planted make_planted(std::uint64_t seed, std::size_t videos = 80, std::size_t noise = 200, double strength = 0.8) {
  Planted p;
  Rng rng = make_rng(seed, "planted");
  std::vector<int> sign;
  auto add = [&](const std::string& name, int kind, int s) {
    p.info.push_back(info_of(name, kind));
    sign.push_back(s);
    if (s != 0) p.planted_sign[name] = s;
  };
  add("planted.num0", 0, 1);
  add("planted.num0_copy_scaled", 0, 1);
  add("planted.num1", 0, 1);
  add("planted.num2", 0, -1);
  add("planted.flag0", 1, 1);
  add("planted.flag1", 1, -1);
  for (std::size_t i = 0; i < noise; ++i) add("noise.f" + std::to_string(i), i % 4 == 0 ? 1 : 0, 0);
  for (const auto& fi : p.info) p.data.feature_names.push_back(fi.name);
  const double rest = std::sqrt(1 - strength * strength);
  for (std::size_t r = 0; r < videos; ++r) {
    const double latent = normal(rng);
    std::vector<double> row(p.info.size());
    for (std::size_t c = 0; c < row.size(); ++c) {
      const bool flag = p.info[c].kind == FeatureKind::flag;
      const double z = sign[c] != 0 ? sign[c] * strength * latent + rest * normal(rng) : normal(rng);
      row[c] = flag ? (z > 0.3 ? 1.0 : 0.0) : 10.0 + 3.0 * z;
    }
    row[1] = 2.5 * row[0] + 0.01 * normal(rng);  // the same quantity in another unit
    p.data.add_row(vid(1000 + r), 1.0, std::exp(std::log(5.0) + 0.5 * latent + 0.3 * normal(rng)), row);
  }
  return p;
}

// Named options (GCC 12 warns falsely on default_options() temporaries with strings inside).
const PatternOptions& default_options() {
  static const PatternOptions opt;
  return opt;
}

const Pattern* find(const BucketPatterns& r, const std::string& column) {
  for (const auto& p : r.all_elements)
    for (const auto& c : p.columns)
      if (c == column) return &p;
  return nullptr;
}

bool wanted_direction(const Pattern& p, int sign) {
  const bool up = p.direction == Direction::higher_is_better || p.direction == Direction::present_is_better;
  return up == (sign > 0);
}

TEST(PatternFinder, FindsPlantedEffectsAndRejectsNoise) {
  int planted = 0, found = 0, noise_claims = 0;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Planted p = make_planted(seed);
    const BucketPatterns r = analyze_patterns(p.data, p.info, {}, default_options());
    EXPECT_EQ(r.sample_size, 80u);
    EXPECT_FALSE(r.exploratory);
    for (const auto& [name, sign] : p.planted_sign) {
      if (name == "planted.num0_copy_scaled") continue;  // same element as planted.num0
      ++planted;
      const Pattern* e = find(r, name);
      ASSERT_NE(e, nullptr) << name;
      if ((e->evidence == Evidence::strong || e->evidence == Evidence::moderate) && wanted_direction(*e, sign)) ++found;
    }
    for (const auto& pat : r.patterns)
      if ((pat.evidence == Evidence::strong || pat.evidence == Evidence::moderate) &&
          pat.feature.rfind("noise.", 0) == 0)
        ++noise_claims;
  }
  EXPECT_EQ(found, planted);
  EXPECT_LE(noise_claims, 1);
}

TEST(PatternFinder, DuplicatesAreOneElementWithEveryColumnListed) {
  const Planted p = make_planted(4);
  const BucketPatterns r = analyze_patterns(p.data, p.info, {}, default_options());
  const Pattern* a = find(r, "planted.num0");
  const Pattern* b = find(r, "planted.num0_copy_scaled");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a->feature, "planted.num0");  // catalog order breaks the tie, never ER
  EXPECT_EQ(a->columns.size(), 2u);
  EXPECT_EQ(r.family_size + 1, r.columns_tested);  // one merge, nothing untested
  // Known duplicates merge even when their values disagree.
  Dataset d = p.data;
  PatternOptions opt;
  opt.elements.known_duplicates = {{"noise.f1", "noise.f2"}};
  const BucketPatterns k = analyze_patterns(d, p.info, {}, opt);
  EXPECT_EQ(find(k, "noise.f1"), find(k, "noise.f2"));
  opt.elements.not_creative = {"noise.f3"};
  const BucketPatterns nc = analyze_patterns(d, p.info, {}, opt);
  EXPECT_EQ(find(nc, "noise.f3"), nullptr);
  bool listed = false;
  for (const auto& [c, why] : nc.untested) listed = listed || (c == "noise.f3" && why == "not_a_creative_element");
  EXPECT_TRUE(listed);
}

TEST(PatternFinder, LabelsFollowCorrectedQOnly) {
  for (std::uint64_t seed : {5u, 6u}) {
    const Planted p = make_planted(seed, 60, 150, 0.5);
    const BucketPatterns r = analyze_patterns(p.data, p.info, {}, default_options());
    for (const auto& e : r.all_elements) {
      SCOPED_TRACE(e.feature);
      EXPECT_GE(e.q_value, e.p_value - 1e-12);
      if (e.q_value < 0.05)
        EXPECT_TRUE(e.evidence == Evidence::strong || e.evidence == Evidence::moderate);
      else if (e.q_value < 0.20)
        EXPECT_EQ(e.evidence, Evidence::emerging);
      else
        EXPECT_EQ(e.evidence, Evidence::none);
      if (e.evidence == Evidence::strong) {
        EXPECT_TRUE(r.skill.passed);
        EXPECT_LT(r.skill.p_value, 0.05);
      }
    }
  }
}

TEST(PatternFinder, StrongNeedsAForestThatBeatsChance) {
  const Planted p = make_planted(7);
  const BucketPatterns r = analyze_patterns(p.data, p.info, {}, default_options());
  ASSERT_TRUE(r.skill.run);
  EXPECT_TRUE(r.skill.passed);
  EXPECT_GT(r.skill.skill, 0.3);
  int strong = 0;
  for (const auto& e : r.patterns) strong += e.evidence == Evidence::strong;
  EXPECT_GE(strong, 2);
  // Switch confirmation off: the same elements are claimed, none of them STRONG.
  PatternOptions off;
  off.confirm_out_of_sample = false;
  const BucketPatterns o = analyze_patterns(p.data, p.info, {}, off);
  std::size_t claims_r = 0, claims_o = 0;
  for (const auto& e : r.patterns) claims_r += e.evidence != Evidence::emerging;
  for (const auto& e : o.patterns) {
    EXPECT_NE(e.evidence, Evidence::strong);
    claims_o += e.evidence != Evidence::emerging;
  }
  EXPECT_EQ(claims_r, claims_o);
}

TEST(PatternFinder, SmallBucketsAreExploratoryAndNeverStrong) {
  const Planted p = make_planted(8, 26, 40);
  const BucketPatterns r = analyze_patterns(p.data, p.info, {}, default_options());
  EXPECT_TRUE(r.exploratory);
  EXPECT_FALSE(r.skill.run);
  for (const auto& e : r.patterns) {
    EXPECT_NE(e.evidence, Evidence::strong);
    EXPECT_TRUE(e.exploratory);
  }
  const Planted tiny = make_planted(8, 19, 10);
  const BucketPatterns t = analyze_patterns(tiny.data, tiny.info, {}, default_options());
  EXPECT_TRUE(t.insufficient);
  EXPECT_TRUE(t.patterns.empty());
}

TEST(PatternFinder, PureNoiseRarelyClaimsAnything) {
  int buckets_with_claim = 0;
  for (std::uint64_t seed = 100; seed < 140; ++seed) {
    Planted p = make_planted(seed, 60, 120);
    Rng rng = make_rng(seed, "shuffle");
    for (std::size_t i = p.data.rows(); i > 1; --i)
      std::swap(p.data.target[i - 1], p.data.target[uniform_index(rng, i)]);
    PatternOptions opt;
    opt.effect_sizes = false;
    const BucketPatterns r = analyze_patterns(p.data, p.info, {}, opt);
    bool any = false;
    for (const auto& e : r.patterns) any = any || e.evidence != Evidence::emerging;
    buckets_with_claim += any;
  }
  // BH at 0.05 under the complete null: about 5 % of buckets; 6 of 40 is the 97.5th percentile.
  EXPECT_LE(buckets_with_claim, 6);
}

TEST(PatternFinder, EngagementLiftIsACrossFittedMedianRatio) {
  // A flag doubles ER: ER 4 % without, 8 % with (log-normal noise). Hand-derived: the lift is
  // ratio - 1 of the medians, about +100 %; prevalence counts the top tier and the others.
  Rng rng = make_rng(9, "lift");
  Dataset d;
  d.feature_names = {"x.flag", "x.noise"};
  std::vector<FeatureInfo> info{info_of("x.flag", 1), info_of("x.noise", 0)};
  for (int r = 0; r < 120; ++r) {
    const double flag = r % 2;
    const double row[] = {flag, normal(rng)};
    d.add_row(vid(static_cast<std::size_t>(r)), 1.0, (flag ? 8.0 : 4.0) * std::exp(0.2 * normal(rng)), row);
  }
  const BucketPatterns res = analyze_patterns(d, info, {}, default_options());
  const Pattern* f = find(res, "x.flag");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->direction, Direction::present_is_better);
  EXPECT_NEAR(f->lift, 1.0, 0.2);
  EXPECT_LT(f->ci95[0], f->lift);
  EXPECT_GT(f->ci95[1], f->lift);
  EXPECT_GT(f->ci95[0], 0.5);
  EXPECT_NEAR(f->er_favoured, 8.0, 0.8);
  EXPECT_NEAR(f->er_others, 4.0, 0.4);
  EXPECT_EQ(f->top_count, static_cast<int>(res.tiers.top_count()));
  EXPECT_EQ(f->top_showing, f->top_count);  // every top video has the flag
  EXPECT_EQ(f->top_count + f->rest_count, 120);
  EXPECT_EQ(f->top_showing + f->rest_showing, 60);
  EXPECT_EQ(f->effect_size_kind, "rank_biserial");
  EXPECT_EQ(f->test, "mann_whitney_u");
}

TEST(PatternFinder, ConfounderAdjustmentFlagsAnElementThatOnlyTracksCreatorSize) {
  Rng rng = make_rng(10, "confounder");
  Dataset d;
  d.feature_names = {"x.tracks_size", "x.real"};
  std::vector<FeatureInfo> info{info_of("x.tracks_size", 0), info_of("x.real", 0)};
  BucketContext ctx;
  ctx.covariates.push_back({"followers_log", {}});
  for (int r = 0; r < 150; ++r) {
    const double size = normal(rng), real = normal(rng);
    const double row[] = {size + 0.3 * normal(rng), real};
    ctx.covariates[0].values.push_back(10 + size);
    d.add_row(vid(static_cast<std::size_t>(r)), 1.0, std::exp(1.5 + 0.6 * size + 0.4 * real + 0.3 * normal(rng)), row);
  }
  const BucketPatterns res = analyze_patterns(d, info, ctx, default_options());
  const Pattern* s = find(res, "x.tracks_size");
  const Pattern* real = find(res, "x.real");
  ASSERT_NE(s, nullptr);
  ASSERT_NE(real, nullptr);
  ASSERT_NE(s->evidence, Evidence::none);
  ASSERT_NE(real->evidence, Evidence::none);
  EXPECT_EQ(s->details["adjusted"]["verdict"], "vanishes_after_adjustment");
  EXPECT_EQ(real->details["adjusted"]["verdict"], "holds");
}

TEST(PatternFinder, OutputIsDeterministic) {
  const Planted p = make_planted(11, 60, 60);
  PatternOptions opt;
  const Json a = patterns_to_json(Bucket::s0_15, analyze_patterns(p.data, p.info, {}, opt), opt);
  const Json b = patterns_to_json(Bucket::s0_15, analyze_patterns(p.data, p.info, {}, opt), opt);
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_EQ(a["format_version"], kPatternsFormatVersion);
  EXPECT_EQ(a["family"]["size"].get<std::size_t>() + 1, a["family"]["columns_tested"].get<std::size_t>());
  const auto& list = a["patterns"];
  for (std::size_t i = 1; i < list.size(); ++i) {
    const Pattern x = pattern_from_json(list[i - 1]), y = pattern_from_json(list[i]);
    EXPECT_FALSE(stronger_pattern(y, x));
  }
}

void expect_no_null_numbers(const Json& j, const std::string& path) {
  // Numbers the contract requires are never null (NaN); only "confirmation" is nullable.
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "confirmation") continue;
      EXPECT_FALSE(it.value().is_null()) << path << "." << it.key();
      expect_no_null_numbers(it.value(), path + "." + it.key());
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) expect_no_null_numbers(j[i], path + "[" + std::to_string(i) + "]");
  } else if (j.is_number_float()) {
    EXPECT_TRUE(std::isfinite(j.get<double>())) << path;
  }
}

TEST(PatternFinder, DegenerateBucketsGiveValidFiles) {
  test::TempDir tmp;
  const std::filesystem::path hashtag = tmp / "client" / "tag";
  std::vector<FeatureInfo> info{{"c.const", "s.const", FeatureKind::numeric, "a constant", ""},
                                {"c.flag", "s.flag", FeatureKind::flag, "a flag", ""},
                                {"c.num", "s.num", FeatureKind::numeric, "a number", ""},
                                {"c.missing", "s.missing", FeatureKind::numeric, "mostly missing", ""}};
  auto make = [&](std::size_t n, bool equal_er) {
    Dataset d;
    for (const auto& fi : info) d.feature_names.push_back(fi.name);
    for (std::size_t r = 0; r < n; ++r) {
      const double row[] = {3.0, static_cast<double>(r % 2), static_cast<double>(r % 7),
                            r == 0 ? 1.0 : std::numeric_limits<double>::quiet_NaN()};
      d.add_row(vid(static_cast<std::size_t>(r)), 1.0, equal_er ? 4.0 : 1.0 + static_cast<double>(r) * 0.1, row);
    }
    return d;
  };
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", make(20, true));    // all ER equal
  write_dataset_csv(hashtag / "bucket_16-30s" / "features.csv", make(20, false));  // exactly 20
  write_dataset_csv(hashtag / "bucket_31-60s" / "features.csv", make(5, false));   // insufficient
  write_dataset_csv(hashtag / "bucket_61-90s" / "features.csv", make(0, false));   // empty
  const PatternsSummary s = find_patterns_for_hashtag(hashtag, info, default_options());
  ASSERT_EQ(s.buckets.size(), 4u);
  for (const auto& b : s.buckets) {
    const Json j = read_json_file(b.file);
    EXPECT_EQ(j["format"], "rumi-patterns");
    expect_no_null_numbers(j, std::string(bucket_name(b.bucket)));
    EXPECT_EQ(b.strong, 0);
  }
  EXPECT_TRUE(s.buckets[2].insufficient_data);
  const Json j0 = read_json_file(s.buckets[0].file);
  EXPECT_EQ(j0["all_elements"].size(), 2u);  // c.flag and c.num; the constant and the sparse one untested
  EXPECT_EQ(j0["untested"].size(), 2u);
  // A malformed selection.json is an InputError naming the field, not a crash.
  write_file_atomic(hashtag / "acquisition" / "selection.json",
                    R"({"buckets": {"16-30s": {"selected": [{"video_id": "v1", "followers": "many"}]}}})");
  try {
    find_patterns_for_hashtag(hashtag, info, default_options());
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("followers"), std::string::npos) << e.what();
  }
}

TEST(Tiers, SplitFollowsSeedWithMinimumTop) {
  std::vector<double> er(100);
  std::vector<std::string> ids(100);
  for (int i = 0; i < 100; ++i) er[i] = i, ids[i] = std::to_string(i);
  const TierSplit t = assign_tiers(er, ids);
  EXPECT_EQ(t.counts[0], 10u);
  EXPECT_EQ(t.counts[1], 20u);
  EXPECT_EQ(t.counts[2], 40u);
  EXPECT_EQ(t.counts[3], 30u);
  EXPECT_EQ(t.tier_of[99], Tier::top);
  EXPECT_EQ(t.tier_of[0], Tier::bottom);
  const TierSplit small = assign_tiers(std::span(er).first(20), std::span(ids).first(20));
  EXPECT_EQ(small.counts[0], kMinTopTierSize);  // 10 % of 20 would be 2
  EXPECT_EQ(small.counts[0] + small.counts[1] + small.counts[2] + small.counts[3], 20u);
}

}  // namespace
}  // namespace rumi::stats
