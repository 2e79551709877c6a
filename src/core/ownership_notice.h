#pragma once
// The ownership notice every client-facing output carries (seed section 7.3, "Legal framework"
// and "Implementation notes": reports are marked as the agency's property; the client has usage
// rights, not ownership; patterns, insights, models and methodology stay the agency's). One
// function so every report, package manifest and PDF says the same words.
//
// In core because two stages write client-facing text: insights (the bucket performance report)
// and report, which depends on insights; header-only because it is one small function.
#include <string>
#include <string_view>

namespace rumi {

// The agency every notice names unless told otherwise.
inline constexpr std::string_view kDefaultAgency = "RumiAI";

// One plain-text paragraph (no Markdown or HTML markup, ASCII apart from the names given):
// "Confidential. Prepared by RumiAI for Acme Drinks, who may use ..." Writers put it where their
// format puts a footer: Markdown as its own last paragraph, HTML escaped inside a <footer>, PDF
// as the last line of each page, JSON as an "ownership_notice" string. An empty client name is
// written as "the client"; an empty agency as kDefaultAgency.
inline std::string ownership_notice(std::string_view client_name, std::string_view agency = kDefaultAgency) {
  const std::string_view who = agency.empty() ? kDefaultAgency : agency;
  const std::string_view client = client_name.empty() ? std::string_view("the client") : client_name;
  // Built with append (GCC 12 warns falsely on chains of "literal" + std::string).
  std::string s = "Confidential. Prepared by ";
  s.append(who).append(" for ").append(client);
  s.append(", who may use this report for its own marketing during its subscription. ");
  s.append(who).append(
      " owns the patterns, insights, models and methods behind it; this report grants usage rights, not "
      "ownership, and may not be shared with third parties or resold.");
  return s;
}

// The same notice in one PDF footer line (it must fit beside the page number): "Confidential.
// (c) RumiAI, prepared for Acme: usage rights only."
inline std::string ownership_notice_line(std::string_view client_name, std::string_view agency = kDefaultAgency) {
  const std::string_view who = agency.empty() ? kDefaultAgency : agency;
  const std::string_view client = client_name.empty() ? std::string_view("the client") : client_name;
  std::string s = "Confidential. \u00a9 ";
  s.append(who).append(", prepared for ").append(client).append(": usage rights only, not ownership.");
  return s;
}

}  // namespace rumi
