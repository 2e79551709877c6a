#include "store/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "core/error.h"
#include "store/pg_connection.h"

namespace rumi::store {

namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw Error("database error (" + std::string(what) + "): " + (db ? sqlite3_errmsg(db) : "unknown"));
}

// PostgreSQL sends every value as text; read integers the way SQLite would hand them out (a
// boolean expression as 1/0, a whole-valued numeric like "3.0" as 3), and fail loudly on
// anything else rather than read it as 0.
std::int64_t integer_from_text(const std::string& v) {
  if (v == "t") return 1;
  if (v == "f") return 0;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec == std::errc() && end == v.data() + v.size()) return out;
  char* dend = nullptr;
  const double d = std::strtod(v.c_str(), &dend);
  if (!v.empty() && *dend == '\0') return static_cast<std::int64_t>(d);
  throw Error("database error: not an integer: '" + v.substr(0, 40) + "'");
}
}  // namespace

std::string postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    if (j > i + 1) {  // ?N keeps its number, as in SQLite; a later bare ? continues after it
      const int n = std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str());
      next = std::max(next, n);
      out += "$" + std::to_string(n);
      i = j - 1;
    } else {
      out += "$" + std::to_string(++next);
    }
  }
  return out;
}

struct Statement::Pg {
  std::string sql;
  std::vector<PgParam> params;
  std::optional<PgResult> result;
  int row = -1;

  PgParam& param(int index) {
    if (index < 1 || index > 999) throw Error("database error (bind): parameter index " + std::to_string(index));
    if (params.size() < static_cast<std::size_t>(index)) params.resize(static_cast<std::size_t>(index));
    return params[static_cast<std::size_t>(index) - 1];
  }
  bool has_row() const { return result && row >= 0 && row < result->rows(); }
};

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  if (db.pg_) {
    pg_ = std::make_unique<Pg>();
    pg_->sql = postgres_placeholders(sql);
    return;
  }
  if (sqlite3_prepare_v2(db.db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    fail(db.db_, "prepare " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), pg_(std::move(o.pg_)) { o.stmt_ = nullptr; }

Statement& Statement::bind(int i, std::int64_t v) {
  if (pg_) {
    pg_->param(i) = pg_param(v);
  } else if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) {
    fail(db_->db_, "bind");
  }
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (pg_) {
    pg_->param(i) = pg_param(v);
  } else if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) {
    fail(db_->db_, "bind");
  }
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  if (pg_) {
    pg_->param(i) = pg_param(v);
  } else if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(db_->db_, "bind");
  }
  return *this;
}
Statement& Statement::bind_null(int i) {
  if (pg_) {
    pg_->param(i) = std::nullopt;
  } else if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) {
    fail(db_->db_, "bind");
  }
  return *this;
}

bool Statement::step() {
  if (pg_) {
    if (!pg_->result) {
      pg_->result.emplace(db_->pg_->query(pg_->sql, pg_->params));
      db_->pg_changes_ = static_cast<int>(pg_->result->affected());
      pg_->row = 0;
    } else {
      ++pg_->row;
    }
    return pg_->has_row();
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_->db_, "step");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  if (pg_) {
    pg_->result.reset();
    pg_->params.clear();
    pg_->row = -1;
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// NULL reads as 0, 0.0 or "" on both engines, as SQLite's column readers do.
bool Statement::is_null(int c) const {
  if (pg_) {
    if (!pg_->has_row()) throw Error("database error: no current row");
    return pg_->result->is_null(pg_->row, c);
  }
  return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
}
std::int64_t Statement::int64(int c) const {
  if (pg_) return is_null(c) ? 0 : integer_from_text(pg_->result->text(pg_->row, c));
  return sqlite3_column_int64(stmt_, c);
}
double Statement::real(int c) const {
  if (pg_) return is_null(c) ? 0.0 : pg_->result->real(pg_->row, c);
  return sqlite3_column_double(stmt_, c);
}
std::string Statement::text(int c) const {
  if (pg_) return is_null(c) ? std::string() : pg_->result->text(pg_->row, c);
  const unsigned char* p = sqlite3_column_text(stmt_, c);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
           : std::string();
}
std::optional<std::string> Statement::text_or_null(int c) const {
  if (is_null(c)) return std::nullopt;
  return text(c);
}

int Statement::columns() const {
  if (pg_) return pg_->result ? pg_->result->columns() : 0;
  return sqlite3_column_count(stmt_);
}
std::string Statement::column_name(int c) const {
  if (pg_) return pg_->result ? pg_->result->column_name(c) : std::string();
  const char* name = sqlite3_column_name(stmt_, c);
  return name ? name : std::string();
}
Statement::Kind Statement::kind(int c) const {
  if (pg_) return is_null(c) ? Kind::null : Kind::text;
  switch (sqlite3_column_type(stmt_, c)) {
    case SQLITE_NULL: return Kind::null;
    case SQLITE_INTEGER: return Kind::integer;
    case SQLITE_FLOAT: return Kind::real;
    default: return Kind::text;
  }
}

Database::Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
Database::Database(std::unique_ptr<PgConnection> pg) : pg_(std::move(pg)) {}

Database Database::open(const std::filesystem::path& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    if (!create)
      throw UsageError("no workspace at " + path.parent_path().string() + " (" + msg + "); run 'rumi init' first");
    throw Error("cannot open " + path.string() + ": " + msg);
  }
  Database d(db, path);
  sqlite3_busy_timeout(db, 30000);
  d.exec("PRAGMA journal_mode=WAL");
  d.exec("PRAGMA foreign_keys=ON");
  d.exec("PRAGMA synchronous=NORMAL");
  return d;
}

Database Database::open_postgres(std::string_view conninfo) {
  Database d(std::make_unique<PgConnection>(PgConnection::open(conninfo)));
  // Timestamps are stored as ISO text by the store modules; the session's own zone must not leak
  // into anything the server formats.
  d.exec("SET TIME ZONE 'UTC'");
  return d;
}

Database::~Database() { sqlite3_close_v2(db_); }

Database::Database(Database&& o) noexcept
    : db_(o.db_), pg_(std::move(o.pg_)), path_(std::move(o.path_)), pg_changes_(o.pg_changes_) {
  o.db_ = nullptr;
}

std::string Database::describe() const { return pg_ ? "PostgreSQL store (" + pg_->describe() + ")" : path_.string(); }

void Database::exec(std::string_view sql) {
  if (pg_) {
    pg_changes_ = static_cast<int>(pg_->exec(sql).affected());
    return;
  }
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw Error("database error: " + msg + " (in: " + s.substr(0, 80) + ")");
  }
}

std::int64_t Database::last_insert_id() {
  if (pg_) return pg_->exec("SELECT lastval()").int64(0, 0);
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const { return pg_ ? pg_changes_ : sqlite3_changes(db_); }

void Database::begin() {
  if (pg_) {
    pg_->exec("BEGIN");
    try {
      pg_->exec("SELECT pg_advisory_xact_lock(" + std::to_string(kStoreWriteLock) + ")");
    } catch (...) {
      rollback_quietly();
      throw;
    }
    return;
  }
  exec("BEGIN IMMEDIATE");
}

void Database::rollback_quietly() noexcept {
  try {
    if (pg_) {
      if (pg_->connected()) pg_->exec("ROLLBACK");
      return;
    }
    exec("ROLLBACK");
  } catch (...) {  // the original exception is what the caller needs to see
  }
}

}  // namespace rumi::store
