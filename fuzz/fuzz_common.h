#pragma once
// Shared harness for the libFuzzer targets: a rumi::Error is the documented answer to bad input
// (the CLI turns it into exit 1/2/3), so it is swallowed; anything else (std::exception from a
// library, a crash, a sanitizer report) escapes and libFuzzer records the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"

namespace rumi::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

template <typename Body>
int run_one(Body&& body) {
  try {
    body();
  } catch (const rumi::Error&) {
    // Expected: bad input reported with file/record/field.
  }
  return 0;
}

}  // namespace rumi::fuzz
