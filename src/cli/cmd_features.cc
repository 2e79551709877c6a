// Placeholder until the features stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_features_commands(Registry&) {}

}  // namespace rumi::cli
