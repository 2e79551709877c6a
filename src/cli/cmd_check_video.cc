// rumi check-video FILE CLIENT HASHTAG [--strategy N] [--item APIFY_ITEM.json]: does a video
// follow the hashtag's strategies? (validate/video_check.h states the rules.) Read-only: it takes
// no workspace lock and writes nothing.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <memory>

#include "acquire/importers.h"
#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "core/json.h"
#include "validate/video_check.h"

namespace rumi::cli {

namespace fs = std::filesystem;

namespace {

struct CheckVideoArgs {
  std::string file, client, hashtag, item;
  std::optional<int> strategy;
  double timeout_s = 900;
};

// The item that describes `file`: the only one in the Apify file, or the one whose id is the
// file's stem (as `rumi analyze-video --item` picks it).
std::optional<Video> item_for(const CheckVideoArgs& a) {
  if (a.item.empty()) return std::nullopt;
  std::vector<Video> videos = acquire::import_file(a.item, acquire::ImportOptions{}).videos;
  if (videos.size() == 1) return videos.front();
  const std::string stem = fs::path(a.file).stem().string();
  for (Video& v : videos)
    if (v.id == stem) return v;
  throw UsageError("--item " + a.item + " holds " + std::to_string(videos.size()) + " items and none has the id " +
                   stem + " (the video file's name)");
}

int run_check_video(const Context& ctx, const CheckVideoArgs& a) {
  std::error_code ec;
  if (!fs::is_regular_file(a.file, ec)) throw UsageError("video file " + a.file + " not found");
  if (a.strategy && *a.strategy < 1)
    throw UsageError(fmt::format("--strategy {} is out of range: strategies are numbered from 1", *a.strategy));
  Target t = open_target(ctx, a.client, a.hashtag);
  const std::optional<Video> item = item_for(a);
  validate::VideoCheckRequest r;
  r.video_file = a.file;
  r.item = item ? &*item : nullptr;
  r.hashtag_dir = t.dir();
  r.hashtag = t.hashtag.name;
  r.strategy = a.strategy;
  r.content.timeout_s = a.timeout_s;
  const validate::VideoCheck c = validate::check_video(r);
  ctx.emit(validate::to_json(c), validate::video_check_text(c));
  return 0;
}

}  // namespace

void register_check_video_command(Registry& r) {
  auto a = std::make_shared<CheckVideoArgs>();
  auto* cmd = r.app.add_subcommand(
      "check-video",
      "Check a video file against the hashtag's strategies: which recommendations it follows, which it misses, "
      "and the bucket model's engagement prediction");
  cmd->add_option("FILE", a->file, "The video file (analysed with rumi's native analyzer)")->required();
  cmd->add_option("CLIENT", a->client)->required();
  cmd->add_option("HASHTAG", a->hashtag)->required();
  cmd->add_option("--strategy", a->strategy,
                  "Check against this strategy only (default: every strategy for the video's length bucket)");
  cmd->add_option("--item", a->item, "The video's Apify item (JSON): adds its caption and posting data");
  cmd->add_option("--timeout", a->timeout_s, "Time limit for the analysis in seconds (default 900)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&r, a] { r.action = [a](const Context& ctx) { return run_check_video(ctx, *a); }; });
}

}  // namespace rumi::cli
