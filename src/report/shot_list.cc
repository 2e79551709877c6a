#include "report/shot_list.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "report/report_inputs.h"
#include "report/wording.h"

namespace rumi::report {

double planned_length_s(Bucket b) {
  switch (b) {
    case Bucket::s0_15: return 12;
    case Bucket::s16_30: return 25;
    case Bucket::s31_60: return 45;
    case Bucket::s61_90: return 75;
    case Bucket::s91_120: return 105;
  }
  return 30;
}

namespace {

std::string range_text(double from, double to) {
  return fmt::format("{}-{} s", whole_seconds(from), whole_seconds(to));
}

bool favours_more(Direction d) { return d == Direction::higher_is_better || d == Direction::present_is_better; }

// "more of the thing": the higher / with side, where a sooner timing counts as more.
bool sense_more(const FeatureInfo& info, Direction d) {
  return favours_more(d) != (info.say.kind == PhraseKind::timing);
}

// One-hot and multi-hot levels and category shares are asks of their own, never folded by source.
bool is_level_column(const FeatureInfo& info) {
  const auto dot = info.name.rfind('.');
  const std::string_view last = std::string_view(info.name).substr(dot == std::string::npos ? 0 : dot);
  return last.find('=') != std::string_view::npos || last.find(':') != std::string_view::npos;
}

std::string flow_of(const FeatureInfo& info) { return info.name.substr(0, info.name.find('.')); }

// A measured CTA ask the brand's own call-to-action line already gives: on screen at the end,
// with no number of its own ("End with the call to action on screen", "Show the call to action
// on screen in the last third", "Write the call to action as on-screen text").
bool covered_by_brand_cta(std::string_view tmpl) {
  return tmpl.find("call to action") != std::string_view::npos && tmpl.find("{top}") == std::string_view::npos &&
         tmpl.find('"') == std::string_view::npos && tmpl.find("early") == std::string_view::npos &&
         tmpl.find("Post without") == std::string_view::npos && tmpl.find("without") == std::string_view::npos;
}

// "End with the call to action: “Tap the link to try Daily Greens.” Say it and put it on screen in
// the last 3 seconds" (no final period: every line is printed with one).
std::string brand_cta_line(const std::string& cta, double cta_len) {
  std::string s = "End with the call to action: \u201c" + cta + "\u201d";
  const char last = cta.empty() ? '.' : cta.back();
  if (last != '.' && last != '!' && last != '?') s += ".";
  s += fmt::format(" Say it and put it on screen in the last {} seconds", whole_seconds(cta_len));
  return s;
}

}  // namespace

const Shot* find_shot(const ShotList& list, std::string_view feature) {
  for (const auto& sec : list.sections)
    for (const auto& shot : sec.shots)
      if (shot.feature == feature || std::find(shot.folded.begin(), shot.folded.end(), feature) != shot.folded.end())
        return &shot;
  for (const auto& shot : list.posting)
    if (shot.feature == feature || std::find(shot.folded.begin(), shot.folded.end(), feature) != shot.folded.end())
      return &shot;
  return nullptr;
}

ShotFrame shot_frame(double length_s) {
  ShotFrame f;
  f.length_s = length_s;
  // The hook is what a viewer sees before deciding to scroll on; the CTA is the closing lines.
  // Both are short and fixed in seconds, so a long video gets a long body, not a long CTA.
  f.hook_end = length_s < 10 ? 2 : 3;
  const double cta_len = length_s <= 30 ? 3 : (length_s <= 60 ? 4 : 5);
  f.cta_from = length_s - cta_len;
  return f;
}

std::size_t section_for(const FeatureInfo& info, double top_value, const ShotFrame& frame, double* at_s) {
  double at = std::numeric_limits<double>::quiet_NaN();
  std::size_t sec = 1;
  switch (info.say.part) {
    case VideoPart::hook: sec = 0; break;
    case VideoPart::cta: sec = 2; break;
    case VideoPart::body: sec = 1; break;
    case VideoPart::post: sec = 3; break;
    case VideoPart::whole:
      // A timing element goes where its target moment falls in the planned length.
      if (info.say.kind == PhraseKind::timing && std::isfinite(top_value)) {
        if (info.say.unit == Unit::video_share) at = top_value * frame.length_s;
        if (info.say.unit == Unit::seconds) at = top_value;
      }
      if (std::isfinite(at)) sec = at < frame.hook_end ? 0 : (at >= frame.cta_from ? 2 : 1);
      break;
  }
  if (at_s) *at_s = at;
  return sec;
}

namespace {

// A shot list being built: the list so far and what each of its lines already asks for (header:
// one line per ask), so every pattern can be placed by the same few steps.
struct ShotListDraft {
  ShotList list;
  ShotFrame frame;
  bool brand_cta = false;
  // Each ask (the instruction template, the measurement and part and sense, and for the hook the
  // flow and sense) -> the line (section, index) that gives it.
  std::map<std::string, std::pair<std::size_t, std::size_t>> asked;
  std::array<std::vector<bool>, 4> specific;  // per line: it has a measured target
  std::set<std::string> left_out;
};

// Sections 0-2 hold their shots; 3 is the posting lines, which have no timing.
std::vector<Shot>& lines_of(ShotList& list, std::size_t sec) {
  return sec == 3 ? list.posting : list.sections[sec].shots;
}

// The hook, body and CTA of the planned length, with the brand's own call to action opening the
// CTA when it gave one (header: the call to action).
ShotListDraft start_draft(double L, const config::BrandInputs* brand) {
  ShotListDraft d;
  d.list.length_s = L;
  d.frame = shot_frame(L);
  const ShotFrame& f = d.frame;
  d.list.sections = {{"hook", "Hook", 0, f.hook_end, range_text(0, f.hook_end), {}, {}},
                     {"body", "Body", f.hook_end, f.cta_from, range_text(f.hook_end, f.cta_from), {}, {}},
                     {"cta", "Call to action", f.cta_from, L, range_text(f.cta_from, L), {}, {}}};
  d.brand_cta = brand && !brand->call_to_action.empty();
  if (d.brand_cta) {
    Shot cta;
    cta.instruction = brand_cta_line(brand->call_to_action, L - f.cta_from);
    cta.from_s = f.cta_from;
    cta.to_s = L;
    cta.timing = d.list.sections[2].timing;
    d.list.sections[2].shots.push_back(std::move(cta));
    d.specific[2].push_back(false);
  }
  return d;
}

// Only evidence-backed patterns, strongest first, so the lines kept within kMaxShotsPerSection
// and the one kept when asks fold are the strongest.
std::vector<const Pattern*> by_evidence(const std::vector<Pattern>& patterns) {
  std::vector<const Pattern*> ordered;
  for (const auto& p : patterns)
    if (is_evidence_backed(p.evidence)) ordered.push_back(&p);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Pattern* x, const Pattern* y) {
    if (evidence_rank(x->evidence) != evidence_rank(y->evidence))
      return evidence_rank(x->evidence) < evidence_rank(y->evidence);
    return x->q_value < y->q_value;
  });
  return ordered;
}

// The asks a line for this element gives (header: one line per ask): its instruction, its
// measurement in this part and sense (unless a level column), and in the hook its flow and sense.
std::vector<std::string> ask_keys(const FeatureInfo& info, const std::string& tmpl, std::size_t sec, Direction d) {
  const std::string sense = sense_more(info, d) ? "+" : "-";
  std::vector<std::string> keys = {"tmpl:" + tmpl};
  if (!is_level_column(info)) keys.push_back(fmt::format("src:{}|{}|{}", info.source, sec, sense));
  if (sec == 0) keys.push_back("hook:" + flow_of(info) + "|" + sense);
  return keys;
}

// Folds the shot into the line of its section that already gives one of its asks, if any; the
// one with a measured target is the more specific and gives the words. True when folded.
bool fold_into_asked(ShotListDraft& d, const std::vector<std::string>& keys, std::size_t sec, const Shot& shot,
                     bool has_target) {
  const auto it = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) {
    const auto a = d.asked.find(k);
    return a != d.asked.end() && a->second.first == sec;
  });
  if (it == keys.end()) return false;
  const std::size_t at_line = d.asked[*it].second;
  Shot& kept = lines_of(d.list, sec)[at_line];
  if (has_target && !d.specific[sec][at_line]) {
    d.specific[sec][at_line] = true;
    kept.folded.push_back(kept.feature);
    kept.instruction = shot.instruction;
    kept.target = shot.target;
    kept.feature = shot.feature;  // the evidence stays the stronger one's
  } else {
    kept.folded.push_back(shot.feature);
  }
  for (const auto& k : keys) d.asked.emplace(k, std::pair{sec, at_line});
  return true;
}

// A timing element in the body or CTA lands at its target second; everything else, hook items
// included (their instruction already says the second), spans its whole section.
void time_shot(Shot& shot, const ShotSection& s, std::size_t sec, double at) {
  if (std::isfinite(at) && sec != 0) {
    shot.from_s = shot.to_s = std::clamp(at, s.from_s, s.to_s);
    shot.timing = "around second " + whole_seconds(shot.from_s);
  } else {
    shot.from_s = s.from_s;
    shot.to_s = s.to_s;
    shot.timing = s.timing;
  }
}

// A new line for an ask no line gives yet, while its section has room (posting lines are not
// capped).
void add_line(ShotListDraft& d, const std::vector<std::string>& keys, std::size_t sec, Shot shot, bool has_target,
              double at) {
  std::vector<Shot>& lines = lines_of(d.list, sec);
  if (sec != 3 && lines.size() >= kMaxShotsPerSection) return;
  for (const auto& k : keys) d.asked[k] = {sec, lines.size()};
  d.specific[sec].push_back(has_target);
  if (sec != 3) time_shot(shot, d.list.sections[sec], sec, at);
  lines.push_back(std::move(shot));
}

// One pattern: its instruction (or a not-for-creators entry), its section, then folded into a
// line that already asks for it or added as a line of its own.
void add_pattern(ShotListDraft& d, const Pattern& p, const features::FeatureCatalog& catalog) {
  const auto idx = catalog.index_of(p.feature);
  if (!idx) return;
  const FeatureInfo& info = catalog.features[*idx];
  const bool more = favours_more(p.direction);
  Shot shot;
  shot.instruction = shot_instruction(info, more, p.top_median, p.rest_median, d.list.length_s, &shot.target);
  if (shot.instruction.empty()) {
    if (d.left_out.insert(info.phrase).second) d.list.not_for_creators.push_back(capitalize(info.phrase));
    return;
  }
  shot.feature = p.feature;
  shot.evidence = p.evidence;
  double at = 0;
  const std::size_t sec = section_for(info, p.top_median, d.frame, &at);
  const std::string& tmpl = instruction_template(info, more);
  if (sec == 2 && d.brand_cta && covered_by_brand_cta(tmpl)) {
    d.list.sections[2].shots.front().folded.push_back(p.feature);
    return;
  }
  const std::vector<std::string> keys = ask_keys(info, tmpl, sec, p.direction);
  const bool has_target = tmpl.find("{top}") != std::string::npos && shot.instruction != fill_instruction(tmpl, "");
  if (fold_into_asked(d, keys, sec, shot, has_target)) return;
  add_line(d, keys, sec, std::move(shot), has_target, at);
}

// A section with no measured line still tells the creator what to do (header: the call to action).
void add_empty_notes(ShotList& list, const config::BrandInputs* brand) {
  for (auto& s : list.sections) {
    if (!s.shots.empty()) continue;
    if (s.name != "cta") {
      s.empty_note = "No measured element for this part: film it as you normally would.";
    } else if (brand) {  // the brand gave no call to action: the brief's missing-input note
      s.empty_note = "Not given yet: " + config::brand_field_label("call_to_action") + ". Ask " +
                     (brand->agency_contact.empty() ? std::string("the agency") : brand->agency_contact) +
                     " before you film.";
    } else {
      s.empty_note = fmt::format("End with your call to action: say it and put it on screen in the last {} seconds.",
                                 whole_seconds(s.to_s - s.from_s));
    }
  }
}

}  // namespace

ShotList build_shot_list(Bucket b, const std::vector<Pattern>& patterns, const features::FeatureCatalog& catalog,
                         double length_s, const config::BrandInputs* brand) {
  ShotListDraft d = start_draft(length_s > 0 ? length_s : planned_length_s(b), brand);
  for (const Pattern* p : by_evidence(patterns)) add_pattern(d, *p, catalog);
  add_empty_notes(d.list, brand);
  return std::move(d.list);
}

std::string shot_list_markdown(const ShotList& list) {
  std::string md = fmt::format("Planned length: {} seconds.\n\n", whole_seconds(list.length_s));
  for (const auto& s : list.sections) {
    md += fmt::format("- **{} ({}):** ", s.label, s.timing);
    if (s.shots.empty()) {
      md += s.empty_note + "\n";
      continue;
    }
    for (std::size_t i = 0; i < s.shots.size(); ++i) {
      const Shot& shot = s.shots[i];
      md += i ? "; " : "";
      md += shot.instruction;
      if (shot.timing != s.timing) md += " (" + shot.timing + ")";
      if (!shot.target.empty()) md += " (" + shot.target + ")";
    }
    md += ".\n";
  }
  if (!list.posting.empty()) {
    md += "- **When you post:** ";
    for (std::size_t i = 0; i < list.posting.size(); ++i) md += (i ? "; " : "") + list.posting[i].instruction;
    md += ".\n";
  }
  return md;
}

}  // namespace rumi::report
