#include "acquire/acquire.h"

#include <system_error>

#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/time_util.h"
#include "store/selections.h"
#include "store/videos.h"

namespace rumi::acquire {

namespace {

// Removes freshly written files unless disarmed: the db transaction is the commit point.
struct FileRollback {
  std::vector<std::filesystem::path> paths;
  bool armed = true;
  ~FileRollback() {
    if (!armed) return;
    std::error_code ec;
    for (const auto& p : paths) std::filesystem::remove(p, ec);
  }
};

// Everything read from the sources, before deduplication: the videos, the raw records (whose
// hash names the run) and which formats they came in.
struct Gathered {
  std::vector<Video> all;
  std::string raw;
  std::vector<std::string> sources;
  std::string apify_run;
};

void take(ImportedBatch&& b, Gathered& g, AcquireResult& out) {
  spdlog::info("{}: {} records ({})", b.source, b.videos.size(), format_name(b.format));
  g.sources.push_back(std::string(format_name(b.format)));
  for (auto& r : b.raw) {
    g.raw += r;
    g.raw += '\n';
  }
  out.records_read += b.videos.size();
  for (auto& v : b.videos) g.all.push_back(std::move(v));
}

// Runs the Apify actor for the hashtag and imports every dataset page it returned.
void gather_apify(const AcquireRequest& req, const ImportOptions& iopts, Gathered& g, AcquireResult& out) {
  ApifyOptions ao = req.apify_options ? *req.apify_options : apify_options_from_env(req.config);
  ApifyFetch fetched = fetch_hashtag(ao, req.hashtag.name);
  g.apify_run = fetched.run_id;
  out.apify_run_id = fetched.run_id;
  out.apify_usage_usd = fetched.usage_usd;
  out.apify_compute_units = fetched.compute_units;
  ImportOptions page_opts = iopts;
  page_opts.format = ImportFormat::apify_json;
  std::size_t offset = 0;
  for (const auto& page : fetched.pages) {
    ImportedBatch b =
        import_text(page, "Apify dataset " + fetched.dataset_id + " offset " + std::to_string(offset), page_opts);
    offset += b.videos.size();
    take(std::move(b), g, out);
  }
  if (fetched.pages.empty()) spdlog::warn("Apify run {} returned no items", fetched.run_id);
}

void dedupe_into(std::vector<Video> all, AcquireResult& out) {
  DedupeResult d = dedupe_videos(std::move(all));
  out.duplicates = d.duplicates;
  out.conflicting_ids = d.conflicts;
  out.videos = std::move(d.videos);
  if (!out.conflicting_ids.empty())
    spdlog::warn(
        "{} video id(s) appear more than once with different stats; kept the newest (then most viewed) "
        "record, e.g. {}",
        out.conflicting_ids.size(), out.conflicting_ids.front());
}

void select_into(const AcquireRequest& req, const std::string& inputs_sha, AcquireResult& out) {
  out.selection = select_videos(out.videos, req.config, req.now, req.seed);
  out.selection_json = selection_to_json(out.selection, out.videos, req.config, req.hashtag.name, req.now, inputs_sha);
  out.selection_json["run_id"] = out.run_id;
  if (!out.apify_run_id.empty()) {
    // What the scrape cost, for the client report's costs line (the run manifest has it too).
    Json a{{"run_id", out.apify_run_id}};
    a["usage_usd"] = out.apify_usage_usd ? Json(*out.apify_usage_usd) : Json(nullptr);
    a["compute_units"] = out.apify_compute_units ? Json(*out.apify_compute_units) : Json(nullptr);
    out.selection_json["apify"] = std::move(a);
  }
}

// The raw records, once private (acquisition/raw) and once public (the hashtag's raw folder).
void write_raw_copies(const AcquireResult& out, const std::string& raw, FileRollback& rollback) {
  for (const auto& p : {out.raw_path, out.public_raw_path}) {
    bool existed = std::filesystem::exists(p);
    ensure_directory(p.parent_path());
    write_file_atomic(p, raw);
    if (!existed) rollback.paths.push_back(p);
  }
}

store::AcquisitionRow acquisition_row(const AcquireRequest& req, const AcquireResult& out, const Gathered& g,
                                      const std::string& inputs_sha) {
  store::AcquisitionRow acq;
  acq.id = out.run_id;
  acq.hashtag_slug = req.hashtag.slug;
  acq.source = g.apify_run.empty() ? "import" : "apify:" + g.apify_run;
  for (const auto& s : g.sources) acq.source += (acq.source.empty() ? "" : ",") + s;
  acq.fetched_at = req.now;
  acq.item_count = static_cast<std::int64_t>(out.records_read);
  acq.raw_path = std::filesystem::relative(out.public_raw_path, req.workspace.root()).generic_string();
  acq.sha256 = inputs_sha;
  return acq;
}

std::vector<store::SelectedVideoRow> selected_rows(const AcquireResult& out) {
  std::vector<store::SelectedVideoRow> rows;
  for (const auto& b : out.selection.buckets)
    for (const auto& s : b.selected)
      rows.push_back({std::string(bucket_name(b.bucket)), s.rank, out.videos[s.index].id, s.er, s.score, s.weight});
  return rows;
}

}  // namespace

AcquireResult acquire(const AcquireRequest& req) {
  if (req.imports.empty() && !req.apify) throw UsageError("nothing to acquire: give --import FILE and/or --apify");
  AcquireResult out;
  ImportOptions iopts = req.import_options;
  iopts.fetched_utc = req.now;
  Gathered g;
  for (const auto& path : req.imports) take(import_file(path, iopts), g, out);
  if (req.apify) gather_apify(req, iopts, g, out);
  dedupe_into(std::move(g.all), out);

  const std::string inputs_sha = sha256_hex(g.raw);
  out.run_id = format_compact_utc(req.now) + "-" + inputs_sha.substr(0, 12);
  select_into(req, inputs_sha, out);

  const Workspace& ws = req.workspace;
  std::filesystem::path acq_dir = ws.acquisition_dir(req.client.slug, req.hashtag.slug);
  out.raw_path = ws.contain(acq_dir / "raw" / (out.run_id + ".jsonl"));
  out.public_raw_path = ws.contain(ws.public_hashtag_dir(req.hashtag.slug) / "raw" / (out.run_id + ".jsonl"));
  out.selection_path = ws.contain(acq_dir / "selection.json");

  // The db transaction is the commit point: the raw files written before it go again if it fails.
  FileRollback rollback;
  write_raw_copies(out, g.raw, rollback);
  const std::vector<store::SelectedVideoRow> rows = selected_rows(out);
  const std::string now_iso = format_iso8601_utc(req.now);
  const store::AcquisitionRow acq = acquisition_row(req, out, g, inputs_sha);
  req.db.transaction([&] {
    store::upsert_videos(req.db, out.videos, now_iso);
    store::insert_acquisition(req.db, acq);
    store::link_hashtag_videos(req.db, req.hashtag.slug, acq.id, out.videos);
    Json summary = out.selection_json;
    summary.erase("excluded");
    out.selection_id =
        store::insert_selection(req.db, req.client.id, req.hashtag.id, now_iso, inputs_sha, summary.dump(), rows);
  });
  rollback.armed = false;
  ensure_directory(out.selection_path.parent_path());
  write_json_atomic(out.selection_path, out.selection_json);
  return out;
}

}  // namespace rumi::acquire
