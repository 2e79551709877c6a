#include "store/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <system_error>

namespace rumi::store {

namespace {

std::string statement_head(std::string_view sql) {
  std::string s(sql.substr(0, 80));
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  return sql.size() > 80 ? s + "..." : s;
}

std::string server_message(const PGconn* conn) {
  std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg.empty() ? "unknown error" : msg;
}

// Notices (e.g. "relation already exists, skipping") are not errors; libpq would print them
// on stderr, in the middle of a command's output.
void ignore_notice(void*, const char*) {}

}  // namespace

PgParam pg_param(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) throw Error("cannot format a double parameter");
  return std::string(buf, end);
}

std::string pg_describe_conninfo(std::string_view conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(std::string(conninfo).c_str(), &err);
  // The parser's message may quote part of the string (the password among it): not shown.
  PQfreemem(err);
  if (!opts) return "an unparsable connection string";
  std::string out;
  // A fixed order and an allow-list: anything not named here (password, sslkey, ...) is left out.
  for (std::string_view key : {"host", "hostaddr", "port", "dbname", "user"})
    for (PQconninfoOption* o = opts; o->keyword; ++o)
      if (key == o->keyword && o->val && *o->val) out += (out.empty() ? "" : " ") + std::string(key) + "=" + o->val;
  PQconninfoFree(opts);
  return out.empty() ? "the default server" : out;
}

PgResult::~PgResult() { PQclear(res_); }

int PgResult::rows() const { return PQntuples(res_); }
int PgResult::columns() const { return PQnfields(res_); }

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(res_);
  return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgResult::column_name(int col) const {
  const char* name = PQfname(res_, col);
  return name ? name : "#" + std::to_string(col);
}

bool PgResult::is_null(int row, int col) const {
  if (row < 0 || row >= rows() || col < 0 || col >= columns())
    throw Error("result has no row " + std::to_string(row) + " column " + std::to_string(col));
  return PQgetisnull(res_, row, col) == 1;
}

const char* PgResult::checked(int row, int col) const {
  if (is_null(row, col)) throw Error("column '" + column_name(col) + "' is NULL in row " + std::to_string(row));
  return PQgetvalue(res_, row, col);
}

std::string PgResult::text(int row, int col) const {
  const char* v = checked(row, col);
  return std::string(v, static_cast<std::size_t>(PQgetlength(res_, row, col)));
}

std::int64_t PgResult::int64(int row, int col) const {
  const std::string v = text(row, col);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size())
    throw Error("column '" + column_name(col) + "' is not an integer: '" + v + "'");
  return out;
}

double PgResult::real(int row, int col) const {
  const std::string v = text(row, col);
  char* end = nullptr;
  const double out = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') throw Error("column '" + column_name(col) + "' is not a number: '" + v + "'");
  return out;
}

bool PgResult::boolean(int row, int col) const {
  const std::string v = text(row, col);
  if (v == "t") return true;
  if (v == "f") return false;
  throw Error("column '" + column_name(col) + "' is not a boolean: '" + v + "'");
}

std::optional<std::string> PgResult::text_or_null(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return text(row, col);
}

std::optional<std::int64_t> PgResult::int64_or_null(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

PgConnection PgConnection::open(std::string_view conninfo) {
  std::string where = pg_describe_conninfo(conninfo);
  if (where == "an unparsable connection string")
    throw UsageError("invalid PostgreSQL connection string (not shown: it may hold a password)");
  PGconn* conn = PQconnectdb(std::string(conninfo).c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = server_message(conn);
    PQfinish(conn);
    throw PgConnectionLost("cannot connect to PostgreSQL (" + where + "): " + msg);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return PgConnection(conn, std::move(where));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::connected() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

PgResult PgConnection::check(PGresult* res, std::string_view sql) {
  const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgResult(res);
  std::string msg = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : server_message(conn_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  PQclear(res);
  if (!connected())
    throw PgConnectionLost("lost the connection to PostgreSQL (" + where_ + ") in: " + statement_head(sql) + ": " +
                           msg);
  throw Error("PostgreSQL error in: " + statement_head(sql) + ": " + msg);
}

PgResult PgConnection::exec(std::string_view sql) {
  if (!conn_) throw PgConnectionLost("no PostgreSQL connection (moved from)");
  return check(PQexec(conn_, std::string(sql).c_str()), sql);
}

PgResult PgConnection::query(std::string_view sql, const std::vector<PgParam>& params) {
  if (!conn_) throw PgConnectionLost("no PostgreSQL connection (moved from)");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* res = PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0);
  return check(res, sql);
}

void PgConnection::rollback_quietly() noexcept {
  if (!connected()) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

}  // namespace rumi::store
