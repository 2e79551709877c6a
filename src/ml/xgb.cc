#include "ml/xgb.h"

#include <xgboost/c_api.h>

#include <charconv>

#include "core/error.h"

namespace rumi::ml {

namespace {

void check(int rc, std::string_view what) {
  if (rc != 0) throw Error("xgboost " + std::string(what) + " failed: " + XGBGetLastError());
}

std::vector<float> to_float(std::span<const double> v) { return {v.begin(), v.end()}; }

std::vector<double> predict_type(BoosterHandle h, DMatrixHandle d, int type) {
  const std::string config = R"({"type": )" + std::to_string(type) +
                             R"(, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDMatrix(h, d, config.c_str(), &shape, &dim, &result), "predict");
  std::size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  return {result, result + n};
}

}  // namespace

DMatrix::DMatrix(const Matrix& x, int nthread) {
  std::vector<float> data(x.data(), x.data() + x.size());
  DMatrixHandle h = nullptr;
  check(XGDMatrixCreateFromMat_omp(data.data(), static_cast<bst_ulong>(x.rows()), static_cast<bst_ulong>(x.cols()),
                                   std::numeric_limits<float>::quiet_NaN(), &h, nthread),
        "DMatrix create");
  handle_ = h;
}

DMatrix::~DMatrix() {
  if (handle_) XGDMatrixFree(handle_);
}

void DMatrix::set_labels(std::span<const double> y) {
  auto f = to_float(y);
  check(XGDMatrixSetFloatInfo(handle_, "label", f.data(), f.size()), "set label");
}

void DMatrix::set_weights(std::span<const double> w) {
  auto f = to_float(w);
  check(XGDMatrixSetFloatInfo(handle_, "weight", f.data(), f.size()), "set weight");
}

Booster::Booster() {
  BoosterHandle h = nullptr;
  check(XGBoosterCreate(nullptr, 0, &h), "booster create");
  handle_ = h;
}

Booster::Booster(const DMatrix& train) {
  BoosterHandle h = nullptr;
  DMatrixHandle d[] = {train.handle()};
  check(XGBoosterCreate(d, 1, &h), "booster create");
  handle_ = h;
}

Booster::~Booster() {
  if (handle_) XGBoosterFree(handle_);
}

Booster Booster::from_json(std::string_view model_json) {
  Booster b;
  check(XGBoosterLoadModelFromBuffer(b.handle_, model_json.data(), model_json.size()), "model load");
  return b;
}

void Booster::set_params(const Params& params) {
  for (const auto& [k, v] : params) check(XGBoosterSetParam(handle_, k.c_str(), v.c_str()), "set param " + k);
}

void Booster::update(int iteration, const DMatrix& train) {
  check(XGBoosterUpdateOneIter(handle_, iteration, train.handle()), "train");
}

std::vector<double> Booster::predict(const DMatrix& x) const { return predict_type(handle_, x.handle(), 0); }

std::vector<double> Booster::contributions(const DMatrix& x) const { return predict_type(handle_, x.handle(), 2); }

std::string Booster::save_json() const {
  bst_ulong len = 0;
  const char* buf = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &len, &buf), "model save");
  return {buf, len};
}

std::vector<double> Booster::feature_score(std::string_view type, std::size_t n_features) const {
  const std::string config = R"({"importance_type": ")" + std::string(type) + "\"}";
  bst_ulong n = 0, dim = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(handle_, config.c_str(), &n, &names, &dim, &shape, &scores), "feature score");
  std::vector<double> out(n_features, 0.0);
  for (bst_ulong i = 0; i < n; ++i) {
    std::string_view name = names[i];
    if (name.size() < 2 || name[0] != 'f') continue;
    std::size_t idx = 0;
    auto [p, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), idx);
    if (ec == std::errc() && idx < n_features) out[idx] = scores[i];
  }
  return out;
}

std::vector<std::string> Booster::dump_trees() const {
  bst_ulong n = 0;
  const char** dump = nullptr;
  check(XGBoosterDumpModelEx(handle_, "", 1, "json", &n, &dump), "dump");
  return {dump, dump + n};
}

std::size_t Booster::num_features() const {
  bst_ulong n = 0;
  check(XGBoosterGetNumFeature(handle_, &n), "num features");
  return n;
}

}  // namespace rumi::ml
