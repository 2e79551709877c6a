#include "pipeline/versions.h"

#include <cairo.h>
#include <curl/curl.h>
#include <pango/pango.h>
#include <simdjson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <xgboost/c_api.h>

#include <fmt/format.h>
#include <Eigen/Core>
#include <boost/version.hpp>

#include "features/feature_catalog.h"
#include "rumi_version.h"

namespace rumi::pipeline {

std::string rumi_version_string() { return std::string(RUMI_VERSION) + " (git " + RUMI_GIT_REVISION + ")"; }

Json dependency_versions() {
  int xm = 0, xn = 0, xp = 0;
  XGBoostVersion(&xm, &xn, &xp);
  const auto& cat = features::feature_catalog();
  return Json{{"xgboost", fmt::format("{}.{}.{}", xm, xn, xp)},
              {"sqlite", sqlite3_libversion()},
              {"simdjson", fmt::format("{}.{}.{}", static_cast<int>(simdjson::SIMDJSON_VERSION_MAJOR),
                                       static_cast<int>(simdjson::SIMDJSON_VERSION_MINOR),
                                       static_cast<int>(simdjson::SIMDJSON_VERSION_REVISION))},
              {"boost", BOOST_LIB_VERSION},
              {"eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION)},
              {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                            NLOHMANN_JSON_VERSION_PATCH)},
              {"libsodium", sodium_version_string()},
              {"libcurl", curl_version_info(CURLVERSION_NOW)->version},
              {"cairo", cairo_version_string()},
              {"pango", pango_version_string()},
              {"feature_schema", {{"version", cat.version}, {"sha256", cat.sha256}, {"features", cat.size()}}}};
}

}  // namespace rumi::pipeline
