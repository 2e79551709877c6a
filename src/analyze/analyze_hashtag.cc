#include "analyze/analyze_hashtag.h"

#include <signal.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "acquire/video_download.h"
#include "analyze/command_template.h"
#include "analyze/process_group.h"
#include "analyze/selection_input.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/sha256.h"
#include "core/time_util.h"
#include "features/analysis_reader.h"
#include "features/flows.h"
#include "native/content_analysis.h"
#include "native/metadata_analysis.h"
#include "store/analyses.h"
#include "store/checkpoints.h"
#include "store/job_queue.h"
#include "store/videos.h"

namespace rumi::analyze {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string now_text() { return format_iso8601_utc(now_unix()); }

std::string new_run_id() {
  const auto t = std::chrono::system_clock::now().time_since_epoch().count();
  const auto s = Clock::now().time_since_epoch().count();
  return "an-" + format_compact_utc(now_unix()) + "-" +
         sha256_hex(std::to_string(t) + "/" + std::to_string(s) + "/" + std::to_string(::getpid())).substr(0, 8);
}

struct Analyzer {
  std::optional<std::vector<std::string>> words;  // external command
  std::optional<fs::path> replay_dir;
  std::optional<features::AnalysisIndex> replay_index;
  bool native_metadata = false;  // rumi's own analyzer on the Apify item alone
  bool native_content = false;   // rumi's own analyzer on <videos_dir>/<id>.mp4 (and the item)
  fs::path videos_dir;
  bool download = false;  // fetch missing files from the item's links first
  native::ContentOptions content;
  // Team mode, `analyze --wait`: each video's analysis is the one a queue worker stored (the
  // client's analysis reference names its analyzer version); nothing is analysed here.
  bool from_queue = false;
  std::string version;
  std::string template_text;
};

// The cache key of a native metadata analysis: analyzer name, its version and the mode. The item
// itself is not hashed into the key because metadata analyses are never served from the cache
// (they cost nothing to redo, and a re-scrape changes the counts they carry). A content analysis
// is keyed by native::content_analyzer_version (name, content version, detector configuration
// hash) and the input file's sha256, checked when a cached analysis is served.
std::string native_version(std::string_view mode) {
  return std::string(native::kNativeAnalyzerName) + "-" + std::to_string(native::kNativeMetadataVersion) + "-" +
         std::string(mode);
}

Analyzer make_analyzer(const AnalyzeOptions& o) {
  const int sources = (o.analyzer_template ? 1 : 0) + (o.replay_dir ? 1 : 0) + (o.native ? 1 : 0);
  if (sources > 1) throw UsageError("give at most one of --native, --analyzer 'CMD {url} {id} {out}' or --replay DIR");
  if (o.from_queue && (sources > 0 || o.videos_dir))
    throw UsageError(
        "--wait takes the analyses the queue's workers stored: give the analyzer to 'rumi worker', not here");
  Analyzer a;
  if (o.from_queue) {
    a.from_queue = true;
    a.version = "queue";
  } else if (sources == 0 || o.native) {
    if (o.videos_dir) {
      std::error_code ec;
      if (!fs::is_directory(*o.videos_dir, ec))
        throw UsageError("--videos: " + o.videos_dir->string() +
                         " is not a directory (it should hold <video_id>.mp4 files)");
      a.native_content = true;
      a.download = o.download;
      a.videos_dir = fs::absolute(*o.videos_dir);
      a.content.timeout_s = o.timeout_s;
      a.content.max_duration_s = o.max_video_duration_s;
      a.version = native::content_analyzer_version(a.content);
    } else {
      a.native_metadata = true;
      a.version = native_version("metadata");
    }
  } else if (o.analyzer_template) {
    a.words = split_command_template(*o.analyzer_template);
    a.version = analyzer_version_for(*o.analyzer_template, o.analyzer_version_extra);
    a.template_text = *o.analyzer_template;
  } else {
    std::error_code ec;
    if (!fs::is_directory(*o.replay_dir, ec))
      throw UsageError("--replay: " + o.replay_dir->string() + " is not a directory");
    a.replay_dir = fs::absolute(*o.replay_dir);
    a.version = "replay";
  }
  if (!(o.timeout_s > 0)) throw UsageError("--timeout must be > 0 seconds");
  if (o.min_success && !(*o.min_success >= 0 && *o.min_success <= 1))
    throw UsageError("--min-success must be in [0, 1]");
  return a;
}

Json options_json(const AnalyzeOptions& o, const Analyzer& a, const std::string& selection_sha) {
  Json j{{"analyzer_version", a.version},
         {"analyzer_version_extra", o.analyzer_version_extra},
         {"timeout_s", o.timeout_s},
         {"fail_fast", o.fail_fast},
         {"selection_sha256", selection_sha}};
  j["native"] = a.native_metadata || a.native_content;
  j["videos"] = a.native_content ? Json(a.videos_dir.string()) : Json(nullptr);
  j["download"] = a.download;
  if (a.native_content) j["max_video_duration_s"] = o.max_video_duration_s;
  j["analyzer"] = o.analyzer_template ? Json(*o.analyzer_template) : Json(nullptr);
  j["replay"] = o.replay_dir ? Json(fs::absolute(*o.replay_dir).string()) : Json(nullptr);
  j["min_success"] = o.min_success ? Json(*o.min_success) : Json(nullptr);
  return j;
}

// On --resume the command line may omit what the run was started with.
AnalyzeOptions merge_stored_options(AnalyzeOptions o, const Json& stored) {
  if (!o.analyzer_template && !o.replay_dir && !o.native) {
    if (stored.value("native", false))
      o.native = true;
    else if (stored.contains("analyzer") && stored["analyzer"].is_string())
      o.analyzer_template = stored["analyzer"].get<std::string>();
    else if (stored.contains("replay") && stored["replay"].is_string())
      o.replay_dir = stored["replay"].get<std::string>();
    if (o.analyzer_version_extra.empty()) o.analyzer_version_extra = stored.value("analyzer_version_extra", "");
  }
  // A native content run resumed with a bare --native (or nothing) keeps its video folder and limit.
  if (o.native && stored.value("native", false)) {
    if (!o.videos_dir && stored.contains("videos") && stored["videos"].is_string())
      o.videos_dir = stored["videos"].get<std::string>();
    if (o.max_video_duration_s <= 0) o.max_video_duration_s = stored.value("max_video_duration_s", 0.0);
    if (!o.download) o.download = stored.value("download", false);
  }
  if (!o.min_success && stored.contains("min_success") && stored["min_success"].is_number())
    o.min_success = stored["min_success"].get<double>();
  return o;
}

std::string resume_command(const AnalyzeRequest& r) {
  return "rumi --workspace " + shell_quote(r.workspace.root().string()) + " analyze " + shell_quote(r.client.slug) +
         " " + shell_quote(r.hashtag.slug) + " --resume";
}

bool pid_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

// Analyzer output dirs of processes that died (SIGKILL, power loss) are removed at start.
void remove_stale_work_dirs(const fs::path& tmp) {
  std::error_code ec;
  if (!fs::is_directory(tmp, ec)) return;
  for (const auto& e : fs::directory_iterator(tmp, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("analyze-", 0) != 0) continue;
    // analyze-<id>-<pid>-<n>
    auto last = name.rfind('-');
    if (last == std::string::npos || last == 0) continue;
    auto prev = name.rfind('-', last - 1);
    if (prev == std::string::npos) continue;
    long pid = std::atol(name.substr(prev + 1, last - prev - 1).c_str());
    if (!pid_alive(pid)) fs::remove_all(e.path(), ec);
  }
}

struct Attempt {
  bool ok = false;
  bool stopped = false;
  bool from_cache = false;
  bool ran_analyzer = false;
  std::string error;
  std::string bytes;  // merged analysis file content
  std::vector<std::string> missing_flows;
  std::vector<std::string> flows;  // the merged file's flow names, in its order (replay)
  std::string version;             // the analysis's analyzer version when not the run's (queue)
};

// The flow names of a merged analysis file, in its order.
std::vector<std::string> flow_names(const std::string& bytes) {
  Json merged = Json::parse(bytes);
  std::vector<std::string> flows;
  for (const auto& [flow, blocks] : merged["flows"].items()) flows.push_back(flow);
  return flows;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out.append(i ? sep : "").append(v[i]);
  return out;
}

// Validates a loaded analysis and turns it into the merged file's bytes.
void finish_loaded(const features::LoadedAnalysis& loaded, const features::AnalysisIndex& index,
                   const std::string& video_id, const std::string& version, Attempt& at) {
  if (loaded.flows.empty()) {
    std::vector<std::string> others;
    for (const auto& [id, files] : index.by_video)
      if (id != video_id) others.push_back(id);
    at.error = others.empty() ? "no RumiAI flow files found for video " + video_id
                              : "analyzer output is for video " + join(others, ", ") + ", not " + video_id;
    return;
  }
  // What the reader set aside (era-B files beside an era-C one, older duplicates) is worth a line:
  // the analysis is valid, but not everything in the folder was used.
  for (const auto& w : loaded.warnings) spdlog::warn("video {}: {}", video_id, w);
  at.missing_flows = loaded.missing_flows;
  const Json merged = features::merged_analysis_json(loaded, version);
  if (merged.contains("flows") && merged["flows"].is_object())
    for (const auto& [flow, blocks] : merged["flows"].items()) at.flows.push_back(flow);
  at.bytes = dump_json(merged);
  at.ok = true;
}

// The files of one replay batch, made durable with two syncfs(2) calls instead of one fsync per
// file and per directory (a replayed video lives in its own public directory, so a batch of 128
// videos cost ~400 fsyncs of ~3 ms each): every temp file is written, the filesystem synced, all
// renamed into place, and the filesystem synced again, so a crash leaves each target either
// absent/old or complete, as write_file_atomic does. Falls back to per-file fsync where syncfs
// fails.
class ReplayFiles {
 public:
  ReplayFiles() = default;
  ReplayFiles(const ReplayFiles&) = delete;
  ReplayFiles& operator=(const ReplayFiles&) = delete;
  ~ReplayFiles() {
    std::error_code ec;
    for (const auto& [target, temp] : pending_) fs::remove(temp, ec);
  }

  void add(const fs::path& target, std::string_view content) {
    ensure_directory(target.parent_path());
    fs::path temp = target;
    temp += ".replay-tmp." + std::to_string(::getpid());
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw Error("cannot write " + temp.string() + ": " + std::strerror(errno));
    pending_.emplace_back(target, std::move(temp));
  }

  void commit() {
    if (pending_.empty()) return;
    sync(pending_.front().second, true);
    for (const auto& [target, temp] : pending_) {
      std::error_code ec;
      fs::rename(temp, target, ec);
      if (ec) throw Error("cannot write " + target.string() + ": rename: " + ec.message());
    }
    sync(pending_.front().first.parent_path(), false);
    pending_.clear();
  }

 private:
  // syncfs on the filesystem of `path`; where that fails, fsync every temp file (before the
  // renames) or every target directory (after them).
  void sync(const fs::path& path, bool temps) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const bool ok = fd >= 0 && ::syncfs(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (ok) return;
    std::set<fs::path> done;
    for (const auto& [target, temp] : pending_) {
      const fs::path p = temps ? temp : target.parent_path();
      if (!done.insert(p).second) continue;
      const int f = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      const bool synced = f >= 0 && ::fsync(f) == 0;
      if (f >= 0) ::close(f);
      if (!synced && temps) throw Error("cannot write " + target.string() + ": fsync: " + std::strerror(errno));
    }
  }

  std::vector<std::pair<fs::path, fs::path>> pending_;
};

class Runner {
 public:
  Runner(const AnalyzeRequest& r, Analyzer& a) : r_(r), a_(a), pub_(r.workspace.public_analysis_dir()) {
    dir_ = r.workspace.hashtag_dir(r.client.slug, r.hashtag.slug);
    ckpt_dir_ = r.workspace.checkpoints_dir(r.client.slug, r.hashtag.slug);
    tmp_ = r.workspace.root() / "tmp";
  }

  Attempt attempt(const store::CheckpointRow& row, const std::string& url, int attempt_no) {
    Attempt at;
    const std::string& id = row.video_id;
    if (!is_safe_video_id(id)) {
      at.error = "invalid video id (only letters, digits, '_' and '-' are allowed); not analysed";
      return at;
    }
    if (a_.native_metadata) {
      analyse_metadata(id, at);
      return at;
    }
    if (a_.native_content) {
      analyse_content(id, attempt_no, at);
      return at;
    }
    if (a_.replay_dir) {
      replay(id, at);
      return at;
    }
    if (a_.from_queue) {
      serve_queued(id, at);
      return at;
    }
    if (serve_cached(id, at)) return at;
    run_external(id, url, attempt_no, at);
    return at;
  }

  void replay(const std::string& id, Attempt& at) {
    try {
      if (!a_.replay_index) a_.replay_index = features::index_analysis_dir(*a_.replay_dir);
      finish_loaded(features::load_analysis(*a_.replay_index, id), *a_.replay_index, id, a_.version, at);
    } catch (const InputError& e) {
      at.error = e.what();
    }
  }

  // The analysis a queue worker stored for this client's hashtag (its reference names the
  // version), or the job's failure as this video's error.
  void serve_queued(const std::string& id, Attempt& at) {
    const auto ref = store::find_analysis_ref(r_.db, r_.client.id, r_.hashtag.id, id);
    if (!ref) {
      const std::optional<std::string> why = store::job_error(r_.db, r_.client.slug, r_.hashtag.slug, id);
      at.error = why ? "the queue's worker failed: " + *why
                     : "no queue worker has stored an analysis of this video (run 'rumi analyze --enqueue' and "
                       "'rumi worker')";
      return;
    }
    const auto cached = store::find_analysis(r_.db, id, ref->analyzer_version);
    std::optional<std::string> bytes = cached ? cached_bytes(*cached) : std::nullopt;
    if (!bytes) {
      at.error = "the store holds no intact analysis " + ref->analyzer_version + " of this video";
      return;
    }
    at.ok = true;
    at.from_cache = true;
    at.version = ref->analyzer_version;
    at.bytes = std::move(*bytes);
    try {
      at.missing_flows = features::merged_analysis_from_json(parse_json(at.bytes, "store: analyses.body of " + id),
                                                             "store: analyses.body of " + id)
                             .missing_flows;
    } catch (const InputError&) {
    }
  }

  // The external analyzer's analysis from the public cache, when it is intact: its file here, or
  // (team mode, where another machine may have made it) the copy the store keeps.
  bool serve_cached(const std::string& id, Attempt& at) {
    auto cached = store::find_analysis(r_.db, id, a_.version);
    if (!cached) return false;
    const fs::path file = r_.workspace.root() / cached->path;
    std::optional<std::string> bytes = cached_bytes(*cached);
    if (!bytes) return false;
    at.ok = true;
    at.from_cache = true;
    at.bytes = std::move(*bytes);
    try {
      at.missing_flows =
          features::merged_analysis_from_json(parse_json(at.bytes, file.string()), file.string()).missing_flows;
    } catch (const InputError&) {
    }
    return true;
  }

  // The external analyzer in its own process group, writing into a fresh work dir that is
  // removed afterwards; its output and the command line go to the video's log.
  void run_external(const std::string& id, const std::string& url, int attempt_no, Attempt& at) {
    ensure_directory(tmp_);
    const fs::path out = tmp_ / ("analyze-" + id + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter_));
    std::error_code ec;
    fs::remove_all(out, ec);
    ensure_directory(out);
    const fs::path log_dir = ckpt_dir_ / "logs";
    ensure_directory(log_dir);
    const fs::path log = log_dir / (id + ".log");
    const auto argv = expand_command(*a_.words, TemplateValues{url, id, out.string()});
    {
      std::ofstream header(log, std::ios::app);
      header << "=== " << now_text() << " attempt " << attempt_no << ":";
      for (const auto& w : argv) header << " " << shell_quote(w);
      header << "\n";
    }
    ProcessOptions po;
    po.timeout_s = r_.options.timeout_s;
    po.kill_grace_s = r_.options.kill_grace_s;
    po.stop = r_.stop;
    ProcessOutcome res = run_in_process_group(argv, log, po);
    at.ran_analyzer = true;
    if (res.kind == ProcessOutcome::Kind::stopped) {
      at.stopped = true;
    } else if (!res.ok()) {
      at.error = res.describe(po.timeout_s) + "; log: " + fs::relative(log, dir_).generic_string();
    } else {
      try {
        auto index = features::index_analysis_dir(out);
        finish_loaded(features::load_analysis(index, id), index, id, a_.version, at);
      } catch (const InputError& e) {
        at.error = std::string("invalid analyzer output: ") + e.what();
      }
    }
    fs::remove_all(out, ec);
  }

  // The native metadata analysis: the stored video record (the normalized Apify item) is all it
  // reads. Flows it cannot measure without the video are listed as missing, never filled in.
  void analyse_metadata(const std::string& id, Attempt& at) {
    const std::optional<Video> v = store::find_video(r_.db, id);
    if (!v) {
      at.error = "video " + id + " is not in the store (acquire it first)";
      return;
    }
    const features::LoadedAnalysis loaded = features::analysis_from_flows(
        id, Json{{"metadata_analysis", native::metadata_analysis(*v)}}, "native:" + a_.version);
    at.missing_flows = loaded.missing_flows;
    at.bytes = dump_json(features::merged_analysis_json(loaded, a_.version));
    at.ok = true;
  }

  // --download: fetches <videos_dir>/<id>.mp4 from the stored item's links. False (with the
  // reason in the attempt, its links redacted) when it cannot.
  bool download_video(const std::string& id, Attempt& at) {
    const std::optional<Video> v = store::find_video(r_.db, id);
    if (!v) {
      at.error = "no stored video record to download from";
      return false;
    }
    try {
      ensure_directory(a_.videos_dir);
      acquire::fetch_video(*v, a_.videos_dir, acquire::download_options_from_env());
      return true;
    } catch (const std::exception& e) {
      at.error = "download failed: " + redact_secrets(e.what());
      return false;
    }
  }

  // A cached content analysis is served only when it was made from this very file.
  bool serve_cached_content(const std::string& id, const std::string& input_sha, Attempt& at) {
    auto cached = store::find_analysis(r_.db, id, a_.version);
    if (!cached) return false;
    std::optional<std::string> bytes = cached_bytes(*cached);
    if (!bytes) return false;
    const std::string where = (r_.workspace.root() / cached->path).string();
    try {
      const Json j = parse_json(*bytes, where);
      const auto n = j.find("native");
      if (n != j.end() && n->is_object() && n->value("input_sha256", "") == input_sha) {
        at.missing_flows = features::merged_analysis_from_json(j, where).missing_flows;
        at.ok = true;
        at.from_cache = true;
        at.bytes = std::move(*bytes);
        return true;
      }
    } catch (const InputError&) {
      // an unreadable cached analysis is analysed again and replaced
    }
    return false;
  }

  // A cached analysis's bytes when they are intact (their sha256 is the stored one): its file
  // here or, in team mode, where another machine may have made it, the copy the store keeps.
  std::optional<std::string> cached_bytes(const store::AnalysisRow& cached) {
    const fs::path file = r_.workspace.root() / cached.path;
    std::error_code ec;
    std::optional<std::string> bytes;
    if (fs::is_regular_file(file, ec)) bytes = read_file(file);
    if (!bytes || sha256_hex(*bytes) != cached.sha256)
      bytes = store::find_analysis_body(r_.db, cached.video_id, cached.analyzer_version);
    if (!bytes || sha256_hex(*bytes) != cached.sha256) return std::nullopt;
    return bytes;
  }

  // The native content analysis of <videos_dir>/<id>.mp4, with the stored item for
  // metadata_analysis. Served from the public cache when the analyzer version (detector
  // configuration) and the file's sha256 match the cached analysis. Timings go to the video's
  // log, not into the analysis (which must be reproducible).
  void analyse_content(const std::string& id, int attempt_no, Attempt& at) {
    const fs::path file = a_.videos_dir / (id + ".mp4");
    std::error_code ec;
    if (a_.download && !fs::is_regular_file(file, ec) && !download_video(id, at)) return;
    if (!fs::is_regular_file(file, ec)) {
      at.error = "video file " + file.string() + " not found (--videos holds <video_id>.mp4 files)";
      return;
    }
    const std::string input_sha = sha256_file(file);
    if (serve_cached_content(id, input_sha, at)) return;
    const std::optional<Video> item = store::find_video(r_.db, id);
    native::ContentOptions co = a_.content;
    co.stop = r_.stop;
    const fs::path log_dir = ckpt_dir_ / "logs";
    ensure_directory(log_dir);
    std::ofstream log(log_dir / (id + ".log"), std::ios::app);
    log << "=== " << now_text() << " attempt " << attempt_no << ": native content analysis of " << file.string()
        << "\n";
    at.ran_analyzer = true;
    try {
      const native::ContentAnalysis ca = native::analyse_video_file(file, item ? &*item : nullptr, co);
      const features::LoadedAnalysis loaded = features::analysis_from_flows(id, ca.flows, "native:" + a_.version);
      Json merged = features::merged_analysis_json(loaded, a_.version);
      merged["native"] = {{"mode", "content"},
                          {"input_sha256", input_sha},
                          {"config_sha256", native::content_config_hash(a_.content)},
                          {"duration_s", json_number(ca.duration_s)},
                          {"has_audio", ca.info.has_audio},
                          {"cuts", ca.cuts},
                          {"words_measured", ca.words_measured},
                          {"transcript", ca.transcript}};
      at.missing_flows = loaded.missing_flows;
      at.bytes = dump_json(merged);
      at.ok = true;
      log << ca.measurements().dump() << "\n";
    } catch (const native::DecodeError& e) {
      if (e.kind() == native::DecodeError::Kind::stopped) {
        at.stopped = true;
        return;
      }
      at.error = e.what();
      log << "failed: " << e.what() << "\n";
    } catch (const std::exception& e) {
      at.error = std::string("native analysis of ") + file.string() + " failed: " + e.what();
      log << "failed: " << e.what() << "\n";
    }
  }

  // Public cache first (so a crash right after still spares the analyzer), then the client copy.
  void store_result(const std::string& id, Bucket b, const Attempt& at) {
    if (!at.from_cache) {
      const fs::path pub_file = pub_ / id / (a_.version + ".json");
      ensure_directory(pub_file.parent_path());
      write_file_atomic(pub_file, at.bytes);
      const std::vector<std::string> flows = flow_names(at.bytes);
      store::upsert_analysis(
          r_.db, store::AnalysisRow{id, a_.version, sha256_hex(at.bytes),
                                    pub_file.lexically_relative(r_.workspace.root()).generic_string(), join(flows, ","),
                                    now_text(), at.bytes});
    }
    const fs::path videos = r_.workspace.videos_dir(r_.client.slug, r_.hashtag.slug, b);
    ensure_directory(videos);
    write_file_atomic(videos / (id + "_analysis.json"), at.bytes);
  }

  // A replayed batch: each analysis goes into `batch` (written and fsynced together by the
  // caller), with a public copy only when the cache does not already hold these very bytes (a
  // video another client's hashtag replayed). Returns the cache row to record once the batch's
  // files are durable.
  std::optional<store::AnalysisRow> stage_result(ReplayFiles& batch, const std::string& id, Bucket b,
                                                 const Attempt& at) {
    std::optional<store::AnalysisRow> row;
    const std::string sha = sha256_hex(at.bytes);
    const fs::path pub_file = pub_ / id / (a_.version + ".json");
    const auto cached = store::find_analysis(r_.db, id, a_.version);
    std::error_code ec;
    if (!cached || cached->sha256 != sha || !fs::is_regular_file(r_.workspace.root() / cached->path, ec)) {
      batch.add(pub_file, at.bytes);
      row = store::AnalysisRow{id,
                               a_.version,
                               sha,
                               pub_file.lexically_relative(r_.workspace.root()).generic_string(),
                               join(at.flows, ","),
                               now_text(),
                               at.bytes};
    }
    batch.add(r_.workspace.videos_dir(r_.client.slug, r_.hashtag.slug, b) / (id + "_analysis.json"), at.bytes);
    return row;
  }

  const Analyzer& analyzer() const { return a_; }

 private:
  const AnalyzeRequest& r_;
  Analyzer& a_;
  fs::path pub_, dir_, ckpt_dir_, tmp_;
  int counter_ = 0;
};

void write_progress(const fs::path& file, const store::AnalysisRunRow& run, const AnalyzeResult& result,
                    const std::vector<store::CheckpointRow>& rows) {
  const std::string& version = result.analyzer_version;
  Json videos = Json::array();
  std::map<std::string, int> counts{{"done", 0}, {"failed", 0}, {"pending", 0}, {"running", 0}};
  for (const auto& r : rows) {
    const std::string status(store::checkpoint_status_name(r.status));
    counts[status]++;
    Json v{{"video_id", r.video_id}, {"bucket", r.bucket}, {"status", status}, {"attempts", r.attempts}};
    v["error"] = r.error ? Json(*r.error) : Json(nullptr);
    v["duration_s"] = r.duration_s ? json_number(*r.duration_s) : Json(nullptr);
    v["updated_at"] = r.updated_at;
    videos.push_back(std::move(v));
  }
  Json j{{"format", "rumi-analysis-progress"},
         {"format_version", 1},
         {"run_id", run.id},
         {"status", run.status},
         {"analyzer_version", version},
         {"mode", result.mode},  // "metadata": captions and posting data only; the reports say so
         {"started_at", run.started_at},
         {"updated_at", now_text()},
         {"total", rows.size()},
         {"counts", counts},
         {"videos", std::move(videos)}};
  write_json_atomic(file, j);
}

// An unfinished run must be continued (--resume) or abandoned (--restart); neither is an error
// that names the exact command to continue it. Returns the run to continue, if any.
std::optional<store::AnalysisRunRow> resolve_unfinished_run(const AnalyzeRequest& req, const std::string& resume_cmd) {
  store::Database& db = req.db;
  const auto client_id = req.client.id;
  std::optional<store::AnalysisRunRow> run = store::find_unfinished_run(db, client_id, req.hashtag.id);
  const AnalyzeOptions& opts = req.options;
  if (run && !opts.resume && !opts.restart) {
    int done = 0, total = 0;
    for (const auto& c : store::list_checkpoints(db, client_id, run->id)) {
      ++total;
      done += c.status == store::CheckpointStatus::done || c.status == store::CheckpointStatus::failed;
    }
    throw UsageError("an unfinished analysis run " + run->id + " (started " + run->started_at + ", " +
                     std::to_string(done) + " of " + std::to_string(total) +
                     " videos processed) exists for this hashtag; continue it with:\n  " + resume_cmd +
                     "\nor start over with --restart");
  }
  if (run && opts.restart) {
    store::set_run_status(db, client_id, run->id, "abandoned", now_text());
    run.reset();
  }
  return run;
}

// The options this invocation runs with: the command line, completed from the run it continues
// (or, on --resume with nothing unfinished, from the last run).
AnalyzeOptions merge_run_options(const AnalyzeRequest& req, const std::optional<store::AnalysisRunRow>& run,
                                 const SelectionInput& selection) {
  AnalyzeOptions opts = req.options;
  if (run) {
    const Json stored = parse_json(run->options_json, "analysis_runs.options_json");
    if (stored.value("selection_sha256", "") != selection.sha256)
      throw UsageError("acquisition/selection.json changed since analysis run " + run->id +
                       " started; start a new run with --restart");
    opts = merge_stored_options(opts, stored);
  } else if (opts.resume) {
    // Nothing unfinished: --resume starts a new run with what the last one was started with.
    if (auto last = store::find_latest_run(req.db, req.client.id, req.hashtag.id))
      opts = merge_stored_options(opts, parse_json(last->options_json, "analysis_runs.options_json"));
  }
  // --download without --videos: the public videos folder, shared by every client.
  if (opts.download && !opts.videos_dir) opts.videos_dir = req.workspace.public_videos_dir();
  if (opts.download && opts.videos_dir) ensure_directory(*opts.videos_dir);
  if (opts.download && !opts.native && (opts.analyzer_template || opts.replay_dir))
    throw UsageError(
        "--download fetches video files for rumi's native analyzer; it does not go with --analyzer or --replay");
  return opts;
}

// A run keeps its mode and analyzer: a bucket never mixes metadata-only and content analyses,
// nor analyses made with different detector settings.
void check_run_analyzer(const std::optional<store::AnalysisRunRow>& run, const std::string& version) {
  if (!run) return;
  const Json stored = parse_json(run->options_json, "analysis_runs.options_json");
  const std::string before = stored.value("analyzer_version", "");
  if (!before.empty() && before != version)
    throw UsageError("analysis run " + run->id + " was started with analyzer " + before + ", not " + version +
                     " (a different mode, --videos or detector setting); resume it as it "
                     "was started, or start a new run with --restart");
}

// Marks the continued run running with this invocation's options, or creates a new run with one
// pending checkpoint per selected video, in selection order.
store::AnalysisRunRow start_or_continue_run(const AnalyzeRequest& r, std::optional<store::AnalysisRunRow> run,
                                            const Analyzer& analyzer, const SelectionInput& selection,
                                            AnalyzeResult& result) {
  store::Database& db = r.db;
  const auto client_id = r.client.id;
  if (run) {
    result.resumed = true;
    run->status = "running";
    run->options_json = options_json(r.options, analyzer, selection.sha256).dump();
    store::set_run_options(db, client_id, run->id, run->options_json);
    store::set_run_status(db, client_id, run->id, "running", std::nullopt);
    return *run;
  }
  store::AnalysisRunRow created{new_run_id(),
                                client_id,
                                r.hashtag.id,
                                now_text(),
                                std::nullopt,
                                "running",
                                options_json(r.options, analyzer, selection.sha256).dump()};
  std::vector<store::CheckpointRow> rows;
  for (std::size_t i = 0; i < selection.videos.size(); ++i) {
    store::CheckpointRow c;
    c.video_id = selection.videos[i].video_id;
    c.bucket = std::string(bucket_name(selection.videos[i].bucket));
    c.position = static_cast<std::int64_t>(i);
    c.updated_at = created.started_at;
    rows.push_back(std::move(c));
  }
  store::create_analysis_run(db, created, rows);
  return created;
}

bool needs_work(const AnalyzeRequest& r, const store::CheckpointRow& c) {
  if (c.status == store::CheckpointStatus::pending || c.status == store::CheckpointStatus::running) return true;
  if (c.status == store::CheckpointStatus::failed) return r.options.retry_failed;
  if (c.status == store::CheckpointStatus::done) {
    // A done video whose file vanished is restored (from the cache, normally).
    auto b = parse_bucket(c.bucket);
    std::error_code ec;
    return !b ||
           !fs::exists(r.workspace.videos_dir(r.client.slug, r.hashtag.slug, *b) / (c.video_id + "_analysis.json"), ec);
  }
  return false;
}

// What processing the videos touches: the run, its checkpoints (saved after every step, with the
// progress file) and the result so far.
struct RunState {
  const AnalyzeRequest& r;
  Runner& runner;
  store::AnalysisRunRow& run;
  std::vector<store::CheckpointRow>& rows;
  fs::path progress_file;
  AnalyzeResult& result;
  std::map<std::string, VideoOutcome> outcomes;
};

// One video: checkpointed running, analysed, its analysis stored and its checkpoint saved with
// the analysis reference in one transaction. False when the run stops here (signal, fail-fast).
bool process_video(RunState& s, store::CheckpointRow& c, const std::string& url, Progress& progress) {
  store::Database& db = s.r.db;
  const auto client_id = s.r.client.id;
  const auto b = parse_bucket(c.bucket).value_or(Bucket::s0_15);
  c.status = store::CheckpointStatus::running;
  c.attempts += 1;
  c.error.reset();
  c.updated_at = now_text();
  store::save_checkpoint(db, client_id, s.run.id, c);

  const auto t0 = Clock::now();
  Attempt at = s.runner.attempt(c, url, c.attempts);
  if (at.ran_analyzer) ++s.result.analyzer_invocations;
  if (at.stopped) {
    c.status = store::CheckpointStatus::pending;
    c.error = "interrupted";
    c.updated_at = now_text();
    store::save_checkpoint(db, client_id, s.run.id, c);
    write_progress(s.progress_file, s.run, s.result, s.rows);
    s.result.stop_reason = "signal";
    return false;
  }
  if (at.ok) s.runner.store_result(c.video_id, b, at);
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  c.status = at.ok ? store::CheckpointStatus::done : store::CheckpointStatus::failed;
  if (!at.ok) c.error = at.error;
  c.duration_s = secs;
  c.updated_at = now_text();
  db.transaction([&] {
    if (at.ok)
      store::add_analysis_ref(db, client_id, s.r.hashtag.id, c.video_id,
                              at.version.empty() ? s.result.analyzer_version : at.version);
    store::save_checkpoint(db, client_id, s.run.id, c);
  });
  write_progress(s.progress_file, s.run, s.result, s.rows);
  if (at.from_cache) ++s.result.cache_hits;

  VideoOutcome& o = s.outcomes[c.video_id];
  o.processed_now = true;
  o.from_cache = at.from_cache;
  o.duration_s = secs;
  o.missing_flows = at.missing_flows;
  progress.advance(1, c.video_id + (at.ok ? "" : " failed"));
  if (!at.ok && s.r.options.fail_fast) {
    s.result.stop_reason = "fail-fast";
    return false;
  }
  return true;
}

// Replayed analyses cost almost nothing to redo, so a replay run checkpoints in batches: up to
// kReplayBatch videos are read, their files written and fsynced together (one fsync per
// directory), and only then their cache rows, references and done/failed checkpoints are saved
// in one transaction and the progress file rewritten. A crash mid-batch leaves its videos
// pending (never done without a durable file); they are replayed again on --resume.
constexpr std::size_t kReplayBatch = 128;

struct ReplayItem {
  store::CheckpointRow* row;
  Attempt at;
  double seconds = 0;
};

// Saves one replayed batch (files, then database rows, then progress); false on fail-fast.
bool save_replay_batch(RunState& s, std::vector<ReplayItem>& items, Progress& progress) {
  store::Database& db = s.r.db;
  const auto client_id = s.r.client.id;
  ReplayFiles files;
  std::vector<store::AnalysisRow> cache_rows;
  for (ReplayItem& it : items)
    if (it.at.ok)
      if (auto row = s.runner.stage_result(files, it.row->video_id,
                                           parse_bucket(it.row->bucket).value_or(Bucket::s0_15), it.at))
        cache_rows.push_back(std::move(*row));
  files.commit();
  const std::string now = now_text();
  db.transaction([&] {
    for (const auto& row : cache_rows) store::upsert_analysis(db, row);
    for (ReplayItem& it : items) {
      store::CheckpointRow& c = *it.row;
      c.attempts += 1;
      c.status = it.at.ok ? store::CheckpointStatus::done : store::CheckpointStatus::failed;
      c.error = it.at.ok ? std::nullopt : std::optional(it.at.error);
      c.duration_s = it.seconds;
      c.updated_at = now;
      if (it.at.ok) store::add_analysis_ref(db, client_id, s.r.hashtag.id, c.video_id, s.result.analyzer_version);
      store::save_checkpoint(db, client_id, s.run.id, c);
    }
  });
  write_progress(s.progress_file, s.run, s.result, s.rows);
  bool go_on = true;
  for (ReplayItem& it : items) {
    VideoOutcome& o = s.outcomes[it.row->video_id];
    o.processed_now = true;
    o.duration_s = it.seconds;
    o.missing_flows = it.at.missing_flows;
    progress.advance(1, it.row->video_id + (it.at.ok ? "" : " failed"));
    if (!it.at.ok && s.r.options.fail_fast) go_on = false;
  }
  if (!go_on) s.result.stop_reason = "fail-fast";
  items.clear();
  return go_on;
}

// A signal (Ctrl-C, SIGTERM) asked the run to stop before the next video: recorded as the stop
// reason for the caller, which ends its loop.
bool stop_requested(RunState& s) {
  if (!(s.r.stop && s.r.stop->load())) return false;
  s.result.stop_reason = "signal";
  return true;
}

// The replay counterpart of process_videos below. True when the run stopped early.
bool process_replayed_videos(RunState& s) {
  std::size_t todo = 0;
  for (const auto& c : s.rows) todo += needs_work(s.r, c);
  Progress progress("analyze " + s.r.hashtag.name, todo, s.r.options.quiet);
  std::vector<ReplayItem> items;
  bool stopped = false;
  for (auto& c : s.rows) {
    if (!needs_work(s.r, c)) continue;
    if (stop_requested(s)) {
      stopped = true;
      break;
    }
    const auto t0 = Clock::now();
    ReplayItem it{&c, s.runner.attempt(c, std::string(), c.attempts + 1), 0};
    it.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const bool failed_fast = !it.at.ok && s.r.options.fail_fast;
    items.push_back(std::move(it));
    if ((items.size() >= kReplayBatch || failed_fast) && !save_replay_batch(s, items, progress)) {
      stopped = true;
      break;
    }
  }
  // Whatever was read before a signal is saved too: those analyses are complete.
  if (!items.empty() && !save_replay_batch(s, items, progress)) stopped = true;
  progress.finish();
  return stopped;
}

// The videos that need work, one at a time, in checkpoint order. True when the run stopped early.
bool process_videos(RunState& s, const SelectionInput& selection) {
  std::map<std::string, const SelectedVideo*> by_id;
  for (const auto& v : selection.videos) by_id[v.video_id] = &v;
  std::size_t todo = 0;
  for (const auto& c : s.rows) todo += needs_work(s.r, c);

  Progress progress("analyze " + s.r.hashtag.name, todo, s.r.options.quiet);
  bool stopped = false;
  for (auto& c : s.rows) {
    if (!needs_work(s.r, c)) continue;
    if (stop_requested(s)) {
      stopped = true;
      break;
    }
    auto sel = by_id.find(c.video_id);
    const std::string url = sel != by_id.end() ? sel->second->url : std::string();
    if (!process_video(s, c, url, progress)) {
      stopped = true;
      break;
    }
  }
  progress.finish();
  return stopped;
}

// Per-video outcomes in selection order and the per-bucket counts, timing and success gate (a
// stopped run fails no gate: it is not over).
void summarize(const RunState& s, const SelectionInput& selection, bool stopped, AnalyzeResult& result) {
  std::map<Bucket, BucketSummary> buckets;
  std::map<Bucket, std::pair<double, int>> timing;
  for (Bucket b : selection.buckets) buckets[b].bucket = b;
  for (const auto& c : s.rows) {
    const auto known = s.outcomes.find(c.video_id);
    VideoOutcome o = known != s.outcomes.end() ? known->second : VideoOutcome{};
    o.video_id = c.video_id;
    o.bucket = parse_bucket(c.bucket).value_or(Bucket::s0_15);
    o.status = c.status == store::CheckpointStatus::running ? store::CheckpointStatus::pending : c.status;
    o.error = c.error;
    o.attempts = c.attempts;
    BucketSummary& bs = buckets[o.bucket];
    bs.bucket = o.bucket;
    bs.selected++;
    if (o.status == store::CheckpointStatus::done)
      bs.done++;
    else if (o.status == store::CheckpointStatus::failed)
      bs.failed++;
    else
      bs.skipped++;
    if (o.processed_now) {
      timing[o.bucket].first += o.duration_s;
      timing[o.bucket].second++;
    }
    result.videos.push_back(std::move(o));
  }
  for (auto& [b, bs] : buckets) {
    if (timing[b].second > 0) bs.seconds_per_video = timing[b].first / timing[b].second;
    bs.passed_gate = bs.selected == 0 || static_cast<double>(bs.done) >= result.min_success * bs.selected - 1e-9;
    if (!stopped && !bs.passed_gate) result.gate_passed = false;
    result.buckets.push_back(bs);
  }
}

}  // namespace

AnalyzeResult analyze_hashtag(const AnalyzeRequest& req) {
  const auto t_start = Clock::now();
  const fs::path hashtag_dir = req.workspace.hashtag_dir(req.client.slug, req.hashtag.slug);
  const fs::path ckpt_dir = req.workspace.checkpoints_dir(req.client.slug, req.hashtag.slug);
  const SelectionInput selection = read_selection_input(hashtag_dir / "acquisition" / "selection.json");

  AnalyzeResult result;
  result.resume_command = resume_command(req);

  std::optional<store::AnalysisRunRow> unfinished = resolve_unfinished_run(req, result.resume_command);
  const AnalyzeOptions opts = merge_run_options(req, unfinished, selection);
  AnalyzeRequest r{req.workspace, req.db, req.client, req.hashtag, req.default_min_success, opts, req.stop};
  Analyzer analyzer = make_analyzer(opts);
  Runner runner(r, analyzer);
  result.analyzer_version = runner.analyzer().version;
  result.mode = runner.analyzer().native_metadata ? "metadata" : "content";
  check_run_analyzer(unfinished, result.analyzer_version);
  result.min_success = opts.min_success.value_or(req.default_min_success);
  remove_stale_work_dirs(req.workspace.root() / "tmp");

  store::AnalysisRunRow run = start_or_continue_run(r, std::move(unfinished), runner.analyzer(), selection, result);
  result.run_id = run.id;
  std::vector<store::CheckpointRow> rows = store::list_checkpoints(req.db, req.client.id, run.id);
  ensure_directory(ckpt_dir);
  RunState state{r, runner, run, rows, ckpt_dir / "progress.json", result, {}};
  const bool stopped = runner.analyzer().replay_dir ? process_replayed_videos(state) : process_videos(state, selection);

  run.status = stopped ? "stopped" : "finished";
  store::set_run_status(req.db, req.client.id, run.id, run.status, stopped ? std::nullopt : std::optional(now_text()));
  write_progress(state.progress_file, run, result, rows);
  result.status = run.status;
  summarize(state, selection, stopped, result);
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - t_start).count();
  return result;
}

struct VideoAnalyzer::Impl {
  Analyzer analyzer;
};

VideoAnalyzer::VideoAnalyzer(const AnalyzeOptions& options) : impl_(std::make_unique<Impl>()) {
  if (options.from_queue) throw UsageError("a queue worker analyses videos: give it --native, --analyzer or --replay");
  impl_->analyzer = make_analyzer(options);
}
VideoAnalyzer::~VideoAnalyzer() = default;

const std::string& VideoAnalyzer::version() const { return impl_->analyzer.version; }

VideoAnalysis VideoAnalyzer::analyse(const AnalyzeRequest& request, const std::string& video_id, int attempt_no) {
  Runner runner(request, impl_->analyzer);
  store::CheckpointRow row;
  row.video_id = video_id;
  const auto video = store::find_video(request.db, video_id);
  Attempt at = runner.attempt(row, video ? video->url : std::string(), attempt_no);
  VideoAnalysis out;
  out.ok = at.ok && !at.stopped;
  out.stopped = at.stopped;
  out.from_cache = at.from_cache;
  out.error = at.stopped ? "stopped" : at.error;
  out.analyzer_version = impl_->analyzer.version;
  if (out.ok) {
    out.flows = at.flows.empty() ? flow_names(at.bytes) : at.flows;
    out.bytes = std::move(at.bytes);
  }
  return out;
}

}  // namespace rumi::analyze
