#include "validate/evaluation.h"

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "stats/descriptive.h"

namespace rumi::validate {

std::string_view status_name(TestStatus s) {
  switch (s) {
    case TestStatus::pending: return "pending";
    case TestStatus::validated: return "validated";
    case TestStatus::inconclusive: return "inconclusive";
    case TestStatus::rejected: return "rejected";
  }
  return "pending";
}

TestStatus parse_status(std::string_view s) {
  for (TestStatus t : {TestStatus::pending, TestStatus::validated, TestStatus::inconclusive, TestStatus::rejected})
    if (status_name(t) == s) return t;
  throw UsageError("unknown validation status '" + std::string(s) + "'");
}

std::string format_lift(std::optional<double> lift) {
  if (!lift || !std::isfinite(*lift)) return "n/a";
  return fmt::format("{:+.1f} %", *lift * 100.0);
}

namespace {

std::string explain(const Evaluation& e) {
  const std::string counts = fmt::format("{} test vs {} control videos", e.n_test, e.n_control);
  const std::string means =
      fmt::format("test videos averaged {:.2f} % engagement, control videos {:.2f} %", e.test_mean_er, e.control_mean_er);
  const std::string p = e.welch.defined ? fmt::format("p = {:.3g}", e.welch.p_value) : "p not defined (no variation)";
  switch (e.status) {
    case TestStatus::validated:
      return fmt::format(
          "Validated: {} ({} lift, {}, {}). The pattern beat the control by more than 25 % and the difference is "
          "unlikely to be chance. Safe to brief affiliates on it.",
          means, format_lift(e.lift), p, counts);
    case TestStatus::rejected:
      return fmt::format(
          "Rejected: {} ({} lift, {}). Filming the pattern did not raise engagement by at least 10 %, so it should "
          "not be recommended; it drops out of the strategies.",
          means, format_lift(e.lift), counts);
    case TestStatus::inconclusive:
      if (!e.lift)
        return fmt::format("Inconclusive: the control videos had no engagement, so no lift can be computed ({}).",
                           counts);
      if (*e.lift > kValidatedLift)
        return fmt::format(
            "Inconclusive: {} ({} lift) looks promising but is not yet statistically significant ({}, needs p < "
            "0.05, {}). Film more test and control videos before telling affiliates.",
            means, format_lift(e.lift), p, counts);
      return fmt::format(
          "Inconclusive: {} ({} lift, {}). Between 10 % and 25 % the effect is too small to call with {}; test "
          "again with more videos.",
          means, format_lift(e.lift), p, counts);
    case TestStatus::pending: break;
  }
  return "Pending: not evaluated yet.";
}

}  // namespace

Evaluation evaluate_test(std::span<const double> test_er, std::span<const double> control_er,
                         std::optional<double> cost_usd) {
  if (test_er.size() < static_cast<std::size_t>(kMinVideosPerArm) ||
      control_er.size() < static_cast<std::size_t>(kMinVideosPerArm))
    throw UsageError(fmt::format(
        "too few measured videos to evaluate: {} test and {} control (need at least {} of each with metrics); "
        "record more videos with 'rumi validate record' and import their metrics",
        test_er.size(), control_er.size(), kMinVideosPerArm));
  Evaluation e;
  e.n_test = static_cast<int>(test_er.size());
  e.n_control = static_cast<int>(control_er.size());
  e.test_mean_er = stats::mean(test_er);
  e.control_mean_er = stats::mean(control_er);
  if (e.control_mean_er > 0) e.lift = e.test_mean_er / e.control_mean_er - 1.0;
  e.welch = stats::welch_t_test(test_er, control_er);
  e.mann_whitney = stats::mann_whitney_u(test_er, control_er);
  if (!e.lift)
    e.status = TestStatus::inconclusive;
  else if (*e.lift < kRejectedLift)
    e.status = TestStatus::rejected;
  else if (*e.lift > kValidatedLift && e.welch.defined && e.welch.p_value < kSignificance)
    e.status = TestStatus::validated;
  else
    e.status = TestStatus::inconclusive;
  e.cost_usd = cost_usd;
  if (cost_usd && *cost_usd > 0 && e.lift) e.lift_pct_per_dollar = *e.lift * 100.0 / *cost_usd;
  e.explanation = explain(e);
  return e;
}

std::string roi_line(const Evaluation& e) {
  if (!e.cost_usd) return {};
  if (!e.lift_pct_per_dollar) return fmt::format("ROI: cost ${:.2f}, no lift to relate it to", *e.cost_usd);
  return fmt::format("ROI: {} lift for ${:.2f} = {:.3f} % lift per dollar ({:.1f} % per $100)", format_lift(e.lift),
                     *e.cost_usd, *e.lift_pct_per_dollar, *e.lift_pct_per_dollar * 100.0);
}

Json to_json(const Evaluation& e) {
  auto test_json = [](const stats::TestResult& t) {
    return Json{{"statistic", json_number(t.statistic)},
                {"p_value", json_number(t.p_value)},
                {"df", json_number(t.df)},
                {"method", t.method},
                {"defined", t.defined}};
  };
  return Json{{"status", status_name(e.status)},
              {"n_test", e.n_test},
              {"n_control", e.n_control},
              {"test_mean_er", json_number(e.test_mean_er)},
              {"control_mean_er", json_number(e.control_mean_er)},
              {"lift", e.lift ? json_number(*e.lift) : Json()},
              {"welch_t", test_json(e.welch)},
              {"mann_whitney_u", test_json(e.mann_whitney)},
              {"cost_usd", e.cost_usd ? json_number(*e.cost_usd) : Json()},
              {"lift_pct_per_dollar", e.lift_pct_per_dollar ? json_number(*e.lift_pct_per_dollar) : Json()},
              {"roi", roi_line(e)},
              {"explanation", e.explanation}};
}

}  // namespace rumi::validate
