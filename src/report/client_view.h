#pragma once
// The client view's inputs and what it derives from them (report/client_report.h): each
// hashtag as its latest report on or before the client report's date left it, what holds across
// hashtags, the evidence-backed findings, the testing roadmap and the budget mix. Nothing here
// recomputes a statistic: it reads what the hashtag reports wrote and combines it.
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/pattern.h"
#include "core/workspace.h"
#include "report/client_replication.h"
#include "report/client_report.h"
#include "report/pattern_validation.h"
#include "report/report_inputs.h"

namespace rumi::report::client {

// One row of a hashtag's bucket ranking (bucket_performance_report.json).
struct RankedBucket {
  Bucket bucket{};
  int rank = 0;
  bool ranked = false;
  int mix_percent = 0;
  int sample_size = 0;
  std::string verdict;
  double avg_er = std::numeric_limits<double>::quiet_NaN();  // percent; NaN when the report has none
  // In the report's leading tier: no significant step separates it from the best bucket
  // (`leading_buckets`; a report without that list: tier 1).
  bool leading = false;
};

// One strategy of a hashtag (strategies/index.json + its strategy_NN.json).
struct StrategyRef {
  std::string id, title;
  Bucket bucket{};
  Evidence evidence = Evidence::none;
  int rank = 0;
  std::string primary_feature;
  std::string validation;  // "" (untested), proven, inconclusive
};

struct ClientHashtag {
  std::string slug, name;
  std::string report_date;
  std::filesystem::path report_dir;
  HashtagInputs in;                   // validations from the written reports applied
  std::vector<TestedFamily> tested;   // all_elements per tested bucket
  std::vector<RankedBucket> ranking;  // empty when the bucket report is missing
  std::vector<StrategyRef> strategies;
};

struct Finding {
  std::string hashtag;
  Bucket bucket{};
  Pattern p;
  std::string validation;  // validation_suffix
};

struct RoadmapItem {
  const ClientHashtag* h;
  const StrategyRef* s;
  bool across = false;
};

struct Roadmap {
  std::vector<RoadmapItem> queue;   // the tests to run, in order, at most kRoadmapTests
  std::vector<RoadmapItem> proven;  // ready for affiliates
};

struct BudgetMix {
  Json buckets = Json::array();  // {bucket, percent} for each bucket ranked in some hashtag
  int with_ranking = 0;          // hashtags whose report has a bucket ranking
};

// Everything the client report says, derived from the hashtags' written reports.
struct ClientView {
  std::vector<ClientHashtag> tags;
  ReplicationResult rep;
  std::vector<Finding> findings;
  Roadmap roadmap;  // points into tags
  BudgetMix mix;
};

bool valid_date(std::string_view d);

int total_videos(const HashtagInputs& in);

// The reported hashtags; the names of both kinds go into `sum`. UsageError when the client folder
// is missing or no hashtag has a report on or before the date; InputError naming the file on a
// malformed input.
std::vector<ClientHashtag> load_hashtags(const Workspace& ws, std::string_view client_slug, const std::string& client,
                                         const ClientReportOptions& opt, ClientReportSummary& sum);

// What holds across hashtags (client_replication.h), rejected patterns left out.
ReplicationResult replicate(const std::vector<ClientHashtag>& tags);

// The validation suffix of one hashtag's test, from that hashtag's validations.
std::string test_suffix(const std::vector<ClientHashtag>& tags, const HashtagTest& t);

// Every STRONG / MODERATE pattern of every hashtag and bucket.
std::vector<Finding> collect_findings(const std::vector<ClientHashtag>& tags);

// A cross-hashtag element that is, in every hashtag where it is evidence-backed, the same signal
// as a stronger element of that bucket (idea_root_of, report_inputs.h): the report lists the
// stronger one and does not repeat it.
bool is_echo(const std::vector<ClientHashtag>& tags, const CrossElement& e);

// The items point into `tags`, which must outlive the roadmap unchanged.
Roadmap build_roadmap(const std::vector<ClientHashtag>& tags, const ReplicationResult& rep);

// Each hashtag's recommended mix, the hashtags weighted equally.
BudgetMix budget_mix(const std::vector<ClientHashtag>& tags);

}  // namespace rumi::report::client
