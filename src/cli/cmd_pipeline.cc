// Placeholder until the pipeline stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_pipeline_commands(Registry&) {}

}  // namespace rumi::cli
