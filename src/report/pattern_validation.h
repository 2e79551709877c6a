#pragma once
// What Billo's controlled tests said about each pattern, as the report stage sees it. The caller
// (the CLI, which links the store) converts validate::PatternValidation into these plain notes so
// the report stage stays free of any database dependency. Rejected patterns drop out of the
// advice, tested ones carry their phrase next to the evidence label, and affiliate briefs are
// only written for strategies whose every pattern is proven.
#include <map>
#include <string>
#include <string_view>

#include "core/pattern.h"

namespace rumi::report {

struct PatternValidationNote {
  std::string status;       // proven / inconclusive / rejected
  std::string phrase;       // "validated in 2 controlled tests: +41 %"
  std::string description;  // the pattern's phrase when the brief had one (may be empty)
};

// By feature name; empty = no controlled test evaluated yet.
using PatternValidations = std::map<std::string, PatternValidationNote>;

const PatternValidationNote* find_validation(const PatternValidations& v, std::string_view feature);
bool is_proven(const PatternValidations& v, std::string_view feature);
bool is_rejected(const PatternValidations& v, std::string_view feature);

// " · validated in 2 controlled tests: +41 %" for a tested, not rejected pattern; "" otherwise.
// Appended right after the evidence label wherever one is printed.
std::string validation_suffix(const PatternValidations& v, std::string_view feature);

// {"status": ..., "phrase": ...} or null, for the JSON artifacts.
Json validation_json(const PatternValidations& v, std::string_view feature);

inline constexpr std::string_view kAffiliateBriefsPending =
    "No affiliate briefs yet: affiliate briefs follow once a strategy is validated by Billo tests.";

}  // namespace rumi::report
