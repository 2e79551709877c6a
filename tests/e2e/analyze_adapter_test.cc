// scripts/rumiai_adapter.sh end to end: `rumi analyze --analyzer "scripts/rumiai_adapter.sh
// --rumiai <checkout> {url} {id} {out}"` against a stand-in RumiAI checkout whose runner takes
// only a URL and writes RumiAI's own insights/ layout (era C and era B), fails, writes nothing,
// or writes another video's output; stale files of earlier runs are never taken as new output.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/file_io.h"
#include "e2e/analyze_fixture.h"
#include "features/analysis_reader.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path adapter() { return source_dir() / "scripts" / "rumiai_adapter.sh"; }

// A directory shaped like a RumiAI checkout: scripts/rumiai_runner.py takes one URL, finds the
// video id in it and, by modes/<id>, writes insights/<id>_temporal_windows_updated.json (era C,
// the default), insights/<id>/<flow>/<flow>_{ml,complete,result}_<ts>.json (era_b), exits 4
// (fail), exits 0 writing nothing (nothing) or writes another video's file (other).
class StandIn {
 public:
  StandIn() {
    fs::create_directories(dir_.path() / "scripts");
    fs::create_directories(dir_.path() / "modes");
    fs::copy_file(source_dir() / "tests" / "fixtures" / "era_c" / "insights" /
                      "7400000000000000011_temporal_windows_updated.json",
                  dir_.path() / "template.json");
    write_file_atomic(dir_.path() / "scripts" / "rumiai_runner.py", R"PY(#!/usr/bin/env python3
import json, os, re, sys, time
url = sys.argv[1]
vid = re.search(r"/video/(\d+)", url).group(1)
mode = open("modes/" + vid).read().strip() if os.path.exists("modes/" + vid) else "era_c"
ins = os.environ.get("RUMIAI_INSIGHTS_DIR", "insights")
os.makedirs(ins, exist_ok=True)
print("processing", url)
with open("runs.log", "a") as f:
    f.write(vid + "\n")
def era_c(video_id):
    doc = json.load(open("template.json"))
    doc["video_id"] = doc["metadata"]["video_id"] = video_id
    doc["processing_timestamp"] = time.time()
    with open(os.path.join(ins, video_id + "_temporal_windows_updated.json"), "w") as f:
        json.dump(doc, f, indent=2)
if mode == "fail":
    print("ML dependency validation failed", file=sys.stderr)
    sys.exit(4)
elif mode == "nothing":
    sys.exit(0)
elif mode == "other":
    era_c("7111111111111111111")
elif mode == "era_b":
    ts = time.strftime("%Y%m%d_%H%M%S")
    for flow, prefix in (("scene_pacing", "scenePacing"), ("speech_analysis", "speech")):
        d = os.path.join(ins, vid, flow)
        os.makedirs(d, exist_ok=True)
        ml = {"CoreMetrics": {"totalScenes": 4, "totalWords": 20}, "Quality": {"confidence": 0.9}}
        prefixed = {prefix + k: v for k, v in ml.items()}
        json.dump(ml, open(os.path.join(d, flow + "_ml_" + ts + ".json"), "w"), indent=2)
        json.dump(prefixed, open(os.path.join(d, flow + "_result_" + ts + ".json"), "w"), indent=2)
        json.dump({"analysis_type": flow, "success": True, "result": json.dumps(prefixed), "parsed_response": ml},
                  open(os.path.join(d, flow + "_complete_" + ts + ".json"), "w"), indent=2)
    d = os.path.join(ins, vid, "temporal_markers")
    os.makedirs(d, exist_ok=True)
    json.dump({"first_5_seconds": {}}, open(os.path.join(d, "temporal_markers_ml_" + ts + ".json"), "w"))
else:
    era_c(vid)
)PY");
  }
  const fs::path& dir() const { return dir_.path(); }
  void set_mode(const std::string& id, const std::string& mode) const { write_file_atomic(dir() / "modes" / id, mode); }
  std::string analyzer() const {
    std::string t = "'";  // += rather than "literal" + string: GCC 12 false -Wrestrict
    t += adapter().string();
    t += "' --rumiai '";
    t += dir().string();
    t += "' {url} {id} {out}";
    return t;
  }

 private:
  TempDir dir_;
};

const Json* video(const Json& res, const std::string& id) {
  for (const auto& v : res["videos"])
    if (v["video_id"] == id) return &v;
  return nullptr;
}

TEST(RumiaiAdapter, AnalyzeRunsTheCheckoutAndReadsItsInsightsLayout) {
  AnalyzeFixture f;
  StandIn rumiai;
  f.setup_clients({"Acme Drinks"});
  const std::vector<FakeVideo> videos = {{"7400000000000000101", "0-15s", ""},
                                         {"7400000000000000102", "16-30s", ""},
                                         {"7400000000000000103", "0-15s", ""},
                                         {"7400000000000000104", "0-15s", ""},
                                         {"7400000000000000105", "0-15s", ""}};
  f.write_selection("acme-drinks", videos);
  rumiai.set_mode(videos[1].id, "era_b");
  rumiai.set_mode(videos[2].id, "fail");
  rumiai.set_mode(videos[3].id, "nothing");
  rumiai.set_mode(videos[4].id, "other");
  // A stale file of an earlier run: must not pass for this run's output.
  write_file_atomic(rumiai.dir() / "insights" / (videos[3].id + "_temporal_windows_updated.json"),
                    slurp(rumiai.dir() / "template.json"));

  auto r =
      f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--analyzer", rumiai.analyzer(), "--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  const fs::path hashtag = f.hashtag_dir("acme-drinks");
  auto log = [&](const FakeVideo& v) { return slurp(hashtag / "checkpoints" / "logs" / (v.id + ".log")); };

  // Era C: read, merged as format 2, and moved out of the checkout.
  ASSERT_NE(video(j, videos[0].id), nullptr);
  EXPECT_EQ((*video(j, videos[0].id))["status"], "done") << log(videos[0]);
  const auto c =
      features::read_merged_analysis(hashtag / "bucket_0-15s" / "videos" / (videos[0].id + "_analysis.json"));
  EXPECT_EQ(c.era, "C");
  EXPECT_EQ(c.sources.at("temporal_windows"), "insights/" + videos[0].id + "_temporal_windows_updated.json");
  EXPECT_FALSE(fs::exists(rumiai.dir() / "insights" / (videos[0].id + "_temporal_windows_updated.json")));
  EXPECT_NE(log(videos[0]).find("processing https://www.tiktok.com/@a/video/" + videos[0].id), std::string::npos);
  // The runner ran inside its checkout (relative paths such as modes/ and insights/ resolve there).
  EXPECT_NE(slurp(rumiai.dir() / "runs.log").find(videos[0].id), std::string::npos);

  // Era B: the per-flow folders, the newest _ml file read; temporal markers are not a flow.
  EXPECT_EQ((*video(j, videos[1].id))["status"], "done") << log(videos[1]);
  const auto b =
      features::read_merged_analysis(hashtag / "bucket_16-30s" / "videos" / (videos[1].id + "_analysis.json"));
  EXPECT_EQ(b.era, "B");
  EXPECT_EQ(b.flows["scene_pacing"]["CoreMetrics"]["totalScenes"], 4);
  EXPECT_EQ(b.missing_flows.size(), 5u);
  EXPECT_FALSE(fs::exists(rumiai.dir() / "insights" / videos[1].id));

  // The runner fails: its status comes back, with the adapter's message and the runner's in the log.
  EXPECT_EQ((*video(j, videos[2].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[2].id))["error"].get<std::string>().find("exited with code 4"), std::string::npos);
  EXPECT_NE(log(videos[2]).find("ML dependency validation failed"), std::string::npos);
  EXPECT_NE(log(videos[2]).find("rumiai_adapter: the RumiAI runner failed (exit 4)"), std::string::npos);

  // Exit 0 but nothing new for this video (only the stale file): a failure, not the stale analysis.
  EXPECT_EQ((*video(j, videos[3].id))["status"], "failed");
  EXPECT_NE(
      log(videos[3]).find("rumiai_adapter: the RumiAI runner exited 0 but wrote nothing for video " + videos[3].id),
      std::string::npos)
      << log(videos[3]);
  EXPECT_TRUE(fs::exists(rumiai.dir() / "insights" / (videos[3].id + "_temporal_windows_updated.json")));

  // Another video's output: named in the message.
  EXPECT_EQ((*video(j, videos[4].id))["status"], "failed");
  EXPECT_NE(log(videos[4]).find("it wrote: 7111111111111111111_temporal_windows_updated.json"), std::string::npos)
      << log(videos[4]);

  // The era-C bucket and the era-B bucket each make their features; neither mixes eras.
  auto feat = f.rumi({"features", "Acme Drinks", "#nutrition"});
  EXPECT_EQ(feat.exit_code, 0) << feat.err;
  EXPECT_TRUE(fs::exists(hashtag / "bucket_0-15s" / "features.csv"));
  EXPECT_TRUE(fs::exists(hashtag / "bucket_16-30s" / "features.csv"));
}

TEST(RumiaiAdapter, UsageErrorsAndInsightsDirFromTheEnvironment) {
  StandIn rumiai;
  TempDir out;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), adapter().string());
    return run_program(args);
  };
  const std::string url = "https://www.tiktok.com/@a/video/7400000000000000201";
  auto r = run({url, "7400000000000000201", out.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--rumiai DIR is required"), std::string::npos) << r.err;
  r = run({"--rumiai", (rumiai.dir() / "nope").string(), url, "7400000000000000201", out.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a directory"), std::string::npos) << r.err;
  r = run({"--rumiai", out.path().string(), url, "7400000000000000201", out.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no RumiAI runner"), std::string::npos) << r.err;
  r = run({"--rumiai", rumiai.dir().string(), url, "../etc", out.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a numeric TikTok id"), std::string::npos) << r.err;
  r = run({"--rumiai", rumiai.dir().string(), url, out.path().string()});
  EXPECT_EQ(r.exit_code, 2);

  // RUMIAI_INSIGHTS_DIR moves the runner's folder; the adapter looks there too.
  r = run_program({"/usr/bin/env", "RUMIAI_INSIGHTS_DIR=elsewhere", adapter().string(), "--rumiai",
                   rumiai.dir().string(), url, "7400000000000000201", (out.path() / "o").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out.path() / "o" / "insights" / "7400000000000000201_temporal_windows_updated.json"));
  EXPECT_NE(r.err.find("moved 1 file(s) of video 7400000000000000201"), std::string::npos) << r.err;
  const auto a = features::load_analysis_from_dir(out.path() / "o", "7400000000000000201");
  EXPECT_EQ(a.era, "C");
}

// --replay on a folder of era-C files: the repository's fixtures, and the real RumiAI sample
// when ../shared is beside the checkout.
TEST(EraCReplay, AnalyzeReadsTemporalWindowsFiles) {
  AnalyzeFixture f;
  f.setup_clients({"Acme Drinks"});
  TempDir replay;
  fs::copy(source_dir() / "tests" / "fixtures" / "era_c" / "insights", replay.path() / "insights");
  std::vector<FakeVideo> videos = {{"7400000000000000011", "0-15s", ""}, {"7400000000000000022", "0-15s", ""}};
  const fs::path sample = shared_dir() / "rumiai_samples" / "7515687288257465630_temporal_windows_test.json";
  const bool have_sample = fs::exists(sample);
  if (have_sample) {
    fs::copy_file(sample, replay.path() / sample.filename());
    videos.push_back({"7515687288257465630", "31-60s", ""});
  }
  f.write_selection("acme-drinks", videos);
  auto r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--replay", replay.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  for (const auto& v : videos) {
    ASSERT_NE(video(j, v.id), nullptr) << v.id;
    EXPECT_EQ((*video(j, v.id))["status"], "done") << v.id << " " << r.out;
    EXPECT_EQ((*video(j, v.id))["missing_flows"], Json::array()) << v.id;
    const auto a = features::read_merged_analysis(f.hashtag_dir("acme-drinks") / ("bucket_" + v.bucket) / "videos" /
                                                  (v.id + "_analysis.json"));
    EXPECT_EQ(a.era, "C") << v.id;
  }
  auto feat = f.rumi({"features", "Acme Drinks", "#nutrition"});
  EXPECT_EQ(feat.exit_code, 0) << feat.err;
  const std::string csv = slurp(f.hashtag_dir("acme-drinks") / "bucket_0-15s" / "features.csv");
  EXPECT_NE(csv.find("windows.hook.object_count"), std::string::npos);
  if (!have_sample) GTEST_SKIP() << "the fixtures were read; the real sample needs " << sample.string();
}

}  // namespace
}  // namespace rumi::test
