#pragma once
// One table per enum gives both directions of its stored name: the name written to JSON, SQL or
// CSV, and the value read back. A table replaces a hand-written switch plus a loop that parses,
// so a name cannot be added to one direction and forgotten in the other.
//
// Rules:
// * A table is a constexpr array of {value, name} rows, one row per enumerator, written next to
//   the enum's other code: `inline constexpr EnumName<Tier> kTierNames[] = {{Tier::top,
//   "top_10"}, ...};`. Names are what existing files hold; changing one breaks stored data.
// * name_of() of a value missing from its table is "?" (a table that lags its enum shows up in
//   the output rather than crashing).
// * find_enum() is the lookup without an error; parse_enum() throws InputError naming the file,
//   record and field, parse_option() throws UsageError naming the option (exit 2 both), and both
//   list the allowed names, so a person sees at once what to write instead.
// * Comparison is exact (case-sensitive), because the stored names are.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace rumi {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

template <class E, std::size_t N>
constexpr std::string_view name_of(const EnumName<E> (&table)[N], E value) {
  for (const auto& row : table)
    if (row.value == value) return row.name;
  return "?";
}

template <class E, std::size_t N>
constexpr std::optional<E> find_enum(const EnumName<E> (&table)[N], std::string_view name) {
  for (const auto& row : table)
    if (row.name == name) return row.value;
  return std::nullopt;
}

// "a, b or c": the allowed names, for messages.
template <class E, std::size_t N>
std::string enum_names_list(const EnumName<E> (&table)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? " or " : ", ";
    out += table[i].name;
  }
  return out;
}

// Where a stored name was read, for parse_enum()'s InputError.
struct EnumSource {
  std::string_view file;
  std::string_view record;
  std::string_view field;
};

template <class E, std::size_t N>
E parse_enum(const EnumName<E> (&table)[N], std::string_view name, const EnumSource& where) {
  if (auto v = find_enum(table, name)) return *v;
  std::string problem = "unknown value '";
  problem.append(name).append("' (expected ").append(enum_names_list(table)).append(")");
  throw InputError(where.file, where.record, where.field, problem);
}

// For a command-line or config value: UsageError "unknown <what> 'x' (expected a, b or c)".
template <class E, std::size_t N>
E parse_option(const EnumName<E> (&table)[N], std::string_view name, std::string_view what) {
  if (auto v = find_enum(table, name)) return *v;
  std::string message = "unknown ";
  message.append(what).append(" '").append(name).append("' (expected ").append(enum_names_list(table)).append(")");
  throw UsageError(message);
}

}  // namespace rumi
