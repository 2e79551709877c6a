#include "pipeline/report_validations.h"

#include "validate/pattern_confidence.h"

namespace rumi::pipeline {

report::PatternValidations report_validations(store::Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  report::PatternValidations out;
  for (const auto& [feature, v] : validate::pattern_validations(db, client_id, hashtag_id))
    out.emplace(feature, report::PatternValidationNote{v.status, validate::validation_phrase(v), v.description});
  return out;
}

}  // namespace rumi::pipeline
