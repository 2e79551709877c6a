#include "validate/validation_report.h"

#include <fmt/format.h>
#include <map>
#include <sstream>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"
#include "store/validation.h"
#include "validate/evaluation.h"
#include "validate/pattern_confidence.h"

namespace rumi::validate {

namespace {

std::string cell(std::string s) {
  for (char& c : s)
    if (c == '|' || c == '\n') c = ' ';
  return s;
}

std::string number_or_dash(const Json& j, const char* key, const char* format) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return "-";
  return fmt::format(fmt::runtime(format), it->get<double>());
}

using Tests = std::vector<store::BriefTestRow>;
using Patterns = std::map<PatternKey, PatternValidation>;

void write_method(std::ostringstream& o) {
  o << "Each strategy is filmed by Billo creators as test videos (with the pattern) and control videos (same "
       "content without it), posted on the same day and measured at the same age. We compare the log of the "
       "engagement rate (likes + comments + shares per 100 views): paired within creator when creators filmed both "
       "arms, otherwise with Welch's t-test. The lift is the ratio of the geometric mean engagement of test to "
       "control videos, minus one. A test is **validated** when the lift is above +25 % with p < 0.05, "
       "**rejected** only when even the upper end of the 90 % confidence interval of the lift is below +10 % "
       "(the data rule out a lift worth having), and **inconclusive** otherwise, including every test that has "
       "not yet reached its planned number of videos per arm. Every measured video counts (intention to treat); "
       "the subset of test videos that implement the pattern well is shown beside it.\n\n";
}

void write_summary(std::ostringstream& o, const Tests& tests) {
  int validated = 0, rejected = 0, inconclusive = 0, pending = 0;
  for (const auto& t : tests) {
    if (t.status == "validated")
      ++validated;
    else if (t.status == "rejected")
      ++rejected;
    else if (t.status == "inconclusive")
      ++inconclusive;
    else
      ++pending;
  }
  o << "## Summary\n\n";
  o << fmt::format("{} test(s): {} validated, {} inconclusive, {} rejected, {} pending.\n\n", tests.size(), validated,
                   inconclusive, rejected, pending);
}

void write_test_row(std::ostringstream& o, const store::BriefTestRow& t) {
  Json r = t.result_json ? parse_json(*t.result_json, "test " + t.id) : Json::object();
  const std::string title = t.strategy_title.empty() ? std::to_string(t.strategy_number)
                                                     : std::to_string(t.strategy_number) + ". " + t.strategy_title;
  std::string lift = format_lift(t.performance_lift);
  std::string method = "-";
  if (auto it = r.find("intention_to_treat"); it != r.end() && it->is_object()) {
    const Comparison c = comparison_from_json(*it);
    if (c.defined)
      lift = fmt::format("{} ({} to {})", format_lift(c.lift()), format_lift(c.lift_ci90_low()),
                         format_lift(c.lift_ci90_high()));
    method = it->value("method", "-");
  }
  std::string p = t.p_value ? fmt::format("{:.3g}", *t.p_value) : "-";
  std::string videos = r.contains("n_test")
                           ? fmt::format("{} test / {} control", r["n_test"].get<int>(), r["n_control"].get<int>())
                           : "-";
  if (t.planned_n_per_arm) videos += fmt::format(" ({})", *t.planned_n_per_arm);
  std::string roi = number_or_dash(r, "lift_pct_per_dollar", "{:.3f} %/$");
  o << "| " << t.id << " | " << cell(title) << " | " << cell(t.bucket) << " | " << t.status << " | "
    << number_or_dash(r, "test_mean_er", "{:.2f} %") << " | " << number_or_dash(r, "control_mean_er", "{:.2f} %")
    << " | " << lift << " | " << p << " | " << method << " | " << videos << " | " << roi << " |\n";
}

void write_tests(std::ostringstream& o, const Tests& tests) {
  o << "## Tests\n\n";
  if (tests.empty()) {
    o << "No validation tests yet. Create one with `rumi validate create CLIENT HASHTAG --strategy N`.\n\n";
    return;
  }
  o << "| Test | Strategy | Bucket | Status | Test ER | Control ER | Lift (90 % CI) | p | Method | Videos "
       "(planned per arm) | ROI |\n";
  o << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& t : tests) write_test_row(o, t);
  o << "\n";
  for (const auto& t : tests) {
    if (!t.result_json) continue;
    Json r = parse_json(*t.result_json, "test " + t.id);
    o << "- **" << t.id << "**: " << cell(r.value("explanation", "")) << "\n";
    if (auto w = r.find("warnings"); w != r.end() && w->is_array())
      for (const auto& x : *w) o << "  Warning: " << cell(x.get<std::string>()) << "\n";
    if (std::string roi = r.value("roi", ""); !roi.empty()) o << "  " << roi << "\n";
  }
  o << "\n";
}

// One "### heading" list of the patterns whose pooled status is `status`.
void write_pattern_list(std::ostringstream& o, const Patterns& patterns, const char* status, const char* heading,
                        const char* none) {
  o << "### " << heading << "\n\n";
  bool any = false;
  for (const auto& [key, v] : patterns)
    if (v.status == status) {
      o << "- " << cell(v.description.empty() ? key.second : v.description) << ": " << validation_phrase(v) << "\n";
      any = true;
    }
  if (!any) o << none << "\n";
  o << "\n";
}

void write_patterns(std::ostringstream& o, const Patterns& patterns) {
  o << "## What the tests taught about each pattern\n\n";
  if (patterns.empty()) {
    o << "No pattern has been through an evaluated test yet.\n\n";
    return;
  }
  o << "Repeat tests of one pattern in one bucket are pooled; buckets are never pooled together.\n\n";
  o << "| Pattern | Bucket | Status | Tests | Validated | Rejected | Pooled lift | In plain words |\n";
  o << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& [key, v] : patterns) {
    const std::string& feature = key.second;
    o << "| " << cell(v.description.empty() ? feature : v.description + " (`" + feature + "`)") << " | "
      << cell(v.bucket.empty() ? "-" : v.bucket) << " | " << v.status << " | " << v.tests << " | " << v.successful
      << " | " << v.rejected << " | " << format_lift(v.average_lift) << " | " << validation_phrase(v) << " |\n";
  }
  o << "\n";
  write_pattern_list(o, patterns, "proven", "Proven: brief affiliates on these", "None yet.");
  write_pattern_list(o, patterns, "rejected", "Rejected: dropped from the strategies", "None.");
  write_pattern_list(o, patterns, "inconclusive", "Inconclusive: keep filming up to the planned number of videos",
                     "None.");
}

}  // namespace

std::string render_validation_report(store::Database& db, const store::ClientRow& client,
                                     const store::HashtagRow& hashtag, std::string_view date) {
  const auto tests = store::list_brief_tests(db, client.id, hashtag.id);
  const auto patterns = pattern_validations_by_bucket(db, client.id, hashtag.id);
  std::ostringstream o;
  o << "# Validation report: " << cell(hashtag.name) << " (" << cell(client.name) << ")\n\n";
  o << "Date: " << date << "\n\n";
  write_method(o);
  write_summary(o, tests);
  write_tests(o, tests);
  write_patterns(o, patterns);
  return o.str();
}

std::filesystem::path write_validation_report(store::Database& db, const Workspace& ws, const store::ClientRow& client,
                                              const store::HashtagRow& hashtag, std::string_view date) {
  const std::filesystem::path dir = ws.reports_dir(client.slug, hashtag.slug, date);
  ensure_directory(dir);
  std::filesystem::path file = dir / "validation_report.md";
  write_file_atomic(file, render_validation_report(db, client, hashtag, date));
  return file;
}

}  // namespace rumi::validate
