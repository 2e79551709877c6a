#include "config/config_file.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/slug.h"
#include "core/time_util.h"

namespace rumi::config {

namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& at, std::string_view field, std::string_view problem) const {
    throw InputError(file_, "line " + std::to_string(at.Mark().line + 1), field, problem);
  }

  void warn_unknown(const YAML::Node& map, std::initializer_list<std::string_view> known, std::string_view where,
                    std::vector<std::string>& warnings) const {
    for (const auto& kv : map) {
      // A list or mapping used as a key (`[x]: 1`) cannot be a setting name.
      if (!kv.first.IsScalar()) fail(kv.first, where, "keys must be plain names");
      std::string key = kv.first.as<std::string>();
      bool ok = false;
      for (auto k : known) ok |= (k == key);
      if (!ok)
        warnings.push_back(file_ + ":" + std::to_string(kv.first.Mark().line + 1) + ": unknown key '" + key +
                           "' in " + std::string(where) + " (ignored)");
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

AnalysisConfig read_analysis(const Reader& r, const YAML::Node& n, std::string_view where,
                             std::vector<std::string>& warnings) {
  AnalysisConfig c;
  if (!n || n.IsNull()) return c;
  if (!n.IsMap()) r.fail(n, where, "must be a mapping");
  r.warn_unknown(n,
                 {"videos_per_segment", "segments", "min_date", "ml_models", "clustering_k", "selection", "max_items",
                  "apify_actor", "success_gate", "date_filter"},
                 where, warnings);
  std::string f = std::string(where);
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
      if (!b) r.fail(s, f + ".segments", "unknown bucket '" + name + "' (known: 0-15s, 16-30s, 31-60s, 61-90s, 91-120s)");
      if (std::find(c.segments.begin(), c.segments.end(), *b) != c.segments.end())
        r.fail(s, f + ".segments", "bucket '" + name + "' listed twice");
      c.segments.push_back(*b);
    }
  }
  for (const char* key : {"min_date", "date_filter"}) {
    if (auto v = n[key]; v && !v.IsNull()) {
      std::string d = r.scalar<std::string>(v, f + "." + key, "a date");
      if (d.size() != 10 || !parse_iso8601_utc(d)) r.fail(v, f + "." + key, "not a valid date (YYYY-MM-DD): '" + d + "'");
      c.min_date = d;
    }
  }
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
    r.warn_unknown(s, {"min_views", "min_engagement_rate", "outlier_iqr_k", "celebrity_followers", "celebrity_weight",
                       "share_boost", "design"},
                   g, warnings);
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

}  // namespace

ConfigFile parse_config_text(std::string_view text, const std::filesystem::path& path) {
  Reader r(path.string());
  ConfigFile cfg;
  cfg.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw InputError(path.string(), "line " + std::to_string(e.mark.line + 1), "", "invalid YAML: " + e.msg);
  }
  if (!root || root.IsNull()) throw InputError(path.string(), "", "clients", "the file is empty");
  if (!root.IsMap()) r.fail(root, "", "the top level must be a mapping with a 'clients' list");
  r.warn_unknown(root, {"clients"}, "the top level", cfg.warnings);
  YAML::Node clients = root["clients"];
  if (!clients) r.fail(root, "clients", "is required");
  if (!clients.IsSequence() || clients.size() == 0) r.fail(clients, "clients", "must be a non-empty list");
  std::set<std::string> client_slugs;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const YAML::Node c = clients[i];
    std::string where = "clients[" + std::to_string(i) + "]";
    if (!c.IsMap()) r.fail(c, where, "must be a mapping with name, industry, hashtags");
    r.warn_unknown(c, {"name", "industry", "hashtags", "is_new"}, where, cfg.warnings);
    ClientSpec spec;
    spec.name = r.string_field(c, "name", true, where);
    try {
      spec.slug = slugify(spec.name, "client name");
    } catch (const UsageError& e) {
      r.fail(c["name"], where + ".name", e.what());
    }
    if (!client_slugs.insert(spec.slug).second)
      r.fail(c["name"], where + ".name", "duplicate client '" + spec.name + "' (same folder name '" + spec.slug + "')");
    spec.industry = r.string_field(c, "industry", false, where);
    if (spec.industry.size() > kMaxNameLength) r.fail(c["industry"], where + ".industry", "is too long");
    YAML::Node tags = c["hashtags"];
    if (tags && !tags.IsNull()) {
      if (!tags.IsSequence()) r.fail(tags, where + ".hashtags", "must be a list");
      std::set<std::string> tag_slugs;
      for (std::size_t k = 0; k < tags.size(); ++k) {
        const YAML::Node h = tags[k];
        std::string hw = where + ".hashtags[" + std::to_string(k) + "]";
        HashtagSpec hs;
        if (h.IsScalar()) {
          hs.name = h.as<std::string>();
        } else if (h.IsMap()) {
          r.warn_unknown(h, {"name", "url", "analysis_config", "videos_per_segment", "date_filter", "segments"}, hw,
                         cfg.warnings);
          hs.name = r.string_field(h, "name", true, hw);
          hs.url = r.string_field(h, "url", false, hw);
          if (!hs.url.empty() && hs.url.rfind("https://", 0) != 0 && hs.url.rfind("http://", 0) != 0)
            r.fail(h["url"], hw + ".url", "must start with https:// or http://");
          if (hs.url.size() > 2000) r.fail(h["url"], hw + ".url", "is too long");
          hs.analysis = read_analysis(r, h["analysis_config"], hw + ".analysis_config", cfg.warnings);
        } else {
          r.fail(h, hw, "must be a hashtag name or a mapping");
        }
        try {
          hs.slug = slugify(hs.name, "hashtag");
        } catch (const UsageError& e) {
          r.fail(h.IsMap() ? h["name"] : h, hw + ".name", e.what());
        }
        hs.name = normalize_hashtag(hs.name);
        if (!tag_slugs.insert(hs.slug).second)
          r.fail(h, hw + ".name", "duplicate hashtag '" + hs.name + "' for client '" + spec.name + "'");
        spec.hashtags.push_back(std::move(hs));
      }
    }
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
