#include "core/pattern.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace rumi {

std::string_view direction_name(Direction d) { return name_of(kDirectionNames, d); }

Direction parse_direction(std::string_view s) { return parse_enum(kDirectionNames, s, {"", "", "direction"}); }

std::string_view evidence_name(Evidence e) { return name_of(kEvidenceNames, e); }

Evidence parse_evidence(std::string_view s) { return parse_enum(kEvidenceNames, s, {"", "", "evidence"}); }

Json to_json(const Pattern& p) {
  return Json{{"feature", p.feature},
              {"source", p.source},
              {"kind", p.kind},
              {"columns", p.columns},
              {"direction", direction_name(p.direction)},
              {"top_mean", json_number(p.top_mean)},
              {"rest_mean", json_number(p.rest_mean)},
              {"top_median", json_number(p.top_median)},
              {"rest_median", json_number(p.rest_median)},
              {"lift", json_number(p.lift)},
              {"er_favoured", json_number(p.er_favoured)},
              {"er_others", json_number(p.er_others)},
              {"effect_size", json_number(p.effect_size)},
              {"effect_size_kind", p.effect_size_kind},
              {"ci95", Json::array({json_number(p.ci95[0]), json_number(p.ci95[1])})},
              {"test", p.test},
              {"p_value", json_number(p.p_value)},
              {"q_value", json_number(p.q_value)},
              {"evidence", evidence_name(p.evidence)},
              {"exploratory", p.exploratory},
              {"supporting_models", p.supporting_models},
              {"phrase", p.phrase},
              {"sample_size", p.sample_size},
              {"top_count", p.top_count},
              {"top_showing", p.top_showing},
              {"rest_count", p.rest_count},
              {"rest_showing", p.rest_showing},
              {"top_prevalence", json_number(p.top_prevalence)},
              {"details", p.details.is_null() ? Json::object() : p.details}};
}

namespace {
double num(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw InputError("", "pattern", key, "missing");
  if (it->is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!it->is_number()) throw InputError("", "pattern", key, "not a number");
  return it->get<double>();
}
// Optional members: absent (older files) gives the fallback, a wrong type is an InputError.
double opt_num(const Json& j, const char* key, double fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number()) throw InputError("", "pattern", key, "not a number");
  return it->get<double>();
}
int opt_int(const Json& j, const char* key) {
  const double v = opt_num(j, key, 0);
  if (v < 0 || v > 1e9 || v != std::floor(v)) throw InputError("", "pattern", key, "not a count");
  return static_cast<int>(v);
}
std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) throw InputError("", "pattern", key, "missing or not a string");
  return it->get<std::string>();
}
}  // namespace

Pattern pattern_from_json(const Json& j) {
  if (!j.is_object()) throw InputError("", "pattern", "", "not an object");
  Pattern p;
  p.feature = str(j, "feature");
  p.source = str(j, "source");
  p.kind = j.value("kind", "");
  p.direction = parse_direction(str(j, "direction"));
  if (j.contains("columns")) {
    if (!j["columns"].is_array()) throw InputError("", "pattern", "columns", "not a list");
    for (const auto& c : j["columns"]) {
      if (!c.is_string()) throw InputError("", "pattern", "columns", "not a list of names");
      p.columns.push_back(c.get<std::string>());
    }
  }
  if (p.columns.empty()) p.columns.push_back(p.feature);
  p.top_mean = num(j, "top_mean");
  p.rest_mean = num(j, "rest_mean");
  p.top_median = opt_num(j, "top_median", p.top_mean);
  p.rest_median = opt_num(j, "rest_median", p.rest_mean);
  p.lift = num(j, "lift");
  p.er_favoured = opt_num(j, "er_favoured", 0);
  p.er_others = opt_num(j, "er_others", 0);
  p.effect_size = num(j, "effect_size");
  p.effect_size_kind = j.value("effect_size_kind", "");
  if (j.contains("ci95") && j["ci95"].is_array() && j["ci95"].size() == 2) {
    for (int i = 0; i < 2; ++i)
      p.ci95[i] = j["ci95"][i].is_number() ? j["ci95"][i].get<double>() : std::numeric_limits<double>::quiet_NaN();
  }
  p.test = str(j, "test");
  p.p_value = num(j, "p_value");
  p.q_value = num(j, "q_value");
  p.evidence = parse_evidence(str(j, "evidence"));
  if (j.contains("supporting_models")) p.supporting_models = j["supporting_models"].get<std::vector<std::string>>();
  p.phrase = j.value("phrase", "");
  if (j.contains("exploratory") && !j["exploratory"].is_boolean())
    throw InputError("", "pattern", "exploratory", "not true/false");
  p.exploratory = j.value("exploratory", false);
  p.sample_size = opt_int(j, "sample_size");
  p.top_count = opt_int(j, "top_count");
  p.top_showing = opt_int(j, "top_showing");
  p.rest_count = opt_int(j, "rest_count");
  p.rest_showing = opt_int(j, "rest_showing");
  p.top_prevalence = opt_num(j, "top_prevalence", 0);
  p.details = j.value("details", Json::object());
  return p;
}

Json to_json(const BucketPerformance& p) {
  return Json{{"bucket", p.bucket},
              {"sample_size", p.sample_size},
              {"avg_engagement", json_number(p.avg_er)},
              {"median_engagement", json_number(p.median_er)},
              {"std_engagement", json_number(p.std_er)},
              {"top_10pct", json_number(p.p90_er)},
              {"consistency", json_number(p.consistency)},
              {"exploratory", p.exploratory},
              {"insufficient_data", p.insufficient},
              {"cv_r2", p.cv_r2 ? json_number(*p.cv_r2) : Json(nullptr)}};
}

BucketPerformance performance_from_json(const Json& j) {
  BucketPerformance p;
  p.bucket = j.value("bucket", "");
  p.sample_size = j.value("sample_size", 0);
  auto d = [&](const char* k) { return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0; };
  p.avg_er = d("avg_engagement");
  p.median_er = d("median_engagement");
  p.std_er = d("std_engagement");
  p.p90_er = d("top_10pct");
  p.consistency = d("consistency");
  p.exploratory = j.value("exploratory", false);
  p.insufficient = j.value("insufficient_data", false);
  if (j.contains("cv_r2") && j["cv_r2"].is_number()) p.cv_r2 = j["cv_r2"].get<double>();
  return p;
}

std::pair<int, int> comparison_counts(const Pattern& p) {
  if (p.details.is_object() && p.details.contains("engagement_lift") && p.details["engagement_lift"].is_object()) {
    const Json& l = p.details["engagement_lift"];
    if (l.contains("n_favoured") && l["n_favoured"].is_number_integer() && l.contains("n_others") &&
        l["n_others"].is_number_integer())
      return {l["n_favoured"].get<int>(), l["n_others"].get<int>()};
  }
  const int fav = p.top_showing + p.rest_showing;
  const int total = p.top_count + p.rest_count > 0 ? p.top_count + p.rest_count : p.sample_size;
  return {fav, std::max(0, total - fav)};
}

}  // namespace rumi
