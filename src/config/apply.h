#pragma once
// Applying a config file to the store: one transaction, idempotent (the same file twice changes
// nothing), additive (clients and hashtags missing from the file are kept), and every change is
// recorded per client in config_changes.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::config {

struct ApplyResult {
  int clients_created = 0, clients_updated = 0, hashtags_created = 0, hashtags_updated = 0, unchanged = 0;
  std::vector<std::string> changes;  // human-readable, one per change
  bool changed() const { return !changes.empty(); }
};

ApplyResult apply_config(store::Database& db, const ConfigFile& cfg);

// The brand inputs that apply to a hashtag: the client's, with what the hashtag overrides.
// Throws InputError naming the table on a malformed stored value.
BrandInputs effective_brand(const store::ClientRow& client, const store::HashtagRow* hashtag);

}  // namespace rumi::config
