#include "store/store_copy.h"

#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "core/sha256.h"
#include "store/migrations.h"

namespace rumi::store {

namespace {

// Foreign-key order: every table after the tables it references.
constexpr std::string_view kTables[] = {
    "clients",
    "hashtags",
    "config_changes",
    "videos",
    "acquisitions",
    "hashtag_videos",
    "selections",
    "selected_videos",
    "analyses",
    "analysis_refs",
    "analysis_runs",
    "checkpoints",
    "runs",
    "audit_log",
    "creative_brief_tests",
    "test_videos",
    "pattern_validation_results",
    "client_access",
};

// The tables whose `id INTEGER PRIMARY KEY` is an identity column on PostgreSQL.
constexpr std::string_view kIdentityTables[] = {"clients", "hashtags", "config_changes", "selections", "audit_log"};

std::int64_t count_rows(Database& db, std::string_view table) {
  auto s = db.prepare("SELECT count(*) FROM " + std::string(table));
  s.step();
  return s.int64(0);
}

// Rule 2: one table, every column, values in their own type.
std::int64_t copy_table(Database& from, Database& to, std::string_view table) {
  auto rows = from.prepare("SELECT * FROM " + std::string(table));
  std::optional<Statement> insert;
  std::int64_t n = 0;
  while (rows.step()) {
    if (!insert) {
      std::string cols, marks;
      for (int c = 0; c < rows.columns(); ++c) {
        cols += (c ? ", " : "") + rows.column_name(c);
        marks += c ? ",?" : "?";
      }
      insert.emplace(to.prepare("INSERT INTO " + std::string(table) + "(" + cols + ") VALUES(" + marks + ")"));
    }
    for (int c = 0; c < rows.columns(); ++c) {
      switch (rows.kind(c)) {
        case Statement::Kind::null: insert->bind_null(c + 1); break;
        case Statement::Kind::integer: insert->bind(c + 1, rows.int64(c)); break;
        case Statement::Kind::real: insert->bind(c + 1, rows.real(c)); break;
        case Statement::Kind::text: insert->bind(c + 1, rows.text(c)); break;
      }
    }
    insert->run();
    ++n;
  }
  return n;
}

// Rule 3.
void attach_bodies(Database& from, Database& to, const std::filesystem::path& root, CopyResult& out) {
  auto rows = from.prepare("SELECT video_id, analyzer_version, sha256, path FROM analyses");
  auto set = to.prepare("UPDATE analyses SET body = ? WHERE video_id = ? AND analyzer_version = ?");
  while (rows.step()) {
    const std::filesystem::path file = root / rows.text(3);
    std::error_code ec;
    std::string bytes;
    if (std::filesystem::is_regular_file(file, ec)) bytes = read_file(file);
    if (bytes.empty() || sha256_hex(bytes) != rows.text(2)) {
      ++out.analyses_without_file;
      continue;
    }
    set.bind(1, bytes).bind(2, rows.text(0)).bind(3, rows.text(1)).run();
    ++out.analyses_with_body;
  }
}

}  // namespace

std::int64_t CopyResult::total() const {
  std::int64_t n = 0;
  for (const auto& [table, count] : rows) n += count;
  return n;
}

CopyResult copy_store(const std::filesystem::path& workspace_root, Database& target) {
  if (target.dialect() != Dialect::postgres)
    throw UsageError("store copy moves a workspace into a PostgreSQL store: give --to postgresql://...");
  const std::filesystem::path file = workspace_root / "rumi.db";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw UsageError("no workspace store at " + file.string() + " (--from names the workspace folder)");
  Database source = Database::open(file, false);
  migrate(source);
  migrate(target);
  if (count_rows(target, "clients") + count_rows(target, "videos") > 0)
    throw UsageError("the target store " + target.describe() +
                     " already holds clients or videos; store copy fills an empty store only");
  CopyResult out;
  target.transaction([&] {
    for (std::string_view t : kTables) out.rows[std::string(t)] = copy_table(source, target, t);
    attach_bodies(source, target, workspace_root, out);
    for (std::string_view t : kIdentityTables)  // rule 4
      target.exec("SELECT setval(pg_get_serial_sequence('" + std::string(t) +
                  "', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM " + std::string(t) + "), false)");
  });
  return out;
}

}  // namespace rumi::store
