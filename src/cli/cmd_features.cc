// rumi features --catalog | rumi features CLIENT HASHTAG | rumi synth --videos N --out DIR [--seed S]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "features/bucket_dataset.h"
#include "features/feature_catalog.h"
#include "native/measured.h"
#include "store/workspace_lock.h"
#include "synth/generator.h"

namespace rumi::cli {

namespace {

struct FeaturesArgs {
  std::string client, hashtag;
  bool catalog = false;
};

struct SynthArgs {
  int videos = 0;
  std::string out, hashtag = "#nutrition";
  std::uint64_t seed = kDefaultSeed;
  std::vector<double> mix;
  double missing_rate = -1;
  bool no_effects = false;
};

int show_catalog(const Context& ctx) {
  const auto& cat = features::feature_catalog();
  Json list = Json::array();
  std::ostringstream human;
  human << "Feature schema " << cat.version << " (" << cat.size() << " features), sha256 " << cat.sha256 << "\n";
  char line[640];
  std::snprintf(line, sizeof line, "%-58s %-9s %-60s %-15s %s\n", "name", "kind", "source", "native", "phrase");
  human << line;
  std::map<std::string, int> per_coverage;
  for (const auto& f : cat.features) {
    // Whether rumi's own analyzer measures it (native/measured.h), without RumiAI.
    const std::string native(native::native_coverage_name(native::native_coverage(f.source)));
    ++per_coverage[native];
    list.push_back({{"name", f.name},
                    {"source", f.source},
                    {"kind", std::string(feature_kind_name(f.kind))},
                    {"phrase", f.phrase},
                    {"group", f.group},
                    {"native", native}});
    std::snprintf(line, sizeof line, "%-58s %-9s %-60s %-15s %s\n", f.name.c_str(),
                  std::string(feature_kind_name(f.kind)).c_str(), f.source.c_str(), native.c_str(), f.phrase.c_str());
    human << line;
  }
  human << "native analyzer:";
  for (const auto& [coverage, n] : per_coverage) human << " " << n << " " << coverage << ";";
  human << "\n";
  ctx.emit(Json{{"version", cat.version}, {"sha256", cat.sha256}, {"count", cat.size()}, {"features", list}},
           human.str());
  return 0;
}

}  // namespace

// Dense literal code kept as written: clang-format would put one field per line.
// clang-format off
void register_features_commands(Registry& r) {
  {
    auto args = std::make_shared<FeaturesArgs>();
    auto* cmd = r.app.add_subcommand("features", "Build features.csv per bucket, or list the feature schema (--catalog)");
    cmd->add_option("CLIENT", args->client, "Client name or slug");
    cmd->add_option("HASHTAG", args->hashtag, "Hashtag of that client");
    cmd->add_flag("--catalog", args->catalog, "List every feature: name, source, kind, phrase");
    cmd->callback([&r, args] {
      r.action = [args](const Context& ctx) -> int {
        if (args->catalog) return show_catalog(ctx);
        if (args->client.empty() || args->hashtag.empty())
          throw UsageError("features needs CLIENT HASHTAG (or --catalog)");
        Target t = open_target(ctx, args->client, args->hashtag);
        const auto lock = store::WorkspaceLock::acquire(t.workspace, "features #" + t.hashtag.slug,
                                                        store::LockOptions{.timeout = store::lock_timeout_from_env()});
        const auto written = features::write_features(t.dir());
        const auto& cat = features::feature_catalog();
        Json buckets = Json::array();
        std::ostringstream human;
        human << "Features (" << cat.version << ", " << cat.size() << " columns) for " << t.hashtag.name << ":\n";
        for (const auto& w : written) {
          buckets.push_back({{"bucket", std::string(bucket_name(w.bucket))}, {"selected", w.selected},
                             {"rows", w.rows}, {"file", w.file.string()}});
          human << "  " << bucket_name(w.bucket) << ": " << w.rows << " of " << w.selected << " selected videos -> "
                << w.file.string() << "\n";
        }
        if (written.empty()) human << "  no bucket has analyses yet (run rumi analyze first)\n";
        ctx.emit(Json{{"schema_version", cat.version}, {"schema_sha256", cat.sha256}, {"buckets", buckets}}, human.str());
        return written.empty() ? static_cast<int>(ExitCode::not_enough_data) : 0;
      };
    });
  }
  {
    auto args = std::make_shared<SynthArgs>();
    auto* cmd = r.app.add_subcommand("synth", "Write synthetic Apify items + RumiAI analyses with planted effects");
    cmd->add_option("--videos", args->videos, "Number of videos")->required();
    cmd->add_option("--out", args->out, "Output directory")->required();
    cmd->add_option("--seed", args->seed, "Random seed (default 42)");
    cmd->add_option("--hashtag", args->hashtag, "Hashtag every item carries (default #nutrition)");
    cmd->add_option("--mix", args->mix, "Share of videos per bucket 0-15s,16-30s,31-60s,61-90s,91-120s")
        ->delimiter(',')->expected(5);
    cmd->add_option("--missing-rate", args->missing_rate, "Share of videos missing one flow (default 0.08)");
    cmd->add_flag("--no-effects", args->no_effects,
                  "Plant no effects: ER independent of every feature (pure noise, for calibration)");
    cmd->callback([&r, args] {
      r.action = [args](const Context& ctx) -> int {
        synth::SynthOptions o;
        o.videos = args->videos;
        o.seed = args->seed;
        o.hashtag = args->hashtag;
        o.plant_effects = !args->no_effects;
        if (!args->mix.empty()) std::copy(args->mix.begin(), args->mix.end(), o.bucket_mix.begin());
        if (args->missing_rate >= 0) {
          if (args->missing_rate > 1) throw UsageError("--missing-rate must be between 0 and 1");
          o.missing_flow_rate = args->missing_rate;
        }
        const auto s = synth::generate(o, args->out);
        Json per = Json::object();
        std::ostringstream human;
        human << "Synthetic data: " << s.videos << " videos (seed " << o.seed << ") in " << args->out << "\n";
        for (std::size_t b = 0; b < 5; ++b) {
          per[std::string(bucket_name(kAllBuckets[b]))] = s.per_bucket[b];
          human << "  " << bucket_name(kAllBuckets[b]) << ": " << s.per_bucket[b] << "\n";
        }
        human << "  " << s.flow_files << " flow files, " << s.missing_flows << " videos missing a flow\n"
              << "  items: " << s.items_file.string() << "\n  truth: " << s.planted_file.string();
        ctx.emit(Json{{"videos", s.videos}, {"per_bucket", per}, {"flow_files", s.flow_files},
                      {"missing_flows", s.missing_flows}, {"items_file", s.items_file.string()},
                      {"analyses_dir", s.analyses_dir.string()}, {"planted_file", s.planted_file.string()}},
                 human.str());
        return 0;
      };
    });
  }
}
// clang-format on

}  // namespace rumi::cli
