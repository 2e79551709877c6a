#pragma once
// What the controlled tests taught us about each pattern, per client and hashtag. Reports call
// pattern_validations() to say "validated in 2 controlled tests: +41 %", to drop rejected
// patterns from strategies, and to build affiliate briefs only from proven strategies.
//
// A pattern's status aggregates every evaluated test whose brief implemented it:
//   proven       at least one validated test, more validated than rejected tests, and an
//                average lift above 25 %
//   rejected     no validated test, at least one rejected test, and an average lift below 10 %
//   inconclusive everything else (mixed results, or only inconclusive tests so far)
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/database.h"

namespace rumi::validate {

struct PatternValidation {
  std::string feature;
  std::string description;  // the pattern's phrase when the brief had one
  std::string status;       // proven / inconclusive / rejected
  int tests = 0;            // evaluated tests that implemented it
  int successful = 0;       // of them validated
  int rejected = 0;         // of them rejected
  std::optional<double> average_lift;  // fraction, mean over the tests with a lift
  std::string last_tested;             // ISO time of the newest evaluation
};

// One evaluated test as the aggregation sees it.
struct TestOutcome {
  std::vector<std::string> features;
  std::vector<std::string> descriptions;  // parallel to features, may be empty strings
  std::string status;                     // validated / inconclusive / rejected (pending ignored)
  std::optional<double> lift;
  std::string evaluated_at;
};

std::map<std::string, PatternValidation> aggregate_pattern_validations(std::span<const TestOutcome> outcomes);

// Recomputes pattern_validation_results of (client, hashtag) from every evaluated test, so
// re-evaluating a test (--force) never double counts.
void refresh_pattern_validations(store::Database& db, std::int64_t client_id, std::int64_t hashtag_id);

// The stored aggregate, by feature. Empty when no test was evaluated.
std::map<std::string, PatternValidation> pattern_validations(store::Database& db, std::int64_t client_id,
                                                             std::int64_t hashtag_id);

// "validated in 2 controlled tests: +41 %", "rejected in 1 controlled test: +3 %",
// "inconclusive after 1 controlled test: +18 %".
std::string validation_phrase(const PatternValidation& v);

}  // namespace rumi::validate
