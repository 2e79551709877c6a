#include "report/example_cover.h"

#include <algorithm>
#include <set>

#include "core/file_io.h"
#include "core/json.h"
#include "core/sha256.h"
#include "core/workspace.h"
#include "report/pdf_document.h"
#include "store/checkpoints.h"
#include "store/clients.h"
#include "store/workspace_store.h"

namespace rumi::report {

namespace fs = std::filesystem;

namespace {

// The video folder of the hashtag's latest analysis run ("videos" in its stored options), when
// hashtag_dir sits in a workspace (MLAnalysis/<client>/<hashtag> under a root with rumi.db).
std::optional<fs::path> analysis_videos_dir(const fs::path& hashtag_dir) {
  auto records = store::open_hashtag_of_dir(hashtag_dir);
  if (!records) return std::nullopt;
  const auto run = store::find_latest_run(records->db, records->client.id, records->hashtag.id);
  if (!run || run->options_json.empty()) return std::nullopt;
  const Json o = Json::parse(run->options_json, nullptr, false);
  if (!o.is_object() || !o.contains("videos") || !o["videos"].is_string()) return std::nullopt;
  return fs::path(o["videos"].get<std::string>());
}

// The sha256 the analysis recorded for the video's file ("" when none: not a content analysis).
std::string recorded_sha256(const fs::path& hashtag_dir, Bucket bucket, const std::string& video_id) {
  const fs::path file = bucket_files(hashtag_dir, bucket).analysis(video_id);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return "";
  const Json j = Json::parse(read_file(file), nullptr, false);
  if (!j.is_object() || !j.contains("native") || !j["native"].is_object()) return "";
  const Json& n = j["native"];
  return n.contains("input_sha256") && n["input_sha256"].is_string() ? n["input_sha256"].get<std::string>() : "";
}

}  // namespace

std::vector<fs::path> example_video_dirs(const fs::path& hashtag_dir, const std::vector<fs::path>& extra) {
  std::vector<fs::path> candidates = extra;
  try {
    if (auto d = analysis_videos_dir(hashtag_dir)) candidates.push_back(*d);
  } catch (const std::exception&) {
    // An unreadable database costs the stills, never the report.
  }
  const fs::path dir = fs::absolute(hashtag_dir).lexically_normal();
  if (dir.parent_path().parent_path().filename() == "MLAnalysis")
    candidates.push_back(Workspace(dir.parent_path().parent_path().parent_path()).public_videos_dir());
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  std::error_code ec;
  for (const auto& c : candidates) {
    const fs::path n = fs::absolute(c).lexically_normal();
    if (fs::is_directory(n, ec) && seen.insert(n).second) out.push_back(n);
  }
  return out;
}

std::optional<fs::path> example_video_file(const std::vector<fs::path>& dirs, const fs::path& hashtag_dir,
                                           Bucket bucket, const std::string& video_id) {
  // A video id names a file only when it is a plain name (TikTok's are digits).
  if (video_id.empty() || video_id.find_first_of("/\\") != std::string::npos || video_id[0] == '.') return std::nullopt;
  const std::string sha = recorded_sha256(hashtag_dir, bucket, video_id);
  std::error_code ec;
  for (const auto& d : dirs) {
    const fs::path f = d / (video_id + ".mp4");
    if (!fs::is_regular_file(f, ec)) continue;
    if (!sha.empty() && sha256_file(f) != sha) continue;  // another file under that name
    return f;
  }
  return std::nullopt;
}

void draw_cover_frame(cairo_t* cr, const CoverFrame& f, double x, double y, double box_w, double box_h) {
  if (!f.valid() || box_w <= 0 || box_h <= 0) return;
  SurfacePtr img(cairo_image_surface_create(CAIRO_FORMAT_RGB24, f.width, f.height));
  if (cairo_surface_status(img.get()) != CAIRO_STATUS_SUCCESS) return;
  cairo_surface_flush(img.get());
  unsigned char* data = cairo_image_surface_get_data(img.get());
  const int stride = cairo_image_surface_get_stride(img.get());
  for (int row = 0; row < f.height; ++row) {
    auto* out = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(row) * stride);
    const std::uint8_t* in = f.rgb.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width) * 3;
    for (int col = 0; col < f.width; ++col, in += 3)
      out[col] = (std::uint32_t{in[0]} << 16) | (std::uint32_t{in[1]} << 8) | std::uint32_t{in[2]};
  }
  cairo_surface_mark_dirty(img.get());
  const double scale = std::min(box_w / f.width, box_h / f.height);
  const double w = f.width * scale, h = f.height * scale;
  const double left = x + (box_w - w) / 2, top = y + (box_h - h) / 2;
  cairo_save(cr);
  cairo_translate(cr, left, top);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, img.get(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_restore(cr);
  set_color(cr, kBrandSecondary);
  cairo_set_line_width(cr, 0.6);
  cairo_rectangle(cr, left, top, w, h);
  cairo_stroke(cr);
}

}  // namespace rumi::report
