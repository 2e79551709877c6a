#include "core/text.h"

namespace rumi {

std::string humanize_key(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '.' || c == '_') {
      out += ' ';
    } else if (c >= 'A' && c <= 'Z') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

int utf8_length(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // every byte but continuation bytes starts one
  return n;
}

}  // namespace rumi
