#pragma once
// ml's jobs run on core's thread pool (core/parallel.h), which explains why XGBoost runs
// single-threaded and whole fits run side by side instead.
#include "core/parallel.h"

namespace rumi::ml {
using rumi::parallel_for;
}  // namespace rumi::ml
