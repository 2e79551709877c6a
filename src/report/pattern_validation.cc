#include "report/pattern_validation.h"

namespace rumi::report {

const PatternValidationNote* find_validation(const PatternValidations& v, std::string_view feature) {
  const auto it = v.find(std::string(feature));
  return it == v.end() ? nullptr : &it->second;
}

bool is_proven(const PatternValidations& v, std::string_view feature) {
  const auto* n = find_validation(v, feature);
  return n && n->status == "proven";
}

bool is_rejected(const PatternValidations& v, std::string_view feature) {
  const auto* n = find_validation(v, feature);
  return n && n->status == "rejected";
}

std::string validation_suffix(const PatternValidations& v, std::string_view feature) {
  const auto* n = find_validation(v, feature);
  if (!n || n->status == "rejected" || n->phrase.empty()) return "";
  return " \u00b7 " + n->phrase;
}

Json validation_json(const PatternValidations& v, std::string_view feature) {
  const auto* n = find_validation(v, feature);
  if (!n) return Json(nullptr);
  return Json{{"status", n->status}, {"phrase", n->phrase}};
}

}  // namespace rumi::report
