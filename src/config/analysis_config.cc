#include "config/analysis_config.h"

#include <algorithm>

#include "core/enum_names.h"
#include "core/error.h"
#include "core/time_util.h"

namespace rumi::config {

constexpr EnumName<SelectionDesign> kSelectionDesignNames[] = {
    {SelectionDesign::contrast, "contrast"}, {SelectionDesign::top, "top"}, {SelectionDesign::all, "all"}};

std::string_view design_name(SelectionDesign d) { return name_of(kSelectionDesignNames, d); }

std::optional<SelectionDesign> parse_design(std::string_view name) { return find_enum(kSelectionDesignNames, name); }

bool AnalysisConfig::has_model(std::string_view type) const {
  return std::find(ml_models.begin(), ml_models.end(), type) != ml_models.end();
}

Json to_json(const AnalysisConfig& c) {
  Json segs = Json::array();
  for (Bucket b : c.segments) segs.push_back(bucket_name(b));
  return Json{{"videos_per_segment", c.videos_per_segment},
              {"segments", segs},
              {"min_date", c.min_date ? Json(*c.min_date) : Json(nullptr)},
              {"ml_models", c.ml_models},
              {"clustering_k", c.clustering_k},
              {"max_items", c.max_items},
              {"apify_actor", c.apify_actor},
              {"success_gate", c.success_gate},
              {"selection",
               {{"min_views", c.selection.min_views},
                {"min_engagement_rate", c.selection.min_engagement_rate},
                {"outlier_iqr_k", c.selection.outlier_iqr_k},
                {"celebrity_followers", c.selection.celebrity_followers},
                {"celebrity_weight", c.selection.celebrity_weight},
                {"share_boost", c.selection.share_boost},
                {"design", design_name(c.selection.design)}}}};
}

AnalysisConfig analysis_config_from_json(const Json& j, std::string_view where) {
  AnalysisConfig c;
  if (!j.is_object()) throw InputError(std::string(where), "", "", "analysis config is not an object");
  auto bad = [&](const char* field, const std::string& why) -> InputError {
    return InputError(std::string(where), "", field, why);
  };
  try {
    c.videos_per_segment = j.value("videos_per_segment", c.videos_per_segment);
    if (j.contains("segments")) {
      c.segments.clear();
      for (const auto& s : j["segments"]) {
        auto b = parse_bucket(s.get<std::string>());
        if (!b) throw bad("segments", "unknown bucket '" + s.get<std::string>() + "'");
        c.segments.push_back(*b);
      }
    }
    if (j.contains("min_date") && !j["min_date"].is_null()) c.min_date = j["min_date"].get<std::string>();
    if (j.contains("ml_models")) c.ml_models = j["ml_models"].get<std::vector<std::string>>();
    c.clustering_k = j.value("clustering_k", c.clustering_k);
    c.max_items = j.value("max_items", c.max_items);
    c.apify_actor = j.value("apify_actor", c.apify_actor);
    c.success_gate = j.value("success_gate", c.success_gate);
    if (j.contains("selection")) {
      const Json& s = j["selection"];
      c.selection.min_views = s.value("min_views", c.selection.min_views);
      c.selection.min_engagement_rate = s.value("min_engagement_rate", c.selection.min_engagement_rate);
      c.selection.outlier_iqr_k = s.value("outlier_iqr_k", c.selection.outlier_iqr_k);
      c.selection.celebrity_followers = s.value("celebrity_followers", c.selection.celebrity_followers);
      c.selection.celebrity_weight = s.value("celebrity_weight", c.selection.celebrity_weight);
      c.selection.share_boost = s.value("share_boost", c.selection.share_boost);
      if (s.contains("design")) {
        const std::string d = s["design"].get<std::string>();
        auto parsed = parse_design(d);
        if (!parsed)
          throw bad("selection.design", "unknown design '" + d + "' (known: " + std::string(kDesignNames) + ")");
        c.selection.design = *parsed;
      }
    }
  } catch (const Json::exception& e) {
    throw InputError(std::string(where), "", "", std::string("wrong type: ") + e.what());
  }
  if (c.videos_per_segment < 1 || c.videos_per_segment > 1000)
    throw bad("videos_per_segment", "must be between 1 and 1000, got " + std::to_string(c.videos_per_segment));
  if (c.min_date && !parse_iso8601_utc(*c.min_date))
    throw bad("min_date", "not a valid date (YYYY-MM-DD): " + *c.min_date);
  if (c.segments.empty()) throw bad("segments", "at least one bucket is required");
  if (!(c.selection.outlier_iqr_k >= 0))
    throw bad("selection.outlier_iqr_k", "must be >= 0 (0 disables outlier flags)");
  if (c.clustering_k != 0 && (c.clustering_k < 2 || c.clustering_k > 10))
    throw bad("clustering_k", "must be 0 (choose by silhouette) or 2..10");
  return c;
}

}  // namespace rumi::config
