#include "config/config_file.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/slug.h"
#include "core/time_util.h"

namespace rumi::config {

namespace fs = std::filesystem;

namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& at, std::string_view field, std::string_view problem) const {
    throw InputError(file_, "line " + std::to_string(at.Mark().line + 1), field, problem);
  }

  // Every key must be one rumi reads: a typo ("videos_per_segmnt") or a setting from another
  // tool would otherwise change nothing without a word.
  void reject_unknown(const YAML::Node& map, std::initializer_list<std::string_view> known,
                      std::string_view where) const {
    for (const auto& kv : map) {
      // A list or mapping used as a key (`[x]: 1`) cannot be a setting name.
      if (!kv.first.IsScalar()) fail(kv.first, where, "keys must be plain names");
      std::string key = kv.first.as<std::string>();
      bool ok = false;
      std::string list;
      for (auto k : known) {
        ok |= (k == key);
        list += (list.empty() ? "" : ", ") + std::string(k);
      }
      if (!ok)
        fail(kv.first, where.empty() ? key : std::string(where) + "." + key,
             "unknown key '" + key + "' (known here: " + list + ")");
    }
  }

  std::string string_field(const YAML::Node& map, const char* key, bool required, std::string_view parent) const {
    YAML::Node n = map[key];
    if (!n || n.IsNull()) {
      if (required) fail(map, std::string(parent) + "." + key, "is required");
      return {};
    }
    if (!n.IsScalar()) fail(n, std::string(parent) + "." + key, "must be a string");
    return n.as<std::string>();
  }

  template <class T>
  T scalar(const YAML::Node& n, std::string_view field, std::string_view type_name) const {
    if (!n.IsScalar()) fail(n, field, std::string("must be ") + std::string(type_name));
    try {
      return n.as<T>();
    } catch (const YAML::Exception&) {
      fail(n, field, "must be " + std::string(type_name) + ", got '" + n.as<std::string>() + "'");
    }
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// The keys the seed's section 3.2 puts directly on a hashtag.
constexpr std::string_view kHashtagLevelAnalysisKeys[] = {"videos_per_segment", "date_filter", "segments"};

// Reads videos_per_segment, segments and the date cutoff (`min_date`, or the seed 3.2 name
// `date_filter`) from `n` into `c`; shared by analysis_config and the hashtag level.
void read_core_analysis(const Reader& r, const YAML::Node& n, const std::string& f, AnalysisConfig& c) {
  if (auto v = n["videos_per_segment"]) {
    c.videos_per_segment = r.scalar<int>(v, f + ".videos_per_segment", "an integer");
    if (c.videos_per_segment < 1 || c.videos_per_segment > 1000)
      r.fail(v, f + ".videos_per_segment", "must be between 1 and 1000, got " + std::to_string(c.videos_per_segment));
  }
  if (auto v = n["segments"]) {
    if (!v.IsSequence() || v.size() == 0) r.fail(v, f + ".segments", "must be a non-empty list of buckets");
    c.segments.clear();
    for (const auto& s : v) {
      std::string name = r.scalar<std::string>(s, f + ".segments", "a bucket name");
      auto b = parse_bucket(name);
      if (!b)
        r.fail(s, f + ".segments", "unknown bucket '" + name + "' (known: 0-15s, 16-30s, 31-60s, 61-90s, 91-120s)");
      if (std::find(c.segments.begin(), c.segments.end(), *b) != c.segments.end())
        r.fail(s, f + ".segments", "bucket '" + name + "' listed twice");
      c.segments.push_back(*b);
    }
  }
  if (n["min_date"] && n["date_filter"])
    r.fail(n["date_filter"], f + ".date_filter", "give the date cutoff once: min_date and date_filter mean the same");
  for (const char* key : {"min_date", "date_filter"}) {
    if (auto v = n[key]; v && !v.IsNull()) {
      std::string d = r.scalar<std::string>(v, f + "." + key, "a date");
      if (d.size() != 10 || !parse_iso8601_utc(d))
        r.fail(v, f + "." + key, "not a valid date (YYYY-MM-DD): '" + d + "'");
      c.min_date = d;
    }
  }
}

// Dense literal code kept as written: clang-format would put one field per line.
// clang-format off
AnalysisConfig read_analysis(const Reader& r, const YAML::Node& n, std::string_view where) {
  AnalysisConfig c;
  if (!n || n.IsNull()) return c;
  if (!n.IsMap()) r.fail(n, where, "must be a mapping");
  r.reject_unknown(n,
                   {"videos_per_segment", "segments", "min_date", "date_filter", "ml_models", "clustering_k",
                    "selection", "max_items", "apify_actor", "success_gate"},
                   where);
  std::string f = std::string(where);
  read_core_analysis(r, n, f, c);
  if (auto v = n["ml_models"]) {
    if (!v.IsSequence()) r.fail(v, f + ".ml_models", "must be a list");
    for (const auto& m : v) {
      std::string type;
      if (m.IsMap()) {
        type = r.string_field(m, "type", true, f + ".ml_models[]");
        if (type == "clustering" && m["k"]) c.clustering_k = r.scalar<int>(m["k"], f + ".ml_models[].k", "an integer");
      } else {
        type = r.scalar<std::string>(m, f + ".ml_models[]", "a model type");
      }
      bool known = false;
      for (auto k : kKnownModelTypes) known |= (k == type);
      if (!known)
        r.fail(m, f + ".ml_models[].type",
               "unknown model type '" + type +
                   "' (known: random_forest, decision_tree, linear, clustering, gradient_boosting)");
      if (type == "linear_model") type = "linear";
      if (!c.has_model(type)) c.ml_models.push_back(type);
    }
  }
  if (auto v = n["clustering_k"]) c.clustering_k = r.scalar<int>(v, f + ".clustering_k", "an integer");
  if (c.clustering_k != 0 && (c.clustering_k < 2 || c.clustering_k > 10))
    r.fail(n, f + ".clustering_k", "must be 0 (choose by silhouette) or 2..10");
  if (auto v = n["max_items"]) {
    c.max_items = r.scalar<std::int64_t>(v, f + ".max_items", "an integer");
    if (c.max_items < 1 || c.max_items > 100000) r.fail(v, f + ".max_items", "must be between 1 and 100000");
  }
  if (auto v = n["apify_actor"]) c.apify_actor = r.scalar<std::string>(v, f + ".apify_actor", "a string");
  if (auto v = n["success_gate"]) {
    c.success_gate = r.scalar<double>(v, f + ".success_gate", "a number");
    if (!(c.success_gate >= 0 && c.success_gate <= 1)) r.fail(v, f + ".success_gate", "must be between 0 and 1");
  }
  if (auto s = n["selection"]) {
    if (!s.IsMap()) r.fail(s, f + ".selection", "must be a mapping");
    std::string g = f + ".selection";
    r.reject_unknown(s, {"min_views", "min_engagement_rate", "outlier_iqr_k", "celebrity_followers",
                         "celebrity_weight", "share_boost", "design"},
                     g);
    auto& t = c.selection;
    auto nonneg = [&](const char* key, double v) {
      if (!(v >= 0)) r.fail(s[key], g + "." + key, "must be >= 0");
    };
    if (s["min_views"]) nonneg("min_views", static_cast<double>(t.min_views = r.scalar<std::int64_t>(s["min_views"], g + ".min_views", "an integer")));
    if (s["min_engagement_rate"]) nonneg("min_engagement_rate", t.min_engagement_rate = r.scalar<double>(s["min_engagement_rate"], g + ".min_engagement_rate", "a number"));
    if (s["outlier_iqr_k"]) nonneg("outlier_iqr_k", t.outlier_iqr_k = r.scalar<double>(s["outlier_iqr_k"], g + ".outlier_iqr_k", "a number"));
    if (s["celebrity_followers"]) nonneg("celebrity_followers", static_cast<double>(t.celebrity_followers = r.scalar<std::int64_t>(s["celebrity_followers"], g + ".celebrity_followers", "an integer")));
    if (s["celebrity_weight"]) {
      t.celebrity_weight = r.scalar<double>(s["celebrity_weight"], g + ".celebrity_weight", "a number");
      if (!(t.celebrity_weight > 0 && t.celebrity_weight <= 1)) r.fail(s["celebrity_weight"], g + ".celebrity_weight", "must be in (0, 1]");
    }
    if (s["share_boost"]) nonneg("share_boost", t.share_boost = r.scalar<double>(s["share_boost"], g + ".share_boost", "a number"));
    if (auto d = s["design"]) {
      const std::string name = r.scalar<std::string>(d, g + ".design", "a design name");
      auto parsed = parse_design(name);
      if (!parsed) r.fail(d, g + ".design", "unknown design '" + name + "' (known: " + std::string(kDesignNames) + ")");
      t.design = *parsed;
    }
  }
  return c;
}
// clang-format on

// `brief:` (config/brand.h): the brand inputs of the creator briefs. Texts are non-empty strings,
// lists are lists of them; the logo must be a PNG inside the config file's folder.
BrandInputs read_brief(const Reader& r, const YAML::Node& n, const std::string& where, const fs::path& config_dir) {
  BrandInputs b;
  if (!n || n.IsNull()) return b;
  if (!n.IsMap()) r.fail(n, where, "must be a mapping of brand inputs (brand, product, usps, ...)");
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) r.fail(kv.first, where, "keys must be plain names");
    const std::string key = kv.first.as<std::string>();
    bool known = false;
    std::string list;
    for (auto k : kBrandKeys) {
      known |= (k == key);
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    if (!known) r.fail(kv.first, where + "." + key, "unknown brand input '" + key + "' (known: " + list + ")");
  }
  auto text = [&](const char* key, std::string& out) {
    const YAML::Node v = n[key];
    if (!v || v.IsNull()) return;
    const std::string field = where + "." + key;
    if (!v.IsScalar()) r.fail(v, field, "must be a text");
    std::string t = v.as<std::string>();
    if (t.find_first_not_of(" \t\r\n") == std::string::npos) r.fail(v, field, "is empty (leave the key out instead)");
    if (t.size() > kMaxBrandText) r.fail(v, field, "is longer than " + std::to_string(kMaxBrandText) + " characters");
    out = std::move(t);
  };
  auto list = [&](const char* key, std::vector<std::string>& out) {
    const YAML::Node v = n[key];
    if (!v || v.IsNull()) return;
    const std::string field = where + "." + key;
    if (!v.IsSequence()) r.fail(v, field, "must be a list of texts, e.g. [\"Third-party tested\"]");
    if (v.size() > kMaxBrandListItems)
      r.fail(v, field, "has more than " + std::to_string(kMaxBrandListItems) + " items");
    for (const auto& item : v) {
      if (!item.IsScalar()) r.fail(item, field, "must be a list of texts");
      std::string t = item.as<std::string>();
      if (t.find_first_not_of(" \t\r\n") == std::string::npos) r.fail(item, field, "has an empty item");
      if (t.size() > kMaxBrandText)
        r.fail(item, field, "has an item longer than " + std::to_string(kMaxBrandText) + " characters");
      out.push_back(std::move(t));
    }
  };
  text("brand", b.brand);
  text("about", b.about);
  text("product", b.product);
  text("product_description", b.product_description);
  list("usps", b.usps);
  text("target_audience", b.target_audience);
  list("key_messages", b.key_messages);
  text("tone", b.tone);
  text("call_to_action", b.call_to_action);
  list("words_to_avoid", b.words_to_avoid);
  text("agency", b.agency);
  text("agency_contact", b.agency_contact);
  std::string logo;
  text("logo", logo);
  if (!logo.empty()) {
    try {
      b.logo = resolve_logo(config_dir, logo).string();
    } catch (const UsageError& e) {
      r.fail(n["logo"], where + ".logo", e.what());
    }
  }
  return b;
}

HashtagSpec read_hashtag(const Reader& r, const YAML::Node& h, const std::string& hw, const fs::path& config_dir) {
  HashtagSpec hs;
  if (h.IsScalar()) {
    hs.name = h.as<std::string>();
  } else if (h.IsMap()) {
    r.reject_unknown(h, {"name", "url", "analysis_config", "videos_per_segment", "date_filter", "segments", "brief"},
                     hw);
    hs.name = r.string_field(h, "name", true, hw);
    hs.url = r.string_field(h, "url", false, hw);
    if (!hs.url.empty() && hs.url.rfind("https://", 0) != 0 && hs.url.rfind("http://", 0) != 0)
      r.fail(h["url"], hw + ".url", "must start with https:// or http://");
    if (hs.url.size() > 2000) r.fail(h["url"], hw + ".url", "is too long");
    const YAML::Node ac = h["analysis_config"];
    hs.analysis = read_analysis(r, ac, hw + ".analysis_config");
    // Seed 3.2: the same settings directly on the hashtag. Said twice, neither silently wins.
    for (auto key : kHashtagLevelAnalysisKeys) {
      const std::string k(key);
      if (!h[k] || !ac || !ac.IsMap()) continue;
      const bool clash = ac[k] || (k == "date_filter" && ac["min_date"]);
      if (clash)
        r.fail(h[k], hw + "." + k,
               "is also set in analysis_config: give it in one place (on the hashtag, seed 3.2, or in "
               "analysis_config, seed Appendix B)");
    }
    read_core_analysis(r, h, hw, hs.analysis);
    hs.brief = read_brief(r, h["brief"], hw + ".brief", config_dir);
  } else {
    r.fail(h, hw, "must be a hashtag name or a mapping");
  }
  try {
    hs.slug = slugify(hs.name, "hashtag");
  } catch (const UsageError& e) {
    r.fail(h.IsMap() ? h["name"] : h, hw + ".name", e.what());
  }
  hs.name = normalize_hashtag(hs.name);
  return hs;
}

// One client: the mapping of an Appendix B `clients` entry, or seed 3.2's `client` with the
// top-level `hashtags` list (`tags_node`, the same node for Appendix B).
ClientSpec read_client(const Reader& r, const YAML::Node& c, const YAML::Node& tags, const std::string& where,
                       const std::string& tags_where, const fs::path& config_dir) {
  ClientSpec spec;
  spec.name = r.string_field(c, "name", true, where);
  try {
    spec.slug = slugify(spec.name, "client name");
  } catch (const UsageError& e) {
    r.fail(c["name"], where + ".name", e.what());
  }
  spec.industry = r.string_field(c, "industry", false, where);
  if (spec.industry.size() > kMaxNameLength) r.fail(c["industry"], where + ".industry", "is too long");
  // Seed 3.2's is_new has no effect (config apply creates or updates clients itself), but a
  // wrong type is still an error rather than a silently accepted value.
  if (auto v = c["is_new"]; v && !v.IsNull()) (void)r.scalar<bool>(v, where + ".is_new", "true or false");
  spec.brief = read_brief(r, c["brief"], where + ".brief", config_dir);
  if (tags && !tags.IsNull()) {
    if (!tags.IsSequence()) r.fail(tags, tags_where, "must be a list");
    std::set<std::string> tag_slugs;
    for (std::size_t k = 0; k < tags.size(); ++k) {
      const YAML::Node h = tags[k];
      HashtagSpec hs = read_hashtag(r, h, tags_where + "[" + std::to_string(k) + "]", config_dir);
      if (!tag_slugs.insert(hs.slug).second)
        r.fail(h, tags_where + "[" + std::to_string(k) + "].name",
               "duplicate hashtag '" + hs.name + "' for client '" + spec.name + "'");
      spec.hashtags.push_back(std::move(hs));
    }
  }
  return spec;
}

}  // namespace

ConfigFile parse_config_text(std::string_view text, const std::filesystem::path& path) {
  Reader r(path.string());
  ConfigFile cfg;
  cfg.path = path;
  const fs::path config_dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw InputError(path.string(), "line " + std::to_string(e.mark.line + 1), "", "invalid YAML: " + e.msg);
  }
  if (!root || root.IsNull()) throw InputError(path.string(), "", "clients", "the file is empty");
  if (!root.IsMap()) r.fail(root, "", "the top level must be a mapping with a 'clients' list");
  if (root["client"]) {
    // Seed section 3.2: one client, its hashtags at the top level.
    r.reject_unknown(root, {"mode", "client", "hashtags"}, "");
    if (auto m = root["mode"]) {
      const std::string mode = r.scalar<std::string>(m, "mode", "a text");
      if (mode != "ml_training") r.fail(m, "mode", "only 'ml_training' is supported, got '" + mode + "'");
    }
    const YAML::Node c = root["client"];
    if (!c.IsMap()) r.fail(c, "client", "must be a mapping with name, industry");
    if (c["hashtags"]) r.fail(c["hashtags"], "client.hashtags", "in this shape hashtags go at the top level");
    r.reject_unknown(c, {"name", "industry", "is_new", "brief"}, "client");
    cfg.clients.push_back(read_client(r, c, root["hashtags"], "client", "hashtags", config_dir));
    return cfg;
  }
  // A missing list is the more useful message than the first stray key (a file of the wrong kind).
  YAML::Node clients = root["clients"];
  if (!clients) r.fail(root, "clients", "is required (or use the seed 3.2 shape with 'client' and 'hashtags')");
  r.reject_unknown(root, {"clients"}, "");
  if (!clients.IsSequence() || clients.size() == 0) r.fail(clients, "clients", "must be a non-empty list");
  std::set<std::string> client_slugs;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const YAML::Node c = clients[i];
    std::string where = "clients[" + std::to_string(i) + "]";
    if (!c.IsMap()) r.fail(c, where, "must be a mapping with name, industry, hashtags");
    r.reject_unknown(c, {"name", "industry", "hashtags", "is_new", "brief"}, where);
    ClientSpec spec = read_client(r, c, c["hashtags"], where, where + ".hashtags", config_dir);
    if (!client_slugs.insert(spec.slug).second)
      r.fail(c["name"], where + ".name", "duplicate client '" + spec.name + "' (same folder name '" + spec.slug + "')");
    cfg.clients.push_back(std::move(spec));
  }
  return cfg;
}

ConfigFile load_config_file(const std::filesystem::path& path) {
  std::string text = read_file(path);
  if (text.size() > 10 * 1024 * 1024) throw InputError(path.string(), "", "", "config file larger than 10 MiB");
  return parse_config_text(text, path);
}

}  // namespace rumi::config
