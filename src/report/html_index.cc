#include "report/html_index.h"

#include <algorithm>

#include <fmt/format.h>

namespace rumi::report {

namespace fs = std::filesystem;

namespace {

// One column, at most ~60 characters of text wide; charts scale to it (svg_chart.h classes).
constexpr std::string_view kCss =
    "*{box-sizing:border-box}"
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:0;color:#1f2937;background:#fff;"
    "line-height:1.45;font-size:16px}"
    "main{max-width:60rem;margin:0 auto;padding:.8rem 1rem 2rem}"
    "h1{color:#1E3A8A;border-bottom:3px solid #10B981;font-size:1.5rem;margin:.4rem 0 .6rem;padding-bottom:.2rem}"
    "h2{color:#1E3A8A;font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid #e5e7eb}"
    "h3{color:#1E3A8A;font-size:1.05rem;margin:1.2rem 0 .4rem}"
    "h4{font-size:.95rem;margin:.8rem 0 .3rem}"
    "a{color:#1E3A8A}li{margin:.2em 0}"
    ".scope{color:#334155;font-size:1rem}"
    ".note{color:#92400e;background:#fef3c7;border-left:4px solid #F59E0B;padding:.4em .8em;margin:.5em 0}"
    ".toc{font-size:.9rem;padding-left:0}.toc li{display:inline-block;margin-right:.9em}"
    ".card{border:1px solid #e5e7eb;border-radius:6px;padding:.5rem .8rem;margin:.7rem 0}"
    ".ev{display:inline-block;font-size:.72rem;font-weight:bold;letter-spacing:.03em;padding:.05rem .4rem;"
    "border-radius:3px;color:#fff;background:#1E3A8A;vertical-align:middle}"
    ".ev.MODERATE{background:#0f766e}.ev.EMERGING,.ev.NONE{background:#64748B}"
    ".val{display:inline-block;font-size:.72rem;padding:.05rem "
    ".4rem;border-radius:3px;background:#ecfdf5;color:#065f46}"
    ".val.rejected{background:#fee2e2;color:#991b1b}.val.inconclusive{background:#f1f5f9;color:#334155}"
    ".stats{color:#64748B;font-size:.82rem}.files{font-size:.9rem}"
    ".tbl{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{padding:.3rem .4rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right;white-space:nowrap}"
    "svg.chart{width:100%;height:auto;max-width:26rem;display:block;margin:.4rem 0}"
    ".wide svg.chart{max-width:46rem}"
    ".chart text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:11px;fill:#1f2937}"
    ".chart .ct{font-weight:bold;font-size:12px}.chart .rl{font-weight:bold;font-size:12px}"
    ".chart .rn,.chart .tl,.chart .al{fill:#475569;font-size:10px}"
    ".b0{fill:#94a3b8}.b1{fill:#10B981}.ax,.tk{stroke:#64748B;stroke-width:1}"
    ".bx{fill:#dbeafe;stroke:#1E3A8A;stroke-width:1}.wh{stroke:#1E3A8A;stroke-width:1}"
    ".md{stroke:#1E3A8A;stroke-width:3}.dt{fill:#1E3A8A;fill-opacity:.45}"
    ".mu .dt{fill:#94a3b8}.mu .bx{fill:#f1f5f9;stroke:#94a3b8}.mu .md,.mu .wh{stroke:#94a3b8}"
    "footer{color:#64748B;font-size:.8rem;border-top:1px solid #e5e7eb;margin-top:2rem;padding-top:.6rem}"
    "@media (min-width:50rem){.pat{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1rem;align-items:start}"
    ".pat svg.chart{margin:0}}"
    // On a phone the tables keep the columns a reader needs first; the rest is in the charts.
    "@media (max-width:40rem){.opt{display:none}table{font-size:.8rem}th,td{padding:.3rem .2rem}}";

bool url_safe(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '/';
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_page_open(std::string_view title) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  h += html_escape(title);
  h += "</title>\n<style>";
  h += kCss;
  h += "</style></head>\n<body><main>\n";
  return h;
}

std::string html_page_close(std::string_view footer) {
  std::string h;
  if (!footer.empty()) h += "<footer>" + html_escape(footer) + "</footer>\n";
  h += "</main></body></html>\n";
  return h;
}

std::string relative_href(const fs::path& dir, const fs::path& file) {
  const fs::path target = file.is_absolute() ? file : dir / file;
  std::error_code ec;
  if (!fs::exists(target, ec)) return {};
  fs::path rel = file.is_absolute()
                     ? fs::absolute(file).lexically_normal().lexically_relative(fs::absolute(dir).lexically_normal())
                     : file.lexically_normal();
  if (rel.empty()) return {};
  std::string out;
  for (unsigned char c : rel.generic_string()) {
    if (url_safe(c))
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return html_escape(out);
}

}  // namespace rumi::report
