// Placeholder until the acquire stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_acquire_commands(Registry&) {}

}  // namespace rumi::cli
