#include "validate/video_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/element_instruction.h"
#include "core/error.h"
#include "core/feature_info.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "features/analysis_reader.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "ml/model_file.h"
#include "ml/predict.h"
#include "native/decoder.h"

namespace rumi::validate {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool more_side(const PatternCondition& c) {
  return c.direction == "higher_is_better" || c.direction == "present_is_better";
}

// Elements whose value is a yes / no: flags and one-hot categories (their means are prevalences).
bool is_presence(const FeatureInfo& f) {
  return f.kind == FeatureKind::flag || f.kind == FeatureKind::onehot || f.say.kind == PhraseKind::presence ||
         f.say.kind == PhraseKind::category;
}

// A value in the element's unit; a timing stored as a share of the video is said in seconds of
// this video's length, with the share beside it.
std::string say_value(const FeatureInfo& f, double v, double length_s) {
  if (!std::isfinite(v)) return "";
  if (is_presence(f)) return v > 0 ? "yes" : "no";
  if (f.say.unit == Unit::video_share && length_s > 0)
    return format_value(Unit::seconds, v * length_s) + " (" + format_value(Unit::video_share, v) + ")";
  return format_value(f.say.unit, v);
}

// The measured value; a timing at the video's end is the schema's "never" (time to the first
// text equals the duration when there is no text), and is said so.
std::string say_measured(const FeatureInfo& f, double v, double length_s) {
  std::string s = say_value(f, v, length_s);
  if (s.empty() || f.say.kind != PhraseKind::timing || !(length_s > 0)) return s;
  const double at_s = f.say.unit == Unit::video_share ? v * length_s : v;
  return at_s >= length_s - 0.05 ? s + ", not before the end of the video" : s;
}

// The target as condition_met decides it: the winners' side of the midpoint.
std::string say_target(const PatternCondition& c, const FeatureInfo& f, double length_s) {
  if (is_presence(f)) return more_side(c) ? "yes" : "no";
  if (c.top_mean && c.rest_mean && *c.top_mean != *c.rest_mean) {
    const double mid = (*c.top_mean + *c.rest_mean) / 2.0;
    const bool above = *c.top_mean > *c.rest_mean;
    const bool timing = f.say.kind == PhraseKind::timing;
    const char* side = above ? (timing ? "later than" : "above") : (timing ? "within" : "below");
    // A count's midpoint is often a half ("above 3.5"): rounding it would misstate the target.
    const std::string mid_text =
        f.say.unit == Unit::count && mid != std::round(mid) ? fmt::format("{:.1f}", mid) : say_value(f, mid, length_s);
    return fmt::format("{} {} (top videos typically {}, the others {})", side, mid_text,
                       say_value(f, *c.top_mean, length_s), say_value(f, *c.rest_mean, length_s));
  }
  return more_side(c) ? "above 0" : "0 (none)";
}

FeatureInfo info_for(const PatternCondition& c, bool* known) {
  const auto& catalog = features::feature_catalog();
  if (auto idx = catalog.index_of(c.feature)) {
    *known = true;
    return catalog.features[*idx];
  }
  *known = false;
  return features::describe_column(c.feature, "", FeatureKind::numeric);
}

ElementCheck describe(const PatternCondition& c, const ConditionCheck& k, double length_s) {
  ElementCheck e;
  e.feature = c.feature;
  bool known = false;
  const FeatureInfo f = info_for(c, &known);
  e.element = f.phrase.empty() ? c.feature : f.phrase;
  const double top = c.top_mean.value_or(kNaN);
  e.instruction = known ? shot_instruction(f, more_side(c), top, c.rest_mean.value_or(kNaN), length_s) : "";
  if (e.instruction.empty()) e.instruction = !c.phrase.empty() ? c.phrase : predicate(f, more_side(c));
  e.value = k.value;
  e.measured = say_measured(f, k.value, length_s);
  e.target = say_target(c, f, length_s);
  if (!k.known_feature) {
    e.outcome = ElementOutcome::missed;
    e.note = "this version of rumi does not know the element '" + c.feature +
             "' (the strategy comes from another version); counted as missed";
  } else if (!k.measured) {
    e.outcome = ElementOutcome::not_measured;
    e.note = "rumi's video analysis does not measure this element";
  } else {
    e.outcome = k.met ? ElementOutcome::followed : ElementOutcome::missed;
  }
  return e;
}

int strategy_number_of(const fs::path& file) {
  const std::string stem = file.stem().string();  // strategy_07
  if (stem.rfind("strategy_", 0) != 0) return 0;
  const std::string digits = stem.substr(9);
  if (digits.empty() || digits.size() > 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return 0;
  return std::stoi(digits);
}

bool is_date_name(const std::string& name) { return name.size() == 10 && parse_iso8601_utc(name).has_value(); }

std::optional<Bucket> strategy_bucket(const StrategyBrief& b) {
  for (const char* key : {"target_bucket", "bucket"}) {
    auto it = b.document.find(key);
    if (it != b.document.end() && it->is_string())
      if (auto parsed = parse_bucket(it->get<std::string>())) return parsed;
  }
  return std::nullopt;
}

// primary / supporting per pattern, from the strategy document (the brief keeps conditions only).
std::vector<std::string> pattern_roles(const StrategyBrief& b) {
  std::map<std::string, std::string> by_feature;
  if (auto it = b.document.find("patterns"); it != b.document.end() && it->is_array())
    for (const Json& p : *it)
      if (p.is_object() && p.contains("feature") && p["feature"].is_string() && p.contains("role") &&
          p["role"].is_string())
        by_feature.emplace(p["feature"].get<std::string>(), p["role"].get<std::string>());
  std::vector<std::string> roles;
  for (const auto& c : b.patterns) roles.push_back(by_feature.count(c.feature) ? by_feature[c.feature] : "");
  return roles;
}

std::optional<double> share_of(int followed, int missed) {
  if (followed + missed == 0) return std::nullopt;
  return static_cast<double>(followed) / (followed + missed);
}

std::string percent(std::optional<double> share) {
  return share ? fmt::format("{:.0f} %", *share * 100) : std::string("no share (nothing measurable)");
}

// The strategies the video is checked against: the one asked for, else every strategy whose
// target bucket is the video's.
std::vector<StrategyBrief> choose_strategies(std::vector<StrategyBrief> all, const VideoCheckRequest& r, Bucket bucket,
                                             std::vector<std::string>& notes) {
  std::string numbers;
  for (const auto& s : all) numbers += (numbers.empty() ? "" : ", ") + std::to_string(s.number);
  if (r.strategy) {
    for (auto& s : all)
      if (s.number == *r.strategy) {
        if (auto b = strategy_bucket(s); b && *b != bucket)
          notes.push_back(fmt::format("Strategy {} is written for {} videos; this video is in the {} bucket.", s.number,
                                      bucket_name(*b), bucket_name(bucket)));
        return {std::move(s)};
      }
    throw UsageError(fmt::format("strategy {} is out of range: {} has strategies {} ({})", *r.strategy, r.hashtag,
                                 numbers, all.front().file.parent_path().string()));
  }
  std::vector<StrategyBrief> chosen;
  for (auto& s : all)
    if (strategy_bucket(s) == bucket) chosen.push_back(std::move(s));
  if (chosen.empty())
    throw UsageError(
        fmt::format("no strategy of {} targets {} videos (the video's length); its strategies are {}: "
                    "pass --strategy N to check against one of them",
                    r.hashtag, bucket_name(bucket), numbers));
  return chosen;
}

}  // namespace

std::string_view element_outcome_name(ElementOutcome o) {
  switch (o) {
    case ElementOutcome::followed: return "followed";
    case ElementOutcome::missed: return "missed";
    case ElementOutcome::not_measured: return "not measured";
  }
  return "not measured";
}

Bucket bucket_for_video(const fs::path& file, double duration_s) {
  Bucket b{};
  switch (classify_duration(duration_s, &b)) {
    case DurationVerdict::ok: return b;
    case DurationVerdict::too_long:
      throw UsageError(fmt::format("{} is {:.1f} s long: too long for any bucket (they go up to {:.0f} s)",
                                   file.string(), duration_s, bucket_max_seconds(Bucket::s91_120)));
    case DurationVerdict::slideshow_or_no_duration: break;
  }
  throw UsageError(file.string() + " has no duration (a still image or slideshow?): it fits no bucket");
}

std::vector<double> native_feature_values(const native::ContentAnalysis& analysis, std::string_view video_id) {
  return features::extract_features(features::analysis_from_flows(video_id, analysis.flows, "native"),
                                    analysis.duration_s);
}

VideoMeasurement measure_video_file(const fs::path& file, const Video* item, const native::ContentOptions& options) {
  const native::MediaInfo info = native::probe_media(file);
  VideoMeasurement m;
  m.file = file;
  m.bucket = bucket_for_video(file, info.duration_s);
  m.video_id = item ? item->id : file.stem().string();
  m.analysis = native::analyse_video_file(file, item, options);
  m.duration_s = m.analysis.duration_s;
  m.bucket = bucket_for_video(file, m.duration_s);
  m.features = native_feature_values(m.analysis, m.video_id);
  return m;
}

ConditionsCheck check_conditions(std::span<const PatternCondition> conditions, const VideoMeasurement& video,
                                 std::span<const std::string> roles) {
  ConditionsCheck out;
  out.score = score_implementation(conditions, video.features);
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    ElementCheck e = describe(conditions[i], out.score.checks[i], video.duration_s);
    if (i < roles.size()) e.role = roles[i];
    switch (e.outcome) {
      case ElementOutcome::followed: ++out.followed; break;
      case ElementOutcome::missed: ++out.missed; break;
      case ElementOutcome::not_measured: ++out.not_measured; break;
    }
    out.elements.push_back(std::move(e));
  }
  out.share = share_of(out.followed, out.missed);
  return out;
}

std::vector<StrategyBrief> hashtag_strategies(const fs::path& hashtag_dir, std::string_view hashtag) {
  const fs::path reports = hashtag_dir / "reports";
  std::vector<fs::path> dates;
  std::error_code ec;
  if (fs::is_directory(reports, ec))
    for (const auto& e : fs::directory_iterator(reports, ec))
      if (e.is_directory() && is_date_name(e.path().filename().string())) dates.push_back(e.path());
  std::sort(dates.rbegin(), dates.rend());
  for (const auto& d : dates) {
    std::vector<std::pair<int, fs::path>> files;
    if (fs::is_directory(d / "strategies", ec))
      for (const auto& e : fs::directory_iterator(d / "strategies", ec))
        if (e.is_regular_file() && e.path().extension() == ".json")
          if (int n = strategy_number_of(e.path()); n > 0) files.emplace_back(n, e.path());
    if (files.empty()) continue;
    std::sort(files.begin(), files.end());
    std::vector<StrategyBrief> out;
    for (const auto& [n, f] : files) out.push_back(read_strategy_brief(f, n));
    return out;
  }
  throw UsageError(std::string(hashtag) + " has no strategies yet: looked for " + reports.string() +
                   "/<date>/strategies/strategy_NN.json; run 'rumi report' (or 'rumi run') first");
}

EngagementPrediction predict_engagement(const fs::path& hashtag_dir, Bucket bucket, std::span<const double> features) {
  EngagementPrediction p;
  const BucketFiles files = bucket_files(hashtag_dir, bucket);
  const std::string name(bucket_name(bucket));
  std::error_code ec;
  if (!fs::is_regular_file(files.patterns, ec)) {
    p.reason = fmt::format(
        "There is no tested model for {} videos yet (no {}; a bucket needs at least {} analysed "
        "videos), so no engagement prediction.",
        name, files.patterns.filename().string(), kMinVideosForModel);
    return p;
  }
  const Json doc = read_json_file(files.patterns);
  const Json skill = doc.is_object() && doc.contains("forest_skill") ? doc["forest_skill"] : Json();
  if (!skill.is_object() || !skill.value("run", false)) {
    p.reason = "The model for this bucket was not skill-tested, so no engagement prediction.";
    return p;
  }
  if (!skill.value("passed", false)) {
    p.reason = "The model for this bucket did not pass its skill test, so no engagement prediction.";
    return p;
  }
  if (!fs::is_regular_file(files.model, ec)) {
    p.reason = "The bucket passed its skill test but its model file " + files.model.string() +
               " is missing (run 'rumi train'), so no engagement prediction.";
    return p;
  }
  const ml::ModelFile model = ml::load_model_file(files.model, features::feature_catalog().sha256);
  const ml::Prediction pred = ml::predict(model, features);
  p.available = true;
  // The interval is the prediction plus the forest's residual quantiles, which can reach below
  // zero; an engagement rate cannot, so the range stops at 0.
  p.er = std::max(0.0, pred.er);
  p.low = std::max(0.0, pred.low);
  p.high = std::max(0.0, pred.high);
  p.model = files.model;
  return p;
}

VideoCheck check_video(const VideoCheckRequest& r) {
  VideoCheck out;
  out.hashtag = r.hashtag;
  // Cheap refusals first: the file and its length (header only), then the strategies.
  const native::MediaInfo info = native::probe_media(r.video_file);
  const Bucket probed = bucket_for_video(r.video_file, info.duration_s);
  std::vector<StrategyBrief> chosen =
      choose_strategies(hashtag_strategies(r.hashtag_dir, r.hashtag), r, probed, out.notes);
  out.video = measure_video_file(r.video_file, r.item, r.content);
  // Strategies of one bucket share elements (a supporting pattern of one is the primary of
  // another): the overall counts take each element once, so a repeated one does not weigh more.
  std::set<std::string> counted;
  for (auto& brief : chosen) {
    StrategyCheck s;
    s.target_bucket = strategy_bucket(brief);
    const std::vector<std::string> roles = pattern_roles(brief);
    s.check = check_conditions(brief.patterns, out.video, roles);
    for (std::size_t i = 0; i < s.check.elements.size(); ++i) {
      const ElementCheck& e = s.check.elements[i];
      if (!counted.insert(e.feature + "|" + brief.patterns[i].direction).second) continue;
      out.followed += e.outcome == ElementOutcome::followed ? 1 : 0;
      out.missed += e.outcome == ElementOutcome::missed ? 1 : 0;
      out.not_measured += e.outcome == ElementOutcome::not_measured ? 1 : 0;
    }
    s.brief = std::move(brief);
    out.strategies.push_back(std::move(s));
  }
  out.share = share_of(out.followed, out.missed);
  out.prediction = predict_engagement(r.hashtag_dir, out.video.bucket, out.video.features);
  return out;
}

ConditionsCheck check_test_video(const OwnedTest& t, const VideoMeasurement& video) {
  const std::string where = "test " + t.test.id;
  const std::vector<PatternCondition> conditions =
      pattern_conditions_from_json(parse_json(t.test.patterns_json, where), where);
  return check_conditions(conditions, video);
}

store::TestVideoRow store_video_check(store::Database& db, store::TestVideoRow recorded, const ConditionsCheck& c,
                                      const VideoMeasurement& video) {
  Json j = to_json(c.score);
  j["source"] = "native video check";
  j["file"] = video.file.string();
  j["duration_s"] = video.duration_s;
  j["bucket"] = bucket_name(video.bucket);
  j["analyzer_version"] = native::content_analyzer_version(native::ContentOptions{});
  j["elements"] = to_json(c)["elements"];
  recorded.implementation_score = c.share;
  recorded.implementation_json = j.dump();
  recorded.analysis_path = video.file.string();
  db.transaction([&] { store::upsert_test_video(db, recorded); });
  for (auto& v : store::list_test_videos(db, recorded.client_id, recorded.test_id))
    if (v.video_id == recorded.video_id) return v;
  throw Error("recorded video " + recorded.video_id + " could not be read back");
}

Json to_json(const ElementCheck& e) {
  return Json{{"feature", e.feature},
              {"role", e.role},
              {"element", e.element},
              {"instruction", e.instruction},
              {"outcome", element_outcome_name(e.outcome)},
              {"value", json_number(e.value)},
              {"measured", e.measured.empty() ? Json() : Json(e.measured)},
              {"target", e.target},
              {"note", e.note.empty() ? Json() : Json(e.note)}};
}

Json to_json(const ConditionsCheck& c) {
  Json elements = Json::array();
  for (const auto& e : c.elements) elements.push_back(to_json(e));
  return Json{{"followed", c.followed},
              {"missed", c.missed},
              {"not_measured", c.not_measured},
              {"compliance_share", c.share ? Json(*c.share) : Json()},
              {"elements", elements}};
}

Json to_json(const VideoCheck& c) {
  Json strategies = Json::array();
  for (const auto& s : c.strategies) {
    Json j = to_json(s.check);
    j["number"] = s.brief.number;
    j["title"] = s.brief.title;
    j["file"] = s.brief.file.string();
    j["target_bucket"] = s.target_bucket ? Json(bucket_name(*s.target_bucket)) : Json();
    strategies.push_back(std::move(j));
  }
  Json prediction{{"available", c.prediction.available}};
  if (c.prediction.available) {
    prediction["engagement_rate"] = c.prediction.er;
    prediction["low"] = c.prediction.low;
    prediction["high"] = c.prediction.high;
    prediction["interval"] = "90 %";
    prediction["model"] = c.prediction.model.string();
  } else {
    prediction["reason"] = c.prediction.reason;
  }
  return Json{{"file", c.video.file.string()},
              {"video_id", c.video.video_id},
              {"hashtag", c.hashtag},
              {"duration_s", c.video.duration_s},
              {"bucket", bucket_name(c.video.bucket)},
              {"analyzer_version", native::content_analyzer_version(native::ContentOptions{})},
              {"followed", c.followed},
              {"missed", c.missed},
              {"not_measured", c.not_measured},
              {"compliance_share", c.share ? Json(*c.share) : Json()},
              {"strategies", strategies},
              {"prediction", prediction},
              {"notes", c.notes}};
}

std::string conditions_text(const ConditionsCheck& c) {
  std::string out;
  for (const auto& e : c.elements) {
    switch (e.outcome) {
      case ElementOutcome::followed:
        out += fmt::format("  Follows: {}. Measured {}: {}; target: {}.\n", e.instruction, e.element, e.measured,
                           e.target);
        break;
      case ElementOutcome::missed:
        if (!e.note.empty())
          out += fmt::format("  Misses: {} ({}).\n", e.instruction, e.note);
        else
          out += fmt::format("  Misses: {}. Measured {}: {}; target: {}.\n", e.instruction, e.element, e.measured,
                             e.target);
        break;
      case ElementOutcome::not_measured:
        out += fmt::format("  Not measured: {}. {}, so it is left out of the share.\n", e.instruction, e.note);
        break;
    }
  }
  out += fmt::format("  Compliance: {} of {} measured recommendation(s) followed ({}){}.\n", c.followed,
                     c.followed + c.missed, percent(c.share),
                     c.not_measured ? fmt::format("; {} not measured", c.not_measured) : std::string());
  return out;
}

std::string video_check_text(const VideoCheck& c) {
  std::string out =
      fmt::format("{} is {:.1f} s long, so it is checked as a {} {} video.\n", c.video.file.filename().string(),
                  c.video.duration_s, bucket_name(c.video.bucket), c.hashtag);
  for (const auto& n : c.notes) out += n + "\n";
  for (const auto& s : c.strategies) {
    out += fmt::format("\nStrategy {}{}:\n", s.brief.number, s.brief.title.empty() ? "" : " (" + s.brief.title + ")");
    out += conditions_text(s.check);
  }
  if (c.strategies.size() > 1)
    out += fmt::format(
        "\nOverall, each element once: {} of {} measured recommendation(s) followed ({}); {} not "
        "measured.\n",
        c.followed, c.followed + c.missed, percent(c.share), c.not_measured);
  if (c.prediction.available)
    out += fmt::format(
        "\nPredicted engagement rate for {} videos: {:.2f} % (90 % range {:.2f} % to {:.2f} %), from the bucket's "
        "model, which passed its skill test. The model treats the elements rumi's video analysis does not measure as "
        "unknown.\n",
        bucket_name(c.video.bucket), c.prediction.er, c.prediction.low, c.prediction.high);
  else
    out += "\n" + c.prediction.reason + "\n";
  return out;
}

}  // namespace rumi::validate
