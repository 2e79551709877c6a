// Placeholder until the admin stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_admin_commands(Registry&) {}

}  // namespace rumi::cli
