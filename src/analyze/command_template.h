#pragma once
// The external analyzer is given as a command template, e.g. "python3 run.py --url {url} {out}".
// Only the template is word-split (shell-like quoting); ids and urls are substituted inside the
// resulting argv elements afterwards, so no value can add words, redirect or run anything: the
// command is exec'ed directly, never through `sh -c`.
#include <string>
#include <string_view>
#include <vector>

namespace rumi::analyze {

// Splits on unquoted whitespace; '...' is literal, "..." allows \" and \\, a backslash outside
// quotes escapes the next character. Throws UsageError on an unterminated quote or an empty
// template.
std::vector<std::string> split_command_template(std::string_view tmpl);

struct TemplateValues {
  std::string_view url, id, out;
};
// Replaces {url}, {id} and {out} in every word (each value stays inside its word).
std::vector<std::string> expand_command(const std::vector<std::string>& words, const TemplateValues& values);

// "cmd-" + 16 hex of sha256(every word of the template, NUL-separated + "\n" + extra), where
// extra is the optional --analyzer-version: a different checkout, flag or setting is a different
// analyzer, so its analyses are never served from another's cache. Whitespace between words does
// not count. Pass --analyzer-version when the analyzer changed but its command did not.
std::string analyzer_version_for(std::string_view tmpl, std::string_view extra);

// The template re-quoted for a shell, for the "resume with" hint.
std::string shell_quote(std::string_view word);

}  // namespace rumi::analyze
