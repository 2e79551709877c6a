// The dashboards in a real browser: Debian's headless Chromium loads the hashtag page and the
// client page of a report written from the standard fixture, at a laptop (1280 px) and a phone
// (390 px) width. Each screenshot must not be blank (decoded by python3 with zlib, no imaging
// library), the browser must log no console error, the DOM it built must hold the expected
// sections and charts, and every link in that DOM must resolve to a file. A control page with a
// script error and no content proves the checks can fail. Skipped when chromium is absent
// (scripts/install-deps.sh installs it).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "core/dataset.h"
#include "core/file_io.h"
#include "core/ownership_notice.h"
#include "report/html_dashboard.h"
#include "report/html_index.h"
#include "report/write_reports.h"
#include "report_fixtures.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;

fs::path find_chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (fs::exists(p)) return p;
  return {};
}

// PNG -> {"width", "height", "ink"}: ink = share of the pixels of the top `rows` scanlines (where
// every page has its heading, scope line and first section) that are not near-white. Pure
// python3 + zlib, for the 8-bit RGB / RGBA images Chromium writes, with every scanline filter;
// decoding only the top keeps the check well under a second per screenshot.
constexpr const char* kPngInk = R"PY(
import json, struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
rows = int(sys.argv[2])
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6), (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
ink = 0
rows = min(rows, h)
for y in range(rows):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((x + p) & 255 for x, p in zip(line, prev))
    elif f == 3:
        for i in range(stride): line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    ink += sum(1 for x in range(0, stride, bpp) if min(line[x], line[x + 1], line[x + 2]) < 235)
    prev = line
print(json.dumps({'width': w, 'height': h, 'ink': ink / float(w * rows)}))
)PY";

struct Shot {
  int exit_code = -1;
  std::string log;  // chromium's stderr
  double ink = 0;
  int width = 0, height = 0;
};

// One headless load at `w` x `h` with a screenshot, console logging on stderr, a private
// profile, and a hard time limit.
Shot screenshot(const fs::path& chromium, const fs::path& page, const fs::path& png, const fs::path& profile, int w,
                int h) {
  const auto r = test::run_program(
      {"/usr/bin/timeout", "60", chromium.string(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
       "--no-first-run", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile.string(),
       fmt::format("--window-size={},{}", w, h), "--screenshot=" + png.string(), "file://" + page.string()});
  Shot s;
  s.exit_code = r.exit_code;
  s.log = r.err + r.out;
  if (!fs::exists(png)) return s;
  const auto py = test::run_program({"/usr/bin/python3", "-c", kPngInk, png.string(), "400"});
  EXPECT_EQ(py.exit_code, 0) << py.err;
  const auto j = nlohmann::json::parse(py.out);
  s.ink = j["ink"].get<double>();
  s.width = j["width"].get<int>();
  s.height = j["height"].get<int>();
  return s;
}

// Lines in which Chromium reports a console message or an uncaught script error.
std::vector<std::string> console_errors(const std::string& log) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    if (line.find(":CONSOLE(") != std::string::npos || line.find("Uncaught") != std::string::npos ||
        line.find("Failed to load resource") != std::string::npos)
      out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::string dump_dom(const fs::path& chromium, const fs::path& page, const fs::path& profile) {
  const auto r = test::run_program({"/usr/bin/timeout", "60", chromium.string(), "--headless", "--no-sandbox",
                                    "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile.string(),
                                    "--dump-dom", "file://" + page.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

// Every <a href> of the DOM the browser built: anchors name an element, files exist on disk.
void expect_dom_links_resolve(const std::string& dom, const fs::path& dir) {
  const std::regex href("<a\\b[^>]*\\bhref=\"([^\"]*)\"");
  const std::regex id("\\bid=\"([^\"]*)\"");
  std::set<std::string> ids;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), id); it != std::sregex_iterator(); ++it)
    ids.insert((*it)[1]);
  int files = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), href); it != std::sregex_iterator(); ++it) {
    // The DOM serializer writes & as &amp; in attributes (built with append: GCC 12 warns
    // falsely on std::string::replace here).
    const std::string raw = (*it)[1];
    std::string h;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      h += raw[i];
      if (raw.compare(i, 5, "&amp;") == 0) i += 4;
    }
    if (h[0] == '#') {
      EXPECT_TRUE(ids.count(h.substr(1))) << "anchor without target: " << h;
      continue;
    }
    EXPECT_EQ(h.find(':'), std::string::npos) << "not a relative link: " << h;
    EXPECT_TRUE(fs::is_regular_file(dir / h)) << "dangling link: " << h;
    ++files;
  }
  EXPECT_GT(files, 0);
}

TEST(DashboardBrowser, HashtagAndClientPagesRenderAtPhoneAndLaptopWidths) {
  const fs::path chromium = find_chromium();
  if (chromium.empty())
    GTEST_SKIP() << "needs Debian's chromium (/usr/bin/chromium; scripts/install-deps.sh installs it)";
  test::TempDir tmp;
  const fs::path hashtag_dir = tmp.path() / "MLAnalysis" / "stateside" / "nutrition";
  test::write_standard_fixture(hashtag_dir);
  for (const auto& [bucket, n] :
       std::vector<std::pair<std::string, int>>{{"0-15s", 82}, {"16-30s", 45}, {"31-60s", 12}}) {
    Dataset d;
    d.feature_names = {"fixture.unused"};
    for (int i = 0; i < n; ++i) {
      const double v = 0;
      d.add_row(fmt::format("8{:05d}", i), 1.0, 1.0 + std::fmod(i * 2.9, 12.0), std::span<const double>(&v, 1));
    }
    write_dataset_csv(hashtag_dir / ("bucket_" + bucket) / "features.csv", d);
  }
  report::ReportOptions o;
  o.date = "2026-01-13";
  o.client = "Stateside Grower";
  o.hashtag = "#nutrition";
  o.brand = config::BrandInputs{};
  const report::ReportSummary sum = report::write_reports(hashtag_dir, o);
  // The page as the report stage renders it (the same call write_reports makes for index.html).
  const report::HashtagInputs in = [&] {
    report::HashtagInputs i = report::load_hashtag_inputs(hashtag_dir);
    report::apply_pattern_validations(i, o.validations);
    return i;
  }();
  const report::StrategySet set = report::build_strategies(in);
  const std::vector<std::string> notes{"Fixture data: <b>not</b> a real client."};
  const std::string notice = ownership_notice(o.client);
  const fs::path hashtag_page = sum.dir / "index.html";
  write_file_atomic(hashtag_page,
                    report::render_hashtag_dashboard({in, set, o.client, o.hashtag, o.date, notes, notice, sum.dir}));
  const fs::path client_dir = tmp.path() / "MLAnalysis" / "stateside" / "client_reports" / "2026-01-13";
  report::ClientDashboardInput client;
  client.client = o.client;
  client.date = o.date;
  client.hashtags.push_back(report::client_entry_from_report_dir(sum.dir, o.hashtag));
  const fs::path client_page = report::write_client_dashboard(client_dir, client);

  const fs::path profile = tmp.path() / "chromium-profile";
  for (const fs::path& page : {hashtag_page, client_page}) {
    SCOPED_TRACE(page.string());
    for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1280, 1000}, {390, 844}}) {
      SCOPED_TRACE(fmt::format("{} px", w));
      const fs::path png = tmp.path() / fmt::format("{}_{}.png", page.parent_path().filename().string(), w);
      const Shot s = screenshot(chromium, page, png, profile, w, h);
      ASSERT_EQ(s.exit_code, 0) << s.log;
      EXPECT_EQ(s.width, w);
      EXPECT_EQ(s.height, h);
      // Text, table rules, badges and charts: a rendered page inks a few percent of its pixels.
      EXPECT_GT(s.ink, 0.02) << "screenshot looks blank";
      EXPECT_LT(s.ink, 0.6) << "screenshot is mostly dark: unstyled or broken";
      EXPECT_TRUE(console_errors(s.log).empty()) << console_errors(s.log).front();
    }
    const std::string dom = dump_dom(chromium, page, profile);
    EXPECT_EQ(count(dom, "<h1>"), 1u);
    EXPECT_NE(dom.find("creative dashboard</h1>"), std::string::npos);
    EXPECT_NE(dom.find("<footer>" + report::html_escape(notice) + "</footer>"), std::string::npos);
    EXPECT_EQ(dom.find("<script"), std::string::npos);
    EXPECT_GT(count(dom, "<svg class=\"chart\""), 0u);
    expect_dom_links_resolve(dom, page.parent_path());
    if (page == hashtag_page) {
      for (const char* section :
           {"<h2 id=\"ranking\">Bucket ranking</h2>", "<h2 id=\"strategies\">Strategies</h2>",
            "<h2 id=\"guides\">Creative guides</h2>", "<h2 id=\"tests\">Billo test results</h2>",
            "<h2 id=\"learn-next\">What we need to learn next</h2>", "<h2 id=\"files\">Files</h2>"})
        EXPECT_EQ(count(dom, section), 1u) << section;
      // The browser kept every chart the page has: the ER distribution and one per rendered pattern.
      std::size_t patterns = 0;
      for (const auto& b : in.buckets) patterns += b.patterns.size();
      for (const auto& s : set.strategies) patterns += 1 + s.supporting.size();
      EXPECT_EQ(count(dom, "<svg class=\"chart\""), 1 + patterns);
      EXPECT_NE(dom.find(">engagement rate (%)</text>"), std::string::npos);
      EXPECT_NE(dom.find("Fixture data: &lt;b&gt;not&lt;/b&gt; a real client."), std::string::npos);
    } else {
      EXPECT_NE(dom.find("href=\"../../nutrition/reports/2026-01-13/index.html\""), std::string::npos);
    }
  }

  // Control: a page with nothing to show and a script error must fail both checks.
  const fs::path bad = tmp.path() / "control.html";
  write_file_atomic(bad, "<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>");
  const Shot c = screenshot(chromium, bad, tmp.path() / "control.png", profile, 390, 844);
  EXPECT_LT(c.ink, 0.001);
  EXPECT_FALSE(console_errors(c.log).empty()) << "console errors are not captured:\n" << c.log;
}

}  // namespace
}  // namespace rumi
