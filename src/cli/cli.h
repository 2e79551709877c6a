#pragma once
// The rumi command line. Each command family lives in its own cmd_*.cc and registers itself
// here; errors propagate as rumi::Error and are turned into exit codes once, in run_cli.
#include <functional>
#include <optional>
#include <string>

#include "core/json.h"
#include "core/workspace.h"

namespace CLI {
class App;
}

namespace rumi::cli {

struct GlobalOptions {
  std::optional<std::string> workspace;
  std::optional<std::string> store;  // a PostgreSQL connection string; exported as $RUMI_STORE
  bool json = false;
  bool quiet = false;
  int verbose = 0;
  int verbosity() const { return quiet ? -1 : verbose; }
};

// What a command needs at run time.
struct Context {
  const GlobalOptions& global;
  Workspace workspace() const { return Workspace::resolve(global.workspace); }
  bool json() const { return global.json; }
  bool quiet() const { return global.quiet; }
  // Writes a result: JSON document on stdout with --json, else the human text.
  void emit(const Json& machine, const std::string& human) const;
};

using Action = std::function<int(const Context&)>;

// Passed to every register_* function: the app to add subcommands to and the slot where the
// chosen subcommand stores what to run after parsing.
struct Registry {
  CLI::App& app;
  Action& action;
  std::string command_line;  // for the audit log
};

void register_workspace_commands(Registry& r);   // init, config, client, hashtag
void register_acquire_commands(Registry& r);     // acquire
void register_analyze_commands(Registry& r);     // analyze
void register_features_commands(Registry& r);    // features, synth
void register_train_commands(Registry& r);       // train, predict
void register_patterns_commands(Registry& r);    // patterns
void register_report_commands(Registry& r);      // report
void register_pipeline_commands(Registry& r);    // run, demo, runs
void register_validate_commands(Registry& r);    // validate ...
void register_check_video_command(Registry& r);  // check-video
void register_admin_commands(Registry& r);       // audit, export, import-package, gc
void register_worker_command(Registry& r);       // worker (team mode)
void register_store_commands(Registry& r);       // store copy|grant|revoke|access (team mode)

int run_cli(int argc, char** argv);

}  // namespace rumi::cli
