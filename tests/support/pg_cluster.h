#pragma once
// A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from Debian's server package, in a
// fresh temp dir, listening only on a unix socket in that dir (no TCP port to collide with), with
// fsync off (a test cluster's data is worthless after a crash). initdb refuses to run as root,
// so as root the server runs as the unprivileged `postgres` system user the Debian package
// creates (runuser), in a dir that user owns. One cluster per test binary (pg_cluster()):
// starting one takes a second or two. Where no server can be started, RUMI_REQUIRE_PG skips the
// test with the reason: it never passes silently.
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/pg_connection.h"
#include "support/test_support.h"

namespace rumi::test {

class PgCluster {
 public:
  PgCluster() { why_ = setup(); }
  ~PgCluster() {
    if (!dir_.empty()) {
      stop();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  bool available() const { return why_.empty(); }
  const std::string& why_not() const { return why_; }

  // libpq connection string for a database on this cluster.
  std::string conninfo(const std::string& dbname = "postgres") const {
    return "host=" + dir_.string() + " port=5432 user=rumi dbname=" + dbname;
  }
  // A new, empty database (each test its own, so tests do not see each other's rows).
  std::string create_database(const std::string& name) {
    store::PgConnection admin = store::PgConnection::open(conninfo());
    admin.exec("DROP DATABASE IF EXISTS " + name);
    admin.exec("CREATE DATABASE " + name);
    return conninfo(name);
  }

  // Fast shutdown: the server ends its sessions, so clients see a lost connection.
  bool stop() { return ctl({"-m", "fast", "stop"}).exit_code == 0; }
  bool start() {
    const std::string opts = "-c listen_addresses='' -c port=5432 -c unix_socket_directories='" + dir_.string() +
                             "' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40";
    return ctl({"-o", opts, "-l", (dir_ / "server.log").string(), "start"}).exit_code == 0;
  }

 private:
  static std::string find_bin(const std::string& name) {
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
      if (std::filesystem::exists(e.path() / "bin" / name)) found.push_back(e.path() / "bin" / name);
    if (found.empty()) return {};
    std::sort(found.begin(), found.end());  // the newest major version last
    return found.back().string();
  }

  // As root, through runuser to the postgres user; otherwise directly.
  CommandResult as_server_user(std::vector<std::string> argv) const {
    if (::geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    return run_program(argv, dir_);
  }
  CommandResult ctl(std::vector<std::string> args) const {
    std::vector<std::string> argv = {pg_ctl_, "-D", (dir_ / "data").string(), "-w", "-t", "30"};
    argv.insert(argv.end(), args.begin(), args.end());
    return as_server_user(argv);
  }

  std::string setup() {
    const std::string initdb = find_bin("initdb");
    pg_ctl_ = find_bin("pg_ctl");
    if (initdb.empty() || pg_ctl_.empty())
      return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install Debian's postgresql)";
    std::string tmpl = (std::filesystem::temp_directory_path() / "rumi-pg-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return "cannot create a temp dir for the cluster";
    dir_ = tmpl;
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (!pw) return "running as root and there is no unprivileged 'postgres' user for initdb";
      if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return "cannot give the cluster dir to 'postgres'";
    }
    const CommandResult init = as_server_user(
        {initdb, "-D", (dir_ / "data").string(), "-U", "rumi", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"});
    if (init.exit_code != 0) return "initdb failed: " + init.err;
    if (!start()) {
      const CommandResult log = run_program({"/usr/bin/tail", "-n", "5", (dir_ / "server.log").string()});
      return "pg_ctl start failed: " + log.out;
    }
    return {};
  }

  std::filesystem::path dir_;
  std::string pg_ctl_;
  std::string why_;
};

// RUMI_STORE set for one scope (the store's own switch, inherited by every rumi a test starts),
// unset again after.
class StoreEnv {
 public:
  explicit StoreEnv(const std::string& conninfo) { ::setenv("RUMI_STORE", conninfo.c_str(), 1); }
  ~StoreEnv() { ::unsetenv("RUMI_STORE"); }
  StoreEnv(const StoreEnv&) = delete;
  StoreEnv& operator=(const StoreEnv&) = delete;
};

// The test binary's cluster, started on first use, stopped and deleted at exit.
inline PgCluster& pg_cluster() {
  static PgCluster cluster;
  return cluster;
}

}  // namespace rumi::test

// Skips the current test, naming why, when no PostgreSQL server can be started here.
#define RUMI_REQUIRE_PG()                                                                    \
  do {                                                                                       \
    if (!::rumi::test::pg_cluster().available())                                             \
      GTEST_SKIP() << "needs a PostgreSQL server: " << ::rumi::test::pg_cluster().why_not(); \
  } while (0)
