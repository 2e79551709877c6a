#pragma once
// The append-only audit log: who ran which command on which client, and how it ended. The table
// refuses UPDATE and DELETE (triggers in the schema), and every text goes through
// redact_secrets so a token typed on a command line never lands in the database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workspace.h"
#include "store/database.h"

namespace rumi::store {

struct AuditEntry {
  std::string command;                     // the command line after the program name
  std::optional<std::string> client_slug;  // the client the command acted on, when it takes one
  std::string os_user;                     // empty -> filled from the effective uid
  std::string result;                      // "ok" or "exit N: <first line of the error>"
  std::string at;                          // ISO-8601 UTC; empty -> now (filled on append)
  std::int64_t id = 0;                     // filled by list_audit
};

// The login name of the effective user (getpwuid(geteuid())), or "uid:<n>" when it has none.
std::string current_os_user();
// "ok" for exit 0, else "exit <code>: <first line of error>" (redacted, at most 300 chars).
std::string audit_result(int exit_code, std::string_view error);

void append_audit(Database& db, AuditEntry entry);
// Newest first; `client_slug` limits to one client; limit <= 0 means no limit.
std::vector<AuditEntry> list_audit(Database& db, const std::optional<std::string>& client_slug, int limit);

// The client slug an audit row is filed under for a raw command-line argument, or nullopt when
// the argument is not a valid name (the raw text still appears, redacted, in the command).
std::optional<std::string> audit_client_slug(std::string_view raw_argument);

// The hook run_cli calls after every command. Writes one row when the workspace exists (so a
// failed `rumi init` in a wrong directory creates nothing); never throws: a failure to audit
// is logged as a warning and the command's exit code stands.
void record_command(const Workspace& ws, std::string_view command_line, std::optional<std::string> client_slug,
                    int exit_code, std::string_view error) noexcept;

}  // namespace rumi::store
