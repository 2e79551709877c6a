#pragma once
// Thin RAII layer over libpq, in the style of database.h: one server connection per
// PgConnection, results that clear themselves, parameterised queries ($1, $2, ... sent apart from
// the SQL text, so values are never spliced into it), and transactions that roll back when an
// exception leaves the block.
//
// Rules:
// * Every libpq call is checked; a failure throws rumi::Error naming the statement (its first
//   80 characters, never its parameter values, which may be client data or secrets) and the
//   server's message.
// * The connection string is never shown as given: errors and describe() list only host, port,
//   database and user, so a password (key=value or inside a URI) cannot reach a log.
// * A lost connection (server stopped, network gone) throws PgConnectionLost, so a caller can
//   tell it from an SQL error and decide itself whether to reconnect and retry; this layer never
//   retries, because only the caller knows whether a statement is safe to repeat.
// * Parameters and results travel as text: the server converts them with the column's type, so
//   the client needs no type OIDs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

struct pg_conn;
struct pg_result;

namespace rumi::store {

// The server cannot be reached any more (or never could). Distinct from an SQL error.
class PgConnectionLost : public Error {
 public:
  explicit PgConnectionLost(const std::string& message) : Error(message) {}
};

// One parameter: text, or NULL (std::nullopt).
using PgParam = std::optional<std::string>;
inline PgParam pg_param(std::string_view v) { return std::string(v); }
inline PgParam pg_param(const char* v) { return std::string(v); }
inline PgParam pg_param(const std::string& v) { return v; }
inline PgParam pg_param(std::int64_t v) { return std::to_string(v); }
inline PgParam pg_param(int v) { return std::to_string(v); }
PgParam pg_param(double v);  // shortest text that reads back as the same double
inline PgParam pg_param(bool v) { return std::string(v ? "true" : "false"); }
inline PgParam pg_param(std::nullopt_t) { return std::nullopt; }
template <class T>
PgParam pg_param(const std::optional<T>& v) {
  return v ? pg_param(*v) : std::nullopt;
}

class PgResult {
 public:
  explicit PgResult(pg_result* res) : res_(res) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : res_(o.res_) { o.res_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;

  int rows() const;
  int columns() const;
  // Rows an INSERT/UPDATE/DELETE touched (0 for other commands).
  std::int64_t affected() const;

  // 0-based row and column. Typed readers throw rumi::Error on NULL or unparsable text, naming
  // the column, so a schema mismatch is not read as 0.
  bool is_null(int row, int col) const;
  std::string text(int row, int col) const;
  std::int64_t int64(int row, int col) const;
  double real(int row, int col) const;
  bool boolean(int row, int col) const;
  std::optional<std::string> text_or_null(int row, int col) const;
  std::optional<std::int64_t> int64_or_null(int row, int col) const;
  std::string column_name(int col) const;

 private:
  const char* checked(int row, int col) const;
  pg_result* res_;
};

class PgConnection {
 public:
  // Connects with a libpq connection string (key=value or postgresql:// URI). Throws
  // PgConnectionLost when the server cannot be reached, UsageError when the string is malformed.
  static PgConnection open(std::string_view conninfo);
  ~PgConnection();
  PgConnection(PgConnection&& o) noexcept : conn_(o.conn_), where_(std::move(o.where_)) { o.conn_ = nullptr; }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  PgConnection& operator=(PgConnection&&) = delete;

  // One or more statements without parameters.
  PgResult exec(std::string_view sql);
  // One statement with $1..$n bound to params.
  PgResult query(std::string_view sql, const std::vector<PgParam>& params);

  // BEGIN ... COMMIT; rolls back and rethrows on any exception (the rollback itself is skipped
  // when the connection is gone: the server has already discarded the transaction).
  template <class F>
  void transaction(F&& body) {
    exec("BEGIN");
    try {
      body();
      exec("COMMIT");
    } catch (...) {
      rollback_quietly();
      throw;
    }
  }

  bool connected() const;
  // "host=... port=... dbname=... user=..." without the password, for messages.
  const std::string& describe() const { return where_; }
  pg_conn* handle() const { return conn_; }

 private:
  PgConnection(pg_conn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  PgResult check(pg_result* res, std::string_view sql);
  void rollback_quietly() noexcept;
  pg_conn* conn_;
  std::string where_;
};

// The connection string's host, port, database and user, never its password; for messages.
std::string pg_describe_conninfo(std::string_view conninfo);

}  // namespace rumi::store
