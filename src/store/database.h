#pragma once
// Thin RAII layer over SQLite: one connection per Database, prepared statements that finalize
// themselves, and transactions that roll back when an exception leaves the block.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace rumi::store {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
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
  void reset();

  // 0-based column index.
  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::optional<std::string> text_or_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating when `create`) with WAL, foreign keys on and a busy timeout, so a second
  // process waits for the first instead of failing at once.
  static Database open(const std::filesystem::path& path, bool create);
  ~Database();
  Database(Database&& o) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database& operator=(Database&&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  std::int64_t last_insert_id() const;
  int changes() const;
  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }

  // BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows on any exception.
  template <class F>
  void transaction(F&& body) {
    exec("BEGIN IMMEDIATE");
    try {
      body();
      exec("COMMIT");
    } catch (...) {
      try {
        exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
};

}  // namespace rumi::store
