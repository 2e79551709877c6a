#include "analyze/command_template.h"

#include "core/error.h"
#include "core/sha256.h"

namespace rumi::analyze {

std::vector<std::string> split_command_template(std::string_view tmpl) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  enum class Quote { none, single, dbl } quote = Quote::none;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const char c = tmpl[i];
    if (quote == Quote::single) {
      if (c == '\'')
        quote = Quote::none;
      else
        cur += c;
      continue;
    }
    if (quote == Quote::dbl) {
      if (c == '"') {
        quote = Quote::none;
      } else if (c == '\\' && i + 1 < tmpl.size() && (tmpl[i + 1] == '"' || tmpl[i + 1] == '\\')) {
        cur += tmpl[++i];
      } else {
        cur += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else if (c == '\'') {
      quote = Quote::single;
      in_word = true;
    } else if (c == '"') {
      quote = Quote::dbl;
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= tmpl.size()) throw UsageError("--analyzer: template ends with a lone backslash");
      cur += tmpl[++i];
      in_word = true;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote != Quote::none) throw UsageError("--analyzer: unterminated quote in the command template");
  if (in_word) words.push_back(std::move(cur));
  if (words.empty() || words.front().empty()) throw UsageError("--analyzer: the command template is empty");
  return words;
}

std::vector<std::string> expand_command(const std::vector<std::string>& words, const TemplateValues& values) {
  std::vector<std::string> out;
  out.reserve(words.size());
  for (const std::string& w : words) {
    std::string r;
    for (std::size_t i = 0; i < w.size();) {
      auto try_sub = [&](std::string_view name, std::string_view value) {
        if (w.compare(i, name.size(), name) != 0) return false;
        r += value;
        i += name.size();
        return true;
      };
      if (w[i] == '{' && (try_sub("{url}", values.url) || try_sub("{id}", values.id) || try_sub("{out}", values.out)))
        continue;
      r += w[i++];
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string analyzer_version_for(std::string_view tmpl, std::string_view extra) {
  // Every word counts: "--rumiai /opt/rumiai-v2" or "--fast" changes what the analyzer produces,
  // so it must not reuse analyses cached under another checkout or setting.
  std::string key;
  for (const auto& w : split_command_template(tmpl)) key += w + '\0';
  return "cmd-" + sha256_hex(key + "\n" + std::string(extra)).substr(0, 16);
}

std::string shell_quote(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == ',' || c == '@' || c == '+';
    if (!ok) plain = false;
  }
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace rumi::analyze
