#include "validate/pattern_confidence.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "core/json.h"
#include "core/time_util.h"
#include "store/validation.h"
#include "validate/evaluation.h"
#include "validate/strategy_brief.h"

namespace rumi::validate {

std::map<PatternKey, PatternValidation> aggregate_pattern_validations(std::span<const TestOutcome> outcomes) {
  std::map<PatternKey, PatternValidation> out;
  std::map<PatternKey, std::vector<Comparison>> parts;
  for (const auto& t : outcomes) {
    if (t.status != "validated" && t.status != "inconclusive" && t.status != "rejected") continue;
    for (std::size_t i = 0; i < t.features.size(); ++i) {
      const PatternKey key{t.bucket, t.features[i]};
      PatternValidation& v = out[key];
      v.bucket = t.bucket;
      v.feature = t.features[i];
      if (v.description.empty() && i < t.descriptions.size()) v.description = t.descriptions[i];
      ++v.tests;
      if (t.status == "validated") ++v.successful;
      if (t.status == "rejected") ++v.rejected;
      if (t.planned_n_per_arm) v.planned_n_per_arm = std::max(v.planned_n_per_arm.value_or(0), *t.planned_n_per_arm);
      if (t.comparison) parts[key].push_back(*t.comparison);
      if (t.evaluated_at > v.last_tested) v.last_tested = t.evaluated_at;
    }
  }
  for (auto& [key, v] : out) {
    v.pooled = pool_comparisons(parts[key]);
    if (v.pooled.defined) v.average_lift = v.pooled.lift();
    // One rule for one test and for many: the pooled evidence decides, not a vote of verdicts.
    switch (decide(v.pooled, v.planned_n_per_arm)) {
      case TestStatus::validated: v.status = "proven"; break;
      case TestStatus::rejected: v.status = "rejected"; break;
      default: v.status = "inconclusive"; break;
    }
  }
  return out;
}

void refresh_pattern_validations(store::Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  std::vector<TestOutcome> outcomes;
  for (const auto& t : store::list_brief_tests(db, client_id, hashtag_id)) {
    if (t.status == "pending") continue;
    TestOutcome o;
    o.bucket = t.bucket;
    for (const auto& c : pattern_conditions_from_json(parse_json(t.patterns_json, "test " + t.id), "test " + t.id)) {
      o.features.push_back(c.feature);
      o.descriptions.push_back(c.phrase);
    }
    o.status = t.status;
    o.lift = t.performance_lift;
    o.evaluated_at = t.evaluated_at.value_or("");
    o.planned_n_per_arm = t.planned_n_per_arm;
    // Results stored before issue 17 have no log-scale comparison: they count as tests but carry
    // no evidence into the pool.
    if (t.result_json) {
      const Json r = parse_json(*t.result_json, "test " + t.id);
      if (auto it = r.find("intention_to_treat"); it != r.end()) o.comparison = comparison_from_json(*it);
      if (auto it = r.find("planned_n_per_arm"); it != r.end() && it->is_number_integer())
        o.planned_n_per_arm = it->get<int>();
    }
    outcomes.push_back(std::move(o));
  }
  std::vector<store::PatternValidationRow> rows;
  const std::string now = format_iso8601_utc(now_unix());
  for (const auto& [key, v] : aggregate_pattern_validations(outcomes)) {
    store::PatternValidationRow r;
    r.client_id = client_id;
    r.hashtag_id = hashtag_id;
    r.bucket = v.bucket;
    r.feature = v.feature;
    r.description = v.description;
    r.total_tests = v.tests;
    r.successful_tests = v.successful;
    r.rejected_tests = v.rejected;
    r.average_lift = v.average_lift;
    r.status = v.status;
    if (!v.last_tested.empty()) r.last_tested = v.last_tested;
    r.updated_at = now;
    Json pooled = to_json(v.pooled);
    pooled["planned_n_per_arm"] = v.planned_n_per_arm ? Json(*v.planned_n_per_arm) : Json();
    r.pooled_json = pooled.dump();
    rows.push_back(std::move(r));
  }
  store::replace_pattern_validations(db, client_id, hashtag_id, rows);
}

std::map<PatternKey, PatternValidation> pattern_validations_by_bucket(store::Database& db, std::int64_t client_id,
                                                                      std::int64_t hashtag_id) {
  std::map<PatternKey, PatternValidation> out;
  for (const auto& r : store::list_pattern_validations(db, client_id, hashtag_id)) {
    PatternValidation v;
    v.bucket = r.bucket;
    v.feature = r.feature;
    v.description = r.description;
    v.status = r.status;
    v.tests = r.total_tests;
    v.successful = r.successful_tests;
    v.rejected = r.rejected_tests;
    v.average_lift = r.average_lift;
    v.last_tested = r.last_tested.value_or("");
    if (r.pooled_json) {
      const Json j = parse_json(*r.pooled_json, "pattern_validation_results " + r.feature);
      v.pooled = comparison_from_json(j);
      if (auto it = j.find("planned_n_per_arm"); it != j.end() && it->is_number_integer())
        v.planned_n_per_arm = it->get<int>();
    }
    out.emplace(PatternKey{r.bucket, r.feature}, std::move(v));
  }
  return out;
}

std::map<std::string, PatternValidation> pattern_validations(store::Database& db, std::int64_t client_id,
                                                             std::int64_t hashtag_id) {
  std::map<std::string, PatternValidation> out;
  for (auto& [key, v] : pattern_validations_by_bucket(db, client_id, hashtag_id)) {
    auto it = out.find(key.second);
    if (it == out.end())
      out.emplace(key.second, std::move(v));
    else if (v.tests > it->second.tests || (v.tests == it->second.tests && v.last_tested > it->second.last_tested))
      it->second = std::move(v);
  }
  return out;
}

std::string validation_phrase(const PatternValidation& v) {
  const std::string tests = fmt::format("{} controlled test{}", v.tests, v.tests == 1 ? "" : "s");
  const std::string lift = v.average_lift ? fmt::format("{:+.0f} %", *v.average_lift * 100.0) : "no lift measured";
  std::string detail;
  if (v.pooled.defined)
    detail =
        fmt::format("90 % CI {:+.0f} % to {:+.0f} %", v.pooled.lift_ci90_low() * 100, v.pooled.lift_ci90_high() * 100);
  if (!v.bucket.empty()) detail += (detail.empty() ? "" : ", ") + v.bucket + " videos";
  if (!detail.empty()) detail = " (" + detail + ")";
  if (v.status == "proven") return fmt::format("validated in {}: {}{}", tests, lift, detail);
  if (v.status == "rejected") return fmt::format("rejected in {}: {}{}", tests, lift, detail);
  return fmt::format("inconclusive after {}: {}{}", tests, lift, detail);
}

}  // namespace rumi::validate
