#include "cli/cli.h"

namespace rumi::cli {

void register_workspace_commands(Registry&) {}

}  // namespace rumi::cli
