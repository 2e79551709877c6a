// Template splitting and substitution: values never add argv words, quoting follows the shell.
#include <gtest/gtest.h>

#include "analyze/command_template.h"
#include "analyze/selection_input.h"
#include "core/error.h"

namespace rumi::analyze {
namespace {

TEST(CommandTemplate, SplitsLikeAShell) {
  auto w = split_command_template(R"(python3 'my runner.py' --title "a \"b\" c" x\ y {url}  {out})");
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[0], "python3");
  EXPECT_EQ(w[1], "my runner.py");
  EXPECT_EQ(w[2], "--title");
  EXPECT_EQ(w[3], "a \"b\" c");
  EXPECT_EQ(w[4], "x y");
  EXPECT_EQ(w[5], "{url}");
  EXPECT_EQ(w[6], "{out}");
  EXPECT_THROW(split_command_template("run 'unterminated"), UsageError);
  EXPECT_THROW(split_command_template("   "), UsageError);
}

TEST(CommandTemplate, ValuesStayInsideTheirWord) {
  const auto words = split_command_template("run --url={url} {id} --out {out}");
  const std::string evil = "https://x/$(touch /tmp/pwned) `id`; rm -rf / # 'q' \"d\"";
  auto argv = expand_command(words, {evil, "123; rm -rf ~", "/tmp/o u t"});
  ASSERT_EQ(argv.size(), 5u);
  EXPECT_EQ(argv[1], "--url=" + evil);
  EXPECT_EQ(argv[2], "123; rm -rf ~");
  EXPECT_EQ(argv[4], "/tmp/o u t");
  // A value containing a placeholder is not expanded again.
  auto again = expand_command(words, {"{id}", "7", "{url}"});
  EXPECT_EQ(again[1], "--url={id}");
  EXPECT_EQ(again[4], "{url}");
}

TEST(CommandTemplate, VersionDependsOnTheWholeCommandAndExtra) {
  const auto a = analyzer_version_for("runner --fast {url} {out}", "");
  EXPECT_NE(a, analyzer_version_for("runner --slow {url} {out}", ""));  // a setting changes the output
  EXPECT_NE(a, analyzer_version_for("runner --rumiai /opt/v2 {url} {out}", ""));
  EXPECT_EQ(a, analyzer_version_for("runner  --fast  {url} {out}", ""));  // same words, same key
  EXPECT_NE(analyzer_version_for("a b", ""), analyzer_version_for("ab", ""));
  EXPECT_NE(a, analyzer_version_for("other {url} {out}", ""));
  EXPECT_NE(a, analyzer_version_for("runner {url} {out}", "v2"));
  EXPECT_EQ(a.rfind("cmd-", 0), 0u);
  EXPECT_EQ(a.size(), 20u);
}

TEST(CommandTemplate, ShellQuoteRoundTrips) {
  for (std::string s : {"plain", "with space", "it's", "$(x)`y`;z", ""}) {
    auto w = split_command_template("cmd " + shell_quote(s) + " end");
    ASSERT_EQ(w.size(), 3u) << s;
    EXPECT_EQ(w[1], s);
  }
}

TEST(SelectionInput, SafeVideoIds) {
  EXPECT_TRUE(is_safe_video_id("7280654844715666731"));
  EXPECT_TRUE(is_safe_video_id("abc_DEF-1"));
  for (const char* bad : {"", "../x", "1;rm", "$(x)", "a b", "`id`", "a/b"}) EXPECT_FALSE(is_safe_video_id(bad)) << bad;
}

}  // namespace
}  // namespace rumi::analyze
