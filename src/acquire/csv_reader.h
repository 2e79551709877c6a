#pragma once
// RFC-4180 CSV: quoted fields with "" escapes and embedded newlines, optional UTF-8 BOM, CRLF or
// LF. Apify's console export and the scrapers' pandas dumps both use this dialect.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rumi::acquire {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> row_lines;  // 1-based line where each row starts (for messages)

  // Column index by exact header name; -1 when absent.
  int column(std::string_view name) const;
};

// Parses the whole text. `file` is only used in error messages. Throws InputError on an
// unterminated quote, a row with more cells than the header, or an empty document.
CsvTable parse_csv(std::string_view text, std::string_view file);

}  // namespace rumi::acquire
