// Foundation commands: init, config apply, client add|list|show, hashtag add|list.
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "cli/cli.h"
#include "config/apply.h"
#include "config/config_file.h"
#include "core/error.h"
#include "core/log.h"
#include "core/slug.h"
#include "store/clients.h"
#include "store/migrations.h"
#include "store/workspace_store.h"

namespace rumi::cli {

namespace {

Json client_json(const store::ClientRow& c) {
  return Json{{"slug", c.slug},
              {"name", c.name},
              {"industry", c.industry},
              {"created_at", c.created_at},
              {"updated_at", c.updated_at}};
}

Json hashtag_json(const store::HashtagRow& h) {
  return Json{{"slug", h.slug},
              {"name", h.name},
              {"url", h.url},
              {"analysis_config", parse_json(h.config_json, "rumi.db: hashtags.config_json of " + h.name)}};
}

store::ClientRow require_client(store::Database& db, std::string_view name) {
  auto c = store::find_client(db, slugify(name, "client"));
  if (!c) throw UsageError("unknown client '" + std::string(name) + "'; see 'rumi client list'");
  return *c;
}

void add_init(Registry& r) {
  auto* cmd = r.app.add_subcommand("init", "Create the workspace (idempotent)");
  cmd->callback([&r] {
    r.action = [](const Context& ctx) {
      Workspace ws = ctx.workspace();
      bool existed = store::workspace_exists(ws);
      store::Database db = store::init_workspace(ws);
      int version = store::current_schema_version(db);
      const bool shared = db.dialect() == store::Dialect::postgres;
      ctx.emit(Json{{"workspace", ws.root().string()},
                    {"created", !existed},
                    {"schema_version", version},
                    {"store", shared ? db.describe() : db.path().string()}},
               std::string(existed ? "Workspace already exists at " : "Created workspace at ") + ws.root().string() +
                   " (schema version " + std::to_string(version) + (shared ? "; store: " + db.describe() : "") + ")");
      return 0;
    };
  });
}

void add_config(Registry& r) {
  auto* config = r.app.add_subcommand("config", "Manage configuration");
  config->require_subcommand(1);
  auto* apply = config->add_subcommand("apply", "Load clients, hashtags and analysis_config from a YAML file");
  auto file = std::make_shared<std::string>();
  apply->add_option("FILE", *file, "YAML configuration (spec Appendix B)")->required();
  apply->callback([&r, file] {
    r.action = [file](const Context& ctx) {
      config::ConfigFile cfg = config::load_config_file(*file);
      for (const auto& w : cfg.warnings) spdlog::warn("{}", w);
      Workspace ws = ctx.workspace();
      store::Database db = store::init_workspace(ws);
      config::ApplyResult res = config::apply_config(db, cfg);
      std::ostringstream human;
      if (!res.changed()) {
        human << "No changes: " << *file << " is already applied.";
      } else {
        for (const auto& c : res.changes) human << "  " << c << "\n";
        human << "Applied " << *file << ": " << res.clients_created << " client(s) created, " << res.clients_updated
              << " updated; " << res.hashtags_created << " hashtag(s) added, " << res.hashtags_updated << " updated.";
      }
      ctx.emit(Json{{"file", *file},
                    {"changed", res.changed()},
                    {"changes", res.changes},
                    {"warnings", cfg.warnings},
                    {"clients_created", res.clients_created},
                    {"clients_updated", res.clients_updated},
                    {"hashtags_created", res.hashtags_created},
                    {"hashtags_updated", res.hashtags_updated}},
               human.str());
      return 0;
    };
  });
}

void add_client(Registry& r) {
  auto* client = r.app.add_subcommand("client", "Manage clients");
  client->require_subcommand(1);

  struct AddArgs {
    std::string name, industry;
  };
  auto args = std::make_shared<AddArgs>();
  auto* add = client->add_subcommand("add", "Add or update a client");
  add->add_option("NAME", args->name, "Client name")->required();
  add->add_option("--industry", args->industry, "Industry, e.g. nutritional_supplements");
  add->callback([&r, args] {
    r.action = [args](const Context& ctx) {
      std::string slug = slugify(args->name, "client name");
      if (args->industry.size() > kMaxNameLength) throw UsageError("industry is too long");
      store::Database db = store::init_workspace(ctx.workspace());
      store::ClientRow row;
      db.transaction([&] {
        auto before = store::find_client(db, slug);
        auto [c, changed] = store::upsert_client(db, slug, args->name, args->industry);
        if (changed) store::record_config_change(db, c.id, "client add", before ? "updated client" : "created client");
        row = c;
      });
      ctx.emit(client_json(row), "Client '" + row.name + "' (" + row.slug + ")");
      return 0;
    };
  });

  auto* list = client->add_subcommand("list", "List clients");
  list->callback([&r] {
    r.action = [](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      Json out = Json::array();
      std::ostringstream human;
      for (const auto& c : store::list_clients(db)) {
        out.push_back(client_json(c));
        human << c.slug << "\t" << c.name << "\t" << c.industry << "\n";
      }
      if (out.empty()) human << "No clients yet: rumi config apply FILE.yaml or rumi client add NAME";
      ctx.emit(out, human.str());
      return 0;
    };
  });

  auto show_name = std::make_shared<std::string>();
  auto* show = client->add_subcommand("show", "Show a client, its hashtags and config history");
  show->add_option("CLIENT", *show_name)->required();
  show->callback([&r, show_name] {
    r.action = [show_name](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      auto c = require_client(db, *show_name);
      Json j = client_json(c);
      j["hashtags"] = Json::array();
      std::ostringstream human;
      human << c.name << " (" << c.slug << ")" << (c.industry.empty() ? "" : ", " + c.industry) << "\n";
      for (const auto& h : store::list_hashtags(db, c.id)) {
        j["hashtags"].push_back(hashtag_json(h));
        human << "  " << h.name << "  " << h.url << "\n";
      }
      j["changes"] = Json::array();
      for (const auto& ch : store::list_config_changes(db, c.id)) {
        j["changes"].push_back({{"at", ch.at}, {"source", ch.source}, {"change", ch.change}});
        human << "  " << ch.at << "  " << ch.change << "\n";
      }
      ctx.emit(j, human.str());
      return 0;
    };
  });
}

void add_hashtag(Registry& r) {
  auto* hashtag = r.app.add_subcommand("hashtag", "Manage a client's hashtags");
  hashtag->require_subcommand(1);
  struct AddArgs {
    std::string client, name, url, min_date;
    int per_segment = 30;
  };
  auto args = std::make_shared<AddArgs>();
  auto* add = hashtag->add_subcommand("add", "Add or update a hashtag for a client");
  add->add_option("CLIENT", args->client)->required();
  add->add_option("HASHTAG", args->name)->required();
  add->add_option("--url", args->url, "Search URL");
  add->add_option("--videos-per-segment", args->per_segment, "Top N per bucket (1..1000)");
  add->add_option("--min-date", args->min_date, "Only videos created on/after this date (YYYY-MM-DD)");
  add->callback([&r, args] {
    r.action = [args](const Context& ctx) {
      config::AnalysisConfig cfg;
      cfg.videos_per_segment = args->per_segment;
      if (!args->min_date.empty()) cfg.min_date = args->min_date;
      Json j = config::to_json(cfg);
      cfg = config::analysis_config_from_json(j, "command line");
      std::string slug = slugify(args->name, "hashtag");
      if (!args->url.empty() && args->url.rfind("https://", 0) != 0 && args->url.rfind("http://", 0) != 0)
        throw UsageError("--url must start with https:// or http://");
      store::Database db = store::open_workspace(ctx.workspace());
      store::HashtagRow row;
      db.transaction([&] {
        auto c = require_client(db, args->client);
        auto [h, changed] = store::upsert_hashtag(db, c.id, slug, normalize_hashtag(args->name), args->url, j.dump());
        if (changed) store::record_config_change(db, c.id, "hashtag add", "hashtag " + h.name + " set");
        row = h;
      });
      ctx.emit(hashtag_json(row), "Hashtag " + row.name + " (" + row.slug + ")");
      return 0;
    };
  });
  auto list_client = std::make_shared<std::string>();
  auto* list = hashtag->add_subcommand("list", "List a client's hashtags");
  list->add_option("CLIENT", *list_client)->required();
  list->callback([&r, list_client] {
    r.action = [list_client](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      auto c = require_client(db, *list_client);
      Json out = Json::array();
      std::ostringstream human;
      for (const auto& h : store::list_hashtags(db, c.id)) {
        out.push_back(hashtag_json(h));
        const Json cfg = parse_json(h.config_json, "rumi.db: hashtags.config_json of " + h.name);
        human << h.name << "\t" << cfg["videos_per_segment"] << " per bucket\t"
              << (cfg["min_date"].is_null() ? std::string("any date") : "since " + cfg["min_date"].get<std::string>())
              << "\n";
      }
      ctx.emit(out, human.str());
      return 0;
    };
  });
}

}  // namespace

void register_workspace_commands(Registry& r) {
  add_init(r);
  add_config(r);
  add_client(r);
  add_hashtag(r);
}

}  // namespace rumi::cli
