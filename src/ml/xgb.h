#pragma once
// RAII over the XGBoost C API. Every call is checked; a failure becomes rumi::Error carrying
// XGBoost's own message, so nothing leaks and nothing fails silently.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ml/matrix.h"

namespace rumi::ml {

class DMatrix {
 public:
  // Copies `x` as float32 (XGBoost's storage type). NaN = missing.
  DMatrix(const Matrix& x, int nthread);
  ~DMatrix();
  DMatrix(DMatrix&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
  DMatrix& operator=(DMatrix&&) = delete;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;

  void set_labels(std::span<const double> y);
  void set_weights(std::span<const double> w);
  void* handle() const { return handle_; }

 private:
  void* handle_ = nullptr;
};

using Params = std::vector<std::pair<std::string, std::string>>;

class Booster {
 public:
  Booster();  // empty, for loading
  explicit Booster(const DMatrix& train);
  ~Booster();
  Booster(Booster&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
  Booster& operator=(Booster&&) = delete;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;

  static Booster from_json(std::string_view model_json);

  void set_params(const Params& params);
  void update(int iteration, const DMatrix& train);
  // One prediction per row.
  std::vector<double> predict(const DMatrix& x) const;
  // TreeSHAP: rows x (cols + 1), the last column is the bias; each row sums to the prediction.
  std::vector<double> contributions(const DMatrix& x) const;
  // XGBoost's JSON model (the format "json" of XGBoosterSaveModelToBuffer).
  std::string save_json() const;
  // Per-feature importance of `type` ("gain", "total_gain", "weight", ...); 0 for unused features.
  std::vector<double> feature_score(std::string_view type, std::size_t n_features) const;
  // The trees as XGBoost's JSON dump (one string per tree, with stats).
  std::vector<std::string> dump_trees() const;
  std::size_t num_features() const;

 private:
  void* handle_ = nullptr;
};

}  // namespace rumi::ml
