#pragma once
// The analyst appendix (analyst_appendix.md in the report folder): each bucket's decision-tree
// rules and forest skill. The rules come from one tree fitted on all of a bucket's videos; their
// splits are never tested against chance and many leaves hold one or two videos, so they are
// labelled "not validated" and kept out of every guide, strategy and brief. They are kept at all
// because an analyst can read interactions in them worth turning into a pre-declared test.
#include <string>
#include <string_view>

#include "report/report_inputs.h"

namespace rumi::report {

inline constexpr std::string_view kAnalystAppendixFile = "analyst_appendix.md";

std::string analyst_appendix_markdown(const HashtagInputs& in, std::string_view hashtag);

}  // namespace rumi::report
