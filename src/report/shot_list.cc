#include "report/shot_list.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <fmt/format.h>

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

}  // namespace

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

ShotList build_shot_list(Bucket b, const std::vector<Pattern>& patterns, const features::FeatureCatalog& catalog,
                         double length_s) {
  ShotList list;
  const double L = length_s > 0 ? length_s : planned_length_s(b);
  list.length_s = L;
  const ShotFrame frame = shot_frame(L);
  list.sections = {{"hook", "Hook", 0, frame.hook_end, range_text(0, frame.hook_end), {}, {}},
                   {"body", "Body", frame.hook_end, frame.cta_from, range_text(frame.hook_end, frame.cta_from), {}, {}},
                   {"cta", "Call to action", frame.cta_from, L, range_text(frame.cta_from, L), {}, {}}};

  std::vector<const Pattern*> ordered;
  for (const auto& p : patterns)
    if (is_evidence_backed(p.evidence)) ordered.push_back(&p);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Pattern* x, const Pattern* y) {
    if (evidence_rank(x->evidence) != evidence_rank(y->evidence))
      return evidence_rank(x->evidence) < evidence_rank(y->evidence);
    return x->q_value < y->q_value;
  });

  std::set<std::string> said;  // instruction templates already used
  std::set<std::string> left_out;
  for (const Pattern* p : ordered) {
    const auto idx = catalog.index_of(p->feature);
    if (!idx) continue;
    const FeatureInfo& info = catalog.features[*idx];
    const bool more = favours_more(p->direction);
    const std::string instruction = creator_instruction(info, more, p->top_median, L);
    if (instruction.empty()) {
      if (left_out.insert(info.phrase).second) list.not_for_creators.push_back(capitalize(info.phrase));
      continue;
    }
    // Two elements that ask for the same thing (the first text in seconds and as a share of the
    // video) are one line: the stronger one's target wins.
    if (!said.insert(instruction_template(info, more)).second) continue;
    Shot shot;
    shot.instruction = instruction;
    shot.feature = p->feature;
    shot.evidence = p->evidence;
    double at = 0;
    const std::size_t sec = section_for(info, p->top_median, frame, &at);
    if (sec == 3) {
      list.posting.push_back(std::move(shot));
      continue;
    }
    ShotSection& s = list.sections[sec];
    if (s.shots.size() >= kMaxShotsPerSection) continue;
    if (std::isfinite(at) && sec != 0) {
      shot.from_s = shot.to_s = std::clamp(at, s.from_s, s.to_s);
      shot.timing = "around second " + whole_seconds(shot.from_s);
    } else {
      shot.from_s = s.from_s;
      shot.to_s = s.to_s;
      shot.timing = s.timing;
    }
    s.shots.push_back(std::move(shot));
  }
  for (auto& s : list.sections)
    if (s.shots.empty())
      s.empty_note = s.name == "cta" ? "No measured element for the ending: close with your usual call to action."
                                     : "No measured element for this part: film it as you normally would.";
  return list;
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
