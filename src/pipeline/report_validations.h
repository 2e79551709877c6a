#pragma once
// The Billo test results the reports need (rejected patterns drop out, proven ones unlock
// affiliate briefs), converted from the validation store into the report library's plain form.
#include <cstdint>

#include "report/pattern_validation.h"
#include "store/database.h"

namespace rumi::pipeline {

report::PatternValidations report_validations(store::Database& db, std::int64_t client_id, std::int64_t hashtag_id);

}  // namespace rumi::pipeline
