#pragma once
// Thin RAII layer over the store's SQL engine: one connection per Database, prepared statements
// that clean up after themselves, and transactions that roll back when an exception leaves the
// block. Two engines sit behind the same calls (docs/team-mode.md):
// * SQLite (Database::open): the embedded workspace file rumi.db, one analyst's laptop.
// * PostgreSQL (Database::open_postgres, through store/pg_connection.h): the shared store of team
//   mode.
// The store modules write one SQL text for both: `?` or `?N` placeholders (rewritten to `$n` for
// PostgreSQL), ON CONFLICT upserts, and no engine-specific functions except where a module asks
// dialect() (each such place says why). The rest of the code only sees these calls and never
// knows which engine it talks to.
//
// Transactions serialise writers on both engines: SQLite's BEGIN IMMEDIATE takes the file's
// write lock, and on PostgreSQL every transaction first takes one transaction-scoped advisory
// lock (kStoreWriteLock), so the store modules' read-then-write steps behave the same on both.
// Writes are small and short, so one writer at a time costs nothing measurable; the analysis
// queue (store/job_queue.h) does not take this lock, so workers claiming jobs never wait on it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace rumi::store {

class PgConnection;
class Database;

enum class Dialect { sqlite, postgres };

class Statement {
 public:
  ~Statement();
  Statement(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // 1-based parameter index, like SQLite.
  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
  Statement& bind(int index, double v);
  Statement& bind(int index, std::string_view v);
  Statement& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
  Statement& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& v) {
    return v ? bind(index, *v) : bind_null(index);
  }

  // true when a row is available; false when done.
  bool step();
  // Runs to completion (for INSERT/UPDATE/DELETE).
  void run();
  // Ready to run again: rows and bindings cleared.
  void reset();

  // 0-based column index.
  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::optional<std::string> text_or_null(int col) const;

  // The current row's shape, for code that copies whole tables (store/store_copy.h).
  enum class Kind { null, integer, real, text };
  int columns() const;
  std::string column_name(int col) const;
  // SQLite's storage class of the value; PostgreSQL hands every value over as text.
  Kind kind(int col) const;

 private:
  friend class Database;
  struct Pg;  // PostgreSQL: the rewritten text, the parameters and the fetched rows
  Statement(Database& db, std::string_view sql);
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::unique_ptr<Pg> pg_;
};

class Database {
 public:
  // Opens (creating when `create`) with WAL, foreign keys on and a busy timeout, so a second
  // process waits for the first instead of failing at once.
  static Database open(const std::filesystem::path& path, bool create);
  // Connects to a PostgreSQL store (a libpq connection string or postgresql:// URI). Throws
  // PgConnectionLost (a rumi::Error) naming the server, never the password, when it cannot.
  static Database open_postgres(std::string_view conninfo);
  ~Database();
  Database(Database&& o) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database& operator=(Database&&) = delete;

  Dialect dialect() const { return pg_ ? Dialect::postgres : Dialect::sqlite; }
  // One or more statements without parameters.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(*this, sql); }
  // The id the last INSERT gave an INTEGER PRIMARY KEY column on this connection.
  std::int64_t last_insert_id();
  // Rows the last INSERT/UPDATE/DELETE changed.
  int changes() const;
  // The SQLite file ("" for PostgreSQL).
  const std::filesystem::path& path() const { return path_; }
  // Where the store is, for messages: the file, or the server without its password.
  std::string describe() const;
  // The PostgreSQL connection (nullptr for SQLite), for the analysis queue, which is
  // PostgreSQL-only (it needs SELECT ... FOR UPDATE SKIP LOCKED).
  PgConnection* postgres() { return pg_.get(); }

  // Begins a transaction that holds the store's write lock; commits, or rolls back and rethrows
  // on any exception.
  template <class F>
  void transaction(F&& body) {
    begin();
    try {
      body();
      exec("COMMIT");
    } catch (...) {
      rollback_quietly();
      throw;
    }
  }

 private:
  friend class Statement;
  Database(sqlite3* db, std::filesystem::path path);
  explicit Database(std::unique_ptr<PgConnection> pg);
  void begin();
  void rollback_quietly() noexcept;
  sqlite3* db_ = nullptr;
  std::unique_ptr<PgConnection> pg_;
  std::filesystem::path path_;
  int pg_changes_ = 0;
};

// The key of the advisory lock every PostgreSQL store transaction takes (the text "rumi").
inline constexpr std::int64_t kStoreWriteLock = 0x72756d69;

// SQL written with SQLite's `?` / `?N` placeholders, with PostgreSQL's `$n` instead; text inside
// quotes is left alone. Exposed for its tests.
std::string postgres_placeholders(std::string_view sql);

}  // namespace rumi::store
