// The Billo shot list (report/shot_list.h): timings that fit the video's length, hook items only
// in the hook, one line per instruction, only evidence-backed elements, and nothing a creator
// cannot film.
#include <gtest/gtest.h>
#include <regex>
#include <string>

#include "features/feature_catalog.h"
#include "report/shot_list.h"
#include "report/strategies.h"

namespace rumi {
namespace {

Pattern pat(const char* feature, Direction d, double top_median, Evidence e = Evidence::strong, double q = 0.01) {
  Pattern p;
  p.feature = feature;
  p.direction = d;
  p.top_median = top_median;
  p.rest_median = top_median * 2;
  p.evidence = e;
  p.q_value = q;
  return p;
}

const report::ShotSection& section(const report::ShotList& l, const char* name) {
  for (const auto& s : l.sections)
    if (s.name == name) return s;
  throw std::runtime_error(name);
}

bool has(const report::ShotSection& s, const std::string& instruction) {
  for (const auto& shot : s.shots)
    if (shot.instruction == instruction) return true;
  return false;
}

TEST(ShotList, TimingsFitTheLengthAndEachElementItsPart) {
  const std::vector<Pattern> ps = {
      pat("overlay.timeToFirstOverlay", Direction::lower_is_better, 0.8),  // hook by its target (0.8 s)
      pat("overlay.timeToFirstOverlay_pos", Direction::lower_is_better, 0.02, Evidence::moderate, 0.02),  // same ask
      pat("scene.averageSceneDuration", Direction::lower_is_better, 2.4),       // whole video -> body
      pat("overlay.ctaMoments.last_third", Direction::present_is_better, 0.8),  // CTA
      pat("density.densityCurve.hook_3s", Direction::higher_is_better, 2.0),    // hook part
      pat("density.stdDeviation", Direction::higher_is_better, 1.2),            // not filmable
      pat("emotion.climaxMoment_pos", Direction::higher_is_better, 0.5),        // around second 18 of 35
      pat("meta.CoreMetrics.hashtagCount", Direction::higher_is_better, 4),     // not in the catalog by this name
      pat("meta.hashtagCount", Direction::higher_is_better, 4),                 // posting
      pat("speech.wordsPerMinute", Direction::higher_is_better, 160, Evidence::emerging, 0.1),  // a hypothesis: never
  };
  const auto list = report::build_shot_list(Bucket::s31_60, ps, features::feature_catalog(), 35);
  ASSERT_EQ(list.sections.size(), 3u);
  EXPECT_EQ(list.length_s, 35);
  const auto& hook = section(list, "hook");
  const auto& body = section(list, "body");
  const auto& cta = section(list, "cta");
  EXPECT_EQ(hook.from_s, 0);
  EXPECT_EQ(hook.to_s, 3);
  EXPECT_EQ(body.from_s, 3);
  EXPECT_EQ(body.to_s, cta.from_s);
  EXPECT_EQ(cta.to_s, 35);
  EXPECT_LE(cta.to_s - cta.from_s, 4) << "a 35-second video never gets a long call to action";
  EXPECT_TRUE(has(hook, "Put the first text on screen within 1 s"));
  EXPECT_TRUE(has(hook, "Pack the first 3 seconds: text, a close-up and movement at once"));
  EXPECT_TRUE(has(body, "Cut to a new shot every 2-3 s"));
  EXPECT_TRUE(has(cta, "Show the call to action on screen in the last third"));
  for (const auto& shot : body.shots) {
    EXPECT_EQ(shot.instruction.find("first 3 seconds"), std::string::npos)
        << "hook item in the body: " << shot.instruction;
    EXPECT_GE(shot.from_s, body.from_s);
    EXPECT_LE(shot.to_s, body.to_s);
  }
  // The emotional high point at half of 35 s: the body, at its second.
  bool climax = false;
  for (const auto& shot : body.shots)
    if (shot.instruction == "Place the emotional high point late, at about 18 s") {
      climax = true;
      EXPECT_EQ(shot.timing, "around second 18");
    }
  EXPECT_TRUE(climax);
  // The first text in seconds and as a share of the video ask for one thing: one line.
  int first_text = 0;
  for (const auto& s : list.sections)
    for (const auto& shot : s.shots) first_text += shot.instruction.rfind("Put the first text on screen", 0) == 0;
  EXPECT_EQ(first_text, 1);
  ASSERT_EQ(list.posting.size(), 1u);
  EXPECT_EQ(list.posting[0].instruction, "Use about 4 hashtags");
  ASSERT_EQ(list.not_for_creators.size(), 1u);
  EXPECT_EQ(list.not_for_creators[0], "Variation in on-screen activity");
  for (const auto& s : list.sections)
    for (const auto& shot : s.shots) EXPECT_NE(shot.feature, "speech.wordsPerMinute") << "EMERGING is not a brief";
  const std::string md = report::shot_list_markdown(list);
  EXPECT_NE(md.find("- **Hook (0-3 s):** Put the first text on screen within 1 s"), std::string::npos) << md;
  EXPECT_NE(md.find("(around second 18)"), std::string::npos) << md;
  EXPECT_NE(md.find("- **When you post:** Use about 4 hashtags."), std::string::npos) << md;
}

TEST(ShotList, PlannedLengthsLieInsideTheBucketAndEmptyPartsSaySo) {
  for (Bucket b : kAllBuckets) {
    const double L = report::planned_length_s(b);
    EXPECT_LE(L, bucket_max_seconds(b));
    EXPECT_GT(L, b == Bucket::s0_15 ? 0 : bucket_max_seconds(kAllBuckets[static_cast<int>(b) - 1]));
    const auto list = report::build_shot_list(b, {}, features::feature_catalog());
    EXPECT_EQ(list.length_s, L);
    for (const auto& s : list.sections) {
      EXPECT_TRUE(s.shots.empty());
      EXPECT_FALSE(s.empty_note.empty());
    }
    const auto& cta = list.sections[2];
    EXPECT_LE(cta.to_s - cta.from_s, 5) << bucket_name(b);
  }
  // A short video gets a 2-second hook.
  const auto short_list = report::build_shot_list(Bucket::s0_15, {}, features::feature_catalog(), 8);
  EXPECT_EQ(short_list.sections[0].to_s, 2);
}

TEST(ShotList, AtMostFourLinesPerSectionStrongestFirst) {
  std::vector<Pattern> ps;
  for (const char* f : {"overlay.totalStickers", "overlay.uniqueOverlayCount", "overlay.overlayDensity",
                        "scene.totalScenes", "framing.faceVisibilityRate", "speech.totalWords"})
    ps.push_back(pat(f, Direction::higher_is_better, 3, Evidence::moderate, 0.03));
  ps.push_back(pat("framing.eyeContactRate", Direction::higher_is_better, 0.6, Evidence::strong, 0.04));
  const auto list = report::build_shot_list(Bucket::s16_30, ps, features::feature_catalog());
  const auto& body = list.sections[1];
  ASSERT_EQ(body.shots.size(), report::kMaxShotsPerSection);
  EXPECT_EQ(body.shots[0].instruction, "Look into the camera for at least 60 % of the video");  // STRONG first
}

// A strategy becomes a Billo brief: an element without a filmable instruction is not briefed, and
// the shortfall says so.
TEST(Strategies, OnlyFilmableElementsBecomeBriefs) {
  report::HashtagInputs in;
  report::BucketInputs b;
  b.bucket = Bucket::s16_30;
  b.sample_size = 60;
  b.patterns = {pat("density.stdDeviation", Direction::higher_is_better, 1.2, Evidence::strong, 0.001),
                pat("overlay.timeToFirstOverlay", Direction::lower_is_better, 0.8, Evidence::strong, 0.002),
                pat("framing.gazeSteadiness=unknown", Direction::present_is_better, 1, Evidence::moderate, 0.01)};
  for (auto& p : b.patterns) p.lift = 0.3;  // all held up on held-out videos: only filmability decides
  in.buckets.push_back(b);
  const auto set = report::build_strategies(in);
  ASSERT_EQ(set.strategies.size(), 1u);
  EXPECT_EQ(set.strategies[0].primary.feature, "overlay.timeToFirstOverlay");
  EXPECT_TRUE(set.strategies[0].supporting.empty());
  EXPECT_EQ(set.strategies[0].title, "Hook: Put the first text on screen within 1 s (16-30-second videos)");
  EXPECT_NE(set.shortfall.find("Only 1 evidence-backed finding"), std::string::npos) << set.shortfall;
  EXPECT_NE(set.shortfall.find("2 evidence-backed elements cannot be filmed as such (for example variation in "
                               "on-screen activity)"),
            std::string::npos)
      << set.shortfall;
  const auto steps = report::strategy_steps(set.strategies[0]);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0], "0-3s  Hook: stop the scroll \u2014 Put the first text on screen within 1 s");
  EXPECT_EQ(steps[2], "22-25s  Finish: call to action \u2014 end with your usual call to action");
}

// Targets a person can act on (shot_list.h rules): no "8.1 per second", no "0.7 s", for every
// element of the catalog that has a creator instruction, at typical and extreme values.
TEST(ShotList, EveryTargetIsSomethingAPersonCanDo) {
  const auto& cat = features::feature_catalog();
  static const std::regex decimal(R"(\d\.\d)");
  static const std::regex rate(R"(per (second|minute)|words per minute|on a 0-1 scale)");
  int lines = 0;
  for (const auto& f : cat.features)
    for (bool more : {true, false}) {
      if (!for_creators(f, more)) continue;
      for (double v : {0.07, 0.42, 0.7, 2.4, 8.1, 14.6, 166.0}) {
        std::string target;
        const std::string line = shot_instruction(f, more, v, v / 2, 45, &target);
        ++lines;
        EXPECT_FALSE(std::regex_search(line, decimal)) << f.name << " at " << v << ": " << line;
        EXPECT_FALSE(std::regex_search(line, rate)) << f.name << " at " << v << ": " << line;
        EXPECT_EQ(line.find('{'), std::string::npos) << line;
        // The measured rate travels beside the line, never inside it.
        const bool is_rate =
            f.say.unit == Unit::per_second || f.say.unit == Unit::per_minute || f.say.unit == Unit::words_per_minute;
        EXPECT_EQ(!target.empty(), is_rate) << f.name << ": " << target;
        if (is_rate) {
          // The target says what is counted: the element's own name, or words per minute.
          EXPECT_TRUE(target.rfind("top videos: about ", 0) == 0 || target.rfind("top videos' ", 0) == 0) << target;
          EXPECT_TRUE(target.find(f.phrase) != std::string::npos ||
                      target.find("words per minute") != std::string::npos)
              << f.name << ": " << target;
        }
      }
    }
  EXPECT_GT(lines, 500);
}

TEST(ShotList, TargetsAreRoundedTheWayPeopleSayThem) {
  const auto& cat = features::feature_catalog();
  auto info = [&](const char* name) { return cat.features[*cat.index_of(name)]; };
  const FeatureInfo first_text = info("overlay.timeToFirstOverlay");
  EXPECT_EQ(shot_instruction(first_text, false, 0.7, 3.4, 12), "Put the first text on screen within 1 s");
  EXPECT_EQ(shot_instruction(first_text, false, 1.5, 3.4, 12), "Put the first text on screen within 2 s");
  const FeatureInfo scene = info("scene.averageSceneDuration");
  EXPECT_EQ(shot_instruction(scene, false, 2.4, 4, 25), "Cut to a new shot every 2-3 s");
  EXPECT_EQ(shot_instruction(scene, false, 2.1, 4, 25), "Cut to a new shot every 2 s");
  EXPECT_EQ(shot_instruction(scene, false, 0.6, 4, 25), "Cut to a new shot every 1 s");
  // The creative density: "8.1 per second" becomes what to keep on screen, the number beside it.
  const FeatureInfo density = info("density.avgDensity");
  std::string target;
  EXPECT_EQ(shot_instruction(density, true, 8.1, 3.8, 12, &target),
            "Have text, a close-up or a gesture on screen in every second, often several at once");
  EXPECT_EQ(target, "top videos: about 8 on-screen elements per second; others 4");
  // A rate whose name does not end in its unit keeps the name in front: "about 11 per second" of
  // what would be anyone's guess.
  for (const auto& f : cat.features)
    if (f.phrase == "on-screen activity in the first 3 seconds" && f.say.unit == Unit::per_second) {
      (void)shot_instruction(f, true, 11.2, 4.1, 12, &target);
      EXPECT_EQ(target, "top videos' on-screen activity in the first 3 seconds: about 11 per second; others 4");
    }
  // Rates under one a second: how often.
  const FeatureInfo text_rate = info("overlay.overlayDensity");
  EXPECT_EQ(shot_instruction(text_rate, true, 0.42, 0.2, 25, &target),
            "Put new text on screen more often, about one every 2-3 s");
  EXPECT_EQ(target, "top videos: about 0.42 text overlays per second; others 0.20");
  const FeatureInfo cuts = info("scene.scenesPerMinute");
  EXPECT_EQ(shot_instruction(cuts, true, 20, 10, 25), "Cut more often, about one every 3 s");
  // Speaking pace: the script it takes.
  const FeatureInfo wpm = info("speech.wordsPerMinute");
  EXPECT_EQ(shot_instruction(wpm, true, 166, 137, 45, &target), "Speak fast, about 125 words in a 45-second script");
  EXPECT_EQ(target, "top videos: about 166 words per minute; others 137");
  // Shares to the nearest 10 %, counts whole.
  const FeatureInfo face = info("framing.eyeContactRate");
  EXPECT_EQ(shot_instruction(face, true, 0.86, 0.5, 45), "Look into the camera for at least 80 % of the video");
  EXPECT_EQ(shot_instruction(face, true, 0.6, 0.5, 45), "Look into the camera for at least 60 % of the video");
  EXPECT_EQ(shot_instruction(info("meta.hashtagCount"), true, 4.4, 2, 45), "Use about 4 hashtags");
}

// One line per ask: the first text within 1 s already says "text in the first 3 seconds", even
// when the vaguer element has the stronger evidence.
TEST(ShotList, InstructionsAboutTheSameThingFoldIntoTheMostSpecific) {
  const std::vector<Pattern> ps = {
      pat("overlay.overlayProgression.hook_3s", Direction::higher_is_better, 1, Evidence::strong, 0.001),
      pat("overlay.timeToFirstOverlay.hook_3s", Direction::present_is_better, 1, Evidence::strong, 0.002),
      pat("overlay.timeToFirstOverlay", Direction::lower_is_better, 0.7, Evidence::moderate, 0.01),
      pat("overlay.timeToFirstOverlay_pos", Direction::lower_is_better, 0.05, Evidence::moderate, 0.02),
      pat("scene.totalScenes", Direction::higher_is_better, 6, Evidence::moderate, 0.01),
      pat("scene.averageSceneDuration", Direction::lower_is_better, 2.1, Evidence::moderate, 0.02),
  };
  const auto list = report::build_shot_list(Bucket::s0_15, ps, features::feature_catalog(), 12);
  const auto& hook = section(list, "hook");
  ASSERT_EQ(hook.shots.size(), 1u) << report::shot_list_markdown(list);
  EXPECT_EQ(hook.shots[0].instruction, "Put the first text on screen within 1 s");
  EXPECT_EQ(hook.shots[0].feature, "overlay.timeToFirstOverlay");
  EXPECT_EQ(hook.shots[0].evidence, Evidence::strong) << "the line keeps the strongest evidence of what it folds";
  EXPECT_EQ(hook.shots[0].folded.size(), 3u);
  for (const char* f :
       {"overlay.overlayProgression.hook_3s", "overlay.timeToFirstOverlay.hook_3s", "overlay.timeToFirstOverlay_pos"}) {
    const report::Shot* s = report::find_shot(list, f);
    ASSERT_NE(s, nullptr) << f;
    EXPECT_EQ(s->instruction, "Put the first text on screen within 1 s");
  }
  // Different measurements in the body stay separate lines.
  EXPECT_EQ(section(list, "body").shots.size(), 2u) << report::shot_list_markdown(list);
  // Opposite asks about one thing are not folded: they are a contradiction for the strategist to see.
  const auto both = report::build_shot_list(
      Bucket::s0_15,
      {pat("overlay.timeToFirstOverlay", Direction::lower_is_better, 0.7),
       pat("overlay.overlayProgression.hook_3s", Direction::lower_is_better, 0.2, Evidence::moderate)},
      features::feature_catalog(), 12);
  EXPECT_EQ(section(both, "hook").shots.size(), 2u) << report::shot_list_markdown(both);
}

// The call to action is the brand's own words; only a brand without one gets the missing note.
TEST(ShotList, TheCallToActionIsTheBrands) {
  config::BrandInputs brand;
  brand.call_to_action = "Tap the link to try Daily Greens.";
  brand.agency_contact = "Sam Lee, sam@demo-agency.example";
  const std::vector<Pattern> ps = {pat("density.structuralFlags.finalCallToAction", Direction::present_is_better, 1),
                                   pat("overlay.ctaMoments.count", Direction::higher_is_better, 2, Evidence::moderate)};
  const auto list = report::build_shot_list(Bucket::s0_15, ps, features::feature_catalog(), 12, &brand);
  const auto& cta = section(list, "cta");
  ASSERT_EQ(cta.shots.size(), 2u) << report::shot_list_markdown(list);
  EXPECT_EQ(cta.shots[0].instruction,
            "End with the call to action: \u201cTap the link to try Daily Greens.\u201d Say it and put it on screen in "
            "the last 3 seconds");
  EXPECT_EQ(cta.shots[0].folded, std::vector<std::string>{"density.structuralFlags.finalCallToAction"});
  EXPECT_EQ(cta.shots[1].instruction, "Show the call to action on screen, about 2 times");
  // Without end punctuation the line still reads as two sentences; a 45-second video has a 4-second CTA.
  brand.call_to_action = "Tap the link";
  const auto longer = report::build_shot_list(Bucket::s31_60, {}, features::feature_catalog(), 45, &brand);
  EXPECT_EQ(section(longer, "cta").shots.at(0).instruction,
            "End with the call to action: \u201cTap the link\u201d. Say it and put it on screen in the last 4 seconds");
  // The brand gave none: the brief's missing-input note, not an invented one.
  brand.call_to_action.clear();
  const auto missing = report::build_shot_list(Bucket::s0_15, {}, features::feature_catalog(), 12, &brand);
  EXPECT_TRUE(section(missing, "cta").shots.empty());
  EXPECT_EQ(section(missing, "cta").empty_note,
            "Not given yet: call to action. Ask Sam Lee, sam@demo-agency.example before you film.");
  // No brand inputs at all (a strategy outside a brief): the creator's own call to action.
  const auto none = report::build_shot_list(Bucket::s0_15, {}, features::feature_catalog(), 12);
  EXPECT_EQ(section(none, "cta").empty_note,
            "End with your call to action: say it and put it on screen in the last 3 seconds.");
}

}  // namespace
}  // namespace rumi
