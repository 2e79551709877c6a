#pragma once
// Running the real `rumi` binary: for the end-to-end suite (tests/e2e, the test_e2e binary) only.
// Only test_e2e defines RUMI_BINARY and depends on the rumi target, so a unit suite that includes
// this header does not compile: unit tests call the libraries, e2e tests drive the CLI.
#ifndef RUMI_BINARY
#error "support/rumi_cli.h drives the rumi binary: only tests/e2e (test_e2e) may include it"
#endif
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace rumi::test {

// Runs the real `rumi` binary with args (no shell), returns exit code + output.
CommandResult run_rumi(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});
std::filesystem::path rumi_binary();

}  // namespace rumi::test
