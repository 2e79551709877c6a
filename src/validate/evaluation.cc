#include "validate/evaluation.h"

#include <fmt/format.h>
#include <cmath>
#include <limits>

#include "core/enum_names.h"
#include "core/error.h"
#include "stats/descriptive.h"

namespace rumi::validate {

constexpr EnumName<TestStatus> kTestStatusNames[] = {{TestStatus::pending, "pending"},
                                                     {TestStatus::validated, "validated"},
                                                     {TestStatus::inconclusive, "inconclusive"},
                                                     {TestStatus::rejected, "rejected"}};

std::string_view status_name(TestStatus s) { return name_of(kTestStatusNames, s); }

TestStatus parse_status(std::string_view s) { return parse_option(kTestStatusNames, s, "validation status"); }

std::string format_lift(std::optional<double> lift) {
  if (!lift || !std::isfinite(*lift)) return "n/a";
  return fmt::format("{:+.1f} %", *lift * 100.0);
}

std::string format_lift_ci(const Comparison& c) {
  if (!c.defined) return "n/a";
  return fmt::format("{} (90 % CI {} to {}; 95 % CI {} to {})", format_lift(c.lift()), format_lift(c.lift_ci90_low()),
                     format_lift(c.lift_ci90_high()), format_lift(c.lift_ci95_low()), format_lift(c.lift_ci95_high()));
}

TestStatus decide(const Comparison& c, std::optional<int> planned_n_per_arm) {
  if (!c.defined) return TestStatus::inconclusive;
  if (planned_n_per_arm && std::min(c.n_test, c.n_control) < *planned_n_per_arm) return TestStatus::inconclusive;
  if (c.lift() > kValidatedLift && c.p_value < kSignificance) return TestStatus::validated;
  // Equivalence: only an upper bound below +10 % rules out a lift worth having. A small point
  // estimate with a wide interval says nothing.
  if (c.lift_ci90_high() < kRejectedLift) return TestStatus::rejected;
  return TestStatus::inconclusive;
}

std::string explain(TestStatus status, const Comparison& c, std::optional<int> planned_n_per_arm) {
  const std::string counts = fmt::format("{} test vs {} control videos", c.n_test, c.n_control);
  const std::string plan = planned_n_per_arm
                               ? fmt::format("The plan for this test is {} videos per arm.", *planned_n_per_arm)
                               : std::string("Plan the sample size with 'rumi validate create' before filming more.");
  if (!c.defined)
    return fmt::format("Inconclusive: {} ({}); no lift can be estimated yet. {}", counts,
                       c.note.empty() ? "too little data" : c.note, plan);
  const std::string lift = format_lift_ci(c);
  const std::string p = fmt::format("p = {:.3g}", c.p_value);
  switch (status) {
    case TestStatus::validated:
      return fmt::format(
          "Validated: test videos had {} engagement compared with control videos ({}, {}). The difference is above "
          "+25 % and unlikely to be chance alone.",
          lift, p, counts);
    case TestStatus::rejected:
      return fmt::format(
          "Rejected: test videos had {} engagement compared with control videos ({}). Even the top of the 90 % "
          "interval is below +10 %, so a lift worth having is ruled out; the pattern drops out of the strategies.",
          lift, counts);
    case TestStatus::inconclusive:
      if (planned_n_per_arm && std::min(c.n_test, c.n_control) < *planned_n_per_arm)
        return fmt::format(
            "Inconclusive (interim): {} so far, lift {} ({}). The verdict is given once each arm has the planned "
            "{} videos: deciding earlier on a good or bad look would make wrong verdicts more frequent than the 5 % "
            "the plan allows.",
            counts, lift, p, *planned_n_per_arm);
      return fmt::format(
          "Inconclusive: test videos had {} engagement compared with control videos ({}, {}). The data neither show "
          "a lift above +25 % with p < 0.05 nor rule out a lift of +10 % or more. {}",
          lift, p, counts, plan);
    case TestStatus::pending: break;
  }
  return "Pending: not evaluated yet.";
}

namespace {

struct Arms {
  std::vector<double> test, control;
  std::vector<std::string> test_creators, control_creators;
};

// The log values of one metric, optionally only implemented test videos (per protocol).
Arms arms_of(std::span<const VideoObservation> videos, const std::string& metric, bool per_protocol) {
  Arms a;
  for (const auto& v : videos) {
    std::optional<double> value;
    if (metric == "er")
      value = v.er;
    else if (metric == "view_rate_2s")
      value = v.view_rate_2s;
    else if (metric == "avg_watch_time_s")
      value = v.avg_watch_time_s;
    else if (metric == "ctr")
      value = v.ctr;
    // Logs need positive values; a zero watch time or CTR carries no usable ratio.
    if (!value || !(*value > 0) || !std::isfinite(*value)) continue;
    if (v.is_test && per_protocol && !(v.implementation_score && *v.implementation_score >= kImplementedScore))
      continue;
    (v.is_test ? a.test : a.control).push_back(std::log(*value));
    (v.is_test ? a.test_creators : a.control_creators).push_back(v.creator);
  }
  return a;
}

Comparison compare(const Arms& a) { return compare_arms(a.test, a.test_creators, a.control, a.control_creators); }

}  // namespace

Evaluation evaluate_videos(std::span<const VideoObservation> videos, const EvaluationOptions& opts) {
  Evaluation e;
  std::vector<double> test_er, control_er;
  for (const auto& v : videos) {
    if (!(v.er > 0) || !std::isfinite(v.er))
      throw InputError("test videos", "video " + v.video_id, "er",
                       fmt::format("engagement rate must be a positive percentage, got {}", v.er));
    (v.is_test ? test_er : control_er).push_back(v.er);
    if (v.is_test) {
      if (!v.implementation_score)
        ++e.unscored_test_videos;
      else if (*v.implementation_score >= kImplementedScore)
        ++e.per_protocol_test_videos;
    }
  }
  if (test_er.size() < static_cast<std::size_t>(kMinVideosPerArm) ||
      control_er.size() < static_cast<std::size_t>(kMinVideosPerArm))
    throw UsageError(fmt::format(
        "too few measured videos to evaluate: {} test and {} control (need at least {} of each with metrics); "
        "record more videos with 'rumi validate record' and import their metrics",
        test_er.size(), control_er.size(), kMinVideosPerArm));
  e.n_test = static_cast<int>(test_er.size());
  e.n_control = static_cast<int>(control_er.size());
  e.test_mean_er = stats::mean(test_er);
  e.control_mean_er = stats::mean(control_er);
  e.planned_n_per_arm = opts.planned_n_per_arm;
  e.reached_plan = !opts.planned_n_per_arm || std::min(e.n_test, e.n_control) >= *opts.planned_n_per_arm;

  e.itt = compare(arms_of(videos, "er", false));
  if (e.itt.defined) e.lift = e.itt.lift();
  e.status = decide(e.itt, opts.planned_n_per_arm);
  // Per protocol only when it differs from ITT and has something to compare.
  if (e.per_protocol_test_videos >= kMinVideosPerArm && e.per_protocol_test_videos < e.n_test)
    e.per_protocol = compare(arms_of(videos, "er", true));

  for (const char* metric : {"view_rate_2s", "avg_watch_time_s", "ctr"}) {
    Arms a = arms_of(videos, metric, false);
    if (a.test.size() < static_cast<std::size_t>(kMinVideosPerArm) ||
        a.control.size() < static_cast<std::size_t>(kMinVideosPerArm))
      continue;
    MetricResult m;
    m.metric = metric;
    m.itt = compare(a);
    m.status = decide(m.itt, opts.planned_n_per_arm);
    Arms pp = arms_of(videos, metric, true);
    if (pp.test.size() >= static_cast<std::size_t>(kMinVideosPerArm) && pp.test.size() < a.test.size())
      m.per_protocol = compare(pp);
    e.other_metrics.push_back(std::move(m));
  }

  e.warnings = opts.warnings;
  e.cost_usd = opts.cost_usd;
  if (opts.cost_usd && *opts.cost_usd > 0 && e.lift) e.lift_pct_per_dollar = *e.lift * 100.0 / *opts.cost_usd;
  e.explanation = explain(e.status, e.itt, opts.planned_n_per_arm);
  if (e.per_protocol && e.per_protocol->defined)
    e.explanation += fmt::format(
        " Among the {} test videos that implement the pattern well (score >= 0.7), the lift was {}; this subset is "
        "secondary, the verdict uses every video.",
        e.per_protocol_test_videos, format_lift_ci(*e.per_protocol));
  return e;
}

Evaluation evaluate_test(std::span<const double> test_er, std::span<const double> control_er,
                         std::optional<double> cost_usd) {
  std::vector<VideoObservation> v;
  for (std::size_t i = 0; i < test_er.size(); ++i)
    v.push_back(observation("test-" + std::to_string(i + 1), true, "", test_er[i]));
  for (std::size_t i = 0; i < control_er.size(); ++i)
    v.push_back(observation("control-" + std::to_string(i + 1), false, "", control_er[i]));
  EvaluationOptions o;
  o.cost_usd = cost_usd;
  return evaluate_videos(v, o);
}

std::string roi_line(const Evaluation& e) {
  if (!e.cost_usd) return {};
  if (!e.lift_pct_per_dollar) return fmt::format("ROI: cost ${:.2f}, no lift to relate it to", *e.cost_usd);
  return fmt::format("ROI: {} lift for ${:.2f} = {:.3f} % lift per dollar ({:.1f} % per $100)", format_lift(e.lift),
                     *e.cost_usd, *e.lift_pct_per_dollar, *e.lift_pct_per_dollar * 100.0);
}

namespace {

Json finite_or_null(double v) { return std::isfinite(v) ? json_number(v) : Json(); }

double number_or(const Json& j, const char* key, double fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

}  // namespace

Json to_json(const Comparison& c) {
  return Json{
      {"method", c.method},
      {"defined", c.defined},
      {"n_test", c.n_test},
      {"n_control", c.n_control},
      {"creators", c.creators},
      {"test_geometric_mean", finite_or_null(c.test_geo_mean)},
      {"control_geometric_mean", finite_or_null(c.control_geo_mean)},
      {"log_difference", c.defined ? finite_or_null(c.diff) : Json()},
      {"se", c.defined ? finite_or_null(c.se) : Json()},
      {"df", c.defined ? finite_or_null(c.df) : Json()},
      {"statistic", c.defined ? finite_or_null(c.statistic) : Json()},
      {"p_value", finite_or_null(c.p_value)},
      {"lift", c.defined ? finite_or_null(c.lift()) : Json()},
      {"lift_ci90",
       c.defined ? Json::array({finite_or_null(c.lift_ci90_low()), finite_or_null(c.lift_ci90_high())}) : Json()},
      {"lift_ci95",
       c.defined ? Json::array({finite_or_null(c.lift_ci95_low()), finite_or_null(c.lift_ci95_high())}) : Json()},
      {"creator_variance", c.creator_variance ? json_number(*c.creator_variance) : Json()},
      {"residual_variance", c.residual_variance ? json_number(*c.residual_variance) : Json()},
      {"note", c.note}};
}

Comparison comparison_from_json(const Json& j) {
  Comparison c;
  if (!j.is_object()) return c;
  c.method = j.value("method", std::string());
  c.n_test = static_cast<int>(number_or(j, "n_test", 0));
  c.n_control = static_cast<int>(number_or(j, "n_control", 0));
  c.creators = static_cast<int>(number_or(j, "creators", 0));
  c.test_geo_mean = number_or(j, "test_geometric_mean", 0);
  c.control_geo_mean = number_or(j, "control_geometric_mean", 0);
  c.diff = number_or(j, "log_difference", std::nan(""));
  c.se = number_or(j, "se", std::nan(""));
  c.df = number_or(j, "df", std::nan(""));
  c.note = j.value("note", std::string());
  finish_comparison(c);
  return c;
}

Json to_json(const Evaluation& e) {
  Json metrics = Json::array();
  for (const auto& m : e.other_metrics)
    metrics.push_back({{"metric", m.metric},
                       {"status_if_deciding", status_name(m.status)},
                       {"intention_to_treat", to_json(m.itt)},
                       {"per_protocol", m.per_protocol ? to_json(*m.per_protocol) : Json()}});
  return Json{{"status", status_name(e.status)},
              {"decision_metric", "er"},
              {"n_test", e.n_test},
              {"n_control", e.n_control},
              {"test_mean_er", json_number(e.test_mean_er)},
              {"control_mean_er", json_number(e.control_mean_er)},
              {"lift", e.lift ? json_number(*e.lift) : Json()},
              {"method", e.itt.method},
              {"p_value", e.itt.defined ? json_number(e.itt.p_value) : Json()},
              {"intention_to_treat", to_json(e.itt)},
              {"per_protocol", e.per_protocol ? to_json(*e.per_protocol) : Json()},
              {"per_protocol_test_videos", e.per_protocol_test_videos},
              {"unscored_test_videos", e.unscored_test_videos},
              {"other_metrics", metrics},
              {"planned_n_per_arm", e.planned_n_per_arm ? Json(*e.planned_n_per_arm) : Json()},
              {"reached_plan", e.reached_plan},
              {"cost_usd", e.cost_usd ? json_number(*e.cost_usd) : Json()},
              {"lift_pct_per_dollar", e.lift_pct_per_dollar ? json_number(*e.lift_pct_per_dollar) : Json()},
              {"roi", roi_line(e)},
              {"warnings", e.warnings},
              {"explanation", e.explanation}};
}

}  // namespace rumi::validate
