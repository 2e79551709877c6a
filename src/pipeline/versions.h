#pragma once
// Versions of rumi and every library that shapes its numbers, for run manifests: a result can
// only be reproduced with the same XGBoost, SQLite, Boost and friends.
#include "core/json.h"

namespace rumi::pipeline {

Json dependency_versions();
std::string rumi_version_string();  // "0.1.0 (git abc123)"

}  // namespace rumi::pipeline
