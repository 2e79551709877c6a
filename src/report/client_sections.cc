#include "report/client_sections.h"

#include <fmt/format.h>
#include <set>

#include "report/strategies.h"
#include "report/wording.h"

namespace rumi::report::client {

namespace {

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// "engagement lift +34 % (STRONG; 6 of 9 top videos do it)" for one hashtag's test.
std::string lift_label(const Pattern& p, const std::string& validation = {}) {
  std::string s = "engagement lift ";
  s += lift_measured(p) ? signed_percent(p.lift) : std::string("not measurable");
  s += " (" + std::string(evidence_name(p.evidence)) + validation;
  if (p.top_count > 0) s += fmt::format("; {} of {} top videos do it", top_videos_showing(p), p.top_count);
  s += ")";
  return s;
}

// An expected count: two decimals, or three significant digits below 0.01 so a small expectation
// never prints as "0.00".
std::string expected_count(double v) { return v >= 0.01 || v == 0 ? fmt::format("{:.2f}", v) : p_value_text(v); }

std::string mix_line(const std::vector<RankedBucket>& ranking) {
  std::vector<std::string> parts, unranked;
  std::vector<RankedBucket> sorted = ranking;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
  for (const auto& r : sorted) {
    if (r.ranked && r.mix_percent > 0)
      parts.push_back(fmt::format("{} {} %", bucket_name(r.bucket), r.mix_percent));
    else if (r.ranked)
      parts.push_back(fmt::format("{} 0 % ({})", bucket_name(r.bucket), lower_first(r.verdict)));
    else
      unranked.push_back(fmt::format("{} ({} videos)", bucket_name(r.bucket), r.sample_size));
  }
  std::string s = parts.empty() ? std::string("no bucket ranked") : join(parts, ", ");
  if (!unranked.empty()) s += ". Not ranked, too few videos: " + join(unranked, ", ");
  return s + ".";
}

}  // namespace

std::string join(const std::vector<std::string>& items, std::string_view sep, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += (i + 1 == items.size() && !last_sep.empty()) ? last_sep : sep;
    out += items[i];
  }
  return out;
}

// ---- the words (Markdown carries everything; the PDF the same order within 2 pages)

Section scope_section(const ClientView& v, const ClientReportSummary& sum, const std::string& date) {
  Section s{"Scope", {}, true};
  int videos = 0;
  for (const auto& h : v.tags) videos += total_videos(h.in);
  s.lines.push_back(
      fmt::format("{} hashtags reported: {}. {} videos in all; {} hashtag and length groups had enough "
                  "videos to test.",
                  v.tags.size(), join(sum.hashtags_reported, ", ", " and "), videos, v.rep.families));
  for (const auto& h : v.tags) {
    std::vector<std::string> per;
    for (const auto& b : h.in.buckets)
      per.push_back(fmt::format("{} {}{}", bucket_name(b.bucket), b.sample_size,
                                b.insufficient  ? " (too few)"
                                : b.exploratory ? " (exploratory)"
                                                : ""));
    s.lines.push_back(fmt::format(
        "{}: {} videos ({}). {}. Report of {}.", h.name, total_videos(h.in), join(per, ", "),
        h.in.metadata_only ? "Captions and posting data only, not the video content" : "Video content analysed",
        h.report_date));
  }
  if (!sum.hashtags_not_reported.empty())
    s.lines.push_back("Not reported yet: " + join(sum.hashtags_not_reported, ", ") +
                      ". Run their reports to add them.");
  s.lines.push_back(fmt::format("Client report of {}.", date));
  return s;
}

Section holds_section(const ClientView& v) {
  const ReplicationResult& rep = v.rep;
  Section s{"What holds across hashtags", {}, true, 6};
  s.lines.push_back(fmt::format(
      "An element counts here only when it was tested in the same video length in two or more hashtags, and it "
      "was significant with the same direction in each one (q below 0.05). We checked {} such elements. If none "
      "of them truly mattered, {}. {} passed.",
      rep.candidates,
      rep.expected_by_chance < 1
          ? fmt::format("fewer than one would be expected to pass by chance (on average {})",
                        expected_count(rep.expected_by_chance))
          : fmt::format("about {} would still pass by chance", expected_count(rep.expected_by_chance)),
      rep.holds.size()));
  std::size_t echoes = 0;
  for (const auto& e : rep.holds) {
    if (is_echo(v.tags, e)) {
      ++echoes;
      continue;
    }
    std::vector<std::string> per;
    for (const auto& t : e.tests) per.push_back(t.hashtag + " " + lift_label(t.pattern, test_suffix(v.tags, t)));
    // The corrected value is a bound: "at most 1 in 83,000"; the smallest odds already say so.
    const std::string odds = chance_text(e.corrected);
    s.lines.push_back(
        fmt::format("{} ({} videos): {} had more engagement in every hashtag. {}. Chance of this by luck "
                    "alone: {}{}.",
                    bucket_name(e.bucket), bucket_human(e.bucket), pattern_who(e.tests.front().pattern),
                    capitalize(join(per, "; ")), odds.starts_with("less than") ? odds : "at most " + odds,
                    e.corrected < kReplicationAlpha ? "" : ", so luck is not ruled out"));
  }
  if (echoes > 0)
    s.lines.push_back(
        fmt::format("{} more {} the same signal as one listed here, in every hashtag, so {} not repeated.", echoes,
                    echoes == 1 ? "is" : "are", echoes == 1 ? "it is" : "they are"));
  if (rep.holds.empty())
    s.lines.push_back(rep.candidates == 0
                          ? "No element was tested in the same video length in two hashtags yet, so nothing can "
                            "replicate. The findings below are per hashtag."
                          : "No element replicated. Treat each hashtag's findings as its own.");
  return s;
}

namespace {

// One element found in some hashtags and not (or the other way) in others.
std::string does_not_hold_line(const std::vector<ClientHashtag>& tags, const CrossElement& e) {
  const Pattern* sig = nullptr;
  for (const auto& t : e.tests)
    if (significant(t.pattern)) {
      sig = &t.pattern;
      break;
    }
  std::vector<std::string> per;
  for (const auto& t : e.tests) {
    if (significant(t.pattern) && t.pattern.direction == sig->direction)
      per.push_back(t.hashtag + " " + lift_label(t.pattern, test_suffix(tags, t)));
    else if (significant(t.pattern))
      per.push_back(t.hashtag + ": the opposite did better (" + std::string(evidence_name(t.pattern.evidence)) + ")");
    else
      per.push_back(t.hashtag + ": no clear difference (q " + p_value_text(t.pattern.q_value) + ")");
  }
  return fmt::format("{}: {}. {}. Use it only where it was found.", bucket_name(e.bucket), pattern_who(*sig),
                     capitalize(join(per, "; ")));
}

}  // namespace

Section does_not_hold_section(const ClientView& v) {
  Section s{"What does not hold", {}, true, 4};
  for (const auto& e : v.rep.does_not_hold)
    if (!is_echo(v.tags, e)) s.lines.push_back(does_not_hold_line(v.tags, e));
  if (s.lines.empty()) s.lines.push_back("No finding was contradicted by another hashtag.");
  return s;
}

Section budget_section(const ClientView& v) {
  Section s{"Duration budget mix", {}, true};
  if (v.mix.with_ranking > 0 && !v.mix.buckets.empty()) {
    std::vector<std::string> parts;
    for (const auto& m : v.mix.buckets)
      parts.push_back(fmt::format("{} {} %", m["bucket"].get<std::string>(), m["percent"].get<int>()));
    s.lines.push_back("Across all hashtags, each counted the same: " + join(parts, ", ") + ".");
  }
  for (const auto& h : v.tags)
    s.lines.push_back(h.name + ": " +
                      (h.ranking.empty() ? std::string("no bucket ranking in its report.") : mix_line(h.ranking)));
  s.lines.push_back("Buckets with too few videos are not ranked. Collect more videos of those lengths first.");
  return s;
}

Section roadmap_section(const Roadmap& r) {
  Section s{"Testing roadmap", {}, true, 10};
  for (std::size_t i = 0; i < r.queue.size(); ++i) {
    const int slot = static_cast<int>(i) / kRoadmapParallelTests;
    const auto& it = r.queue[i];
    s.lines.push_back(fmt::format("Weeks {}-{}: {} \u201c{}\u201d for {} ({}{}). {} test and {} control videos.{}",
                                  slot * kRoadmapWeeksPerTest + 1, (slot + 1) * kRoadmapWeeksPerTest,
                                  it.s->validation == "inconclusive" ? "Test again" : "Billo test of", it.s->title,
                                  it.h->name, evidence_name(it.s->evidence), it.across ? ", holds across hashtags" : "",
                                  kBilloTestVideos, kBilloControlVideos,
                                  it.s->validation == "inconclusive" ? " The last test was not clear." : ""));
  }
  for (const auto& it : r.proven)
    s.lines.push_back(fmt::format("Proven by Billo tests: \u201c{}\u201d for {}. Brief affiliates with it.",
                                  it.s->title, it.h->name));
  if (r.queue.empty() && r.proven.empty())
    s.lines.push_back("No strategy is backed by strong enough evidence to test yet. Collect more videos first.");
  else
    s.lines.push_back(
        fmt::format("Each week pair films one week and posts and measures the next. Two tests run at "
                    "a time. Each Billo brief is in the hashtag's report folder."));
  return s;
}

Section changes_section(const Json& previous, const std::vector<std::string>& changes,
                        const std::string& previous_date) {
  Section s{"What changed since the previous run", {}, true, 8};
  if (previous.is_null())
    s.lines.push_back("This is the first client report for these hashtags.");
  else if (changes.empty())
    s.lines.push_back("Nothing changed since the client report of " + previous_date + ".");
  else {
    s.lines.push_back("Compared with the client report of " + previous_date + ":");
    for (const auto& c : changes) s.lines.push_back(c);
  }
  return s;
}

namespace {

std::string finding_key(const std::string& hashtag, Bucket b, const std::string& feature) {
  return hashtag + "|" + std::string(bucket_name(b)) + "|" + feature;
}

// The findings already said under "holds across" or "does not hold": in the Markdown, and in the
// PDF (there only the lines the PDF printed).
struct SaidFindings {
  std::set<std::string> md, pdf;
};

SaidFindings said_findings(const ReplicationResult& rep, const std::vector<Section>& sections) {
  SaidFindings said;
  for (std::size_t i = 0; i < rep.holds.size(); ++i)
    for (const auto& t : rep.holds[i].tests) {
      said.md.insert(finding_key(t.hashtag, rep.holds[i].bucket, t.pattern.feature));
      if (i + 1 < sections[kHoldsSection].pdf_lines)
        said.pdf.insert(finding_key(t.hashtag, rep.holds[i].bucket, t.pattern.feature));
    }
  for (std::size_t i = 0; i < rep.does_not_hold.size(); ++i)
    for (const auto& t : rep.does_not_hold[i].tests)
      if (significant(t.pattern)) {
        said.md.insert(finding_key(t.hashtag, rep.does_not_hold[i].bucket, t.pattern.feature));
        if (i < sections[kDoesNotHoldSection].pdf_lines)
          said.pdf.insert(finding_key(t.hashtag, rep.does_not_hold[i].bucket, t.pattern.feature));
      }
  return said;
}

}  // namespace

// Top findings: per hashtag and bucket, evidence-backed only, each once: a finding already said
// under "holds across" or "does not hold" is not repeated (in the PDF: not repeated when the PDF
// printed it there).
TopFindings top_findings(const ClientView& v, const std::vector<Section>& sections) {
  const SaidFindings said = said_findings(v.rep, sections);
  TopFindings top{{"Top findings per hashtag and bucket", {}, true}, {}};
  top.md.lines.push_back(std::string(kLiftMeaning) + " Findings named above are not repeated here.");
  // The PDF's shorter version: the first finding of each hashtag and bucket, at most 8.
  constexpr std::size_t kPdfFindings = 8;
  for (const auto& h : v.tags)
    for (const auto& b : h.in.buckets) {
      int shown_md = 0, shown_pdf = 0;
      for (const auto& f : v.findings) {
        if (f.hashtag != h.name || f.bucket != b.bucket) continue;
        const std::string key = finding_key(f.hashtag, f.bucket, f.p.feature);
        const bool md_new = !said.md.count(key), pdf_new = !said.pdf.count(key);
        if (!md_new && !pdf_new) continue;
        const std::string line = fmt::format("{} {} ({}{}{}): {}{}", h.name, bucket_name(b.bucket),
                                             evidence_name(f.p.evidence), b.exploratory ? ", exploratory" : "",
                                             f.validation, pattern_sentence(f.p), adjustment_note(f.p));
        if (md_new && shown_md < 3) {
          top.md.lines.push_back(line);
          ++shown_md;
        }
        if (pdf_new && shown_pdf == 0 && top.pdf.size() < kPdfFindings) {
          top.pdf.push_back(line);
          ++shown_pdf;
        }
      }
    }
  if (v.findings.empty())
    top.md.lines.push_back("No element is backed by STRONG or MODERATE evidence yet.");
  else if (top.md.lines.size() == 1)
    top.md.lines.push_back("Every finding is named in the sections above.");
  return top;
}

namespace {

void add_markdown(std::string& md, const Section& s) {
  md += "## " + s.heading + "\n\n";
  for (const auto& l : s.lines) md += (s.bullets ? "- " : "") + l + "\n";
  md += "\n";
}

std::string how_to_read_markdown(const ReplicationResult& rep) {
  std::string md = "## How to read this report\n\n";
  md += fmt::format(
      "Every hashtag and video length is tested on its own, with its own correction for testing many elements. "
      "An element without a real effect passes one such test at most {:.0f} % of the time, and at most {:.1f} % in a "
      "given direction. Hashtags have different videos, so passing in k hashtags by luck has a chance of at most 2 x "
      "{:.3f}^k. Summed over the {} elements tested in two or more hashtags, that gives the {} above. The chance "
      "for one element is at most 2 x the product of its halved q values, times {} for the number of elements "
      "checked.\n\n",
      kReplicationAlpha * 100, kReplicationAlpha * 50, kReplicationAlpha / 2, rep.candidates,
      expected_count(rep.expected_by_chance), rep.candidates);
  return md;
}

}  // namespace

std::string client_markdown(const std::string& client, const std::string& date, const ClientReportSummary& sum,
                            const std::vector<Section>& sections, const TopFindings& top, const ReplicationResult& rep,
                            const std::string& notice) {
  std::string md = fmt::format("# {}: creative report across hashtags\n\n", client);
  md += fmt::format("{} \u00b7 {}\n\n", join(sum.hashtags_reported, ", "), date);
  for (const auto& s : sections) add_markdown(md, s);
  add_markdown(md, top.md);
  md += how_to_read_markdown(rep);
  md += notice + "\n";
  return md;
}

}  // namespace rumi::report::client
