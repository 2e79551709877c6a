#include "core/dataset.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/file_io.h"

namespace rumi {

std::vector<double> Dataset::column(std::size_t c) const {
  std::vector<double> out(rows());
  for (std::size_t r = 0; r < rows(); ++r) out[r] = at(r, c);
  return out;
}

void Dataset::add_row(std::string video_id, double weight, double er, std::span<const double> values) {
  if (values.size() != cols())
    throw Error("dataset row for video " + video_id + " has " + std::to_string(values.size()) + " values, expected " +
                std::to_string(cols()));
  video_ids.push_back(std::move(video_id));
  weights.push_back(weight);
  target.push_back(er);
  x.insert(x.end(), values.begin(), values.end());
}

Dataset Dataset::subset(std::span<const std::size_t> idx) const {
  Dataset out;
  out.feature_names = feature_names;
  out.x.reserve(idx.size() * cols());
  for (std::size_t r : idx) out.add_row(video_ids[r], weights[r], target[r], row(r));
  return out;
}

namespace {

void append_double(std::string& out, double v) {
  if (std::isnan(v)) return;
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  out.append(buf, static_cast<std::size_t>(n));
}

std::vector<std::string_view> split_commas(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      cells.push_back(line.substr(start));
      break;
    }
    cells.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  return cells;
}

}  // namespace

std::string dataset_to_csv(const Dataset& d) {
  std::string out = "video_id,weight,er";
  for (const auto& n : d.feature_names) out.append(",").append(n);
  out.push_back('\n');
  for (std::size_t r = 0; r < d.rows(); ++r) {
    out.append(d.video_ids[r]).push_back(',');
    append_double(out, d.weights[r]);
    out.push_back(',');
    append_double(out, d.target[r]);
    for (double v : d.row(r)) {
      out.push_back(',');
      append_double(out, v);
    }
    out.push_back('\n');
  }
  return out;
}

void write_dataset_csv(const std::filesystem::path& path, const Dataset& d) {
  write_file_atomic(path, dataset_to_csv(d));
}

Dataset read_dataset_csv(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  const std::string file = path.string();
  Dataset d;
  std::size_t pos = 0, line_no = 0;
  std::vector<double> values;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto cells = split_commas(line);
    if (line_no == 1) {
      if (cells.size() < 3 || cells[0] != "video_id" || cells[1] != "weight" || cells[2] != "er")
        throw InputError(file, "header", "video_id,weight,er", "a features file must start with these columns");
      for (std::size_t i = 3; i < cells.size(); ++i) d.feature_names.emplace_back(cells[i]);
      continue;
    }
    const std::string record = "row " + std::to_string(line_no);
    if (cells.size() != d.cols() + 3)
      throw InputError(file, record, "",
                       "has " + std::to_string(cells.size()) + " cells, expected " + std::to_string(d.cols() + 3));
    auto parse = [&](std::string_view cell, std::string_view field) {
      if (cell.empty()) return std::numeric_limits<double>::quiet_NaN();
      double v = 0;
      auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc() || p != cell.data() + cell.size())
        throw InputError(file, record, field, "not a number: '" + std::string(cell.substr(0, 40)) + "'");
      return v;
    };
    values.resize(d.cols());
    for (std::size_t c = 0; c < d.cols(); ++c) values[c] = parse(cells[c + 3], d.feature_names[c]);
    double w = parse(cells[1], "weight"), er = parse(cells[2], "er");
    if (!(w >= 0)) throw InputError(file, record, "weight", "must be a non-negative number");
    if (std::isnan(er)) throw InputError(file, record, "er", "is missing");
    d.add_row(std::string(cells[0]), w, er, values);
  }
  if (line_no == 0) throw InputError(file, "", "", "empty features file");
  return d;
}

}  // namespace rumi
