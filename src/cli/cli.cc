#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "core/error.h"
#include "core/log.h"
#include "rumi_version.h"
#include "store/audit.h"

namespace rumi::cli {

void Context::emit(const Json& machine, const std::string& human) const {
  if (json()) {
    std::cout << dump_json(machine);
  } else if (!human.empty()) {
    std::cout << human;
    if (human.back() != '\n') std::cout << '\n';
  }
  std::cout.flush();
}

namespace {
// The audit log records the command itself, not where the workspace or the store is (a store's
// connection string may hold a password) or how verbose it was.
std::string audit_command_line(int argc, char** argv) {
  std::string command_line;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--workspace" || a == "--store") {
      ++i;
      continue;
    }
    if (a.rfind("--workspace=", 0) == 0 || a.rfind("--store=", 0) == 0 || a == "--json" || a == "-q" ||
        a == "--quiet" || a == "-v" || a == "-vv" || a == "--verbose")
      continue;
    command_line.append(command_line.empty() ? "" : " ").append(a);
  }
  return command_line;
}
}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"rumi: what makes short videos win on TikTok, per hashtag and per video length"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("rumi ") + RUMI_VERSION + " (git " + RUMI_GIT_REVISION + ")");
  GlobalOptions global;
  app.add_option("--workspace", global.workspace, "Workspace directory (default $RUMI_WORKSPACE or ./rumi-workspace)");
  app.add_option("--store", global.store,
                 "Team mode: the PostgreSQL store, postgresql://USER@HOST/DB (default $RUMI_STORE; unset: the "
                 "workspace's rumi.db). Put the password in ~/.pgpass or $PGPASSWORD, not here");
  app.add_flag("--json", global.json, "Machine-readable JSON on stdout");
  app.add_flag("-q,--quiet", global.quiet, "Only errors on stderr");
  app.add_flag("-v,--verbose", global.verbose, "More detail on stderr (repeat for more)");
  app.fallthrough();

  const std::string command_line = audit_command_line(argc, argv);

  Action action;
  Registry registry{app, action, command_line};
  register_workspace_commands(registry);
  register_acquire_commands(registry);
  register_analyze_commands(registry);
  register_features_commands(registry);
  register_train_commands(registry);
  register_patterns_commands(registry);
  register_report_commands(registry);
  register_pipeline_commands(registry);
  register_validate_commands(registry);
  register_check_video_command(registry);
  register_admin_commands(registry);
  register_worker_command(registry);
  register_store_commands(registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return static_cast<int>(ExitCode::bad_input);
  }

  // The client a command acts on (its CLIENT positional or --client), for the audit log.
  std::optional<std::string> audit_client;
  for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
    sub = sub->get_subcommands().front();
    for (const char* name : {"CLIENT", "--client"})
      if (const CLI::Option* o = sub->get_option_no_throw(name); o && o->count() > 0)
        audit_client = store::audit_client_slug(o->as<std::string>());
  }

  // Every part of rumi (and every analyzer or worker it starts) finds the store in the environment.
  if (global.store) ::setenv("RUMI_STORE", global.store->c_str(), 1);
  setup_logging(global.verbosity());
  Context ctx{global};
  int rc = 0;
  std::string error;
  try {
    rc = action ? action(ctx) : 0;
  } catch (const Error& e) {
    error = e.what();
    spdlog::error("{}", redact_secrets(error));
    rc = static_cast<int>(e.code());
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
    spdlog::error("{}", redact_secrets(error));
    rc = static_cast<int>(ExitCode::failure);
  }
  store::record_command(Workspace::resolve(global.workspace), command_line, audit_client, rc, error);
  return rc;
}

}  // namespace rumi::cli
