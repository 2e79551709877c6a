#pragma once
// Tolerant scalar reads from RumiAI JSON. Upstream numbers are not type-stable (schema doc
// section 3), so every read goes through these rules:
//   number -> double; bool -> 0/1; numeric string ("3.5") -> its value, other string -> NaN;
//   [] where a number is expected (person_framing framingChanges) -> 0 ("nothing happened");
//   null, missing, object, non-empty array -> NaN.
#include <optional>
#include <string_view>
#include <utility>

#include "core/json.h"

namespace rumi::features {

// Follows a dotted path ("elementCounts.text") through objects; nullptr when absent.
const Json* json_at(const Json* root, std::string_view dotted_path);
double json_number_or_nan(const Json* v);
// A numeric string as json_number_or_nan reads it ("3.5", " +2 "); nullopt for anything else.
std::optional<double> parse_number_text(std::string_view text);
// Parses the upstream time formats: "12-13s" -> (12, 13), "5s" -> (5, 5), 7 -> (7, 7),
// 39.95 -> (39.95, 39.95). nullopt for anything else (null, "", "abc").
std::optional<std::pair<double, double>> parse_time_span(const Json* v);
std::optional<std::pair<double, double>> parse_time_span(std::string_view text);

}  // namespace rumi::features
