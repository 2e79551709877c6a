#include "report/strategies.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <span>
#include <tuple>

#include "features/feature_catalog.h"
#include "insights/pattern_phrase.h"
#include "report/creative_guide.h"
#include "report/shot_list.h"
#include "report/wording.h"
#include "validate/test_statistics.h"

namespace rumi::report {

std::string_view strategy_format_name(StrategyFormat f) {
  switch (f) {
    case StrategyFormat::recipe: return "recipe_style";
    case StrategyFormat::pattern: return "pattern_based";
    case StrategyFormat::comparative: return "comparative";
    case StrategyFormat::element_checklist: return "element_focused";
    case StrategyFormat::narrative: return "narrative_arc";
  }
  return "?";
}

std::string_view strategy_theme_name(StrategyTheme t) {
  switch (t) {
    case StrategyTheme::hook: return "Hook";
    case StrategyTheme::pacing: return "Pacing";
    case StrategyTheme::on_screen_text: return "On-screen text";
    case StrategyTheme::people: return "People";
    case StrategyTheme::speech: return "Speech";
    case StrategyTheme::call_to_action: return "Call to action";
    case StrategyTheme::length: return "Length";
    case StrategyTheme::posting: return "Posting";
    case StrategyTheme::other: return "Other";
  }
  return "Other";
}

std::string_view strategy_theme_id(StrategyTheme t) {
  switch (t) {
    case StrategyTheme::hook: return "hook";
    case StrategyTheme::pacing: return "pacing";
    case StrategyTheme::on_screen_text: return "on_screen_text";
    case StrategyTheme::people: return "people";
    case StrategyTheme::speech: return "speech";
    case StrategyTheme::call_to_action: return "call_to_action";
    case StrategyTheme::length: return "length";
    case StrategyTheme::posting: return "posting";
    case StrategyTheme::other: return "other";
  }
  return "other";
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has(std::string_view s, std::string_view sub) { return s.find(sub) != std::string_view::npos; }
bool ends(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return s.starts_with(p); });
}

// creative_density counts every kind of on-screen element; its per-element counts and shares of
// text, facial expressions and gestures are about those elements, the rest about the rhythm.
StrategyTheme density_theme(std::string_view name) {
  for (std::string_view k : {".text", ".text_per_s", ":text", ".text_mean"})
    if (ends(name, k)) return StrategyTheme::on_screen_text;
  for (std::string_view k : {".expression", ".expression_per_s", ".gesture", ".gesture_per_s", ":gesture"})
    if (ends(name, k)) return StrategyTheme::people;
  return StrategyTheme::pacing;
}

// Era-C temporal windows mix every analysis in one flow: the column's own key says which.
StrategyTheme windows_theme(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view key = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (starts_any(key, {"overlay", "has_captions"})) return StrategyTheme::on_screen_text;
  if (starts_any(key, {"speech", "word_count", "has_greeting", "has_question", "has_instruction", "energy", "avg_pitch",
                       "pitch", "burst_pattern"}))
    return StrategyTheme::speech;
  if (starts_any(key, {"person", "gesture", "expression", "gaze", "eye_contact", "joy", "sadness", "anger", "fear",
                       "disgust", "surprise", "neutral", "emotion", "dominant_emotion", "close_ratio", "medium_ratio",
                       "wide_ratio", "none_ratio", "average_face"}))
    return StrategyTheme::people;
  if (starts_any(key, {"scene", "shortest_scene", "longest_scene", "max_density", "min_density", "object"}))
    return StrategyTheme::pacing;
  return StrategyTheme::other;
}

}  // namespace

StrategyTheme strategy_theme(const FeatureInfo& f) {
  const std::string name = lower(f.name);
  const std::string_view source = f.source;
  const std::string_view flow = source.substr(0, source.find('.'));
  if (name == "video.duration_s" || source == "apify.videoMeta.duration") return StrategyTheme::length;
  if (f.say.part == VideoPart::post || flow == "metadata_analysis" || flow == "apify" ||
      source.starts_with("temporal_windows.metadata"))
    return StrategyTheme::posting;
  if (has(name, "cta") || has(name, "calltoaction")) return StrategyTheme::call_to_action;
  if (f.say.part == VideoPart::hook || has(name, "timetofirst") || ends(name, "first_active_pos"))
    return StrategyTheme::hook;
  return subject_theme(f);
}

StrategyTheme subject_theme(const FeatureInfo& f) {
  const std::string name = lower(f.name);
  const std::string_view source = f.source;
  const std::string_view flow = source.substr(0, source.find('.'));
  if (flow == "visual_overlay_analysis") return StrategyTheme::on_screen_text;
  if (flow == "speech_analysis") return StrategyTheme::speech;
  if (flow == "person_framing" || flow == "emotional_journey") return StrategyTheme::people;
  if (flow == "scene_pacing") return StrategyTheme::pacing;
  if (flow == "creative_density") return density_theme(name);
  if (flow == "temporal_windows") return windows_theme(name);
  return StrategyTheme::other;
}

StrategyTheme strategy_theme(const Pattern& p) { return strategy_theme(element_info(p)); }

std::string_view strategy_hold_back_reason(const Pattern& p) {
  if (!lift_measured(p)) return kLiftNotMeasurable;
  if (!(p.lift > 0)) return kDidNotHoldUp;  // zero, negative or NaN: the favoured side did not do better
  return {};
}

bool holds_on_held_out(const Pattern& p) { return strategy_hold_back_reason(p).empty(); }

std::string held_back_line(const HeldBackElement& h) {
  return fmt::format("{} ({} videos): {} (engagement lift {}).", capitalize(pattern_subject(h.pattern)),
                     bucket_human(h.bucket), h.reason, lift_with_range(h.pattern));
}

namespace {

// The seed's mix for 10 reports: 3 recipe, 3 pattern, 2 comparative, 1 element, 1 narrative;
// the easiest formats go to the best-evidenced strategies.
constexpr StrategyFormat kFormatOrder[kStrategiesPerHashtag] = {
    StrategyFormat::recipe,   StrategyFormat::pattern, StrategyFormat::comparative,
    StrategyFormat::recipe,   StrategyFormat::pattern, StrategyFormat::element_checklist,
    StrategyFormat::recipe,   StrategyFormat::pattern, StrategyFormat::comparative,
    StrategyFormat::narrative};

// Titles start with the theme and say what to do as the shot list says it, with the target
// rounded the way people say it, for the bucket's planned length (so title and steps agree):
// "Hook: Put the first text on screen within 1 s (up to 15-second videos)".
std::string make_title(StrategyTheme t, const Pattern& p, Bucket b) {
  std::string action = strategy_action(p, b);
  // A long instruction is cut at its last clause that fits ("Have text ... in every second, often
  // several at once" -> "Have text ... in every second"), else at a word, never mid-word.
  if (action.size() > 80) {
    const auto clause = action.find_last_of(",:;", 80);
    if (clause != std::string::npos && clause >= 30) {
      action.resize(clause);
    } else {
      const auto space = action.rfind(' ', 77);
      action = action.substr(0, space == std::string::npos ? 77 : space) + "...";
    }
  }
  return fmt::format("{}: {} ({} videos)", strategy_theme_name(t), action, bucket_human(b));
}

}  // namespace

std::string strategy_action(const Pattern& p, Bucket b, std::string* target) {
  if (target) target->clear();
  const FeatureInfo info = element_info(p);
  const bool more = insights::favours_more(p.direction);
  if (for_creators(info, more)) {
    std::string line = shot_instruction(info, more, p.top_median, p.rest_median, planned_length_s(b), target);
    if (!line.empty()) return line;
    return fill_instruction(instruction_template(info, more), "");
  }
  // Not filmable as such: say which videos to aim for, in the finding's own words.
  return "Make videos that " + insights::element_predicate(p, info);
}

namespace {

bool filmable(const Pattern& p) {
  const auto& cat = features::feature_catalog();
  const auto i = cat.index_of(p.feature);
  return !i || for_creators(cat.features[*i], insights::favours_more(p.direction));
}

// The instruction for one side without its target ("Put the first text on screen"), "" when that
// side is not for creators.
std::string bare_instruction(const Pattern& p, bool more_side) {
  return fill_instruction(instruction_template(element_info(p), more_side), "");
}

// Two elements of one bucket that tell the creator opposite things: they share a column with
// opposite directions, or one's instruction is the other's opposite instruction.
bool contradicts(const Pattern& a, const Pattern& b) {
  const bool ma = insights::favours_more(a.direction), mb = insights::favours_more(b.direction);
  if (ma != mb) {
    std::set<std::string> cols(a.columns.begin(), a.columns.end());
    cols.insert(a.feature);
    if (cols.count(b.feature)) return true;
    for (const auto& c : b.columns)
      if (cols.count(c)) return true;
  }
  const std::string da = bare_instruction(a, ma), db = bare_instruction(b, mb);
  const std::string oa = bare_instruction(a, !ma), ob = bare_instruction(b, !mb);
  return (!da.empty() && da == ob) || (!db.empty() && db == oa);
}

struct Candidate {
  const BucketInputs* b;
  const Pattern* p;
  StrategyTheme theme{};
  std::size_t bucket_pos = 0, pattern_pos = 0;
};

bool better(const Candidate& x, const Candidate& y) {
  if (evidence_rank(x.p->evidence) != evidence_rank(y.p->evidence))
    return evidence_rank(x.p->evidence) < evidence_rank(y.p->evidence);
  const double qx = std::isfinite(x.p->q_value) ? x.p->q_value : 1.0,
               qy = std::isfinite(y.p->q_value) ? y.p->q_value : 1.0;
  if (qx != qy) return qx < qy;
  return std::fabs(x.p->lift) > std::fabs(y.p->lift);
}

// The element says the same as one that already leads a strategy of its bucket: it, or a
// stronger element it is one idea with (BucketInputs::same_idea_as, followed along the chain).
const Candidate* repeats_an_accepted_idea(const std::vector<Candidate>& accepted, const Candidate& c) {
  const std::vector<std::string> chain = idea_chain_of(*c.b, c.p->feature);
  const std::set<std::string> idea(chain.begin(), chain.end());  // the stronger elements it is one idea with
  const auto it = std::find_if(accepted.begin(), accepted.end(),
                               [&](const Candidate& a) { return a.b == c.b && idea.count(a.p->feature); });
  return it == accepted.end() ? nullptr : &*it;
}

// What may become a strategy, best first, and what was held back (strategies.h states the rules).
// Columns the catalog does not know (an older dataset) carry no filmability judgement and are
// kept.
struct Qualified {
  std::vector<Candidate> accepted;          // best first, pairwise free of contradictions per bucket
  std::vector<std::string> unfilmable;      // subjects, in ranking order
  std::vector<HeldBackElement> learn_next;  // bucket order, then the bucket's own order
  std::size_t evidence_backed = 0;
  std::set<const Pattern*> usable;  // accepted patterns (a supporting pattern must be one)
  // Qualifying elements that are one idea with an accepted one (repeats_an_accepted_idea): the
  // element's subject and the stronger one's, in ranking order.
  std::vector<std::pair<std::string, std::string>> repeats;
};

// An element that is one idea with another (idea_root_of) comes right after that one, wherever
// the marginal ranking put it: the root is the element that carries the signal (report_inputs.h),
// so it is the one that may lead a strategy, at the place of its group's best element.
void roots_first(std::vector<Candidate>& all) {
  std::vector<std::pair<const BucketInputs*, std::string>> items;
  for (const Candidate& c : all) items.emplace_back(c.b, c.p->feature);
  std::vector<Candidate> sorted;
  for (std::size_t i : idea_order(items)) sorted.push_back(all[i]);
  all = std::move(sorted);
}

// Contradictions are looked for within a bucket only, so one bucket on its own gives the same
// verdicts for its elements as the whole hashtag.
Qualified qualify(std::span<const BucketInputs> buckets) {
  Qualified q;
  std::vector<Candidate> all;
  std::vector<std::pair<std::pair<std::size_t, std::size_t>, HeldBackElement>> held;
  for (std::size_t bi = 0; bi < buckets.size(); ++bi) {
    const auto& b = buckets[bi];
    for (std::size_t pi = 0; pi < b.patterns.size(); ++pi) {
      const Pattern& p = b.patterns[pi];
      if (!is_evidence_backed(p.evidence)) continue;
      ++q.evidence_backed;
      if (const std::string_view why = strategy_hold_back_reason(p); !why.empty()) {
        held.push_back({{bi, pi}, HeldBackElement{b.bucket, p, std::string(why)}});
        continue;
      }
      all.push_back({&b, &p, strategy_theme(p), bi, pi});
    }
  }
  std::stable_sort(all.begin(), all.end(), better);
  roots_first(all);
  for (const Candidate& c : all) {
    if (!filmable(*c.p)) {
      q.unfilmable.push_back(pattern_subject(*c.p));
      continue;
    }
    const bool clash = std::any_of(q.accepted.begin(), q.accepted.end(),
                                   [&](const Candidate& a) { return a.b == c.b && contradicts(*a.p, *c.p); });
    if (clash) {
      held.push_back(
          {{c.bucket_pos, c.pattern_pos}, HeldBackElement{c.b->bucket, *c.p, std::string(kContradictsStronger)}});
      continue;
    }
    if (const Candidate* same = repeats_an_accepted_idea(q.accepted, c)) {
      q.usable.insert(c.p);  // it may still support the strategy whose idea it repeats
      q.repeats.emplace_back(pattern_subject(*c.p), pattern_subject(*same->p));
      continue;
    }
    q.accepted.push_back(c);
    q.usable.insert(c.p);
  }
  std::stable_sort(held.begin(), held.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& h : held) q.learn_next.push_back(std::move(h.second));
  return q;
}

// Up to kStrategiesPerHashtag, themes first: each theme's best, then each theme's second best,
// and so on; shown in the overall ranking order.
std::vector<Candidate> pick_diverse(const std::vector<Candidate>& accepted) {
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (ordinal within its theme, overall rank)
  std::map<StrategyTheme, std::size_t> seen;
  for (std::size_t i = 0; i < accepted.size(); ++i) order.push_back({seen[accepted[i].theme]++, i});
  std::sort(order.begin(), order.end());
  if (order.size() > static_cast<std::size_t>(kStrategiesPerHashtag)) order.resize(kStrategiesPerHashtag);
  std::vector<std::size_t> ranks;
  for (const auto& o : order) ranks.push_back(o.second);
  std::sort(ranks.begin(), ranks.end());
  std::vector<Candidate> out;
  for (std::size_t r : ranks) out.push_back(accepted[r]);
  return out;
}

// The strategy of rank i + 1: its primary pattern, up to two supporting ones from its bucket
// (usable ones only, the primary's theme first, never one that contradicts the primary or each
// other, and never one already `taken`: another strategy's primary or an earlier strategy's
// support, so each finding is named by one strategy only), and whether controlled tests have
// proven all of them. The supporting patterns chosen join `taken`.
Strategy make_strategy(std::size_t i, const Candidate& c, const std::set<const Pattern*>& usable,
                       std::set<const Pattern*>& taken) {
  // Named pointers, not a structured binding: the lambda below uses them, and capturing a
  // structured binding is a C++20 feature clang 14 (the fuzz and tidy builds) lacks.
  const BucketInputs* b = c.b;
  const Pattern* p = c.p;
  Strategy s;
  s.rank = static_cast<int>(i) + 1;
  s.id = fmt::format("strategy_{:02d}", s.rank);
  s.theme = c.theme;
  s.format = kFormatOrder[i];
  s.bucket = b->bucket;
  s.primary = *p;
  for (const bool same_theme : {true, false})
    for (const auto& q : b->patterns) {
      if (s.supporting.size() >= 2) break;
      if (&q == p || !usable.count(&q) || taken.count(&q) || q.feature == p->feature ||
          (strategy_theme(q) == c.theme) != same_theme)
        continue;
      if (contradicts(*p, q)) continue;
      if (std::any_of(s.supporting.begin(), s.supporting.end(),
                      [&](const Pattern& o) { return o.feature == q.feature || contradicts(o, q); }))
        continue;
      s.supporting.push_back(q);
      taken.insert(&q);
    }
  s.exploratory = b->exploratory;
  s.family_size = b->family_size;
  if (b->performance) s.bucket_avg_er = b->performance->avg_er;
  s.example_urls = b->example_urls;
  s.bucket_sample_size = b->sample_size;
  s.title = make_title(s.theme, *p, b->bucket);
  s.proven = true;
  auto note = [&](const Pattern& q) {
    if (const auto* n = find_validation(b->validations, q.feature)) s.validations.emplace(q.feature, *n);
    s.proven = s.proven && is_proven(b->validations, q.feature);
  };
  note(s.primary);
  for (const auto& q : s.supporting) note(q);
  return s;
}

std::string_view theme_in_words(StrategyTheme t) {
  switch (t) {
    case StrategyTheme::hook: return "the hook";
    case StrategyTheme::pacing: return "pacing";
    case StrategyTheme::on_screen_text: return "on-screen text";
    case StrategyTheme::people: return "people on screen";
    case StrategyTheme::speech: return "speech";
    case StrategyTheme::call_to_action: return "the call to action";
    case StrategyTheme::length: return "video length";
    case StrategyTheme::posting: return "posting (caption, hashtags, timing)";
    case StrategyTheme::other: return "other elements";
  }
  return "other elements";
}

// "a, b and c" / "a or b"
std::string join_words(const std::vector<std::string>& w, std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i > 0) out += i + 1 == w.size() ? fmt::format(" {} ", last) : std::string(", ");
    out += w[i];
  }
  return out;
}

// Why fewer than kStrategiesPerHashtag strategies were written, naming what is missing: no
// strategy is padded.
std::string shortfall_text(const HashtagInputs& in, const Qualified& q, const std::vector<Strategy>& written) {
  const std::size_t n = written.size();
  std::string out = fmt::format(
      "Only {} evidence-backed finding{} (STRONG or MODERATE) held up on held-out videos and can be filmed, so {} "
      "strateg{} written instead of {}; no strategy is invented or padded without one.",
      q.accepted.size(), q.accepted.size() == 1 ? "" : "s", n, n == 1 ? "y was" : "ies were", kStrategiesPerHashtag);
  if (in.metadata_only) {
    out += " This analysis read captions and posting data only, so every strategy is about posting.";
  } else {
    std::set<StrategyTheme> covered;
    // A hook finding about the first text is also a finding about on-screen text: the page must
    // not say there is none.
    for (const auto& c : q.accepted) {
      covered.insert(c.theme);
      covered.insert(subject_theme(element_info(*c.p)));
    }
    std::vector<std::string> missing;
    for (StrategyTheme t : kStrategyThemes)
      if (!covered.count(t)) missing.emplace_back(theme_in_words(t));
    if (!missing.empty()) out += " No such finding yet about " + join_words(missing, "or") + ".";
  }
  std::size_t fell = 0, clashed = 0;
  const HeldBackElement* first_fell = nullptr;
  for (const auto& h : q.learn_next) {
    if (h.reason == kContradictsStronger)
      ++clashed;
    else if (++fell == 1)
      first_fell = &h;
  }
  if (fell > 0)
    out += fmt::format(
        " {} evidence-backed finding{} did not hold up on held-out videos (for example {}, {} "
        "videos: engagement lift {}), so {} listed under \"What we need to learn next\" instead.",
        fell, fell == 1 ? "" : "s", pattern_subject(first_fell->pattern), bucket_name(first_fell->bucket),
        lift_measured(first_fell->pattern) ? signed_percent(first_fell->pattern.lift) : std::string("not measurable"),
        fell == 1 ? "it is" : "they are");
  if (!q.repeats.empty()) {
    const bool one = q.repeats.size() == 1;
    out += fmt::format(
        " {} more finding{} {} the same signal as a stronger one (for example {}, the same signal as {}), "
        "so {} not lead a strategy of {} own.",
        q.repeats.size(), one ? "" : "s", one ? "is" : "are", q.repeats.front().first, q.repeats.front().second,
        one ? "it does" : "they do", one ? "its" : "their");
  }
  if (clashed > 0)
    out += fmt::format(
        " {} finding{} pointed the opposite way to a better-evidenced one in the same bucket and {} "
        "left out.",
        clashed, clashed == 1 ? "" : "s", clashed == 1 ? "was" : "were");
  std::size_t hypotheses = 0;
  for (const auto& b : in.buckets) hypotheses += b.hypotheses.size();
  if (hypotheses > 0)
    out += fmt::format(
        " {} hypothes{} to test (not yet significant) {} listed under \"What we need to "
        "learn next\" instead of becoming strategies.",
        hypotheses, hypotheses == 1 ? "is" : "es", hypotheses == 1 ? "is" : "are");
  if (!q.unfilmable.empty())
    out += fmt::format(
        " {} evidence-backed element{} cannot be filmed as such (for example {}), so {} in "
        "the creative guides but not in a brief.",
        q.unfilmable.size(), q.unfilmable.size() == 1 ? "" : "s", q.unfilmable.front(),
        q.unfilmable.size() == 1 ? "it is" : "they are");
  std::size_t rejected = 0;
  for (const auto& b : in.buckets) rejected += b.rejected.size();
  if (rejected > 0)
    out += fmt::format(" {} further pattern{} rejected by controlled tests and left out.", rejected,
                       rejected == 1 ? " was" : "s were");
  std::vector<std::string> thin;
  for (const auto& b : in.buckets)
    if (b.insufficient) thin.push_back(fmt::format("{} ({} videos)", bucket_name(b.bucket), b.sample_size));
  if (!thin.empty())
    out += fmt::format(" Too few videos to test at all: {}; each needs at least {}.", join_words(thin, "and"),
                       kMinVideosForModel);
  return out + " Collect more videos to find more.";
}

}  // namespace

StrategySet build_strategies(const HashtagInputs& in) {
  const Qualified q = qualify(in.buckets);
  const std::vector<Candidate> picked = pick_diverse(q.accepted);
  StrategySet set;
  std::set<const Pattern*> taken;
  for (const Candidate& c : picked) taken.insert(c.p);
  for (std::size_t i = 0; i < picked.size(); ++i)
    set.strategies.push_back(make_strategy(i, picked[i], q.usable, taken));
  if (set.strategies.size() < static_cast<std::size_t>(kStrategiesPerHashtag))
    set.shortfall = shortfall_text(in, q, set.strategies);
  set.learn_next = q.learn_next;
  return set;
}

std::vector<HeldBackElement> held_back_in(const BucketInputs& b) {
  return qualify(std::span<const BucketInputs>(&b, 1)).learn_next;
}

std::vector<std::string> strategy_steps(const Strategy& s) {
  std::vector<Pattern> patterns = {s.primary};
  patterns.insert(patterns.end(), s.supporting.begin(), s.supporting.end());
  const ShotList list = build_shot_list(s.bucket, patterns, features::feature_catalog());
  std::vector<std::string> steps;
  for (const auto& sec : list.sections) {
    const char* what = sec.name == "hook"   ? "Hook: stop the scroll"
                       : sec.name == "body" ? "Body: show and explain"
                                            : "Finish: call to action";
    std::string line = fmt::format("{}-{}s  {}", whole_seconds(sec.from_s), whole_seconds(sec.to_s), what);
    for (const auto& shot : sec.shots) {
      line += " \u2014 " + shot.instruction;
      if (shot.timing != sec.timing) line += " (" + shot.timing + ")";
    }
    if (sec.shots.empty() && sec.name == "cta") line += " \u2014 end with your usual call to action";
    steps.push_back(std::move(line));
  }
  for (const auto& shot : list.posting) steps.push_back("When you post \u2014 " + shot.instruction);
  return steps;
}

int planned_lift_percent() { return static_cast<int>(std::lround(validate::kTargetLift * 100.0)); }

int typical_videos_per_arm() {
  return validate::videos_per_arm_for_power(std::log1p(validate::kTargetLift) / validate::kDefaultLogSd);
}

std::string strategy_test_plan(const Strategy& s) {
  return fmt::format(
      "Pilot: Billo films {} test videos that follow this brief ({}) and {} control videos with the same product, "
      "creator and length ({}) that do not, to check the brief can be filmed. A pilot of {} videos cannot decide "
      "whether the element works: run 'rumi validate create' for the number of videos per arm that detects a "
      "+{} % lift 80 % of the time (about {} per arm at the typical spread of engagement). Post test and control "
      "the same day and compare them at the same age.",
      kBilloTestVideos, strategy_action(s.primary, s.bucket), kBilloControlVideos, bucket_name(s.bucket),
      kBilloTestVideos + kBilloControlVideos, planned_lift_percent(), typical_videos_per_arm());
}

std::string strategy_success_metric(const Strategy& s) {
  std::string m = "Average engagement rate of the test videos is above the controls'";
  if (s.bucket_avg_er) m += " and above the bucket average of " + er_percent(*s.bucket_avg_er);
  return m + ".";
}

Json strategy_json(const Strategy& s, std::string_view hashtag) {
  Json patterns = Json::array();
  auto add = [&](const Pattern& p, const char* role) {
    Json e = to_json(p);
    e.erase("details");
    e["role"] = role;
    e["sentence"] = pattern_sentence(p);
    e["statistics"] = pattern_statistics(p, s.family_size);
    e["may_reflect_confounders"] = vanishes_after_adjustment(p);
    e["validation"] = validation_json(s.validations, p.feature);
    patterns.push_back(std::move(e));
  };
  add(s.primary, "primary");
  for (const auto& p : s.supporting) add(p, "supporting");
  return Json{{"format", "rumi-strategy"},
              {"format_version", 1},
              {"id", s.id},
              {"rank", s.rank},
              {"title", s.title},
              {"theme", strategy_theme_id(s.theme)},
              {"theme_name", strategy_theme_name(s.theme)},
              {"report_format", strategy_format_name(s.format)},
              {"hashtag", hashtag_tag(hashtag)},
              {"target_bucket", bucket_name(s.bucket)},
              {"evidence", evidence_name(s.primary.evidence)},
              {"exploratory_test", s.exploratory},
              {"validated", s.proven},
              {"patterns", patterns},
              {"steps", strategy_steps(s)},
              {"test_plan", Json{{"test_videos", kBilloTestVideos},
                                 {"control_videos", kBilloControlVideos},
                                 {"text", strategy_test_plan(s)}}},
              {"success_metric", strategy_success_metric(s)},
              {"bucket_avg_engagement", s.bucket_avg_er ? json_number(*s.bucket_avg_er) : Json(nullptr)},
              {"example_videos", s.example_urls.size() > 3
                                     ? std::vector<std::string>(s.example_urls.begin(), s.example_urls.begin() + 3)
                                     : s.example_urls}};
}

std::string strategy_markdown(const Strategy& s, std::string_view hashtag) {
  std::string md = fmt::format("# Strategy {}: {}\n\n", s.rank, s.title);
  md += fmt::format("Theme: {} \u00b7 Format: {} \u00b7 Target: {} {} videos ({}) \u00b7 Confidence: {}{}\n\n",
                    strategy_theme_name(s.theme), strategy_format_name(s.format), bucket_human(s.bucket),
                    hashtag_tag(hashtag), bucket_name(s.bucket), simple_confidence(s.primary.evidence),
                    validation_suffix(s.validations, s.primary.feature));
  if (s.exploratory)
    md += fmt::format(
        "> Exploratory bucket: only {} videos (fewer than {}), so this rests on thinner data than "
        "usual. Test it before scaling it.\n\n",
        s.bucket_sample_size, kMinVideosForFullAnalysis);
  // One element's line, with the measured values behind a rate, as the shot list gives them.
  const auto action = [&](const Pattern& p) {
    std::string target;
    std::string line = strategy_action(p, s.bucket, &target);
    if (!target.empty()) line += " (" + target + ")";
    return line;
  };
  switch (s.format) {
    case StrategyFormat::recipe:
      md += "## Ingredients\n\n";
      md += "- " + action(s.primary) + "\n";
      for (const auto& p : s.supporting) md += "- " + action(p) + "\n";
      md += "\n## Steps\n\n";
      for (const auto& st : strategy_steps(s)) md += "1. " + st + "\n";
      break;
    case StrategyFormat::pattern:
    case StrategyFormat::narrative:
      md += s.format == StrategyFormat::pattern ? "## The pattern\n\n" : "## The story arc\n\n";
      for (const auto& st : strategy_steps(s)) md += "- " + st + "\n";
      break;
    case StrategyFormat::comparative:
      md += "## A vs B\n\n";
      md += fmt::format("- **A (test):** {}\n- **B (control):** the opposite\n", action(s.primary));
      break;
    case StrategyFormat::element_checklist:
      md += "## Checklist\n\n";
      md += "- [ ] " + action(s.primary) + "\n";
      for (const auto& p : s.supporting) md += "- [ ] " + action(p) + "\n";
      break;
  }
  md += "\n## Why: the measured patterns\n\n";
  md += std::string(kLiftMeaning) + "\n\n";
  auto why = [&](const Pattern& p) {
    const auto* n = find_validation(s.validations, p.feature);
    md += "- " + pattern_sentence(p) + adjustment_note(p) +
          (n && !n->phrase.empty() ? " Controlled tests: " + n->phrase + "." : "") + "\n";
    md += "  - Statistics: " + pattern_statistics(p, s.family_size) + "\n";
  };
  why(s.primary);
  for (const auto& p : s.supporting) why(p);
  md += "\n## Test plan\n\n" + strategy_test_plan(s) + "\n\n## Success metric\n\n" + strategy_success_metric(s) + "\n";
  if (!s.example_urls.empty()) md += "\nExample video: " + s.example_urls.front() + "\n";
  return md;
}

}  // namespace rumi::report
