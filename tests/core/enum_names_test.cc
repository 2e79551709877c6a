// The enum name tables (core/enum_names.h): both directions from one table, and a bad name is
// an error that names where it was read and lists what is allowed. The stored names of the
// evidence labels and directions are checked letter for letter, since files hold them.
#include <gtest/gtest.h>

#include "core/enum_names.h"
#include "core/pattern.h"

namespace rumi {
namespace {

enum class Colour { red, green, blue, unnamed };
constexpr EnumName<Colour> kColourNames[] = {{Colour::red, "red"}, {Colour::green, "green"}, {Colour::blue, "blue"}};

TEST(EnumNames, BothDirectionsFromOneTable) {
  static_assert(name_of(kColourNames, Colour::green) == "green");
  static_assert(find_enum(kColourNames, "blue") == Colour::blue);
  EXPECT_EQ(name_of(kColourNames, Colour::unnamed), "?");
  EXPECT_FALSE(find_enum(kColourNames, "Red").has_value());  // exact, as stored
  EXPECT_EQ(enum_names_list(kColourNames), "red, green or blue");
  for (const auto& row : kColourNames) EXPECT_EQ(parse_enum(kColourNames, row.name, {}), row.value);
}

TEST(EnumNames, BadNamesAreInputOrUsageErrorsListingTheAllowedNames) {
  try {
    parse_enum(kColourNames, "purple", {"patterns_0-15s.json", "pattern 3", "colour"});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    const std::string m = e.what();
    EXPECT_NE(m.find("patterns_0-15s.json"), std::string::npos) << m;
    EXPECT_NE(m.find("pattern 3"), std::string::npos) << m;
    EXPECT_NE(m.find("colour"), std::string::npos) << m;
    EXPECT_NE(m.find("'purple' (expected red, green or blue)"), std::string::npos) << m;
  }
  try {
    parse_option(kColourNames, "", "colour");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "unknown colour '' (expected red, green or blue)");
  }
}

TEST(EnumNames, StoredEvidenceAndDirectionNamesRoundTrip) {
  EXPECT_EQ(evidence_name(Evidence::strong), "STRONG");
  EXPECT_EQ(evidence_name(Evidence::none), "NONE");
  EXPECT_EQ(direction_name(Direction::absent_is_better), "absent_is_better");
  for (const auto& row : kEvidenceNames) EXPECT_EQ(parse_evidence(row.name), row.value);
  for (const auto& row : kDirectionNames) EXPECT_EQ(parse_direction(row.name), row.value);
  EXPECT_THROW(parse_evidence("strong"), InputError);
  EXPECT_THROW(parse_direction("sideways"), InputError);
}

}  // namespace
}  // namespace rumi
