#include "report/readability.h"

#include <cctype>
#include <string>

namespace rumi::report {

namespace {

bool is_vowel(char c, std::size_t pos) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (c == 'y' && pos > 0);
}

bool ends_with(const std::string& w, std::string_view tail) {
  return w.size() >= tail.size() && w.compare(w.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_link(std::string_view token) {
  return token.find("://") != std::string_view::npos || token.find("www.") != std::string_view::npos ||
         token.find('@') != std::string_view::npos;
}

}  // namespace

int count_syllables(std::string_view raw) {
  std::string w;
  for (char c : raw)
    if (std::isalpha(static_cast<unsigned char>(c)))
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (w.empty()) return 0;
  if (w.size() <= 3) return 1;
  int groups = 0;
  bool in_vowels = false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool v = is_vowel(w[i], i);
    if (v && !in_vowels) ++groups;
    in_vowels = v;
  }
  const std::size_t n = w.size();
  auto consonant_at = [&](std::size_t i) { return !is_vowel(w[i], i); };
  if (groups > 1) {
    if (w[n - 1] == 'e') {
      const bool consonant_le = w[n - 2] == 'l' && n >= 3 && consonant_at(n - 3);
      const bool vowel_e = w[n - 2] == 'e' || w[n - 2] == 'i' || w[n - 2] == 'y';
      if (!consonant_le && !vowel_e) --groups;
    } else if (ends_with(w, "es") && consonant_at(n - 3)) {
      const char c = w[n - 3];
      const bool sounded = c == 's' || c == 'x' || c == 'z' || c == 'c' || c == 'g' || ends_with(w, "ches") ||
                           ends_with(w, "shes") || (c == 'l' && n >= 4 && consonant_at(n - 4));
      if (!sounded) --groups;
    } else if (ends_with(w, "ed") && consonant_at(n - 3)) {
      const char c = w[n - 3];
      if (c != 't' && c != 'd') --groups;
    }
  }
  return groups < 1 ? 1 : groups;
}

Readability measure_readability(std::string_view text) {
  Readability r;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view block = text.substr(start, end - start);
    start = end + 1;
    int block_words = 0;
    bool open_sentence = false;  // words since the last sentence end
    std::size_t i = 0;
    while (i < block.size()) {
      while (i < block.size() && std::isspace(static_cast<unsigned char>(block[i]))) ++i;
      std::size_t j = i;
      while (j < block.size() && !std::isspace(static_cast<unsigned char>(block[j]))) ++j;
      if (j == i) break;
      const std::string_view token = block.substr(i, j - i);
      i = j;
      bool letter = false, digit = false;
      for (char c : token) {
        letter |= std::isalpha(static_cast<unsigned char>(c)) != 0;
        digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
      }
      if ((letter || digit) && !is_link(token)) {
        ++r.words;
        ++block_words;
        r.syllables += digit ? 2 : count_syllables(token);
        open_sentence = true;
      }
      // Sentence end: the token ends in . ! ? (possibly followed by closing quotes/brackets).
      std::size_t k = token.size();
      while (k > 0 && (token[k - 1] == '"' || token[k - 1] == ')' || token[k - 1] == '\'' ||
                       static_cast<unsigned char>(token[k - 1]) >= 0x80))
        --k;  // UTF-8 closing quotes are multi-byte; skip them too
      const bool abbreviation = token == "e.g." || token == "i.e." || token == "vs." || token == "(e.g.";
      if (k > 0 && (token[k - 1] == '.' || token[k - 1] == '!' || token[k - 1] == '?') && open_sentence &&
          !abbreviation) {
        ++r.sentences;
        open_sentence = false;
      }
    }
    if (open_sentence && block_words > 0) ++r.sentences;
    if (end == text.size()) break;
  }
  if (r.words > 0 && r.sentences > 0)
    r.flesch = 206.835 - 1.015 * static_cast<double>(r.words) / r.sentences -
               84.6 * static_cast<double>(r.syllables) / r.words;
  return r;
}

}  // namespace rumi::report
