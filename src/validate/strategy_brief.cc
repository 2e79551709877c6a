#include "validate/strategy_brief.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/time_util.h"

namespace rumi::validate {

namespace {

std::optional<double> number_or_null(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string string_or_empty(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_date_dir(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return name.size() == 10 && parse_iso8601_utc(name).has_value();
}

}  // namespace

Json to_json(const PatternCondition& c) {
  return Json{{"feature", c.feature},
              {"direction", c.direction},
              {"top_mean", Json(c.top_mean ? Json(*c.top_mean) : Json())},
              {"rest_mean", Json(c.rest_mean ? Json(*c.rest_mean) : Json())},
              {"lift", Json(c.lift ? Json(*c.lift) : Json())},
              {"evidence", c.evidence},
              {"phrase", c.phrase}};
}

PatternCondition pattern_condition_from_json(const Json& j, std::string_view file, std::string_view record) {
  if (!j.is_object()) throw InputError(file, record, "patterns", "pattern is not an object");
  PatternCondition c;
  c.feature = string_or_empty(j, "feature");
  if (c.feature.empty()) throw InputError(file, record, "feature", "missing or not a string");
  if (std::string d = string_or_empty(j, "direction"); !d.empty()) c.direction = d;
  c.top_mean = number_or_null(j, "top_mean");
  c.rest_mean = number_or_null(j, "rest_mean");
  c.lift = number_or_null(j, "lift");
  c.evidence = string_or_empty(j, "evidence");
  c.phrase = string_or_empty(j, "phrase");
  return c;
}

std::vector<PatternCondition> pattern_conditions_from_json(const Json& array, std::string_view file) {
  std::vector<PatternCondition> out;
  if (!array.is_array()) return out;
  for (std::size_t i = 0; i < array.size(); ++i)
    out.push_back(pattern_condition_from_json(array[i], file, "pattern " + std::to_string(i + 1)));
  return out;
}

std::filesystem::path find_strategy_file(const std::filesystem::path& hashtag_dir, int number) {
  const std::filesystem::path reports = hashtag_dir / "reports";
  std::vector<std::filesystem::path> dates;
  std::error_code ec;
  if (std::filesystem::is_directory(reports, ec))
    for (const auto& e : std::filesystem::directory_iterator(reports, ec))
      if (e.is_directory() && is_date_dir(e.path())) dates.push_back(e.path());
  std::sort(dates.rbegin(), dates.rend());
  const std::string padded = fmt::format("strategy_{:02d}.json", number);
  const std::string plain = fmt::format("strategy_{}.json", number);
  for (const auto& d : dates)
    for (const auto& name : {padded, plain})
      if (std::filesystem::is_regular_file(d / "strategies" / name, ec)) return d / "strategies" / name;
  throw UsageError(fmt::format(
      "no strategy {} found: looked for {}/<date>/strategies/{} ({} report date(s)); run 'rumi report' first "
      "or pass --strategy-file",
      number, reports.string(), padded, dates.size()));
}

StrategyBrief read_strategy_brief(const std::filesystem::path& file, int number) {
  const std::string name = file.string();
  StrategyBrief b;
  b.file = file;
  b.document = read_json_file(file);
  if (!b.document.is_object()) throw InputError(name, "document", "(root)", "a strategy must be a JSON object");
  b.number = number;
  if (auto n = b.document.find("number"); n != b.document.end() && n->is_number_integer()) b.number = n->get<int>();
  b.title = string_or_empty(b.document, "title");
  // The report stage writes target_bucket (report/strategies.h strategy_json); hand-made briefs say bucket.
  b.bucket = string_or_empty(b.document, "target_bucket");
  if (b.bucket.empty()) b.bucket = string_or_empty(b.document, "bucket");
  // The report stage calls them "patterns"; tolerate the older "elements" naming as well.
  for (const char* key : {"patterns", "elements"}) {
    auto it = b.document.find(key);
    if (it == b.document.end() || !it->is_array()) continue;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& p = (*it)[i];
      if (!p.is_object() || string_or_empty(p, "feature").empty()) continue;  // prose-only entries
      b.patterns.push_back(pattern_condition_from_json(p, name, std::string(key) + " " + std::to_string(i + 1)));
    }
    if (!b.patterns.empty()) break;
  }
  if (b.patterns.empty())
    throw InputError(name, "document", "patterns",
                     "the strategy names no pattern with a 'feature'; nothing to validate");
  return b;
}

}  // namespace rumi::validate
