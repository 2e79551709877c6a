// Placeholder until the analyze stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_analyze_commands(Registry&) {}

}  // namespace rumi::cli
