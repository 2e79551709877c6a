#include "store/audit.h"

#include <pwd.h>
#include <unistd.h>

#include "core/log.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "store/workspace_store.h"

namespace rumi::store {

namespace {
constexpr std::size_t kMaxResultLength = 300;
constexpr std::size_t kMaxCommandLength = 4000;
}  // namespace

std::string current_os_user() {
  const uid_t uid = ::geteuid();
  if (const passwd* pw = ::getpwuid(uid); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "uid:" + std::to_string(uid);
}

std::string audit_result(int exit_code, std::string_view error) {
  if (exit_code == 0) return "ok";
  std::string first_line(error.substr(0, error.find('\n')));
  std::string out = "exit " + std::to_string(exit_code);
  if (!first_line.empty()) out += ": " + redact_secrets(first_line);
  if (out.size() > kMaxResultLength) out = out.substr(0, kMaxResultLength - 3) + "...";
  return out;
}

void append_audit(Database& db, AuditEntry e) {
  if (e.at.empty()) e.at = format_iso8601_utc(now_unix());
  if (e.os_user.empty()) e.os_user = current_os_user();
  std::string command = redact_secrets(e.command);
  if (command.size() > kMaxCommandLength) command = command.substr(0, kMaxCommandLength - 3) + "...";
  db.prepare("INSERT INTO audit_log(at, os_user, command, client_slug, result) VALUES(?,?,?,?,?)")
      .bind(1, e.at)
      .bind(2, e.os_user)
      .bind(3, command)
      .bind(4, e.client_slug)
      .bind(5, redact_secrets(e.result))
      .run();
}

std::vector<AuditEntry> list_audit(Database& db, const std::optional<std::string>& client_slug, int limit) {
  std::string sql = "SELECT id, at, os_user, command, client_slug, result FROM audit_log";
  if (client_slug) sql += " WHERE client_slug = ?2";
  sql += " ORDER BY id DESC LIMIT ?1";
  auto s = db.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit > 0 ? limit : -1));
  if (client_slug) s.bind(2, *client_slug);
  std::vector<AuditEntry> out;
  while (s.step()) {
    AuditEntry e;
    e.id = s.int64(0);
    e.at = s.text(1);
    e.os_user = s.text(2);
    e.command = s.text(3);
    e.client_slug = s.text_or_null(4);
    e.result = s.text(5);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<std::string> audit_client_slug(std::string_view raw_argument) {
  try {
    return slugify(raw_argument, "client");
  } catch (...) {
    return std::nullopt;
  }
}

void record_command(const Workspace& ws, std::string_view command_line, std::optional<std::string> client_slug,
                    int exit_code, std::string_view error) noexcept {
  try {
    if (!workspace_exists(ws)) return;
    Database db = connect_store(ws);
    append_audit(db, AuditEntry{std::string(command_line),
                                std::move(client_slug),
                                current_os_user(),
                                audit_result(exit_code, error),
                                {},
                                0});
  } catch (const std::exception& e) {
    try {
      spdlog::warn("could not write the audit log: {}", redact_secrets(e.what()));
    } catch (...) {
    }
  } catch (...) {
  }
}

}  // namespace rumi::store
