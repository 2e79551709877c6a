#include "stats/pattern_finder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "stats/contingency_tests.h"
#include "stats/descriptive.h"
#include "stats/effect_size.h"
#include "stats/two_sample_tests.h"

namespace rumi::stats {

SignificanceThresholds thresholds_for_sample_size(std::size_t n) {
  if (n >= 80) return {0.01, 0.05, 0.10};
  if (n >= 40) return {0.05, 0.10, 0.15};
  return {0.10, 0.15, 0.20};
}

namespace {

int evidence_rank(Evidence e) {
  switch (e) {
    case Evidence::strong: return 0;
    case Evidence::moderate: return 1;
    case Evidence::emerging: return 2;
    case Evidence::none: return 3;
  }
  return 3;
}

bool is_binary_kind(FeatureKind k) { return k == FeatureKind::flag || k == FeatureKind::onehot; }

// Finite numbers only; JSON never gets NaN where a number is required.
double finite_or(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

struct Groups {
  std::vector<double> top, rest, bottom;
  std::vector<double> tier[4];
  std::vector<double> er;      // ER of rows with a value, aligned with `values`
  std::vector<double> values;  // all non-missing values
  std::size_t missing = 0;
};

Groups split_column(const Dataset& d, std::size_t col, const TierSplit& tiers) {
  Groups g;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    const double v = d.at(r, col);
    if (!std::isfinite(v)) {
      ++g.missing;
      continue;
    }
    const Tier t = tiers.tier_of[r];
    g.tier[static_cast<int>(t)].push_back(v);
    (t == Tier::top ? g.top : g.rest).push_back(v);
    if (t == Tier::bottom) g.bottom.push_back(v);
    g.values.push_back(v);
    g.er.push_back(d.target[r]);
  }
  return g;
}

std::int64_t count_present(std::span<const double> v) {
  return std::count_if(v.begin(), v.end(), [](double x) { return x > 0.5; });
}

double share_present(std::span<const double> v) {
  return v.empty() ? 0.0 : static_cast<double>(count_present(v)) / static_cast<double>(v.size());
}

// ER lift of the group the direction favours over the other: for "higher is better" the videos
// above the feature's median vs the rest; for binary features present vs absent. This is the
// number a sentence like "got 34 % more engagement" quotes.
double favoured_er_lift(const Groups& g, bool binary, bool favours_high) {
  std::vector<double> hi, lo;
  const double cut = binary ? 0.5 : median(g.values);
  for (std::size_t i = 0; i < g.values.size(); ++i) (g.values[i] > cut ? hi : lo).push_back(g.er[i]);
  if (hi.empty() || lo.empty()) return 0;
  const double mh = mean(hi), ml = mean(lo);
  return favours_high ? lift(mh, ml) : lift(ml, mh);
}

Json test_json(const TestResult& t) {
  return Json{{"method", t.method}, {"statistic", finite_or(t.statistic, 0)}, {"p_value", finite_or(t.p_value, 1)},
              {"df", finite_or(t.df, 0)}, {"defined", t.defined}};
}

const ConsensusFeature* find_consensus(std::span<const ConsensusFeature> consensus, const std::string& name) {
  for (const auto& c : consensus)
    if (c.feature == name) return &c;
  return nullptr;
}

struct Analysed {
  Pattern p;
  FeatureInfo info;
  double raw_p = 1;
  bool differential_effect = false;  // |lift| >= min
  bool consistent = false;
  std::vector<std::string> agreeing_models;
};

Analysed analyse_feature(const Dataset& d, std::size_t col, const FeatureInfo& info, const TierSplit& tiers,
                         const PatternOptions& opt) {
  Analysed a;
  a.info = info;
  Pattern& p = a.p;
  p.feature = d.feature_names[col];
  p.source = info.source;
  p.kind = std::string(feature_kind_name(info.kind));
  p.sample_size = static_cast<int>(d.rows());
  p.top_count = static_cast<int>(tiers.top_count());
  const Groups g = split_column(d, col, tiers);
  const bool binary = is_binary_kind(info.kind);
  Json details = Json::object();
  details["missing"] = g.missing;
  Json tier_means = Json::object(), tier_medians = Json::object();
  for (int t = 0; t < 4; ++t) {
    const auto name = std::string(tier_name(static_cast<Tier>(t)));
    tier_means[name] = finite_or(mean(g.tier[t]), 0);
    tier_medians[name] = finite_or(median(g.tier[t]), 0);
  }
  details["tier_means"] = tier_means;
  details["tier_medians"] = tier_medians;
  details["top_median"] = finite_or(median(g.top), 0);
  details["rest_median"] = finite_or(median(g.rest), 0);
  const std::string stream = opt.stream + "/" + p.feature;

  if (binary) {
    const std::int64_t kt = count_present(g.top), kr = count_present(g.rest);
    const auto nt = static_cast<std::int64_t>(g.top.size()), nr = static_cast<std::int64_t>(g.rest.size());
    p.top_mean = share_present(g.top);
    p.rest_mean = share_present(g.rest);
    p.lift = lift(p.top_mean, p.rest_mean);
    const bool present = p.top_mean >= p.rest_mean;
    p.direction = present ? Direction::present_is_better : Direction::absent_is_better;
    p.top_prevalence = present ? p.top_mean : 1.0 - p.top_mean;
    TestResult t = info.kind == FeatureKind::flag ? two_proportion_z(kt, nt, kr, nr)
                                                  : presence_test_2x2(kt, nt - kt, kr, nr - kr);
    p.test = t.method;
    a.raw_p = t.p_value;
    details["test"] = test_json(t);
    // Both rules are reported so a reader can see chi-square/Fisher and z agree (or not).
    details["presence_test_2x2"] = test_json(presence_test_2x2(kt, nt - kt, kr, nr - kr));
    p.effect_size = risk_difference(static_cast<double>(kt), static_cast<double>(nt), static_cast<double>(kr),
                                    static_cast<double>(nr));
    p.effect_size_kind = "risk_difference";
    Json prevalence = Json::object();
    for (int tt = 0; tt < 4; ++tt) prevalence[std::string(tier_name(static_cast<Tier>(tt)))] = share_present(g.tier[tt]);
    details["tier_prevalence"] = prevalence;
    // Bootstrap on the 0/1 indicators: the lift of prevalences.
    std::vector<double> it, ir;
    for (double v : g.top) it.push_back(v > 0.5 ? 1.0 : 0.0);
    for (double v : g.rest) ir.push_back(v > 0.5 ? 1.0 : 0.0);
    p.ci95 = bootstrap_lift_ci(it, ir, opt.seed, stream, opt.bootstrap_resamples);
    details["top_vs_bottom"] = Json{{"lift", lift(p.top_mean, share_present(g.bottom))},
                                    {"test", test_json(presence_test_2x2(kt, nt - kt, count_present(g.bottom),
                                                                         static_cast<std::int64_t>(g.bottom.size()) -
                                                                             count_present(g.bottom)))}};
    details["er_lift"] = favoured_er_lift(g, true, present);
  } else {
    p.top_mean = finite_or(mean(g.top), 0);
    p.rest_mean = finite_or(mean(g.rest), 0);
    p.lift = lift(p.top_mean, p.rest_mean);
    const bool higher = p.top_mean >= p.rest_mean;
    p.direction = higher ? Direction::higher_is_better : Direction::lower_is_better;
    const TestResult welch = welch_t_test(g.top, g.rest);
    const TestResult mwu = mann_whitney_u(g.top, g.rest);
    const TestResult& chosen = opt.continuous_p_from_welch ? welch : mwu;
    p.test = opt.continuous_p_from_welch ? "welch_t" : "mann_whitney_u";
    a.raw_p = chosen.p_value;
    details["test"] = test_json(chosen);
    details["welch_t"] = test_json(welch);
    details["mann_whitney_u"] = test_json(mwu);
    const bool small = d.rows() < static_cast<std::size_t>(kHedgesBelowN);
    p.effect_size = small ? hedges_g(g.top, g.rest) : cohens_d(g.top, g.rest);
    p.effect_size_kind = small ? "hedges_g" : "cohens_d";
    details["cohens_d"] = cohens_d(g.top, g.rest);
    details["hedges_g"] = hedges_g(g.top, g.rest);
    details["rank_biserial"] = rank_biserial(g.top, g.rest);
    // Consistency: share of top videos on the favoured side of the rest's median.
    const double rest_median = finite_or(median(g.rest), 0);
    std::size_t showing = 0;
    for (double v : g.top) showing += higher ? (v > rest_median) : (v < rest_median);
    p.top_prevalence = g.top.empty() ? 0 : static_cast<double>(showing) / static_cast<double>(g.top.size());
    p.ci95 = bootstrap_lift_ci(g.top, g.rest, opt.seed, stream, opt.bootstrap_resamples);
    details["top_vs_bottom"] = Json{{"lift", lift(p.top_mean, finite_or(mean(g.bottom), 0))},
                                    {"test", test_json(mann_whitney_u(g.top, g.bottom))}};
    details["er_lift"] = favoured_er_lift(g, false, higher);
  }
  if (!std::isfinite(p.effect_size)) p.effect_size = 0;
  p.p_value = finite_or(a.raw_p, 1);
  a.raw_p = p.p_value;
  p.details = std::move(details);
  a.differential_effect = std::fabs(p.lift) >= opt.min_abs_lift;
  a.consistent = p.top_prevalence > opt.min_top_consistency;
  return a;
}

// Chi-square over the categories of a one-hot group (categories x {top, rest}); reported with
// each member so the reader sees whether the category mix as a whole differs.
Json group_test(const Dataset& d, const std::vector<std::size_t>& cols, const TierSplit& tiers) {
  std::vector<double> table;
  for (std::size_t c : cols) {
    double top = 0, rest = 0;
    for (std::size_t r = 0; r < d.rows(); ++r) {
      if (!(d.at(r, c) > 0.5)) continue;
      (tiers.tier_of[r] == Tier::top ? top : rest) += 1;
    }
    table.push_back(top);
    table.push_back(rest);
  }
  const TestResult t = chi_square_contingency(table, cols.size(), 2, true);
  return test_json(t);
}

}  // namespace

bool stronger_pattern(const Pattern& a, const Pattern& b) {
  if (a.evidence != b.evidence) return evidence_rank(a.evidence) < evidence_rank(b.evidence);
  if (a.q_value != b.q_value) return a.q_value < b.q_value;
  if (std::fabs(a.effect_size) != std::fabs(b.effect_size)) return std::fabs(a.effect_size) > std::fabs(b.effect_size);
  return a.feature < b.feature;
}

BucketPatterns analyze_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                std::span<const ConsensusFeature> consensus, const PatternOptions& opt) {
  BucketPatterns out;
  out.sample_size = d.rows();
  out.thresholds = thresholds_for_sample_size(d.rows());
  out.tiers = assign_tiers(d.target, d.video_ids);
  if (d.rows() == 0 || d.cols() == 0) return out;

  std::map<std::string, const FeatureInfo*> info_by_name;
  for (const auto& fi : catalog_info) info_by_name[fi.name] = &fi;

  std::vector<Analysed> rows;
  rows.reserve(d.cols());
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t c = 0; c < d.cols(); ++c) {
    FeatureInfo info;
    if (auto it = info_by_name.find(d.feature_names[c]); it != info_by_name.end()) info = *it->second;
    else info.name = d.feature_names[c];
    if (info.kind == FeatureKind::onehot && !info.group.empty()) groups[info.group].push_back(c);
    rows.push_back(analyse_feature(d, c, info, out.tiers, opt));
  }
  for (const auto& [group, cols] : groups) {
    const Json gt = group_test(d, cols, out.tiers);
    for (std::size_t c : cols) rows[c].p.details["group_test"] = Json{{"group", group}, {"test", gt}};
  }

  std::vector<double> pvals;
  for (const auto& a : rows) pvals.push_back(a.raw_p);
  const std::vector<double> q = adjust(pvals, opt.correction);
  const SignificanceThresholds th = out.thresholds;

  for (std::size_t i = 0; i < rows.size(); ++i) {
    Analysed& a = rows[i];
    Pattern& p = a.p;
    p.q_value = finite_or(q[i], 1);
    const int wanted_sign =
        (p.direction == Direction::higher_is_better || p.direction == Direction::present_is_better) ? 1 : -1;
    Json cons = nullptr;
    if (const ConsensusFeature* c = find_consensus(consensus, p.feature)) {
      cons = Json{{"sign", c->sign}, {"models", c->models}, {"importance", finite_or(c->importance, 0)}};
      if (c->sign == wanted_sign) a.agreeing_models = c->models;
    }
    p.details["consensus"] = cons;
    const bool models_agree = a.agreeing_models.size() >= opt.min_agreeing_models;
    const bool effect = a.differential_effect;
    // Sequential validation (seed): differential filter -> model importance -> lift.
    const bool differential = p.q_value < th.moderate;
    p.details["validation"] = Json{{"differential", differential},
                                   {"model_importance", models_agree},
                                   {"lift", effect},
                                   {"consistency", a.consistent}};
    if (effect && a.consistent && p.q_value < th.high && models_agree) p.evidence = Evidence::strong;
    else if (effect && a.consistent && p.q_value < th.moderate) p.evidence = Evidence::moderate;
    else if (effect && (p.q_value < th.preliminary || (p.p_value < th.high && !a.agreeing_models.empty())))
      p.evidence = Evidence::emerging;
    else p.evidence = Evidence::none;

    std::set<std::string> support(a.agreeing_models.begin(), a.agreeing_models.end());
    if (differential) support.insert("differential");
    p.supporting_models.assign(support.begin(), support.end());
    if (opt.phrase) p.phrase = opt.phrase(p, a.info);
  }

  for (auto& a : rows) out.all_features.push_back(std::move(a.p));
  std::sort(out.all_features.begin(), out.all_features.end(), stronger_pattern);
  for (const auto& p : out.all_features)
    if (p.evidence != Evidence::none) out.patterns.push_back(p);
  return out;
}

std::vector<Pattern> find_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                   std::span<const ConsensusFeature> consensus, const PatternOptions& opt) {
  return analyze_patterns(d, catalog_info, consensus, opt).patterns;
}

}  // namespace rumi::stats
