// The Billo shot list (report/shot_list.h): timings that fit the video's length, hook items only
// in the hook, one line per instruction, only evidence-backed elements, and nothing a creator
// cannot film.
#include <gtest/gtest.h>
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
      pat("overlay.timeToFirstOverlay", Direction::lower_is_better, 0.8),            // hook by its target (0.8 s)
      pat("overlay.timeToFirstOverlay_pos", Direction::lower_is_better, 0.02, Evidence::moderate, 0.02),  // same ask
      pat("scene.averageSceneDuration", Direction::lower_is_better, 2.4),            // whole video -> body
      pat("overlay.ctaMoments.last_third", Direction::present_is_better, 0.8),       // CTA
      pat("density.densityCurve.hook_3s", Direction::higher_is_better, 2.0),         // hook part
      pat("density.stdDeviation", Direction::higher_is_better, 1.2),                  // not filmable
      pat("emotion.climaxMoment_pos", Direction::higher_is_better, 0.5),              // around second 18 of 35
      pat("meta.CoreMetrics.hashtagCount", Direction::higher_is_better, 4),           // not in the catalog by this name
      pat("meta.hashtagCount", Direction::higher_is_better, 4),                       // posting
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
  EXPECT_TRUE(has(hook, "Put the first text on screen within 0.8 s"));
  EXPECT_TRUE(has(hook, "Pack the first 3 seconds: text, a close-up and movement at once"));
  EXPECT_TRUE(has(body, "Cut to a new shot every 2.4 s"));
  EXPECT_TRUE(has(cta, "Show the call to action on screen in the last third"));
  for (const auto& shot : body.shots) {
    EXPECT_EQ(shot.instruction.find("first 3 seconds"), std::string::npos) << "hook item in the body: " << shot.instruction;
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
  EXPECT_NE(md.find("- **Hook (0-3 s):** Put the first text on screen within 0.8 s"), std::string::npos) << md;
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
  in.buckets.push_back(b);
  const auto set = report::build_strategies(in);
  ASSERT_EQ(set.strategies.size(), 1u);
  EXPECT_EQ(set.strategies[0].primary.feature, "overlay.timeToFirstOverlay");
  EXPECT_TRUE(set.strategies[0].supporting.empty());
  EXPECT_EQ(set.strategies[0].title, "Recipe: Put the first text on screen (16-30-second videos)");
  EXPECT_NE(set.shortfall.find("Only 3 evidence-backed patterns"), std::string::npos) << set.shortfall;
  EXPECT_NE(set.shortfall.find("2 evidence-backed elements cannot be filmed as such (for example variation in "
                               "on-screen activity)"),
            std::string::npos)
      << set.shortfall;
  const auto steps = report::strategy_steps(set.strategies[0]);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0], "0-3s  Hook: stop the scroll \u2014 Put the first text on screen within 0.8 s");
  EXPECT_EQ(steps[2], "22-25s  Finish: call to action \u2014 end with your usual call to action");
}

}  // namespace
}  // namespace rumi
