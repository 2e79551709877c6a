#include "report/client_replication.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace rumi::report {

bool significant(const Pattern& p, double alpha) { return std::isfinite(p.q_value) && p.q_value < alpha; }

ReplicationResult find_replications(const std::vector<TestedFamily>& families, double alpha) {
  ReplicationResult r;
  std::set<std::string> tags;
  // (bucket, feature) -> tests, in the order families are given (the caller's hashtag order).
  std::map<std::pair<int, std::string>, std::vector<HashtagTest>> by_element;
  for (const auto& f : families) {
    if (f.elements.empty()) continue;
    tags.insert(f.hashtag);
    ++r.families;
    std::set<std::string> seen;  // a family lists an element once; guard against a doubled entry
    for (const auto& p : f.elements) {
      if (!seen.insert(p.feature).second) continue;
      ++r.tests;
      by_element[{static_cast<int>(f.bucket), p.feature}].push_back({f.hashtag, p});
    }
  }
  r.hashtags = static_cast<int>(tags.size());
  for (auto& [key, tests] : by_element) {
    if (tests.size() < 2) continue;
    ++r.candidates;
    r.expected_by_chance += 2 * std::pow(alpha / 2, static_cast<double>(tests.size()));
  }
  for (auto& [key, tests] : by_element) {
    if (tests.size() < 2) continue;
    CrossElement e;
    e.bucket = static_cast<Bucket>(key.first);
    e.feature = key.second;
    e.tests = tests;
    bool all = true, any = false;
    for (const auto& t : tests) {
      const bool sig = significant(t.pattern, alpha);
      any |= sig;
      all &= sig && t.pattern.direction == tests.front().pattern.direction;
    }
    if (all) {
      e.holds = true;
      e.chance_bound = 2;
      for (const auto& t : tests) e.chance_bound *= t.pattern.q_value / 2;
      e.corrected = std::min(1.0, r.candidates * e.chance_bound);
      r.holds.push_back(std::move(e));
    } else if (any) {
      r.does_not_hold.push_back(std::move(e));
    }
  }
  std::stable_sort(r.holds.begin(), r.holds.end(),
                   [](const CrossElement& a, const CrossElement& b) { return a.chance_bound < b.chance_bound; });
  return r;
}

}  // namespace rumi::report
