#pragma once
// The per-bucket training matrix handed from features to ml and stats, and its CSV form
// (bucket_<b>/features.csv: video_id, weight, er, features...). Row-major, NaN = missing.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace rumi {

struct Dataset {
  std::vector<std::string> feature_names;
  std::vector<std::string> video_ids;
  std::vector<double> weights;  // sample weight from selection (celebrity 0.5)
  std::vector<double> target;   // ER in percent
  std::vector<double> x;        // rows() * cols(), row-major

  std::size_t rows() const { return video_ids.size(); }
  std::size_t cols() const { return feature_names.size(); }
  double at(std::size_t r, std::size_t c) const { return x[r * cols() + c]; }
  double& at(std::size_t r, std::size_t c) { return x[r * cols() + c]; }
  std::span<const double> row(std::size_t r) const { return {x.data() + r * cols(), cols()}; }
  std::vector<double> column(std::size_t c) const;
  // Appends one row; throws Error if values.size() != cols().
  void add_row(std::string video_id, double weight, double er, std::span<const double> values);
  // The rows at the given indices, same columns.
  Dataset subset(std::span<const std::size_t> rows) const;
};

// Deterministic text form: doubles printed with %.17g (round-trip), NaN as empty cell.
std::string dataset_to_csv(const Dataset& d);
void write_dataset_csv(const std::filesystem::path& path, const Dataset& d);  // atomic
Dataset read_dataset_csv(const std::filesystem::path& path);                  // InputError naming row/column

}  // namespace rumi
