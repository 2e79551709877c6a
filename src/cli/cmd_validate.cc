// Placeholder until the validate stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_validate_commands(Registry&) {}

}  // namespace rumi::cli
