// Placeholder until the report stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_report_commands(Registry&) {}

}  // namespace rumi::cli
