#include "acquire/csv_reader.h"

#include "core/error.h"

namespace rumi::acquire {

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

namespace {

// Reads one record starting at `pos`; returns false at end of text.
bool read_record(std::string_view text, std::size_t& pos, std::size_t& line, std::vector<std::string>& cells,
                 std::string_view file) {
  cells.clear();
  if (pos >= text.size()) return false;
  const std::size_t start_line = line;
  std::string cell;
  bool quoted = false;
  bool was_quoted = false;
  while (pos < text.size()) {
    char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          cell.push_back('"');
          pos += 2;
          continue;
        }
        quoted = false;
        ++pos;
        continue;
      }
      if (c == '\n') ++line;
      cell.push_back(c);
      ++pos;
      continue;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
      ++pos;
      continue;
    }
    if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
      ++pos;
      continue;
    }
    if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
      ++pos;
      continue;
    }
    if (c == '\n') {
      ++pos;
      ++line;
      cells.push_back(std::move(cell));
      return true;
    }
    cell.push_back(c);
    ++pos;
  }
  if (quoted)
    throw InputError(file, "line " + std::to_string(start_line), "(quoting)",
                     "unterminated quoted field (file truncated?)");
  cells.push_back(std::move(cell));
  return true;
}

}  // namespace

CsvTable parse_csv(std::string_view text, std::string_view file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvTable t;
  std::size_t pos = 0, line = 1;
  std::vector<std::string> cells;
  if (!read_record(text, pos, line, cells, file) || (cells.size() == 1 && cells[0].empty()))
    throw InputError(file, "line 1", "(header)", "empty CSV file");
  t.header = cells;
  while (true) {
    std::size_t row_line = line;
    if (!read_record(text, pos, line, cells, file)) break;
    if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
    if (cells.size() > t.header.size())
      throw InputError(
          file, "line " + std::to_string(row_line), "(row)",
          "has " + std::to_string(cells.size()) + " cells but the header has " + std::to_string(t.header.size()));
    cells.resize(t.header.size());  // short rows: missing trailing cells are empty
    t.rows.push_back(cells);
    t.row_lines.push_back(row_line);
  }
  return t;
}

}  // namespace rumi::acquire
