#include "stats/pattern_finder.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <map>

#include "stats/correlation.h"
#include "stats/descriptive.h"
#include "stats/effect_size.h"
#include "stats/engagement_lift.h"
#include "stats/two_sample_tests.h"
#include "stats/weighted.h"

namespace rumi::stats {

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

// Finite numbers only; JSON never gets NaN where a number is required.
double finite_or(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

Json test_json(const TestResult& t) {
  return Json{{"method", t.method},
              {"statistic", finite_or(t.statistic, 0)},
              {"p_value", finite_or(t.p_value, 1)},
              {"df", finite_or(t.df, 0)},
              {"defined", t.defined}};
}

// One element under test: its pattern record plus what the later phases need.
struct ElementTest {
  Pattern p;
  FeatureInfo info;
  std::size_t column = 0;
  bool presence = false;
  int sign = 1;  // +1: higher value / presence goes with higher ER
};

std::vector<double> weights_of(const Dataset& d) {
  if (d.weights.size() == d.rows()) return d.weights;
  return std::vector<double>(d.rows(), 1.0);
}

// Phase 2: the element's one pre-declared test against ER.
ElementTest test_element(const Dataset& d, const Element& e, std::span<const FeatureInfo> infos) {
  ElementTest t;
  t.column = e.representative;
  t.info = infos[e.representative];
  t.presence = is_presence_kind(t.info.kind);
  Pattern& p = t.p;
  p.feature = d.feature_names[e.representative];
  p.source = t.info.source;
  p.kind = std::string(feature_kind_name(t.info.kind));
  p.columns.push_back(p.feature);
  for (std::size_t c : e.columns)
    if (c != e.representative) p.columns.push_back(d.feature_names[c]);
  p.sample_size = static_cast<int>(d.rows());
  std::vector<double> x, er, with, without;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    const double v = d.at(r, e.representative);
    if (!std::isfinite(v)) continue;
    x.push_back(v);
    er.push_back(d.target[r]);
    (v > 0.5 ? with : without).push_back(d.target[r]);
  }
  TestResult test;
  if (t.presence) {
    test = mann_whitney_u(with, without);
    p.test = "mann_whitney_u";
    p.effect_size = finite_or(rank_biserial(with, without), 0);
    p.effect_size_kind = "rank_biserial";
    t.sign = p.effect_size < 0 ? -1 : 1;
    p.direction = t.sign > 0 ? Direction::present_is_better : Direction::absent_is_better;
  } else {
    test = spearman(x, er);
    p.test = "spearman";
    p.effect_size = test.defined ? test.statistic : 0;
    p.effect_size_kind = "spearman_rho";
    t.sign = p.effect_size < 0 ? -1 : 1;
    p.direction = t.sign > 0 ? Direction::higher_is_better : Direction::lower_is_better;
  }
  p.p_value = finite_or(test.p_value, 1);
  p.details = Json::object();
  p.details["test"] = test_json(test);
  p.details["n_with_value"] = x.size();
  p.details["missing"] = d.rows() - x.size();
  if (t.presence) p.details["n_present"] = with.size();
  return t;
}

// Phase 4: the forest's out-of-sample skill and each element's out-of-fold importance. Run only
// when a STRONG label is possible (some q < 0.05 in a bucket of >= 30 videos).
SkillSummary run_skill(const Dataset& d, std::vector<ElementTest>& tests, const BucketContext& ctx,
                       const PatternOptions& opt, std::vector<SkillResult>& out) {
  SkillSummary s;
  s.elements = tests.size();
  const bool any =
      std::any_of(tests.begin(), tests.end(), [](const ElementTest& t) { return t.p.q_value < kQModerate; });
  if (d.rows() < kMinConfirmedVideos) {
    s.reason =
        fmt::format("exploratory bucket ({} videos, fewer than {}): at most MODERATE", d.rows(), kMinConfirmedVideos);
    return s;
  }
  if (!any) {
    s.reason = "no element reached q < 0.05, so no STRONG label was possible";
    return s;
  }
  if (!opt.confirm_out_of_sample) {
    s.reason = "out-of-sample confirmation switched off";
    return s;
  }
  std::vector<std::vector<double>> cols;
  for (const auto& t : tests) cols.push_back(d.column(t.column));
  SkillOptions so = opt.skill;
  so.seed = opt.seed;
  so.stream = opt.stream + "/skill";
  const std::vector<std::string> creators = ctx.creators.size() == d.rows() ? ctx.creators : std::vector<std::string>{};
  out.push_back(forest_skill(cols, d.target, creators, so));
  const SkillResult& r = out.back();
  s.run = true;
  s.skill = r.skill;
  s.p_value = r.p_value;
  s.permutations = r.permutations;
  s.repeats = r.repeats;
  s.passed = r.p_value < kSkillAlpha;
  return s;
}

void label(ElementTest& t, std::size_t index, const BucketPatterns& b, const std::vector<SkillResult>& skill) {
  Pattern& p = t.p;
  const std::string family = fmt::format("q = {:.3g} over {} elements", p.q_value, b.family_size);
  p.exploratory = b.exploratory;
  Json confirm = nullptr;
  if (!skill.empty()) {
    const SkillResult& s = skill.front();
    confirm = Json{{"importance_positive_share", finite_or(s.positive_share[index], 0)},
                   {"mean_importance", finite_or(s.mean_importance[index], 0)},
                   {"repeats", s.repeats}};
  }
  p.details["confirmation"] = confirm;
  if (p.q_value < kQModerate) {
    const bool important = !skill.empty() && skill.front().positive_share[index] >= kMinImportanceShare;
    if (b.skill.passed) p.supporting_models.push_back("forest_skill");
    if (important) p.supporting_models.push_back("oof_importance");
    if (b.skill.passed && important) {
      p.evidence = Evidence::strong;
      p.details["label_reason"] =
          family + "; confirmed out of sample (forest skill p = " + fmt::format("{:.3g}", b.skill.p_value) +
          ", importance above zero in " + fmt::format("{:.0f} %", 100 * skill.front().positive_share[index]) +
          " of repeats)";
    } else {
      p.evidence = Evidence::moderate;
      p.details["label_reason"] = family + (b.skill.run ? (b.skill.passed ? "; importance not stable out of sample"
                                                                          : "; the forest did not beat chance")
                                                        : "; " + b.skill.reason);
    }
  } else if (p.q_value < kQEmerging) {
    p.evidence = Evidence::emerging;
    p.details["label_reason"] = family + ": a hypothesis to test, not a finding";
  } else {
    p.evidence = Evidence::none;
  }
}

// Weighted mean / median of the element among the rows whose group flag matches.
void typical_values(std::span<const double> x, std::span<const double> w, const std::vector<bool>& top, Pattern& p) {
  std::vector<double> tv, tw, rv, rw;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) continue;
    (top[i] ? tv : rv).push_back(x[i]);
    (top[i] ? tw : rw).push_back(w[i]);
  }
  auto wmean = [](const std::vector<double>& v, const std::vector<double>& ww) {
    double s = 0, t = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i] * ww[i], t += ww[i];
    return t > 0 ? s / t : 0.0;
  };
  p.top_mean = wmean(tv, tw);
  p.rest_mean = wmean(rv, rw);
  p.top_median = finite_or(weighted_median(tv, tw), 0);
  p.rest_median = finite_or(weighted_median(rv, rw), 0);
  p.details["weights"] = Json{{"kish_n_top", kish_effective_n(tw)}, {"kish_n_rest", kish_effective_n(rw)}};
}

// Prevalence: how many top-tier videos and how many others are on the favoured side.
void prevalence(std::span<const double> x, std::span<const double> w, const std::vector<bool>& top, bool presence,
                int sign, Pattern& p) {
  const std::vector<int> g = favoured_groups(x, presence, sign);
  std::vector<double> tf, tw, rf, rw;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i] < 0) continue;
    if (top[i])
      p.top_count++, p.top_showing += g[i], tf.push_back(g[i]), tw.push_back(w[i]);
    else
      p.rest_count++, p.rest_showing += g[i], rf.push_back(g[i]), rw.push_back(w[i]);
  }
  p.top_prevalence = p.top_count > 0 ? static_cast<double>(p.top_showing) / p.top_count : 0.0;
  p.details["weighted_prevalence"] = Json{{"top", finite_or(weighted_share(tf, tw), 0)},
                                          {"rest", finite_or(weighted_share(rf, rw), 0)},
                                          {"kish_n_top", kish_effective_n(tw)},
                                          {"kish_n_rest", kish_effective_n(rw)}};
  p.details["favoured_group"] = presence ? (sign > 0 ? "with the element" : "without the element")
                                         : (sign > 0 ? "top third of values" : "bottom third of values");
}

void engagement(std::span<const double> x, const Dataset& d, std::span<const double> w, const ElementTest& t,
                const std::vector<int>& folds, const PatternOptions& opt, Pattern& p) {
  const EngagementLift l = cross_fitted_lift(x, d.target, w, t.presence, folds, opt.lift_folds, t.sign, opt.seed,
                                             opt.stream + "/lift/" + p.feature, opt.bootstrap_resamples);
  p.lift = finite_or(l.ratio - 1.0, 0);
  p.ci95 = {finite_or(l.ci95[0] - 1.0, 0), finite_or(l.ci95[1] - 1.0, 0)};
  p.er_favoured = finite_or(l.er_favoured, 0);
  p.er_others = finite_or(l.er_others, 0);
  p.details["engagement_lift"] = Json{{"method", "cross_fitted_weighted_median_ratio"},
                                      {"defined", l.defined},
                                      {"ratio", finite_or(l.ratio, 1)},
                                      {"ci95_ratio", Json::array({finite_or(l.ci95[0], 1), finite_or(l.ci95[1], 1)})},
                                      {"n_favoured", l.n_favoured},
                                      {"n_others", l.n_others},
                                      {"kish_n_favoured", l.kish_favoured},
                                      {"kish_n_others", l.kish_others},
                                      {"folds", l.folds},
                                      {"folds_agreeing", l.folds_agreeing}};
}

void adjustment(std::span<const double> x, const Dataset& d, const BucketContext& ctx, const ElementTest& t,
                Pattern& p) {
  std::vector<Covariate> covs;
  for (const auto& c : ctx.covariates)
    if (c.values.size() == d.rows()) covs.push_back(c);
  if (covs.empty()) {
    p.details["adjusted"] = Json{{"verdict", "not_run"}, {"reason", "no creator size, age or promotion data"}};
    return;
  }
  const AdjustedTest a = rank_regression(x, d.target, covs);
  const bool holds = a.defined && a.p_value < kQModerate && (a.coefficient < 0 ? -1 : 1) == t.sign;
  p.details["adjusted"] = Json{{"method", "rank_regression"},
                               {"covariates", a.covariates},
                               {"coefficient", finite_or(a.coefficient, 0)},
                               {"p_value", finite_or(a.p_value, 1)},
                               {"df", a.df},
                               {"defined", a.defined},
                               {"verdict", holds ? "holds" : "vanishes_after_adjustment"}};
}

// Phase 5-6 for one labelled element.
void describe(ElementTest& t, const Dataset& d, const std::vector<bool>& top, std::span<const double> w,
              const std::vector<int>& folds, const BucketContext& ctx, const PatternOptions& opt) {
  const std::vector<double> x = d.column(t.column);
  typical_values(x, w, top, t.p);
  prevalence(x, w, top, t.presence, t.sign, t.p);
  engagement(x, d, w, t, folds, opt, t.p);
  adjustment(x, d, ctx, t, t.p);
}

std::vector<FeatureInfo> infos_for(const Dataset& d, std::span<const FeatureInfo> catalog_info) {
  std::map<std::string, const FeatureInfo*> by_name;
  for (const auto& fi : catalog_info) by_name[fi.name] = &fi;
  std::vector<FeatureInfo> out;
  for (const auto& name : d.feature_names) {
    if (auto it = by_name.find(name); it != by_name.end())
      out.push_back(*it->second);
    else
      out.push_back(FeatureInfo{name, "", FeatureKind::numeric, "", ""});
  }
  return out;
}

}  // namespace

bool stronger_pattern(const Pattern& a, const Pattern& b) {
  if (a.evidence != b.evidence) return evidence_rank(a.evidence) < evidence_rank(b.evidence);
  if (a.q_value != b.q_value) return a.q_value < b.q_value;
  if (std::fabs(a.effect_size) != std::fabs(b.effect_size)) return std::fabs(a.effect_size) > std::fabs(b.effect_size);
  return a.feature < b.feature;
}

BucketPatterns analyze_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                const BucketContext& context, const PatternOptions& opt) {
  BucketPatterns out;
  out.sample_size = d.rows();
  out.tiers = assign_tiers(d.target, d.video_ids);
  out.insufficient = d.rows() < static_cast<std::size_t>(kMinVideosForModel);
  out.exploratory = !out.insufficient && d.rows() < kMinConfirmedVideos;
  if (out.insufficient || d.cols() == 0) return out;
  const std::vector<FeatureInfo> infos = infos_for(d, catalog_info);

  // Phase 1: elements.
  const ElementSet es = group_elements(d, infos, opt.elements);
  for (const auto& u : es.untested) out.untested.emplace_back(d.feature_names[u.column], u.reason);
  // Phase 2: one test per element.
  std::vector<ElementTest> tests;
  for (const auto& e : es.elements) {
    tests.push_back(test_element(d, e, infos));
    out.columns_tested += e.columns.size();
  }
  out.family_size = tests.size();
  // Phase 3: the correction over the bucket's elements.
  std::vector<double> pv;
  for (const auto& t : tests) pv.push_back(t.p.p_value);
  const std::vector<double> q = adjust(pv, opt.correction);
  for (std::size_t i = 0; i < tests.size(); ++i) tests[i].p.q_value = finite_or(q[i], 1);
  // Phase 4: out-of-sample confirmation, then labels.
  std::vector<SkillResult> skill;
  out.skill = run_skill(d, tests, context, opt, skill);
  for (std::size_t i = 0; i < tests.size(); ++i) label(tests[i], i, out, skill);
  // Phase 5-6: effect sizes and sensitivity for the labelled elements.
  const std::vector<double> w = weights_of(d);
  std::vector<bool> top(d.rows());
  for (std::size_t r = 0; r < d.rows(); ++r) top[r] = out.tiers.tier_of[r] == Tier::top;
  const std::vector<std::string> creators =
      context.creators.size() == d.rows() ? context.creators : std::vector<std::string>{};
  const std::vector<int> folds =
      grouped_folds(d.rows(), creators, opt.lift_folds, opt.seed, opt.stream + "/lift-folds");
  for (auto& t : tests) {
    if (t.p.evidence != Evidence::none && opt.effect_sizes)
      describe(t, d, top, w, folds, context, opt);
    else {
      const std::vector<double> x = d.column(t.column);
      typical_values(x, w, top, t.p);
      prevalence(x, w, top, t.presence, t.sign, t.p);
    }
    if (opt.phrase) t.p.phrase = opt.phrase(t.p, t.info);
  }
  for (auto& t : tests) out.all_elements.push_back(std::move(t.p));
  std::sort(out.all_elements.begin(), out.all_elements.end(), stronger_pattern);
  for (const auto& p : out.all_elements)
    if (p.evidence != Evidence::none) out.patterns.push_back(p);
  return out;
}

std::vector<Pattern> find_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                   const BucketContext& context, const PatternOptions& opt) {
  return analyze_patterns(d, catalog_info, context, opt).patterns;
}

}  // namespace rumi::stats
