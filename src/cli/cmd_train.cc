// Placeholder until the train stage lands: registers nothing yet.
#include "cli/cli.h"

namespace rumi::cli {

void register_train_commands(Registry&) {}

}  // namespace rumi::cli
