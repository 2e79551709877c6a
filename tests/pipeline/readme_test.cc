// README's first lines: the two commands (the demo, then the tests), and CI runs the second.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "support/test_support.h"

namespace rumi {
namespace {

TEST(Readme, StartsWithTheTwoCommandsAndCiRunsTheSecond) {
  const std::string readme = read_file(test::source_dir() / "README.md");
  const std::string ci = read_file(test::source_dir() / ".ci" / "run");
  const std::string demo =
      "bash scripts/install-deps.sh && cmake -S . -B build -G Ninja && cmake --build build --target rumi && "
      "./build/rumi demo";
  const std::string tests = "bash scripts/install-deps.sh && bash scripts/test.sh";
  const auto d = readme.find(demo), t = readme.find(tests);
  ASSERT_NE(d, std::string::npos);
  ASSERT_NE(t, std::string::npos);
  EXPECT_LT(d, t);
  EXPECT_LT(t, 600u) << "the two commands come first";
  EXPECT_NE(ci.find(tests), std::string::npos);
}

}  // namespace
}  // namespace rumi
