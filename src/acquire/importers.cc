#include "acquire/importers.h"

#include <simdjson.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "acquire/counts.h"
#include "acquire/csv_reader.h"
#include "acquire/video_download.h"
#include "core/enum_names.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/time_util.h"

namespace rumi::acquire {

namespace dom = simdjson::dom;

constexpr EnumName<ImportFormat> kImportFormatNames[] = {{ImportFormat::automatic, "auto"},
                                                         {ImportFormat::apify_json, "apify-json"},
                                                         {ImportFormat::apify_csv, "apify-csv"},
                                                         {ImportFormat::legacy_json, "legacy-json"},
                                                         {ImportFormat::display_csv, "display-csv"}};

std::string_view format_name(ImportFormat f) { return name_of(kImportFormatNames, f); }

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  for (auto f : {ImportFormat::automatic, ImportFormat::apify_json, ImportFormat::apify_csv, ImportFormat::legacy_json,
                 ImportFormat::display_csv})
    if (format_name(f) == name) return f;
  return std::nullopt;
}

namespace {

std::string_view strip_bom_ws(std::string_view t) {
  if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\r' || t.front() == '\t'))
    t.remove_prefix(1);
  return t;
}

// Where we are, for error messages: "file: record 12 (id 75...): field 'playCount': problem".
struct Where {
  std::string_view file;
  std::string record;
  [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
    throw InputError(file, record, field, problem);
  }
};

// CSV cells are bytes; a Latin-1/CP-1252 export only shows up when the raw row is serialised.
std::string dump_csv_row(const Json& row, const Where& w) {
  try {
    return row.dump();
  } catch (const Json::type_error&) {
    w.fail("(encoding)", "not valid UTF-8; re-export the file as UTF-8");
  }
}

std::optional<dom::element> child(dom::element e, std::string_view key) {
  dom::object o;
  if (e.get(o) != simdjson::SUCCESS) return std::nullopt;
  dom::element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  return v;
}

std::optional<dom::element> path(dom::element e, std::initializer_list<std::string_view> keys) {
  std::optional<dom::element> cur = e;
  for (auto k : keys) {
    if (!cur) return std::nullopt;
    cur = child(*cur, k);
  }
  return cur;
}

std::int64_t to_count(dom::element v, const Where& w, std::string_view field) {
  switch (v.type()) {
    case dom::element_type::INT64: {
      std::int64_t x = v.get_int64().value_unsafe();
      if (x < 0) w.fail(field, "negative count (" + std::to_string(x) + ")");
      return x;
    }
    case dom::element_type::UINT64: w.fail(field, "count does not fit a 64-bit signed integer");
    case dom::element_type::DOUBLE: {
      double d = v.get_double().value_unsafe();
      if (d < 0) w.fail(field, "negative count (" + std::to_string(d) + ")");
      if (std::floor(d) != d || d >= 9.2e18) w.fail(field, "count is not an integer (" + std::to_string(d) + ")");
      return static_cast<std::int64_t>(d);
    }
    case dom::element_type::STRING: {
      std::string_view s = v.get_string().value_unsafe();
      if (auto c = parse_plain_count(s)) return *c;
      if (!s.empty() && s[0] == '-') w.fail(field, "negative count (" + std::string(s) + ")");
      w.fail(field, "not a count: '" + std::string(s.substr(0, 40)) + "'");
    }
    default: w.fail(field, "not a number");
  }
}

double to_double(dom::element v, const Where& w, std::string_view field) {
  switch (v.type()) {
    case dom::element_type::INT64: return static_cast<double>(v.get_int64().value_unsafe());
    case dom::element_type::UINT64: return static_cast<double>(v.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE: return v.get_double().value_unsafe();
    case dom::element_type::STRING: {
      std::string_view s = v.get_string().value_unsafe();
      if (auto d = parse_clock_duration(s)) return *d;
      w.fail(field, "not a number: '" + std::string(s.substr(0, 40)) + "'");
    }
    default: w.fail(field, "not a number");
  }
}

std::string to_text(dom::element v) {
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(v);
}

bool to_bool(dom::element v, const Where& w, std::string_view field) {
  bool b = false;
  if (v.get(b) == simdjson::SUCCESS) return b;
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) {
    if (s == "true" || s == "True" || s == "1") return true;
    if (s == "false" || s == "False" || s == "0" || s.empty()) return false;
  }
  w.fail(field, "not a boolean");
}

// Ids given as JSON numbers are accepted only when simdjson parsed them as exact integers; a
// double (1.5e18, 7.5e+18) has already lost digits, so it is refused rather than guessed.
std::string to_id(dom::element v, const Where& w) {
  switch (v.type()) {
    case dom::element_type::STRING: {
      std::string_view s = v.get_string().value_unsafe();
      if (!is_valid_video_id(s)) w.fail("id", "not a TikTok video id: '" + std::string(s.substr(0, 40)) + "'");
      return std::string(s);
    }
    case dom::element_type::INT64: {
      std::int64_t x = v.get_int64().value_unsafe();
      if (x <= 0) w.fail("id", "not a TikTok video id: " + std::to_string(x));
      return std::to_string(x);
    }
    case dom::element_type::UINT64: return std::to_string(v.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE:
      w.fail("id", "id is a floating-point JSON number, digits are lost; export ids as strings");
    default: w.fail("id", "missing or not a string");
  }
}

// Field fallbacks: the Apify actor's versions and the older scrapers name the same value
// differently (rumiai-output-schema.md section 9, VideoMetadata.from_apify_data, plus "stats"
// nesting and "plays" seen in other actors). Alternatives are tried in order; the first present
// wins, and its own name is the one an error message shows.
using KeyPath = std::vector<std::string_view>;
using Alternatives = std::vector<KeyPath>;

constexpr std::string_view kViewsName = "playCount";
constexpr std::string_view kLikesName = "diggCount";
constexpr std::string_view kCommentsName = "commentCount";
constexpr std::string_view kSharesName = "shareCount";
const Alternatives kViews = {{"playCount"}, {"stats", "playCount"}, {"plays"}, {"views"}};
const Alternatives kLikes = {{"diggCount"}, {"stats", "diggCount"}, {"likes"}};
const Alternatives kComments = {{"commentCount"}, {"stats", "commentCount"}, {"comments"}};
const Alternatives kShares = {{"shareCount"}, {"stats", "shareCount"}, {"shares"}};
const Alternatives kSaves = {{"collectCount"}, {"stats", "collectCount"}, {"saves"}};
const Alternatives kDuration = {{"videoMeta", "duration"}, {"duration"}};
const Alternatives kUrl = {{"webVideoUrl"}, {"url"}};
const Alternatives kCaption = {{"text"}, {"description"}};

std::string dotted(const KeyPath& keys) {
  std::string out;
  for (auto k : keys) {
    if (!out.empty()) out += '.';
    out += k;
  }
  return out;
}

struct Found {
  dom::element value;
  std::string field;  // the key path that was present, dotted
};

std::optional<Found> first_present(dom::element item, const Alternatives& alts) {
  for (const KeyPath& keys : alts) {
    std::optional<dom::element> cur = item;
    for (auto k : keys)
      if (cur) cur = child(*cur, k);
    if (cur) return Found{*cur, dotted(keys)};
  }
  return std::nullopt;
}

// "missing (none of playCount, stats.playCount, plays, views)"
std::string missing_message(const Alternatives& alts) {
  std::string names;
  for (const KeyPath& keys : alts) {
    if (!names.empty()) names += ", ";
    names += dotted(keys);
  }
  std::string out = "missing (none of ";
  out += names;
  out += " is present)";
  return out;
}

std::int64_t required_count(dom::element item, std::string_view name, const Alternatives& alts, const Where& w) {
  auto f = first_present(item, alts);
  if (!f) w.fail(name, missing_message(alts));
  return to_count(f->value, w, f->field);
}

// One Apify (or legacy) item -> Video.
Video video_from_item(dom::element item, const Where& w, std::int64_t fetched_utc, ImportFormat fmt) {
  if (!item.is_object()) w.fail("(item)", "not a JSON object");
  Video v;
  auto id = child(item, "id");
  if (!id) w.fail("id", "missing");
  v.id = to_id(*id, w);
  Where wi{w.file, w.record + " (id " + v.id + ")"};
  v.views = required_count(item, kViewsName, kViews, wi);
  v.likes = required_count(item, kLikesName, kLikes, wi);
  v.comments = required_count(item, kCommentsName, kComments, wi);
  v.shares = required_count(item, kSharesName, kShares, wi);
  if (auto c = first_present(item, kSaves)) v.saves = to_count(c->value, wi, c->field);
  // createTime is Unix seconds (exact); createTimeISO the same instant as text. Some actor
  // versions write createTime itself as an ISO string, which is read as such.
  if (auto t = child(item, "createTime")) {
    std::string_view s;
    if (t->get(s) == simdjson::SUCCESS && !parse_plain_count(s)) {
      auto parsed = parse_iso8601_utc(s);
      if (!parsed) {
        std::string why = "not a count: '";
        why += s.substr(0, 40);
        why += "' (Unix seconds), nor an ISO-8601 time";
        wi.fail("createTime", why);
      }
      v.created_utc = *parsed;
    } else {
      v.created_utc = to_count(*t, wi, "createTime");
    }
  } else if (auto iso = child(item, "createTimeISO")) {
    auto parsed = parse_iso8601_utc(to_text(*iso));
    if (!parsed) wi.fail("createTimeISO", "not an ISO-8601 time");
    v.created_utc = *parsed;
  }
  if (auto d = first_present(item, kDuration)) {
    v.duration_s = to_double(d->value, wi, d->field);
    if (!std::isfinite(v.duration_s)) wi.fail(d->field, "not finite");
  }
  if (auto s = child(item, "isSlideshow")) v.is_slideshow = to_bool(*s, wi, "isSlideshow");
  if (auto a = child(item, "isAd")) v.is_ad = to_bool(*a, wi, "isAd");
  if (auto a = child(item, "isSponsored")) v.is_sponsored = to_bool(*a, wi, "isSponsored");
  if (auto a = path(item, {"authorMeta", "name"})) v.author = to_text(*a);
  if (auto f = path(item, {"authorMeta", "fans"})) v.author_followers = to_count(*f, wi, "authorMeta.fans");
  if (auto vf = path(item, {"authorMeta", "verified"})) v.author_verified = to_bool(*vf, wi, "authorMeta.verified");
  if (auto t = first_present(item, kCaption)) v.caption = to_text(t->value);
  if (auto u = first_present(item, kUrl)) v.url = to_text(u->value);
  std::string name, author;
  if (auto m = path(item, {"musicMeta", "musicName"})) name = to_text(*m);
  if (auto m = path(item, {"musicMeta", "musicAuthor"})) author = to_text(*m);
  v.music = author.empty() ? name : name + " - " + author;
  if (auto m = path(item, {"musicMeta", "musicOriginal"}))
    v.music_original = to_bool(*m, wi, "musicMeta.musicOriginal");
  if (auto l = child(item, "textLanguage")) v.text_language = to_text(*l);
  if (auto e = child(item, "effectStickers")) {
    dom::array arr;
    if (e->get(arr) == simdjson::SUCCESS) v.effect_count = static_cast<int>(arr.size());
  } else if (fmt == ImportFormat::apify_csv) {
    // The actor always writes effectStickers; a CSV export drops the empty cells of a video
    // without effects, so no column here means none, not unknown.
    v.effect_count = 0;
  }
  if (auto h = child(item, "hashtags")) {
    dom::array arr;
    if (h->get(arr) == simdjson::SUCCESS) {
      for (dom::element tag : arr) {
        std::string n;
        if (tag.is_string())
          n = to_text(tag);
        else if (auto nm = child(tag, "name"))
          n = to_text(*nm);
        if (!n.empty() && n[0] == '#') n.erase(0, 1);
        if (!n.empty()) v.hashtags.push_back(std::move(n));
      }
    }
  }
  // One rule for which link comes first, shared with the downloader.
  v.media_urls = item_media_urls(Json::parse(simdjson::minify(item)));
  v.fetched_utc = fetched_utc;
  v.source = std::string(format_name(fmt));
  return v;
}

[[noreturn]] void json_fail(std::string_view file, std::string_view record, simdjson::error_code e) {
  throw InputError(file, record, "(json)",
                   std::string("invalid JSON: ") + simdjson::error_message(e) + " (truncated or not JSON?)");
}

void add_item(ImportedBatch& b, dom::element item, std::size_t index, const ImportOptions& o, ImportFormat fmt) {
  Where w{b.source, "record " + std::to_string(index)};
  b.videos.push_back(video_from_item(item, w, o.fetched_utc, fmt));
  b.raw.push_back(simdjson::minify(item));
}

void import_json(std::string_view text, ImportedBatch& b, const ImportOptions& o, ImportFormat fmt) {
  dom::parser parser;
  simdjson::padded_string padded(text);
  dom::element root;
  auto err = parser.parse(padded).get(root);
  if (err) {
    // JSONL: one object per line. A single broken document stays a document error.
    std::string_view body = strip_bom_ws(text);
    bool multi_line = body.starts_with("{") && body.find('\n') != std::string_view::npos;
    if (!multi_line || fmt == ImportFormat::legacy_json) json_fail(b.source, "document", err);
    std::size_t line_no = 0, start = 0, record = 0;
    while (start <= text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      ++line_no;
      start = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
      std::string_view trimmed = strip_bom_ws(line);
      if (trimmed.empty()) continue;
      dom::element item;
      auto e = parser.parse(line.data(), line.size()).get(item);
      if (e) json_fail(b.source, "line " + std::to_string(line_no), e);
      add_item(b, item, ++record, o, fmt);
    }
    return;
  }
  dom::array items;
  if (root.get(items) != simdjson::SUCCESS) {
    std::optional<dom::element> list = child(root, "collector");
    if (fmt == ImportFormat::legacy_json && !list)
      throw InputError(b.source, "document", "collector", "missing: not a legacy tiktok-scraper file");
    if (!list) list = child(root, "items");
    if (!list) list = path(root, {"data", "items"});
    if (list) {
      if (list->get(items) != simdjson::SUCCESS)
        throw InputError(b.source, "document", "collector/items", "not an array");
    } else {
      add_item(b, root, 1, o, fmt);  // a single item
      return;
    }
  }
  std::size_t index = 0;
  for (dom::element item : items) add_item(b, item, ++index, o, fmt);
}

// "hashtags/0/name" -> nested JSON, numeric parts are array indices, empty cells are absent.
Json unflatten_row(const CsvTable& t, const std::vector<std::string>& row, const Where& w) {
  Json item = Json::object();
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    const std::string& cell = row[c];
    if (cell.empty()) continue;
    Json value;
    std::string_view key = t.header[c];
    std::string_view last = key.substr(key.rfind('/') == std::string_view::npos ? 0 : key.rfind('/') + 1);
    bool id_like = last == "id" || last == "ID" || last.ends_with("Id");
    if (cell == "true")
      value = true;
    else if (cell == "false")
      value = false;
    else if (auto n = parse_plain_count(cell); n && !id_like)
      value = *n;
    else
      value = cell;
    // Header names come from the file: a huge index ("hashtags/99999999") would allocate that
    // many elements, and clashing or malformed paths make the JSON pointer throw.
    for (std::size_t pos = 0; pos <= key.size();) {
      const std::size_t end = std::min(key.find('/', pos), key.size());
      const std::string_view part = key.substr(pos, end - pos);
      if (part.size() > 4 && part.find_first_not_of("0123456789") == std::string_view::npos)
        w.fail(key, "column name has an array index above 9999");
      pos = end + 1;
    }
    try {
      Json::json_pointer ptr("/" + std::string(key));
      item[ptr] = value;
    } catch (const Json::exception&) {
      w.fail(key, "column name is not a usable nested key (empty part, bad '~' escape or clashes with another column)");
    }
  }
  return item;
}

void import_apify_csv(std::string_view text, ImportedBatch& b, const ImportOptions& o) {
  CsvTable t = parse_csv(text, b.source);
  if (t.column("id") < 0)
    throw InputError(b.source, "header", "id", "required column is missing (is this an Apify TikTok export?)");
  // Nested keys are flattened with '/': any of a count's alternative names will do.
  const std::pair<std::string_view, const Alternatives*> counts[] = {
      {kViewsName, &kViews}, {kLikesName, &kLikes}, {kCommentsName, &kComments}, {kSharesName, &kShares}};
  for (const auto& [name, alts] : counts) {
    bool found = false;
    std::string names;
    for (const KeyPath& keys : *alts) {
      std::string col;
      for (auto k : keys) {
        if (!col.empty()) col += '/';
        col += k;
      }
      found = found || t.column(col) >= 0;
      if (!names.empty()) names += ", ";
      names += col;
    }
    if (!found) {
      std::string why = "required column is missing (none of ";
      why += names;
      why += "; is this an Apify TikTok export?)";
      throw InputError(b.source, "header", name, why);
    }
  }
  dom::parser parser;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const Where row_where{b.source, "row " + std::to_string(r + 1) + " (line " + std::to_string(t.row_lines[r]) + ")"};
    std::string json = dump_csv_row(unflatten_row(t, t.rows[r], row_where), row_where);
    dom::element item;
    if (auto e = parser.parse(json).get(item)) json_fail(b.source, "row " + std::to_string(r + 1), e);
    Where w{b.source, "row " + std::to_string(r + 1) + " (line " + std::to_string(t.row_lines[r]) + ")"};
    b.videos.push_back(video_from_item(item, w, o.fetched_utc, ImportFormat::apify_csv));
    b.raw.push_back(std::move(json));
  }
}

void import_display_csv(std::string_view text, ImportedBatch& b, const ImportOptions& o) {
  CsvTable t = parse_csv(text, b.source);
  for (std::string_view need : {"vid_id", "vid_nview", "vid_nlike", "vid_ncomment", "vid_nshare", "vid_duration"})
    if (t.column(need) < 0) throw InputError(b.source, "header", need, "required column is missing");
  auto cell = [&](const std::vector<std::string>& row, std::string_view name) -> std::string_view {
    int c = t.column(name);
    return c < 0 ? std::string_view{} : std::string_view(row[static_cast<std::size_t>(c)]);
  };
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    Where w{b.source, "row " + std::to_string(r + 1) + " (line " + std::to_string(t.row_lines[r]) + ")"};
    Video v;
    v.id = std::string(cell(row, "vid_id"));
    if (!is_valid_video_id(v.id)) w.fail("vid_id", "not a TikTok video id: '" + v.id.substr(0, 40) + "'");
    w.record += " (id " + v.id + ")";
    // Views are required; TikTok hides comment/share/save counts when they are disabled, and
    // the scraper leaves the cell empty: that is read as 0 (documented recovery).
    auto count = [&](std::string_view field, bool required) -> std::int64_t {
      std::string_view s = cell(row, field);
      if (s.empty()) {
        if (required) w.fail(field, "missing");
        return 0;
      }
      auto c = parse_display_count(s);
      if (!c)
        w.fail(field, (s[0] == '-' ? "negative count ('" : "not a count ('") + std::string(s.substr(0, 40)) + "')");
      return *c;
    };
    v.views = count("vid_nview", true);
    v.likes = count("vid_nlike", false);
    v.comments = count("vid_ncomment", false);
    v.shares = count("vid_nshare", false);
    v.saves = count("vid_nsave", false);
    auto dur = parse_clock_duration(cell(row, "vid_duration"));
    if (!dur) w.fail("vid_duration", "not mm:ss");
    v.duration_s = *dur;
    // The scraper wrote local wall-clock times without a zone; they are read as UTC.
    if (auto s = cell(row, "vid_postTime"); !s.empty()) {
      auto p = parse_iso8601_utc(s);
      if (!p) w.fail("vid_postTime", "not a date-time");
      v.created_utc = *p;
    }
    v.fetched_utc = o.fetched_utc;
    if (auto s = cell(row, "vid_scrapeTime"); !s.empty()) {
      auto p = parse_iso8601_utc(s);
      if (!p) w.fail("vid_scrapeTime", "not a date-time");
      v.fetched_utc = *p;
    }
    v.author = std::string(cell(row, "user_name"));
    if (auto s = cell(row, "user_nfollower"); !s.empty()) {
      auto f = parse_display_count(s);
      if (!f) w.fail("user_nfollower", "not a count");
      v.author_followers = *f;
    }
    v.caption = std::string(cell(row, "vid_caption"));
    v.url = std::string(cell(row, "vid_url"));
    std::string_view title = cell(row, "music_title"), mauthor = cell(row, "music_authorName");
    v.music = mauthor.empty() ? std::string(title) : std::string(title) + " - " + std::string(mauthor);
    std::string_view tags = cell(row, "vid_hashtags");
    std::size_t start = 0;
    while (start < tags.size()) {
      std::size_t comma = tags.find(',', start);
      std::string_view tag =
          tags.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      while (!tag.empty() && (tag.front() == ' ' || tag.front() == '#')) tag.remove_prefix(1);
      while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
      if (!tag.empty()) v.hashtags.emplace_back(tag);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    v.source = "display-csv";
    Json raw = Json::object();
    for (std::size_t c = 0; c < t.header.size(); ++c) raw[t.header[c]] = row[c];
    b.raw.push_back(dump_csv_row(raw, w));
    b.videos.push_back(std::move(v));
  }
}

}  // namespace

ImportFormat detect_format(std::string_view text) {
  std::string_view body = strip_bom_ws(text);
  if (body.starts_with("[")) return ImportFormat::apify_json;
  if (body.starts_with("{")) {
    // Legacy files put "collector" at the top level; a cheap look at the first few KB of keys.
    std::string_view head = body.substr(0, 1 << 16);
    if (head.find("\"collector\"") != std::string_view::npos && head.find("\"collector\"") < head.find("\"id\""))
      return ImportFormat::legacy_json;
    return ImportFormat::apify_json;
  }
  std::string_view header = body.substr(0, body.find('\n'));
  if (header.find("vid_id") != std::string_view::npos) return ImportFormat::display_csv;
  return ImportFormat::apify_csv;
}

ImportedBatch import_text(std::string_view text, std::string_view source, const ImportOptions& opts) {
  ImportedBatch b;
  b.source = std::string(source);
  if (strip_bom_ws(text).empty()) throw InputError(source, "document", "(file)", "empty input");
  b.format = opts.format == ImportFormat::automatic ? detect_format(text) : opts.format;
  switch (b.format) {
    case ImportFormat::apify_json:
    case ImportFormat::legacy_json: import_json(text, b, opts, b.format); break;
    case ImportFormat::apify_csv: import_apify_csv(text, b, opts); break;
    case ImportFormat::display_csv: import_display_csv(text, b, opts); break;
    case ImportFormat::automatic: break;
  }
  if (b.videos.empty()) throw InputError(source, "document", "(items)", "no records");
  return b;
}

void check_line_lengths(const std::filesystem::path& path, std::size_t max_line_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "file", "(file)", "cannot be opened");
  std::vector<char> buf(1 << 20);
  std::size_t current = 0, line = 1;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize got = in.gcount();
    for (std::streamsize i = 0; i < got; ++i) {
      if (buf[static_cast<std::size_t>(i)] == '\n') {
        current = 0;
        ++line;
      } else if (++current > max_line_bytes) {
        throw InputError(path.string(), "line " + std::to_string(line), "(line)",
                         "line is longer than " + std::to_string(max_line_bytes >> 20) +
                             " MiB; refusing to load it (broken export?)");
      }
    }
  }
}

ImportedBatch import_file(const std::filesystem::path& path, const ImportOptions& opts) {
  check_line_lengths(path, opts.max_line_bytes);
  std::string text = read_file(path);
  return import_text(text, path.string(), opts);
}

DedupeResult dedupe_videos(std::vector<Video> videos) {
  auto engagements = [](const Video& v) { return v.likes + v.comments + v.shares; };
  std::stable_sort(videos.begin(), videos.end(), [&](const Video& a, const Video& b) {
    if (a.id != b.id) return a.id < b.id;
    if (a.fetched_utc != b.fetched_utc) return a.fetched_utc > b.fetched_utc;
    if (a.views != b.views) return a.views > b.views;
    return engagements(a) > engagements(b);
  });
  DedupeResult out;
  for (auto& v : videos) {
    if (!out.videos.empty() && out.videos.back().id == v.id) {
      ++out.duplicates;
      const Video& kept = out.videos.back();
      bool differs =
          kept.views != v.views || kept.likes != v.likes || kept.comments != v.comments || kept.shares != v.shares;
      if (differs && (out.conflicts.empty() || out.conflicts.back() != v.id)) out.conflicts.push_back(v.id);
      continue;
    }
    out.videos.push_back(std::move(v));
  }
  return out;
}

}  // namespace rumi::acquire
