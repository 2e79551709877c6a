// PgConnection against a real throwaway PostgreSQL cluster: parameters and NULLs, typed reads,
// transactions, errors that name the statement but not its values, redacted connection strings,
// and a server that stops in the middle of a transaction.
#include <gtest/gtest.h>

#include <string>

#include "store/pg_connection.h"
#include "support/pg_cluster.h"

namespace rumi::store {
namespace {

using test::pg_cluster;

TEST(PgConnection, ParametersNullsAndTypedColumns) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(pg_cluster().create_database("pg_params"));
  c.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION, ok BOOLEAN)");
  // A value with quotes and a semicolon travels apart from the SQL text: stored as given.
  const std::string tricky = "it's; DROP TABLE t; --";
  EXPECT_EQ(c.query("INSERT INTO t VALUES ($1, $2, $3, $4)",
                    {pg_param(std::int64_t{9007199254740993}), pg_param(tricky), pg_param(0.1), pg_param(true)})
                .affected(),
            1);
  c.query("INSERT INTO t VALUES ($1, $2, $3, $4)",
          {pg_param(2), pg_param(std::optional<std::string>{}), pg_param(std::nullopt), pg_param(false)});

  PgResult r = c.query("SELECT id, name, score, ok FROM t ORDER BY id DESC", {});
  ASSERT_EQ(r.rows(), 2);
  ASSERT_EQ(r.columns(), 4);
  EXPECT_EQ(r.int64(0, 0), 9007199254740993);  // above 2^53: no detour through double
  EXPECT_EQ(r.text(0, 1), tricky);
  EXPECT_EQ(r.real(0, 2), 0.1);  // the shortest round-trip text reads back exactly
  EXPECT_TRUE(r.boolean(0, 3));
  EXPECT_FALSE(r.boolean(1, 3));
  EXPECT_TRUE(r.is_null(1, 1));
  EXPECT_EQ(r.text_or_null(1, 1), std::nullopt);
  EXPECT_EQ(r.int64_or_null(1, 0), 2);
  // Reading NULL as a value is an error naming the column, never a silent 0 or "".
  try {
    (void)r.real(1, 2);
    FAIL() << "NULL read as a number";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'score' is NULL"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)r.text(5, 0), Error);
  EXPECT_THROW((void)r.int64(0, 1), Error);  // text is not an integer
}

TEST(PgConnection, TransactionCommitsOrRollsBack) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(pg_cluster().create_database("pg_tx"));
  c.exec("CREATE TABLE t (v INT)");
  c.transaction([&] { c.query("INSERT INTO t VALUES ($1)", {pg_param(1)}); });
  EXPECT_THROW(c.transaction([&] {
    c.query("INSERT INTO t VALUES ($1)", {pg_param(2)});
    throw Error("the caller's failure");
  }),
               Error);
  // A failing statement inside the transaction rolls back the earlier one too.
  EXPECT_THROW(c.transaction([&] {
    c.query("INSERT INTO t VALUES ($1)", {pg_param(3)});
    c.exec("INSERT INTO no_such_table VALUES (1)");
  }),
               Error);
  PgResult r = c.exec("SELECT coalesce(sum(v), 0), count(*) FROM t");
  EXPECT_EQ(r.int64(0, 0), 1);
  EXPECT_EQ(r.int64(0, 1), 1);
  EXPECT_TRUE(c.connected());  // the connection is usable after the rollbacks
}

TEST(PgConnection, ErrorsNameTheStatementNotItsValues) {
  RUMI_REQUIRE_PG();
  PgConnection c = PgConnection::open(pg_cluster().create_database("pg_errors"));
  try {
    c.query("INSERT INTO missing_table (secret) VALUES ($1)", {pg_param("s3cr3t-value")});
    FAIL() << "no error";
  } catch (const PgConnectionLost&) {
    FAIL() << "an SQL error is not a lost connection";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("INSERT INTO missing_table"), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;  // the server's message
    EXPECT_EQ(msg.find("s3cr3t-value"), std::string::npos) << msg;
  }
}

TEST(PgConnection, PasswordsNeverReachMessages) {
  EXPECT_EQ(pg_describe_conninfo("postgresql://bob:hunter2@db.example:5433/rumi?sslmode=require"),
            "host=db.example port=5433 dbname=rumi user=bob");
  EXPECT_EQ(pg_describe_conninfo("host=/tmp/x dbname=d user=u password='hunter2'"), "host=/tmp/x dbname=d user=u");
  EXPECT_EQ(pg_describe_conninfo("host=x password=hunter2 = broken").find("hunter2"), std::string::npos);
  try {
    (void)PgConnection::open("host=/nonexistent/socket/dir dbname=d user=u password=hunter2 connect_timeout=2");
    FAIL() << "connected to nothing";
  } catch (const PgConnectionLost& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cannot connect to PostgreSQL (host=/nonexistent/socket/dir"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
  }
  try {
    (void)PgConnection::open("host=x password=hunter2 = broken");
    FAIL() << "accepted a malformed string";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

// The server stops between two statements of a transaction: a clear PgConnectionLost, and
// after a restart the half-done transaction left nothing behind.
TEST(PgConnection, ServerStoppedMidTransaction) {
  RUMI_REQUIRE_PG();
  const std::string db = pg_cluster().create_database("pg_lost");
  PgConnection c = PgConnection::open(db);
  c.exec("CREATE TABLE t (v INT)");
  bool stopped = false;
  try {
    c.transaction([&] {
      c.query("INSERT INTO t VALUES ($1)", {pg_param(1)});
      stopped = pg_cluster().stop();
      c.query("INSERT INTO t VALUES ($1)", {pg_param(2)});
    });
    FAIL() << "a statement succeeded on a stopped server";
  } catch (const PgConnectionLost& e) {
    EXPECT_NE(std::string(e.what()).find("lost the connection to PostgreSQL"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("INSERT INTO t"), std::string::npos) << e.what();
  }
  ASSERT_TRUE(stopped);
  EXPECT_FALSE(c.connected());
  EXPECT_THROW((void)PgConnection::open(db), PgConnectionLost);
  ASSERT_TRUE(pg_cluster().start());
  PgConnection again = PgConnection::open(db);
  EXPECT_EQ(again.exec("SELECT count(*) FROM t").int64(0, 0), 0);
}

}  // namespace
}  // namespace rumi::store
