// Placeholder until the patterns stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_patterns_commands(Registry&) {}

}  // namespace rumi::cli
