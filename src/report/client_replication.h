#pragma once
// What holds across a client's hashtags (the client view, docs/reporting.md "Client view").
//
// The rule: an element holds across hashtags when, in one duration bucket, it was tested in at
// least two of the client's hashtags and in every hashtag where it was tested it is significant
// after that hashtag's correction (q < 0.05) with the same direction. An element significant in
// one hashtag and not significant, or reversed, in another tested one does not hold. An element
// tested in one hashtag only (the bucket had too few videos elsewhere, or the element was not
// measured there) is neither: it stays a per-hashtag finding.
//
// The error rate across all hashtags x buckets: every hashtag x bucket is its own BH family
// (stats/pattern_finder.h), and BH only passes an element with p <= 0.05 * R / m <= 0.05, so an
// element without any real effect passes one family with probability at most 0.05, at most 0.025
// in a given direction (two-sided tests). Hashtags are different videos, so a chance replication
// over k hashtags has probability at most 2 * 0.025^k. Summed over the C candidates (elements
// tested in the same bucket of k >= 2 hashtags) this is the number of replications one would
// expect by chance alone. Each element that holds also carries its own chance bound from its q
// values, 2 * prod(q_i / 2) (q_i >= p_i, so it is conservative), Bonferroni-corrected over the C
// candidates: min(1, C * 2 * prod(q_i / 2)).
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/pattern.h"

namespace rumi::report {

inline constexpr double kReplicationAlpha = 0.05;

// Every element one hashtag tested in one bucket (the patterns file's `all_elements`).
struct TestedFamily {
  std::string hashtag;  // display form, "#nutrition"
  Bucket bucket{};
  std::vector<Pattern> elements;
};

struct HashtagTest {
  std::string hashtag;
  Pattern pattern;
};

struct CrossElement {
  Bucket bucket{};
  std::string feature;
  std::vector<HashtagTest> tests;  // every hashtag that tested it in this bucket, in family order
  bool holds = false;
  double chance_bound = 1;  // holds only: 2 * prod(q_i / 2)
  double corrected = 1;     // holds only: min(1, candidates * chance_bound)
};

struct ReplicationResult {
  int hashtags = 0;                         // distinct hashtags with at least one tested family
  int families = 0;                         // hashtag x bucket families with at least one tested element
  int tests = 0;                            // elements tested, summed over the families
  int candidates = 0;                       // (bucket, element) pairs tested in >= 2 hashtags
  double expected_by_chance = 0;            // sum over candidates of 2 * (alpha / 2)^k
  std::vector<CrossElement> holds;          // strongest (smallest chance bound) first
  std::vector<CrossElement> does_not_hold;  // significant somewhere, not everywhere; bucket order
};

bool significant(const Pattern& p, double alpha = kReplicationAlpha);
ReplicationResult find_replications(const std::vector<TestedFamily>& families, double alpha = kReplicationAlpha);

}  // namespace rumi::report
