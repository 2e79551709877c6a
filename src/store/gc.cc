#include "store/gc.h"

#include <algorithm>
#include <set>

#include "core/error.h"

namespace rumi::store {
namespace fs = std::filesystem;

namespace {

std::uintmax_t size_on_disk(const fs::path& p) {
  std::error_code ec;
  const auto st = fs::symlink_status(p, ec);
  if (ec) return 0;
  if (st.type() == fs::file_type::regular) return fs::file_size(p, ec);
  if (st.type() != fs::file_type::directory) return 0;
  std::uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code e2;
    if (fs::symlink_status(it->path(), e2).type() == fs::file_type::regular) total += fs::file_size(it->path(), e2);
  }
  return total;
}

// Stored analysis paths may be workspace-relative or absolute; either way they must resolve
// inside public/ or we refuse to touch them.
std::optional<fs::path> public_path(const Workspace& ws, const std::string& stored) {
  fs::path p(stored);
  if (p.is_relative()) p = ws.root() / p;
  p = p.lexically_normal();
  const fs::path pub = ws.public_dir().lexically_normal();
  auto [r, _] = std::mismatch(pub.begin(), pub.end(), p.begin(), p.end());
  if (r != pub.end() || p == pub) return std::nullopt;
  return p;
}

constexpr std::string_view kOrphanVideos =
    " FROM videos AS v WHERE NOT EXISTS (SELECT 1 FROM hashtag_videos h WHERE h.video_id = v.video_id)"
    " AND NOT EXISTS (SELECT 1 FROM selected_videos s WHERE s.video_id = v.video_id)"
    " AND NOT EXISTS (SELECT 1 FROM analysis_refs r WHERE r.video_id = v.video_id)";

}  // namespace

std::uintmax_t GcPlan::total_bytes() const {
  std::uintmax_t t = 0;
  for (const auto& i : items) t += i.bytes;
  return t;
}

Json GcPlan::to_json(const Workspace& ws) const {
  Json items_json = Json::array();
  for (const auto& i : items)
    items_json.push_back({{"kind", i.kind},
                          {"key", i.key},
                          {"path", i.path.lexically_relative(ws.root()).generic_string()},
                          {"bytes", i.bytes}});
  return Json{{"items", items_json}, {"total_bytes", total_bytes()}, {"orphan_video_rows", orphan_video_rows}};
}

GcPlan plan_gc(Database& db, const Workspace& ws) {
  // What is unreferenced is decided over every client's references. A role that sees only its own
  // clients (row-level security, docs/team-mode.md) would take other clients' analyses for garbage.
  if (db.dialect() == Dialect::postgres) {
    auto admin = db.prepare("SELECT rumi_is_admin()");
    admin.step();
    if (admin.int64(0) != 1)
      throw UsageError(
          "rumi gc on the shared store needs the store's owner role (it must see every client's "
          "references); run it as the admin");
  }
  GcPlan plan;
  // Files still used by a referenced analysis survive even if an unreferenced row shares them
  // (content-hashed storage can give two rows one file).
  std::set<fs::path> kept_files;
  {
    auto s = db.prepare(
        "SELECT a.path FROM analyses a WHERE EXISTS (SELECT 1 FROM analysis_refs r WHERE r.video_id = a.video_id"
        " AND r.analyzer_version = a.analyzer_version)");
    while (s.step())
      if (auto p = public_path(ws, s.text(0))) kept_files.insert(*p);
  }
  {
    auto s = db.prepare(
        "SELECT a.video_id, a.analyzer_version, a.path FROM analyses a WHERE NOT EXISTS (SELECT 1 FROM analysis_refs r"
        " WHERE r.video_id = a.video_id AND r.analyzer_version = a.analyzer_version) ORDER BY a.video_id,"
        " a.analyzer_version");
    std::set<fs::path> planned;
    while (s.step()) {
      GcItem item{"analysis", s.text(0) + "@" + s.text(1), {}, 0};
      if (auto p = public_path(ws, s.text(2)); p && !kept_files.count(*p) && planned.insert(*p).second) {
        item.path = *p;
        item.bytes = size_on_disk(*p);
      }
      plan.items.push_back(std::move(item));
    }
  }
  const fs::path hashtags_root = ws.public_dir() / "hashtags";
  std::error_code ec;
  if (fs::symlink_status(hashtags_root, ec).type() == fs::file_type::directory) {
    std::set<std::string> in_use;
    auto s = db.prepare("SELECT DISTINCT slug FROM hashtags");
    while (s.step()) in_use.insert(s.text(0));
    std::vector<fs::path> dirs;
    for (const auto& d : fs::directory_iterator(hashtags_root)) dirs.push_back(d.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& d : dirs) {
      const std::string slug = d.filename().string();
      if (in_use.count(slug)) continue;
      plan.items.push_back(GcItem{"hashtag", slug, d, size_on_disk(d)});
    }
    // Acquisition rows of hashtags no client has, even when their folder is already gone.
    auto a = db.prepare("SELECT DISTINCT hashtag_slug FROM acquisitions ORDER BY hashtag_slug");
    while (a.step()) {
      const std::string slug = a.text(0);
      if (in_use.count(slug)) continue;
      bool listed = false;
      for (const auto& i : plan.items) listed |= i.kind == "hashtag" && i.key == slug;
      if (!listed) plan.items.push_back(GcItem{"hashtag", slug, {}, 0});
    }
  }
  auto v = db.prepare(std::string("SELECT count(*)") + std::string(kOrphanVideos));
  v.step();
  plan.orphan_video_rows = v.int64(0);
  return plan;
}

void apply_gc(Database& db, const Workspace& ws, const GcPlan& plan) {
  db.transaction([&] {
    for (const auto& i : plan.items) {
      if (i.kind == "analysis") {
        const auto at = i.key.rfind('@');
        db.prepare(
              "DELETE FROM analyses WHERE video_id = ? AND analyzer_version = ? AND NOT EXISTS (SELECT 1 FROM"
              " analysis_refs r WHERE r.video_id = analyses.video_id AND r.analyzer_version ="
              " analyses.analyzer_version)")
            .bind(1, i.key.substr(0, at))
            .bind(2, i.key.substr(at + 1))
            .run();
      } else if (i.kind == "hashtag") {
        db.prepare(
              "DELETE FROM hashtag_videos WHERE hashtag_slug = ? AND NOT EXISTS (SELECT 1 FROM hashtags WHERE slug = "
              "?)")
            .bind(1, i.key)
            .bind(2, i.key)
            .run();
        db.prepare(
              "DELETE FROM acquisitions WHERE hashtag_slug = ? AND NOT EXISTS (SELECT 1 FROM hashtags WHERE slug = ?)")
            .bind(1, i.key)
            .bind(2, i.key)
            .run();
      }
    }
    db.exec(std::string("DELETE") + std::string(kOrphanVideos));
  });
  for (const auto& i : plan.items) {
    if (i.path.empty()) continue;
    const fs::path p = ws.contain(i.path);
    if (!public_path(ws, p.string())) throw Error("refusing to remove " + p.string() + ": not in the public layer");
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec) throw Error("could not remove " + p.string() + ": " + ec.message());
  }
}

}  // namespace rumi::store

namespace rumi::store {

fs::path public_videos_dir(const Workspace& ws) { return ws.public_dir() / "videos"; }

std::chrono::seconds parse_age(std::string_view text) {
  auto bad = [&]() -> UsageError {
    return UsageError("bad age '" + std::string(text.substr(0, 40)) +
                      "': expected a positive whole number and a unit, e.g. 7d, 12h, 30m, 45s or 2w");
  };
  if (text.size() < 2) throw bad();
  std::int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') throw bad();
    n = n * 10 + (c - '0');
    if (n > 100000000) throw bad();  // keeps n * unit far from overflow
  }
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: throw bad();
  }
  if (n <= 0) throw bad();
  return std::chrono::seconds(n * unit);
}

GcPlan plan_video_gc(const Workspace& ws, std::chrono::seconds older_than, fs::file_time_type now) {
  GcPlan plan;
  const fs::path dir = public_videos_dir(ws);
  std::error_code ec;
  if (fs::symlink_status(dir, ec).type() != fs::file_type::directory) return plan;
  std::vector<fs::path> files;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code e2;
    if (fs::symlink_status(it->path(), e2).type() != fs::file_type::regular) continue;
    auto mtime = fs::last_write_time(it->path(), e2);
    if (e2 || now - mtime <= older_than) continue;
    files.push_back(it->path());
  }
  if (ec) throw Error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) plan.items.push_back(GcItem{"video", f.filename().string(), f, size_on_disk(f)});
  return plan;
}

void apply_video_gc(const Workspace& ws, const GcPlan& plan) {
  const fs::path dir = public_videos_dir(ws).lexically_normal();
  for (const auto& i : plan.items) {
    if (i.kind != "video") continue;
    const fs::path p = ws.contain(i.path).lexically_normal();
    std::error_code ec;
    auto st = fs::symlink_status(p, ec);
    if (st.type() == fs::file_type::not_found) continue;
    if (p.parent_path() != dir || st.type() != fs::file_type::regular)
      throw Error("refusing to remove " + p.string() + ": not a file in " + dir.string());
    fs::remove(p, ec);
    if (ec) throw Error("could not remove " + p.string() + ": " + ec.message());
  }
}

}  // namespace rumi::store
