#include "validate/pattern_confidence.h"

#include <cmath>
#include <fmt/format.h>

#include "core/json.h"
#include "core/time_util.h"
#include "store/validation.h"
#include "validate/evaluation.h"
#include "validate/strategy_brief.h"

namespace rumi::validate {

std::map<std::string, PatternValidation> aggregate_pattern_validations(std::span<const TestOutcome> outcomes) {
  std::map<std::string, PatternValidation> out;
  std::map<std::string, std::pair<double, int>> lift_sums;
  for (const auto& t : outcomes) {
    if (t.status != "validated" && t.status != "inconclusive" && t.status != "rejected") continue;
    for (std::size_t i = 0; i < t.features.size(); ++i) {
      PatternValidation& v = out[t.features[i]];
      v.feature = t.features[i];
      if (v.description.empty() && i < t.descriptions.size()) v.description = t.descriptions[i];
      ++v.tests;
      if (t.status == "validated") ++v.successful;
      if (t.status == "rejected") ++v.rejected;
      if (t.lift && std::isfinite(*t.lift)) {
        lift_sums[v.feature].first += *t.lift;
        ++lift_sums[v.feature].second;
      }
      if (t.evaluated_at > v.last_tested) v.last_tested = t.evaluated_at;
    }
  }
  for (auto& [feature, v] : out) {
    auto it = lift_sums.find(feature);
    if (it != lift_sums.end() && it->second.second > 0) v.average_lift = it->second.first / it->second.second;
    const double lift = v.average_lift.value_or(std::nan(""));
    if (v.successful > 0 && v.successful > v.rejected && lift > kValidatedLift)
      v.status = "proven";
    else if (v.successful == 0 && v.rejected > 0 && lift < kRejectedLift)
      v.status = "rejected";
    else
      v.status = "inconclusive";
  }
  return out;
}

void refresh_pattern_validations(store::Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  std::vector<TestOutcome> outcomes;
  for (const auto& t : store::list_brief_tests(db, client_id, hashtag_id)) {
    if (t.status == "pending") continue;
    TestOutcome o;
    for (const auto& c : pattern_conditions_from_json(parse_json(t.patterns_json, "test " + t.id), "test " + t.id)) {
      o.features.push_back(c.feature);
      o.descriptions.push_back(c.phrase);
    }
    o.status = t.status;
    o.lift = t.performance_lift;
    o.evaluated_at = t.evaluated_at.value_or("");
    outcomes.push_back(std::move(o));
  }
  std::vector<store::PatternValidationRow> rows;
  const std::string now = format_iso8601_utc(now_unix());
  for (const auto& [feature, v] : aggregate_pattern_validations(outcomes)) {
    store::PatternValidationRow r;
    r.client_id = client_id;
    r.hashtag_id = hashtag_id;
    r.feature = feature;
    r.description = v.description;
    r.total_tests = v.tests;
    r.successful_tests = v.successful;
    r.rejected_tests = v.rejected;
    r.average_lift = v.average_lift;
    r.status = v.status;
    if (!v.last_tested.empty()) r.last_tested = v.last_tested;
    r.updated_at = now;
    rows.push_back(std::move(r));
  }
  store::replace_pattern_validations(db, client_id, hashtag_id, rows);
}

std::map<std::string, PatternValidation> pattern_validations(store::Database& db, std::int64_t client_id,
                                                             std::int64_t hashtag_id) {
  std::map<std::string, PatternValidation> out;
  for (const auto& r : store::list_pattern_validations(db, client_id, hashtag_id)) {
    PatternValidation v;
    v.feature = r.feature;
    v.description = r.description;
    v.status = r.status;
    v.tests = r.total_tests;
    v.successful = r.successful_tests;
    v.rejected = r.rejected_tests;
    v.average_lift = r.average_lift;
    v.last_tested = r.last_tested.value_or("");
    out.emplace(r.feature, std::move(v));
  }
  return out;
}

std::string validation_phrase(const PatternValidation& v) {
  const std::string tests = fmt::format("{} controlled test{}", v.tests, v.tests == 1 ? "" : "s");
  const std::string lift = v.average_lift ? fmt::format("{:+.0f} %", *v.average_lift * 100.0) : "no lift measured";
  if (v.status == "proven") return fmt::format("validated in {}: {}", tests, lift);
  if (v.status == "rejected") return fmt::format("rejected in {}: {}", tests, lift);
  return fmt::format("inconclusive after {}: {}", tests, lift);
}

}  // namespace rumi::validate
