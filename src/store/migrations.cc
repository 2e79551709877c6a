#include "store/migrations.h"

#include <array>
#include <cctype>
#include <string>

#include "core/error.h"
#include "core/time_util.h"
#include "store/job_queue.h"

namespace rumi::store {

namespace {

// Public tables (videos, acquisitions, analyses) carry hashtags and video ids only; everything
// that belongs to a client has a client_id column and every query filters on it.
constexpr std::string_view kSchemaV1 = R"SQL(
CREATE TABLE clients(
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE hashtags(
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  config_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE(client_id, slug));
CREATE TABLE config_changes(
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  source TEXT NOT NULL,
  change TEXT NOT NULL);
CREATE INDEX config_changes_client ON config_changes(client_id);

CREATE TABLE videos(
  video_id TEXT PRIMARY KEY,
  data_json TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE acquisitions(
  id TEXT PRIMARY KEY,
  hashtag_slug TEXT NOT NULL,
  source TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  item_count INTEGER NOT NULL,
  raw_path TEXT NOT NULL,
  sha256 TEXT NOT NULL);
CREATE INDEX acquisitions_hashtag ON acquisitions(hashtag_slug, fetched_at);
CREATE TABLE hashtag_videos(
  hashtag_slug TEXT NOT NULL,
  video_id TEXT NOT NULL REFERENCES videos(video_id) ON DELETE CASCADE,
  acquisition_id TEXT NOT NULL,
  PRIMARY KEY(hashtag_slug, video_id));

CREATE TABLE selections(
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hashtag_id INTEGER NOT NULL REFERENCES hashtags(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  summary_json TEXT NOT NULL);
CREATE TABLE selected_videos(
  selection_id INTEGER NOT NULL REFERENCES selections(id) ON DELETE CASCADE,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  bucket TEXT NOT NULL,
  rank INTEGER NOT NULL,
  video_id TEXT NOT NULL,
  er REAL NOT NULL,
  score REAL NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY(selection_id, video_id));

CREATE TABLE analyses(
  video_id TEXT NOT NULL,
  analyzer_version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  path TEXT NOT NULL,
  flows TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY(video_id, analyzer_version));
CREATE TABLE analysis_refs(
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hashtag_id INTEGER NOT NULL REFERENCES hashtags(id) ON DELETE CASCADE,
  video_id TEXT NOT NULL,
  analyzer_version TEXT NOT NULL,
  PRIMARY KEY(client_id, hashtag_id, video_id));

CREATE TABLE analysis_runs(
  id TEXT PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hashtag_id INTEGER NOT NULL REFERENCES hashtags(id) ON DELETE CASCADE,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  options_json TEXT NOT NULL);
CREATE TABLE checkpoints(
  run_id TEXT NOT NULL REFERENCES analysis_runs(id) ON DELETE CASCADE,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  video_id TEXT NOT NULL,
  bucket TEXT NOT NULL,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  duration_s REAL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY(run_id, video_id));

CREATE TABLE runs(
  id TEXT PRIMARY KEY,
  client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
  command TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  manifest_path TEXT);

CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  os_user TEXT NOT NULL,
  command TEXT NOT NULL,
  client_slug TEXT,
  result TEXT NOT NULL);
)SQL";

// The audit log is append-only on both engines: a trigger refuses every UPDATE and DELETE.
constexpr std::string_view kAuditTriggersSqlite = R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL";
constexpr std::string_view kAuditTriggersPostgres = R"SQL(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
)SQL";

// Version 2: the Billo validation loop (spec "Database Schema for Validation Tracking"), adapted
// to SQLite. Test ids are global text ids, but every row also carries client_id so every query
// can be scoped to the owning client.
constexpr std::string_view kSchemaV2 = R"SQL(
CREATE TABLE creative_brief_tests(
  id TEXT PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hashtag_id INTEGER NOT NULL REFERENCES hashtags(id) ON DELETE CASCADE,
  strategy_number INTEGER NOT NULL,
  strategy_title TEXT NOT NULL DEFAULT '',
  bucket TEXT NOT NULL DEFAULT '',
  creative_brief TEXT NOT NULL,
  patterns_json TEXT NOT NULL,
  strategy_file TEXT NOT NULL DEFAULT '',
  billo_order_id TEXT,
  created_at TEXT NOT NULL,
  window_days INTEGER NOT NULL,
  cost_usd REAL,
  status TEXT NOT NULL DEFAULT 'pending',
  performance_lift REAL,
  p_value REAL,
  result_json TEXT,
  evaluated_at TEXT);
CREATE INDEX creative_brief_tests_client ON creative_brief_tests(client_id, hashtag_id);
CREATE TABLE test_videos(
  test_id TEXT NOT NULL REFERENCES creative_brief_tests(id) ON DELETE CASCADE,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  video_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('test', 'control')),
  url TEXT NOT NULL DEFAULT '',
  posted_at TEXT NOT NULL,
  implementation_score REAL,
  implementation_json TEXT,
  analysis_path TEXT,
  views INTEGER,
  likes INTEGER,
  comments INTEGER,
  shares INTEGER,
  measured_at TEXT,
  metrics_source TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY(test_id, video_id));
CREATE INDEX test_videos_client ON test_videos(client_id, test_id);
CREATE TABLE pattern_validation_results(
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hashtag_id INTEGER NOT NULL REFERENCES hashtags(id) ON DELETE CASCADE,
  feature TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  total_tests INTEGER NOT NULL,
  successful_tests INTEGER NOT NULL,
  rejected_tests INTEGER NOT NULL,
  average_lift REAL,
  status TEXT NOT NULL,
  last_tested TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY(client_id, hashtag_id, feature));
)SQL";

// Version 3: the validation loop decides only when the data can (issue 17). A test stores its
// planned sample size; a video its creator (for the paired analysis), the age at which it was
// measured and the extra metrics creators may send; pattern results are keyed by (bucket,
// feature) because a pattern is never pooled across buckets. pattern_validation_results holds
// derived data only (recomputed on every evaluation), so it is rebuilt with the new key and old
// rows keep bucket ''.
constexpr std::string_view kSchemaV3 = R"SQL(
ALTER TABLE creative_brief_tests ADD COLUMN planned_n_per_arm INTEGER;
ALTER TABLE creative_brief_tests ADD COLUMN plan_json TEXT;
ALTER TABLE test_videos ADD COLUMN creator TEXT;
ALTER TABLE test_videos ADD COLUMN measured_age_days REAL;
ALTER TABLE test_videos ADD COLUMN view_rate_2s REAL;
ALTER TABLE test_videos ADD COLUMN avg_watch_time_s REAL;
ALTER TABLE test_videos ADD COLUMN ctr REAL;
CREATE TABLE pattern_validation_results_v3(
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hashtag_id INTEGER NOT NULL REFERENCES hashtags(id) ON DELETE CASCADE,
  bucket TEXT NOT NULL DEFAULT '',
  feature TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  total_tests INTEGER NOT NULL,
  successful_tests INTEGER NOT NULL,
  rejected_tests INTEGER NOT NULL,
  average_lift REAL,
  status TEXT NOT NULL,
  last_tested TEXT,
  updated_at TEXT NOT NULL,
  pooled_json TEXT,
  PRIMARY KEY(client_id, hashtag_id, bucket, feature));
INSERT INTO pattern_validation_results_v3(client_id, hashtag_id, bucket, feature, description, total_tests,
  successful_tests, rejected_tests, average_lift, status, last_tested, updated_at)
  SELECT client_id, hashtag_id, '', feature, description, total_tests, successful_tests, rejected_tests,
  average_lift, status, last_tested, updated_at FROM pattern_validation_results;
DROP TABLE pattern_validation_results;
ALTER TABLE pattern_validation_results_v3 RENAME TO pattern_validation_results;
)SQL";

// Version 4: the brand inputs of the creator briefs (issue 18 point 3), stored like the rest of a
// client's config: the client's own (`clients.brand_json`) and what a hashtag overrides
// (`hashtags.brand_json`), each config::BrandInputs as JSON with only the fields set. Kept apart
// from hashtags.config_json so a new USP does not change the analysis settings (and does not
// re-run acquisition).
constexpr std::string_view kSchemaV4 = R"SQL(
ALTER TABLE clients ADD COLUMN brand_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE hashtags ADD COLUMN brand_json TEXT NOT NULL DEFAULT '{}';
)SQL";

// Version 5: an explicit insertion order for the two tables whose listings broke ties on SQLite's
// rowid, which PostgreSQL does not have. Existing rows take their rowid, so every listing keeps
// its order; new rows take max(seq) + 1 inside the inserting transaction.
constexpr std::string_view kSchemaV5 = R"SQL(
ALTER TABLE analysis_runs ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE creative_brief_tests ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
)SQL";
constexpr std::string_view kSchemaV5Sqlite = R"SQL(
UPDATE analysis_runs SET seq = rowid;
UPDATE creative_brief_tests SET seq = rowid;
)SQL";

// Version 6: team mode (docs/team-mode.md). An analysis's JSON can be kept in the store itself
// (analyses.body), so a worker on another machine writes it and the analyst's machine reads it
// without a shared filesystem; PostgreSQL compresses such values itself (TOAST). On PostgreSQL
// the store also holds the analysis queue (store/job_queue.h), created with the rest.
constexpr std::string_view kSchemaV6 = R"SQL(
ALTER TABLE analyses ADD COLUMN body TEXT;
)SQL";

// Version 7: isolation in the shared store (docs/team-mode.md "Roles"). client_access says which
// database roles may see a client's private rows; on PostgreSQL, row-level security (forced, so
// the tables' owner is held to it too) lets a role see and write only the private rows of its
// clients, while the public layer stays shared (seed section 7.2). A granted role that no longer
// exists grants nothing (the pg_roles join), rather than failing every query. The store's owner, and every
// member of the owner's role (an admin, the queue's workers), sees every client.
constexpr std::string_view kSchemaV7 = R"SQL(
CREATE TABLE client_access(
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  role_name TEXT NOT NULL,
  PRIMARY KEY(client_id, role_name));
)SQL";

// Every table with a client (by id, or by slug for the audit log and the queue), and its rule.
struct PrivateTable {
  std::string_view table, rule;
};
constexpr PrivateTable kPrivateTables[] = {
    {"clients", "rumi_sees_client(id)"},
    {"hashtags", "rumi_sees_client(client_id)"},
    {"config_changes", "rumi_sees_client(client_id)"},
    {"selections", "rumi_sees_client(client_id)"},
    {"selected_videos", "rumi_sees_client(client_id)"},
    {"analysis_refs", "rumi_sees_client(client_id)"},
    {"analysis_runs", "rumi_sees_client(client_id)"},
    {"checkpoints", "rumi_sees_client(client_id)"},
    {"runs", "client_id IS NULL OR rumi_sees_client(client_id)"},
    {"creative_brief_tests", "rumi_sees_client(client_id)"},
    {"test_videos", "rumi_sees_client(client_id)"},
    {"pattern_validation_results", "rumi_sees_client(client_id)"},
    {"audit_log", "client_slug IS NULL OR rumi_sees_slug(client_slug)"},
    {"analysis_jobs", "rumi_sees_slug(client)"},
};

// The PostgreSQL part of version 7: the visibility functions, one policy per private table, and
// table rights for every role that may connect (PUBLIC): what a role then sees is decided by the
// policies. client_access and schema_version are written by the owner only.
std::string isolation_sql() {
  std::string sql = R"SQL(
CREATE FUNCTION rumi_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'clients'::regclass), 'MEMBER') $$;
CREATE FUNCTION rumi_sees_client(c BIGINT) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rumi_is_admin() OR EXISTS (SELECT 1 FROM client_access a JOIN pg_roles r ON r.rolname = a.role_name
                                     WHERE a.client_id = c AND pg_has_role(current_user, r.oid, 'MEMBER')) $$;
CREATE FUNCTION rumi_sees_slug(s TEXT) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rumi_is_admin() OR EXISTS (SELECT 1 FROM clients c JOIN client_access a ON a.client_id = c.id
                                     JOIN pg_roles r ON r.rolname = a.role_name
                                     WHERE c.slug = s AND pg_has_role(current_user, r.oid, 'MEMBER')) $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO PUBLIC;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO PUBLIC;
REVOKE INSERT, UPDATE, DELETE ON client_access, schema_version FROM PUBLIC;
)SQL";
  for (const PrivateTable& t : kPrivateTables) {
    const std::string name(t.table), rule(t.rule);
    sql += "ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY;\n";
    sql += "ALTER TABLE " + name + " FORCE ROW LEVEL SECURITY;\n";
    sql += "CREATE POLICY client_rows ON " + name + " USING (" + rule + ") WITH CHECK (" + rule + ");\n";
  }
  return sql;
}

// Version 2 is reserved for the validation loop (creative_brief_tests, test_videos,
// pattern_validation_results). Add new migrations at the end with the next free number.
const std::array<Migration, 7>& migration_list() {
  static const std::string isolation = isolation_sql();
  static const std::array<Migration, 7> list = {{
      {1, "clients, hashtags, public videos and analyses, selections, checkpoints, runs, audit", kSchemaV1,
       kAuditTriggersSqlite, kAuditTriggersPostgres},
      {2, "validation loop: creative_brief_tests, test_videos, pattern_validation_results", kSchemaV2},
      {3, "validation plan, creators, measurement age, extra metrics; pattern results by bucket", kSchemaV3},
      {4, "brand inputs of the creator briefs per client and per hashtag", kSchemaV4},
      {5, "insertion order of analysis runs and brief tests (no rowid on PostgreSQL)", kSchemaV5, kSchemaV5Sqlite},
      {6,
       "team mode: analyses kept in the store, the analysis queue (PostgreSQL)",
       kSchemaV6,
       {},
       job_queue_schema_sql()},
      {7, "isolation: which roles see which client; row-level security (PostgreSQL)", kSchemaV7, {}, isolation},
  }};
  return list;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The word at s[i..] (letters, digits, _), "" when s[i] does not start one.
std::string_view word_at(std::string_view s, std::size_t i) {
  if (i > 0 && is_word_char(s[i - 1])) return {};
  std::size_t j = i;
  while (j < s.size() && is_word_char(s[j])) ++j;
  return s.substr(i, j - i);
}

void apply(Database& db, const Migration& m) {
  if (db.dialect() == Dialect::postgres) {
    db.exec(postgres_ddl(m.sql));
    if (!m.postgres_only.empty()) db.exec(m.postgres_only);
  } else {
    db.exec(m.sql);
    if (!m.sqlite_only.empty()) db.exec(m.sqlite_only);
  }
}

}  // namespace

std::string postgres_ddl(std::string_view sql) {
  constexpr std::string_view kRowidKey = "INTEGER PRIMARY KEY";
  std::string out;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (quote || c == '\'' || c == '"') {
      quote = quote == c ? 0 : (quote ? quote : c);
      out += c;
      ++i;
      continue;
    }
    const std::string_view w = word_at(sql, i);
    if (w.empty()) {
      out += c;
      ++i;
    } else if (const std::size_t end = i + kRowidKey.size();
               sql.substr(i, kRowidKey.size()) == kRowidKey && (end == sql.size() || !is_word_char(sql[end]))) {
      out += "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
      i += kRowidKey.size();
    } else {
      out += w == "INTEGER" ? "BIGINT" : w == "REAL" ? "DOUBLE PRECISION" : std::string(w);
      i += w.size();
    }
  }
  return out;
}

std::span<const Migration> all_migrations() { return migration_list(); }

int latest_schema_version() { return migration_list().back().version; }

int current_schema_version(Database& db) {
  auto exists = db.prepare(db.dialect() == Dialect::postgres
                               ? "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND "
                                 "tablename = 'schema_version'"
                               : "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'");
  exists.step();
  if (exists.int64(0) == 0) return 0;
  auto q = db.prepare("SELECT coalesce(max(version), 0) FROM schema_version");
  q.step();
  return static_cast<int>(q.int64(0));
}

// Every step re-reads the version inside its transaction, which holds the store's write lock: two
// processes migrating the same store at once (two workers starting) apply each migration once.
void migrate(Database& db) {
  const int current = current_schema_version(db);
  if (current == latest_schema_version()) return;  // every command opens the store: no lock when current
  if (current == 0)
    db.transaction([&] {
      db.exec(
          "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
          "applied_at TEXT NOT NULL)");
    });
  if (current > latest_schema_version())
    throw Error("workspace database " + db.describe() + " has schema version " + std::to_string(current) +
                ", newer than this rumi supports (" + std::to_string(latest_schema_version()) +
                "); upgrade rumi instead of downgrading the workspace");
  for (const Migration& m : all_migrations()) {
    if (m.version <= current) continue;
    db.transaction([&] {
      if (current_schema_version(db) >= m.version) return;
      apply(db, m);
      db.prepare("INSERT INTO schema_version(version, description, applied_at) VALUES(?,?,?)")
          .bind(1, m.version)
          .bind(2, m.description)
          .bind(3, format_iso8601_utc(now_unix()))
          .run();
    });
  }
}

}  // namespace rumi::store
