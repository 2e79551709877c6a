#include "report/write_reports.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "config/apply.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "store/workspace_store.h"
#include "insights/bucket_performance.h"
#include "report/analyst_appendix.h"
#include "report/creative_guide.h"
#include "report/html_index.h"
#include "report/notice.h"
#include "report/llm_rewrite.h"
#include "report/report_inputs.h"
#include "report/strategies.h"
#include "report/wording.h"

namespace rumi::report {

namespace fs = std::filesystem;

namespace {

bool valid_date(std::string_view d) { return d.size() == 10 && parse_iso8601_utc(d).has_value(); }

// Files this stage owns in a report folder; removed before a re-run so no stale strategy from an
// earlier, larger run survives next to the new ones.
bool is_owned_output(const fs::path& p) {
  const std::string n = p.filename().string();
  return n.rfind("Billo_Creative_Brief_", 0) == 0 || n.rfind("Affiliate_Creative_Brief_", 0) == 0 ||
         n.rfind("creative_guide_", 0) == 0 || n == kLearnNextFile || n == kAnalystAppendixFile;
}

}  // namespace

std::optional<config::BrandInputs> stored_brand_for(const fs::path& hashtag_dir) {
  // Layout (core/workspace.h): <root>/MLAnalysis/<client>/<hashtag>, database at <root>/rumi.db.
  const fs::path dir = fs::absolute(hashtag_dir).lexically_normal();
  const fs::path client_dir = dir.parent_path();
  const fs::path analysis = client_dir.parent_path();
  if (analysis.filename() != "MLAnalysis") return std::nullopt;
  const Workspace ws(analysis.parent_path());
  std::error_code ec;
  if (!fs::is_regular_file(ws.db_path(), ec)) return std::nullopt;
  store::Database db = store::open_workspace(ws);
  const auto client = store::find_client(db, client_dir.filename().string());
  if (!client) return std::nullopt;
  const auto tag = store::find_hashtag(db, client->id, dir.filename().string());
  if (!tag) return std::nullopt;
  return config::effective_brand(*client, &*tag);
}

std::set<std::string> parse_formats(std::string_view list) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string f(list.substr(start, end - start));
    if (!f.empty()) {
      if (f != "json" && f != "md" && f != "pdf" && f != "html")
        throw UsageError("--formats: unknown format '" + f + "' (expected json, md, pdf, html)");
      out.insert(f);
    }
    start = end + 1;
  }
  if (out.empty()) throw UsageError("--formats: no format given (expected json, md, pdf, html)");
  return out;
}

Json ReportSummary::to_json() const {
  Json files_j = Json::array();
  for (const auto& f : files) files_j.push_back(f.string());
  Json pdfs_j = Json::array();
  for (const auto& p : pdfs)
    pdfs_j.push_back(Json{{"path", p.path.string()}, {"pages", p.pages}, {"truncated", p.truncated}});
  return Json{{"dir", dir.string()},       {"files", files_j},
              {"buckets", buckets},        {"strategies", strategies},
              {"strategy_shortfall", strategy_shortfall.empty() ? Json(nullptr) : Json(strategy_shortfall)},
              {"affiliate_briefs", affiliate_briefs},  {"rejected_patterns", rejected_patterns},
              {"missing_brand_inputs", missing_brand_inputs}, {"pdfs", pdfs_j},
              {"llm", Json{{"calls", llm_calls}, {"input_tokens", llm_input_tokens}, {"output_tokens", llm_output_tokens}}}};
}

ReportSummary write_reports(const fs::path& hashtag_dir, const ReportOptions& opt) {
  if (!opt.llm.empty() && opt.llm != "anthropic") throw UsageError("--llm: only 'anthropic' is supported");
  if (!valid_date(opt.date)) throw UsageError("report date must be YYYY-MM-DD, got '" + opt.date + "'");
  for (const auto& f : opt.formats)
    if (f != "json" && f != "md" && f != "pdf" && f != "html") throw UsageError("unknown report format '" + f + "'");
  HashtagInputs in = load_hashtag_inputs(hashtag_dir);
  apply_pattern_validations(in, opt.validations);
  if (in.buckets.empty())
    throw NotEnoughDataError("no bucket results under " + hashtag_dir.string() +
                             ": run training and pattern finding before writing reports");
  const bool want_json = opt.formats.count("json") > 0, want_md = opt.formats.count("md") > 0;
  const bool want_pdf = opt.formats.count("pdf") > 0, want_html = opt.formats.count("html") > 0;

  ReportSummary sum;
  sum.dir = hashtag_dir / "reports" / opt.date;
  sum.buckets = static_cast<int>(in.buckets.size());
  ensure_directory(sum.dir);
  ensure_directory(sum.dir / "strategies");
  for (const fs::path& d : {sum.dir, sum.dir / "strategies"})
    for (const auto& e : fs::directory_iterator(d)) {
      const std::string n = e.path().filename().string();
      if (e.is_regular_file() && (is_owned_output(e.path()) || n.rfind("strategy_", 0) == 0)) fs::remove(e.path());
    }

  // Every client-facing file ends with the ownership notice (seed 7.3), naming the brief's agency.
  const std::optional<config::BrandInputs> stored_brand = opt.brand ? opt.brand : stored_brand_for(hashtag_dir);
  const std::string notice = ownership_notice(opt.client, stored_brand ? stored_brand->agency : std::string());
  const auto with_notice = [&](Json j) {
    j["ownership_notice"] = notice;
    return j;
  };
  std::vector<IndexLink> links;
  std::vector<std::string> notes;
  if (in.metadata_only) notes.emplace_back(kMetadataOnlyNote);
  auto write = [&](const fs::path& p, std::string_view content, const std::string& group, const std::string& label) {
    write_file_atomic(p, content);
    sum.files.push_back(p);
    links.push_back({group, label, fs::relative(p, sum.dir).generic_string()});
  };

  for (const auto& b : in.buckets) {
    const CreativeGuide g = build_creative_guide(b, opt.hashtag);
    const std::string name(bucket_name(b.bucket));
    const std::string label = g.json.value("title", name) + " [" + g.json.value("status", "") + "]";
    Json gj = g.json;
    gj["ownership_notice"] = notice;
    if (want_json) write(sum.dir / ("creative_guide_" + name + ".json"), dump_json(gj), "Creative guides (JSON)", label);
    if (want_md)
      write(sum.dir / ("creative_guide_" + name + ".md"), g.markdown + "\n" + notice + "\n", "Creative guides", label);
    if (b.insufficient) notes.push_back(fmt::format("{}: insufficient data ({} videos).", name, b.sample_size));
    for (const auto& p : b.rejected) {
      const auto* v = find_validation(in.validations, p.feature);
      notes.push_back(fmt::format("{}: tested and rejected \u2014 {} ({}); left out of the guide and the strategies.",
                                  name, capitalize(pattern_subject(p)), v ? v->phrase : std::string("rejected")));
      ++sum.rejected_patterns;
    }
  }

  if (want_md) {
    write(sum.dir / std::string(kLearnNextFile), learn_next_markdown(in, opt.hashtag) + "\n" + notice + "\n",
          "What we need to learn next",
          "Hypotheses to test and the videos each bucket needs");
    write(sum.dir / std::string(kAnalystAppendixFile), analyst_appendix_markdown(in, opt.hashtag),
          "Analyst appendix (not validated)", "Decision-tree rules and model skill (not validated)");
  }

  const StrategySet set = build_strategies(in);
  sum.strategies = static_cast<int>(set.strategies.size());
  sum.strategy_shortfall = set.shortfall;
  if (!set.shortfall.empty()) notes.push_back(set.shortfall);
  for (const auto& s : set.strategies) sum.affiliate_briefs += s.proven ? 1 : 0;
  if (!set.strategies.empty() && sum.affiliate_briefs == 0) notes.emplace_back(kAffiliateBriefsPending);
  Json index = Json::array();
  for (const auto& s : set.strategies) {
    const std::string label = fmt::format("{}. {}", s.rank, s.title);
    if (want_json)
      write(sum.dir / "strategies" / (s.id + ".json"), dump_json(with_notice(strategy_json(s, opt.hashtag))),
            "Strategies (JSON)", label);
    if (want_md) {
      std::string md = strategy_markdown(s, opt.hashtag);
      if (opt.llm == "anthropic") {
        LlmResult r = rewrite_with_anthropic(md);
        ++sum.llm_calls;
        sum.llm_input_tokens += r.input_tokens;
        sum.llm_output_tokens += r.output_tokens;
        if (!r.rewritten) spdlog::warn("{}: LLM rewrite not used ({}); template text kept", s.id, r.fallback_reason);
        md = std::move(r.text);
      }
      write(sum.dir / "strategies" / (s.id + ".md"), md + "\n" + notice + "\n", "Strategies", label);
    }
    index.push_back(Json{{"id", s.id}, {"title", s.title}, {"bucket", bucket_name(s.bucket)},
                         {"evidence", evidence_name(s.primary.evidence)}, {"validated", s.proven}});
  }
  std::size_t hypotheses = 0;
  for (const auto& b : in.buckets) hypotheses += b.hypotheses.size();
  std::string evidence_rule =
      "strategies are built only from STRONG or MODERATE elements; hypotheses to test (EMERGING) are listed in ";
  evidence_rule += kLearnNextFile;
  if (want_json)
    write(sum.dir / "strategies" / "index.json",
          dump_json(Json{{"format", "rumi-strategies"},
                         {"format_version", 1},
                         {"hashtag", hashtag_tag(opt.hashtag)},
                         {"count", set.strategies.size()},
                         {"shortfall", set.shortfall.empty() ? Json(nullptr) : Json(set.shortfall)},
                         {"evidence_rule", evidence_rule},
                         {"hypotheses_to_test", hypotheses},
                         {"affiliate_briefs", sum.affiliate_briefs},
                         {"affiliate_briefs_note",
                          sum.affiliate_briefs == 0 ? Json(std::string(kAffiliateBriefsPending)) : Json(nullptr)},
                         {"strategies", index}}),
          "Strategies (JSON)", "Strategy index");

  // Brand inputs: what the briefs say about the brand. Missing ones are warned about here and
  // named in the briefs; nothing is filled in.
  const config::BrandInputs brand = opt.brand ? *opt.brand : stored_brand_for(hashtag_dir).value_or(config::BrandInputs{});
  for (const auto& m : config::missing_brand_fields(brand)) sum.missing_brand_inputs.push_back(m);
  if (!sum.missing_brand_inputs.empty() && !set.strategies.empty()) {
    std::string labels;
    for (const auto& m : sum.missing_brand_inputs) labels += (labels.empty() ? "" : ", ") + config::brand_field_label(m);
    spdlog::warn("{}: the creator briefs lack brand inputs: {}. Add them under 'brief:' in the config (docs/config.md) "
                 "and run 'rumi config apply'; the briefs say what is missing.",
                 hashtag_tag(opt.hashtag), labels);
    notes.push_back("The creator briefs lack brand inputs: " + labels + ".");
  }

  in.llm_input_tokens = sum.llm_input_tokens;
  in.llm_output_tokens = sum.llm_output_tokens;
  if (want_pdf) {
    ReportMeta meta{opt.client, opt.hashtag, opt.date, brand};
    auto record = [&](PdfResult r, const std::string& label) {
      sum.files.push_back(r.path);
      links.push_back({"PDF reports", label, r.path.filename().string()});
      if (r.truncated) spdlog::warn("{}: content beyond {} pages was cut (it is in the Markdown/JSON)", r.path.string(), kMaxPdfPages);
      sum.pdfs.push_back(std::move(r));
    };
    record(write_client_report_pdf(sum.dir / "Client_Strategy_Report.pdf", in, set, meta), "Client strategy report");
    for (const auto& s : set.strategies) {
      record(write_creator_brief_pdf(sum.dir / ("Billo_Creative_Brief_" + s.id + ".pdf"), in, s, meta, Audience::billo),
             fmt::format("Billo creative brief {}: {}", s.rank, s.title));
      if (s.proven)  // only strategies Billo tests have proven go to affiliates
        record(write_creator_brief_pdf(sum.dir / ("Affiliate_Creative_Brief_" + s.id + ".pdf"), in, s, meta,
                                       Audience::affiliate),
               fmt::format("Affiliate creative brief {}: {}", s.rank, s.title));
    }
  }

  // Bucket performance report and strategic summary (insights stage). A failure there must not
  // cost the client the guides and PDFs, so it is logged and the index simply omits it.
  if (want_json || want_md) {
    try {
      insights::write_bucket_performance_report(hashtag_dir, sum.dir, insights::BucketReportNames{opt.client, opt.hashtag});
    } catch (const Error& e) {
      spdlog::warn("bucket performance report not written: {}", e.what());
    }
  }
  for (const char* extra : {"bucket_performance_report.md", "bucket_performance_report.json", "strategic_summary.json"})
    if (fs::exists(sum.dir / extra)) {
      links.push_back({"Bucket performance", extra, extra});
      sum.files.push_back(sum.dir / extra);
    }

  if (want_html) {
    const std::string title = fmt::format("{} \u00b7 {} \u00b7 reports {}", opt.client, hashtag_tag(opt.hashtag), opt.date);
    const fs::path p = sum.dir / "index.html";
    write_file_atomic(p, render_index_html(title, links, notes, notice));
    sum.files.push_back(p);
  }
  return sum;
}

}  // namespace rumi::report
