#pragma once
// Consensus across the ensemble: a feature (group) is model-backed only when at least two of
// forest, tree, linear and clustering call it important AND agree on the direction of its effect.
//
// "Important" for one model means: among that model's top `top_k` groups by its own importance
// measure, with importance > 0 (and, for the forest, positive held-out permutation importance;
// for clustering, |z| >= 0.5 in the highest-ER cluster).
#include <span>
#include <string>
#include <vector>

#include "core/pattern.h"

namespace rumi::ml {

struct ModelVote {
  std::string model;               // "forest", "tree", "linear", "clustering"
  std::vector<double> importance;  // per group, >= 0
  std::vector<int> sign;           // per group: +1 / -1 / 0
  std::vector<bool> eligible;      // per group: passes the model's own noise filter
};

// Marks the top_k eligible groups with importance > 0 as important.
std::vector<bool> important_groups(const ModelVote& v, std::size_t top_k);

// names: one (representative) name per group. Strongest first (more models, then importance).
std::vector<ConsensusFeature> build_consensus(std::span<const ModelVote> votes, std::span<const std::string> names,
                                              std::size_t top_k, std::size_t min_models = 2);

Json to_json(const ConsensusFeature& c);

}  // namespace rumi::ml
