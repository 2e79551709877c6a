#pragma once
// A strategy file in the report stage's format, with a field from the future and an extra key
// that the validation loop must keep: for the loop's library tests (tests/validate) and the CLI
// ones (tests/e2e/validate_cli_test.cc).
#include <string>
#include <vector>

#include "core/json.h"

namespace rumi::test {

inline Json strategy_json(int number, const std::string& title, const std::vector<std::string>& features) {
  Json patterns = Json::array();
  for (const auto& f : features)
    patterns.push_back({{"feature", f},
                        {"direction", "higher_is_better"},
                        {"top_mean", 0.8},
                        {"rest_mean", 0.3},
                        {"lift", 0.4},
                        {"evidence", "STRONG"},
                        {"phrase", "Use " + f},
                        {"future_field", Json::array({1, 2})}});
  return Json{{"number", number}, {"title", title}, {"bucket", "16-30s"}, {"patterns", patterns}, {"extra", "kept"}};
}

}  // namespace rumi::test
