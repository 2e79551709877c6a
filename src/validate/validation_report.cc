#include "validate/validation_report.h"

#include <fmt/format.h>
#include <sstream>

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

}  // namespace

std::string render_validation_report(store::Database& db, const store::ClientRow& client,
                                     const store::HashtagRow& hashtag, std::string_view date) {
  const auto tests = store::list_brief_tests(db, client.id, hashtag.id);
  const auto patterns = pattern_validations(db, client.id, hashtag.id);
  std::ostringstream o;
  o << "# Validation report: " << cell(hashtag.name) << " (" << cell(client.name) << ")\n\n";
  o << "Date: " << date << "\n\n";
  o << "Each strategy is filmed by Billo creators as test videos (with the pattern) and control videos (same "
       "content without it). After the measurement window we compare engagement rate (likes + comments + shares "
       "per 100 views). A test is **validated** when the pattern lifts engagement by more than 25 % and the "
       "difference is statistically significant (Welch t-test p < 0.05), **rejected** when the lift is below 10 %, "
       "and **inconclusive** otherwise.\n\n";

  int validated = 0, rejected = 0, inconclusive = 0, pending = 0;
  for (const auto& t : tests) {
    if (t.status == "validated") ++validated;
    else if (t.status == "rejected") ++rejected;
    else if (t.status == "inconclusive") ++inconclusive;
    else ++pending;
  }
  o << "## Summary\n\n";
  o << fmt::format("{} test(s): {} validated, {} inconclusive, {} rejected, {} pending.\n\n", tests.size(), validated,
                   inconclusive, rejected, pending);

  o << "## Tests\n\n";
  if (tests.empty()) {
    o << "No validation tests yet. Create one with `rumi validate create CLIENT HASHTAG --strategy N`.\n\n";
  } else {
    o << "| Test | Strategy | Bucket | Status | Test ER | Control ER | Lift | Welch p | Mann-Whitney p | Videos | ROI |\n";
    o << "|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& t : tests) {
      Json r = t.result_json ? parse_json(*t.result_json, "test " + t.id) : Json::object();
      const std::string title = t.strategy_title.empty() ? std::to_string(t.strategy_number)
                                                         : std::to_string(t.strategy_number) + ". " + t.strategy_title;
      std::string mw = "-";
      if (r.contains("mann_whitney_u")) mw = number_or_dash(r["mann_whitney_u"], "p_value", "{:.3g}");
      std::string welch = t.p_value ? fmt::format("{:.3g}", *t.p_value) : "-";
      std::string videos = r.contains("n_test") ? fmt::format("{} test / {} control", r["n_test"].get<int>(),
                                                              r["n_control"].get<int>())
                                                : "-";
      std::string roi = number_or_dash(r, "lift_pct_per_dollar", "{:.3f} %/$");
      o << "| " << t.id << " | " << cell(title) << " | " << cell(t.bucket) << " | " << t.status << " | "
        << number_or_dash(r, "test_mean_er", "{:.2f} %") << " | " << number_or_dash(r, "control_mean_er", "{:.2f} %")
        << " | " << format_lift(t.performance_lift) << " | " << welch << " | " << mw << " | " << videos << " | " << roi
        << " |\n";
    }
    o << "\n";
    for (const auto& t : tests) {
      if (!t.result_json) continue;
      Json r = parse_json(*t.result_json, "test " + t.id);
      o << "- **" << t.id << "**: " << cell(r.value("explanation", "")) << "\n";
      if (std::string roi = r.value("roi", ""); !roi.empty()) o << "  " << roi << "\n";
    }
    o << "\n";
  }

  o << "## What the tests taught about each pattern\n\n";
  if (patterns.empty()) {
    o << "No pattern has been through an evaluated test yet.\n\n";
  } else {
    o << "| Pattern | Status | Tests | Validated | Rejected | Average lift | In plain words |\n";
    o << "|---|---|---|---|---|---|---|\n";
    for (const auto& [feature, v] : patterns)
      o << "| " << cell(v.description.empty() ? feature : v.description + " (`" + feature + "`)") << " | " << v.status
        << " | " << v.tests << " | " << v.successful << " | " << v.rejected << " | " << format_lift(v.average_lift)
        << " | " << validation_phrase(v) << " |\n";
    o << "\n";
    auto list = [&](const char* status, const char* heading, const char* none) {
      o << "### " << heading << "\n\n";
      bool any = false;
      for (const auto& [feature, v] : patterns)
        if (v.status == status) {
          o << "- " << cell(v.description.empty() ? feature : v.description) << ": " << validation_phrase(v) << "\n";
          any = true;
        }
      if (!any) o << none << "\n";
      o << "\n";
    };
    list("proven", "Proven: brief affiliates on these", "None yet.");
    list("rejected", "Rejected: dropped from the strategies", "None.");
    list("inconclusive", "Inconclusive: test again with more videos", "None.");
  }
  return o.str();
}

std::filesystem::path write_validation_report(store::Database& db, const Workspace& ws,
                                              const store::ClientRow& client, const store::HashtagRow& hashtag,
                                              std::string_view date) {
  const std::filesystem::path dir = ws.reports_dir(client.slug, hashtag.slug, date);
  ensure_directory(dir);
  const std::filesystem::path file = dir / "validation_report.md";
  write_file_atomic(file, render_validation_report(db, client, hashtag, date));
  return file;
}

}  // namespace rumi::validate
