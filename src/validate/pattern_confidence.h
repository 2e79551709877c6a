#pragma once
// What the controlled tests taught us about each pattern, per client, hashtag and bucket. Reports
// call pattern_validations() to say "validated in 2 controlled tests: +41 %", to drop rejected
// patterns from strategies, and to build affiliate briefs only from proven strategies.
//
// Results are keyed by (bucket, feature): repeat tests of one key are pooled (inverse-variance
// weighting of each test's log-ER difference), and a pattern is never pooled across buckets.
// The pooled comparison gets the same rules as a single test (evaluation.h):
//   proven       pooled lift > +25 % and p < 0.05
//   rejected     upper bound of the pooled 90 % CI below +10 %
//   inconclusive everything else, and anything below the largest planned size per arm
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/database.h"
#include "validate/test_statistics.h"

namespace rumi::validate {

struct PatternValidation {
  std::string bucket;  // '' for results from before buckets were recorded
  std::string feature;
  std::string description;               // the pattern's phrase when the brief had one
  std::string status;                    // proven / inconclusive / rejected
  int tests = 0;                         // evaluated tests that implemented it
  int successful = 0;                    // of them validated
  int rejected = 0;                      // of them rejected
  std::optional<double> average_lift;    // fraction: the pooled lift (kept under its old name)
  std::string last_tested;               // ISO time of the newest evaluation
  Comparison pooled;                     // the pooled comparison of every test of this key
  std::optional<int> planned_n_per_arm;  // the largest plan among the tests
};

// One evaluated test as the aggregation sees it.
struct TestOutcome {
  std::string bucket;
  std::vector<std::string> features;
  std::vector<std::string> descriptions;  // parallel to features, may be empty strings
  std::string status;                     // validated / inconclusive / rejected (pending ignored)
  std::optional<double> lift;
  std::string evaluated_at;
  std::optional<Comparison> comparison;  // the test's intention-to-treat comparison on log ER
  std::optional<int> planned_n_per_arm;
};

using PatternKey = std::pair<std::string, std::string>;  // (bucket, feature)
std::map<PatternKey, PatternValidation> aggregate_pattern_validations(std::span<const TestOutcome> outcomes);

// Recomputes pattern_validation_results of (client, hashtag) from every evaluated test, so
// re-evaluating a test (--force) never double counts.
void refresh_pattern_validations(store::Database& db, std::int64_t client_id, std::int64_t hashtag_id);

// The stored aggregate by (bucket, feature). Empty when no test was evaluated.
std::map<PatternKey, PatternValidation> pattern_validations_by_bucket(store::Database& db, std::int64_t client_id,
                                                                      std::int64_t hashtag_id);
// By feature, for callers that do not yet look at buckets: where a feature was tested in several
// buckets, the bucket with the most tests (then the newest) speaks for it; its phrase names the
// bucket. Prefer pattern_validations_by_bucket.
std::map<std::string, PatternValidation> pattern_validations(store::Database& db, std::int64_t client_id,
                                                             std::int64_t hashtag_id);

// "validated in 2 controlled tests: +41 % (90 % CI +12 % to +78 %, 16-30s videos)",
// "rejected in 1 controlled test: +3 % (...)", "inconclusive after 1 controlled test: +18 % (...)".
std::string validation_phrase(const PatternValidation& v);

}  // namespace rumi::validate
