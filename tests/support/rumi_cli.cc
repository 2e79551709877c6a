#include "support/rumi_cli.h"

namespace rumi::test {

CommandResult run_rumi(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  std::vector<std::string> argv = {rumi_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, cwd);
}

std::filesystem::path rumi_binary() { return RUMI_BINARY; }

}  // namespace rumi::test
