#pragma once
// reports/<date>/validation_report.md: every Billo test of one client's hashtag with its verdict,
// and what the tests taught about each pattern (proven patterns go to affiliates, rejected ones
// drop out of the strategies). The report stage may call write_validation_report after its own
// reports; `rumi validate report` calls it directly.
#include <filesystem>
#include <string>
#include <string_view>

#include "core/workspace.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::validate {

std::string render_validation_report(store::Database& db, const store::ClientRow& client,
                                     const store::HashtagRow& hashtag, std::string_view date);

// Writes atomically to <hashtag dir>/reports/<date>/validation_report.md and returns the path.
std::filesystem::path write_validation_report(store::Database& db, const Workspace& ws, const store::ClientRow& client,
                                              const store::HashtagRow& hashtag, std::string_view date);

}  // namespace rumi::validate
