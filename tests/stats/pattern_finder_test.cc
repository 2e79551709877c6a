// Planted effects must be found, noise must not, and degenerate buckets must still produce a
// valid patterns file.
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

double normal(Rng& rng) {  // Box-Muller on the portable uniform
  const double u1 = std::max(uniform01(rng), 1e-300), u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

struct Planted {
  Dataset data;
  std::vector<FeatureInfo> info;
  std::vector<ConsensusFeature> consensus;
  std::map<std::string, int> planted_sign;  // +1 more is better / present, -1 less / absent
};

// 100 videos, ER from a latent score. Planted features carry the latent (correlation 0.85: a clear effect; with 10 top videos against
// 90, weaker effects cannot reach q < 0.01 among 311 tests), noise
// features do not. Kinds: 6 numeric (2 of them lower-is-better), 2 flags, 2 one-hot categories.
// The synthetic consensus backs every planted feature with two models on the right sign and,
// to test that models alone cannot create a pattern, 5 noise features too.
Planted make_planted(std::uint64_t seed, std::size_t videos = 100, std::size_t noise = 300) {
  Planted p;
  Rng rng = make_rng(seed, "planted");
  const double rho = 0.85, rest = std::sqrt(1 - rho * rho);
  std::vector<std::string> names;
  std::vector<int> kind_of;  // 0 numeric, 1 flag, 2 onehot
  std::vector<int> sign_of;  // 0 noise
  auto add = [&](std::string name, int kind, int sign, std::string group = "") {
    FeatureInfo fi;
    fi.name = name;
    fi.source = "synthetic." + name;
    fi.kind = kind == 0 ? FeatureKind::numeric : kind == 1 ? FeatureKind::flag : FeatureKind::onehot;
    fi.phrase = "the synthetic element " + std::to_string(names.size());
    fi.group = group;
    p.info.push_back(fi);
    names.push_back(name);
    kind_of.push_back(kind);
    sign_of.push_back(sign);
    if (sign != 0) p.planted_sign[name] = sign;
  };
  for (int i = 0; i < 6; ++i) add("planted.num" + std::to_string(i), 0, i < 4 ? 1 : -1);
  add("planted.flag0", 1, 1);
  add("planted.flag1", 1, -1);
  add("planted.style_a", 2, 1, "planted.style");
  add("planted.style_b", 2, -1, "planted.style");  // the other category of the same group: its complement
  add("planted.cat_x", 2, 1, "planted.cat");
  for (std::size_t i = 0; i < noise; ++i) add("noise.f" + std::to_string(i), i % 5 == 0 ? 1 : 0, 0);
  p.data.feature_names = names;
  for (std::size_t r = 0; r < videos; ++r) {
    const double latent = normal(rng);
    std::vector<double> row(names.size());
    for (std::size_t c = 0; c < names.size(); ++c) {
      const double z = sign_of[c] != 0 ? sign_of[c] * rho * latent + rest * normal(rng) : normal(rng);
      if (kind_of[c] == 0) row[c] = 10.0 + 3.0 * z;
      else if (kind_of[c] == 1) row[c] = z > 0.5 ? 1.0 : 0.0;
      else row[c] = z > 0.5 ? 1.0 : 0.0;
    }
    // style_b is the complement of style_a (one-hot pair).
    row[9] = 1.0 - row[8];
    p.data.add_row("v" + std::to_string(1000 + r), 1.0, 5.0 + 1.5 * latent, row);
  }
  for (const auto& [name, sign] : p.planted_sign) p.consensus.push_back({name, sign, {"forest", "linear"}, 0.1});
  for (int i = 0; i < 5; ++i) p.consensus.push_back({"noise.f" + std::to_string(7 * i + 1), 1, {"forest", "tree"}, 0.05});
  return p;
}

TEST(PatternFinder, FindsPlantedEffectsAndRejectsNoise) {
  int total_planted = 0, total_found = 0, total_labelled = 0, total_noise_labelled = 0;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Planted p = make_planted(seed);
    PatternOptions opt;
    opt.seed = seed;
    const BucketPatterns result = analyze_patterns(p.data, p.info, p.consensus, opt);
    ASSERT_EQ(result.all_features.size(), p.data.cols());
    int found = 0, labelled = 0, noise_labelled = 0, strong = 0;
    for (const auto& pat : result.patterns) {
      if (pat.evidence != Evidence::strong && pat.evidence != Evidence::moderate) continue;
      ++labelled;
      strong += pat.evidence == Evidence::strong;
      auto it = p.planted_sign.find(pat.feature);
      if (it == p.planted_sign.end()) {
        ++noise_labelled;
        continue;
      }
      const int dir = (pat.direction == Direction::higher_is_better || pat.direction == Direction::present_is_better) ? 1 : -1;
      if (dir == it->second) ++found;
    }
    for (const auto& pat : result.all_features) {
      if (!p.planted_sign.count(pat.feature) ||
          pat.evidence == Evidence::strong || pat.evidence == Evidence::moderate) continue;
      std::printf("  missed %s: %s p=%.3g q=%.3g lift=%.2f top_prevalence=%.2f evidence=%s\n", pat.feature.c_str(),
                  pat.test.c_str(), pat.p_value, pat.q_value, pat.lift, pat.top_prevalence,
                  std::string(evidence_name(pat.evidence)).c_str());
    }
    std::printf("seed %llu: planted %zu, found STRONG/MODERATE with right direction %d, labelled %d (strong %d), noise %d\n",
                static_cast<unsigned long long>(seed), p.planted_sign.size(), found, labelled, strong, noise_labelled);
    EXPECT_GE(found, 0.8 * static_cast<double>(p.planted_sign.size()));
    EXPECT_LE(noise_labelled, 0.1 * std::max(1, labelled));
    total_planted += static_cast<int>(p.planted_sign.size());
    total_found += found;
    total_labelled += labelled;
    total_noise_labelled += noise_labelled;
    // Models alone never make a noise feature STRONG.
    for (const auto& pat : result.patterns)
      if (pat.feature.rfind("noise.", 0) == 0) {
        EXPECT_NE(pat.evidence, Evidence::strong) << pat.feature;
      }
  }
  std::printf("total: recall %d/%d, noise share of STRONG/MODERATE %d/%d\n", total_found, total_planted,
              total_noise_labelled, total_labelled);
}

TEST(PatternFinder, OutputIsDeterministicAndSorted) {
  const Planted p = make_planted(7, 60, 40);
  PatternOptions opt;
  const Json a = patterns_to_json(Bucket::s0_15, analyze_patterns(p.data, p.info, p.consensus, opt), opt);
  const Json b = patterns_to_json(Bucket::s0_15, analyze_patterns(p.data, p.info, p.consensus, opt), opt);
  EXPECT_EQ(dump_json(a), dump_json(b));
  const auto& pats = a["patterns"];
  for (std::size_t i = 1; i < pats.size(); ++i) {
    const Pattern x = pattern_from_json(pats[i - 1]), y = pattern_from_json(pats[i]);
    EXPECT_FALSE(stronger_pattern(y, x));
  }
  // Every pattern carries the seed-required fields, and the supporting models are computed.
  for (const auto& j : pats) {
    for (const char* k : {"feature", "source", "direction", "top_mean", "rest_mean", "lift", "effect_size", "ci95",
                          "test", "p_value", "q_value", "evidence", "supporting_models", "phrase"})
      EXPECT_TRUE(j.contains(k)) << k;
    EXPECT_LE(j["ci95"][0].get<double>(), j["ci95"][1].get<double>());
  }
  // A different seed changes only bootstrap CIs, never tests or labels.
  PatternOptions opt2 = opt;
  opt2.seed = 99;
  const BucketPatterns r1 = analyze_patterns(p.data, p.info, p.consensus, opt);
  const BucketPatterns r2 = analyze_patterns(p.data, p.info, p.consensus, opt2);
  ASSERT_EQ(r1.all_features.size(), r2.all_features.size());
  for (std::size_t i = 0; i < r1.all_features.size(); ++i) {
    EXPECT_EQ(r1.all_features[i].p_value, r2.all_features[i].p_value);
    EXPECT_EQ(r1.all_features[i].evidence, r2.all_features[i].evidence);
  }
}

TEST(PatternFinder, NoConsensusMeansNothingIsStrong) {
  const Planted p = make_planted(4);
  const BucketPatterns r = analyze_patterns(p.data, p.info, {}, PatternOptions{});
  EXPECT_FALSE(r.patterns.empty());
  for (const auto& pat : r.patterns) EXPECT_NE(pat.evidence, Evidence::strong);
}

void expect_no_null_numbers(const Json& j, const std::string& path) {
  // Numbers the contract requires must never be null (NaN): the only nullable keys are
  // consensus (absent model support).
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "consensus") continue;
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
      d.add_row("v" + std::to_string(r), 1.0, equal_er ? 4.0 : 1.0 + static_cast<double>(r) * 0.1, row);
    }
    return d;
  };
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", make(20, true));    // all ER equal
  write_dataset_csv(hashtag / "bucket_16-30s" / "features.csv", make(20, false));  // exactly 20
  write_dataset_csv(hashtag / "bucket_31-60s" / "features.csv", make(5, false));   // insufficient
  write_dataset_csv(hashtag / "bucket_61-90s" / "features.csv", make(0, false));   // empty
  // A model file without "consensus" is fine; a malformed consensus is an InputError.
  write_file_atomic(hashtag / "bucket_16-30s" / "model_16-30s.json", R"({"format":"rumi-model"})");
  const PatternsSummary s = find_patterns_for_hashtag(hashtag, info, PatternOptions{});
  ASSERT_EQ(s.buckets.size(), 4u);
  for (const auto& b : s.buckets) {
    const Json j = read_json_file(b.file);
    EXPECT_EQ(j["format"], "rumi-patterns");
    expect_no_null_numbers(j, std::string(bucket_name(b.bucket)));
    EXPECT_EQ(b.strong, 0);
  }
  EXPECT_TRUE(s.buckets[2].insufficient_data);
  EXPECT_EQ(read_json_file(s.buckets[0].file)["all_features"].size(), 4u);
  write_file_atomic(hashtag / "bucket_16-30s" / "model_16-30s.json", R"({"consensus": 5})");
  EXPECT_THROW(find_patterns_for_hashtag(hashtag, info, PatternOptions{}), InputError);
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
