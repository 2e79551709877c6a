// Administration: audit log, report packages (export / keygen / import-package) and public-data
// garbage collection.
#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/ownership_notice.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "store/audit.h"
#include "store/clients.h"
#include "store/gc.h"
#include "store/package_crypto.h"
#include "store/packages.h"
#include "store/workspace_lock.h"
#include "store/workspace_store.h"

namespace rumi::cli {

namespace {
namespace fs = std::filesystem;

std::string human_bytes(std::uintmax_t b) {
  if (b < 1024) return std::to_string(b) + " B";
  if (b < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(b) / 1024.0);
  return fmt::format("{:.1f} MiB", static_cast<double>(b) / (1024.0 * 1024.0));
}

void add_audit(Registry& r) {
  struct Args {
    std::string client;
    int limit = 50;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = r.app.add_subcommand("audit", "Show the audit log: who ran what on which client");
  cmd->add_option("--client", args->client, "Only this client's entries");
  cmd->add_option("--limit", args->limit, "Newest N entries (0 = all; default 50)")->check(CLI::NonNegativeNumber);
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      std::optional<std::string> slug;
      if (!args->client.empty()) slug = slugify(args->client, "client");
      Json out = Json::array();
      std::ostringstream human;
      for (const auto& e : store::list_audit(db, slug, args->limit)) {
        out.push_back({{"id", e.id},
                       {"at", e.at},
                       {"os_user", e.os_user},
                       {"command", e.command},
                       {"client", e.client_slug ? Json(*e.client_slug) : Json(nullptr)},
                       {"result", e.result}});
        human << e.at << "  " << e.os_user << "  " << e.client_slug.value_or("-") << "  " << e.result << "  rumi "
              << e.command << "\n";
      }
      if (out.empty()) human << "The audit log is empty" << (slug ? " for client " + *slug : std::string()) << ".";
      ctx.emit(out, human.str());
      return 0;
    };
  });
}

struct ExportArgs {
  std::string client, hashtag, out, key_file;
  bool encrypt = false, internal = false;
};

// The client's key when --encrypt is given: --key-file, else the client's environment variable.
std::optional<store::PackageKey> export_key(const ExportArgs& a, const Target& t) {
  if (!a.encrypt) return std::nullopt;
  std::optional<store::PackageKey> key = a.key_file.empty() ? store::key_from_env(t.client.slug, t.workspace)
                                                            : store::load_key_file(a.key_file, t.workspace);
  if (!key)
    throw UsageError("--encrypt needs a key: --key-file PATH or $" + store::client_key_env_var(t.client.slug) +
                     " (create one with 'rumi keygen " + t.client.slug + " --out PATH')");
  return key;
}

std::string export_message(const ExportArgs& a, const fs::path& out, const std::string& scope_name, std::size_t files,
                           std::uintmax_t bytes, const std::optional<store::PackageKey>& key) {
  std::string human = "Wrote " + out.string() + " (" + scope_name + " package";
  human += a.internal ? ": models and raw patterns included, not for the client)" : ": reports only)";
  human += ": ";
  human += std::to_string(files);
  human += " file(s), ";
  human += human_bytes(bytes);
  if (key) {
    human += ", encrypted with key ";
    human += key->id_hex();
  } else {
    human += ", not encrypted";
  }
  return human;
}

// What `rumi export` does once its arguments are parsed: bundle the hashtag's files into one
// package (encrypted when asked), write it and say what went in.
int run_export(const Context& ctx, const ExportArgs& a) {
  Target t = open_target(ctx, a.client, a.hashtag);
  const std::optional<store::PackageKey> key = export_key(a, t);
  const fs::path dir = t.dir();
  const store::PackageScope scope = a.internal ? store::PackageScope::internal : store::PackageScope::client;
  const std::string scope_name(store::package_scope_name(scope));
  std::vector<store::PackageEntry> entries;
  std::uintmax_t bytes = 0;
  for (const auto& rel : store::collect_export_files(dir, scope)) {
    entries.push_back({rel, read_file(dir / rel)});
    bytes += entries.back().data.size();
  }
  if (entries.empty()) {
    std::string why = "nothing to export for ";
    why += t.client.slug;
    why += ' ';
    why += t.hashtag.name;
    why += a.internal ? ": no reports, patterns, models or selection yet" : ": no reports yet";
    why += " (run 'rumi run' or the stages first)";
    throw NotEnoughDataError(why);
  }
  // The manifest says which kind of package this is, so a recipient (or a check before
  // sending) can tell a client package from the agency's internal bundle.
  Json meta{{"client", t.client.slug},
            {"hashtag", t.hashtag.slug},
            {"created_at", format_iso8601_utc(now_unix())},
            {"package", scope_name},
            {"notice", ownership_notice(t.client.name)}};
  std::string package = store::build_package(meta, entries);
  if (key) package = store::encrypt_package(package, *key);
  const fs::path out = fs::absolute(a.out);
  if (out.has_parent_path()) ensure_directory(out.parent_path());
  write_file_atomic(out, package);
  Json files = Json::array();
  for (const auto& e : entries) files.push_back(e.path);
  const std::string human = export_message(a, out, scope_name, entries.size(), bytes, key);
  ctx.emit(Json{{"out", out.string()},
                {"package", scope_name},
                {"files", files},
                {"encrypted", key.has_value()},
                {"key_id", key ? Json(key->id_hex()) : Json(nullptr)},
                {"bytes", package.size()}},
           human);
  return 0;
}

void add_export(Registry& r) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = r.app.add_subcommand(
      "export",
      "Bundle a hashtag's reports into one package file for the client (--internal: with models and patterns)");
  cmd->add_option("CLIENT", args->client)->required();
  cmd->add_option("HASHTAG", args->hashtag)->required();
  cmd->add_option("--out", args->out, "Package file to write")->required();
  auto* enc = cmd->add_flag("--encrypt", args->encrypt,
                            "Encrypt with the client's key (--key-file, else $RUMI_CLIENT_KEY_<SLUG>)");
  cmd->add_option("--key-file", args->key_file, "Client key made by 'rumi keygen' (kept outside the workspace)")
      ->needs(enc);
  cmd->add_flag("--internal", args->internal,
                "Full bundle for the agency's own use: adds models, raw patterns, performance metrics, the selection "
                "and the analyst appendix. Never send it to a client (seed 7.3)");
  cmd->callback([&r, args] { r.action = [args](const Context& ctx) { return run_export(ctx, *args); }; });
}

void add_keygen(Registry& r) {
  struct Args {
    std::string client, out;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = r.app.add_subcommand("keygen", "Create a client's package encryption key (outside the workspace)");
  cmd->add_option("CLIENT", args->client)->required();
  cmd->add_option("--out", args->out, "Key file to create (mode 0600; never overwritten)")->required();
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) {
      Workspace ws = ctx.workspace();
      store::Database db = store::open_workspace(ws);
      const std::string slug = slugify(args->client, "client");
      if (!store::find_client(db, slug))
        throw UsageError("unknown client '" + args->client + "'; see 'rumi client list'");
      store::PackageKey key = store::write_new_key_file(args->out, ws);
      ctx.emit(Json{{"key_file", fs::absolute(args->out).string()}, {"key_id", key.id_hex()}, {"client", slug}},
               "Created key " + key.id_hex() + " in " + args->out + ". Keep it outside the workspace; use it with " +
                   "'rumi export " + slug + " HASHTAG --out FILE --encrypt --key-file " + args->out + "' or set $" +
                   store::client_key_env_var(slug) + ".");
      return 0;
    };
  });
}

std::string human_import(const store::Package& pkg, std::size_t files, const std::string& out, bool encrypted) {
  std::string s = "Verified and extracted " + std::to_string(files) + " file(s) into " + out;
  if (encrypted) s += " (decrypted)";
  // Packages from before issue 21 do not say which kind they are.
  const std::string kind = pkg.manifest.value("package", "");
  if (!kind.empty()) {
    s += "; ";
    s += kind;
    s += " package";
  }
  const std::string notice = pkg.manifest.value("notice", "");
  if (!notice.empty()) {
    s += '\n';
    s += notice;
  }
  return s;
}

void add_import_package(Registry& r) {
  struct Args {
    std::string file, out, key_file;
  };
  auto args = std::make_shared<Args>();
  auto* cmd =
      r.app.add_subcommand("import-package", "Verify (and decrypt) a package made by 'rumi export' and extract it");
  cmd->add_option("FILE", args->file)->required();
  cmd->add_option("--out", args->out, "Directory to extract into")->required();
  cmd->add_option("--key-file", args->key_file, "Key for an encrypted package");
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) {
      std::string bytes = read_file(args->file);
      const bool encrypted = store::is_encrypted_package(bytes);
      if (encrypted) {
        if (args->key_file.empty())
          throw UsageError(args->file + " is encrypted: pass --key-file with the client's key");
        store::PackageKey key = store::load_key_file(args->key_file, ctx.workspace());
        bytes = store::decrypt_package(bytes, key, args->file);
      }
      store::Package pkg = store::parse_package(bytes, args->file);
      auto written = store::extract_package(pkg, args->out);
      Json files = Json::array();
      for (const auto& e : pkg.entries) files.push_back(e.path);
      ctx.emit(Json{{"out", fs::absolute(args->out).string()},
                    {"files", files},
                    {"encrypted", encrypted},
                    {"client", pkg.manifest.value("client", "")},
                    {"hashtag", pkg.manifest.value("hashtag", "")},
                    {"created_at", pkg.manifest.value("created_at", "")},
                    {"package", pkg.manifest.value("package", "unknown")},
                    {"notice", pkg.manifest.value("notice", "")}},
               human_import(pkg, written.size(), args->out, encrypted));
      return 0;
    };
  });
}

void add_gc(Registry& r) {
  struct Args {
    bool apply = false;
    bool videos = false;
    std::optional<std::string> older_than;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = r.app.add_subcommand(
      "gc", "Remove public data no client references any more, or old downloaded videos (dry run unless --apply)");
  cmd->add_flag("--apply", a->apply, "Really remove (default: only list what would go)");
  cmd->add_flag("--videos", a->videos, "Remove downloaded videos (public/videos) older than --older-than instead");
  cmd->add_option("--older-than", a->older_than, "With --videos: minimum age, e.g. 7d, 12h, 30m (default 7d)");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      if (a->older_than && !a->videos) throw UsageError("--older-than applies to 'rumi gc --videos' only");
      // Parsed before the workspace is touched, so a typo costs nothing.
      const auto age = a->videos ? store::parse_age(a->older_than.value_or("7d")) : std::chrono::seconds(0);
      Workspace ws = ctx.workspace();
      store::Database db = store::open_workspace(ws);
      std::optional<store::WorkspaceLock> lock;
      if (a->apply) {
        store::LockOptions opts;
        opts.timeout = store::lock_timeout_from_env();
        lock.emplace(store::WorkspaceLock::acquire(ws, a->videos ? "gc --videos --apply" : "gc --apply", opts));
      }
      store::GcPlan plan = a->videos ? store::plan_video_gc(ws, age) : store::plan_gc(db, ws);
      std::ostringstream human;
      for (const auto& i : plan.items)
        human << (a->apply ? "removed  " : "would remove  ") << i.kind << "  " << i.key << "  "
              << (i.path.empty() ? std::string("(rows only)") : i.path.lexically_relative(ws.root()).generic_string())
              << "  " << human_bytes(i.bytes) << "\n";
      if (a->apply && a->videos) store::apply_video_gc(ws, plan);
      if (a->apply && !a->videos) store::apply_gc(db, ws, plan);
      const std::string age_text = a->older_than.value_or("7d");
      if (a->videos) {
        if (plan.items.empty())
          human << "Nothing to collect: no downloaded video is older than " << age_text << ".";
        else
          human << (a->apply ? "Removed " : "Would remove ") << plan.items.size() << " downloaded video file(s), "
                << human_bytes(plan.total_bytes()) << ", older than " << age_text << "."
                << (a->apply ? "" : " Run 'rumi gc --videos --older-than " + age_text + " --apply' to remove them.");
      } else if (plan.items.empty() && plan.orphan_video_rows == 0) {
        human << "Nothing to collect: every piece of public data is referenced by a client.";
      } else {
        human << (a->apply ? "Removed " : "Would remove ") << plan.items.size() << " item(s), "
              << human_bytes(plan.total_bytes()) << ", and " << plan.orphan_video_rows << " unreferenced video row(s)."
              << (a->apply ? "" : " Run 'rumi gc --apply' to remove them.");
      }
      Json j = plan.to_json(ws);
      j["applied"] = a->apply;
      if (a->videos) j["older_than_s"] = age.count();
      ctx.emit(j, human.str());
      return 0;
    };
  });
}

}  // namespace

void register_admin_commands(Registry& r) {
  add_audit(r);
  add_export(r);
  add_keygen(r);
  add_import_package(r);
  add_gc(r);
}

}  // namespace rumi::cli
