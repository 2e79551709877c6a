#include "ml/tree_models.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "core/enum_names.h"
#include "core/error.h"
#include "core/rng.h"

namespace rumi::ml {

constexpr EnumName<TreeModelKind> kTreeModelKindNames[] = {{TreeModelKind::random_forest, "random_forest"},
                                                           {TreeModelKind::decision_tree, "decision_tree"},
                                                           {TreeModelKind::gradient_boosting, "gradient_boosting"}};

std::string_view tree_model_name(TreeModelKind k) { return name_of(kTreeModelKindNames, k); }

namespace {
std::string num(double v) { return fmt::format("{}", v); }
}  // namespace

Params tree_model_params(const TreeModelConfig& c, double base_score) {
  const auto seed = derive_seed(c.seed, tree_model_name(c.kind)) & 0x7fffffffULL;
  Params p{{"booster", "gbtree"},           {"objective", "reg:squarederror"},
           {"tree_method", "exact"},        {"nthread", std::to_string(c.nthread)},
           {"seed", std::to_string(seed)},  {"verbosity", "0"},
           {"base_score", num(base_score)}, {"min_child_weight", "1"}};
  switch (c.kind) {
    case TreeModelKind::random_forest:
      p.insert(p.end(), {{"num_parallel_tree", std::to_string(c.forest_trees)},
                         {"max_depth", std::to_string(c.forest_depth)},
                         {"subsample", num(c.forest_subsample)},
                         {"colsample_bynode", num(c.forest_colsample)},
                         {"eta", "1"},
                         {"lambda", "0"}});
      break;
    case TreeModelKind::decision_tree:
      p.insert(
          p.end(),
          {{"num_parallel_tree", "1"}, {"max_depth", std::to_string(c.tree_depth)}, {"eta", "1"}, {"lambda", "0"}});
      break;
    case TreeModelKind::gradient_boosting:
      p.insert(p.end(), {{"max_depth", "3"}, {"eta", "0.1"}, {"subsample", "0.8"}, {"lambda", "1"}});
      break;
  }
  return p;
}

int tree_model_rounds(const TreeModelConfig& c) {
  return c.kind == TreeModelKind::gradient_boosting ? c.boosting_rounds : 1;
}

Booster fit_tree_model(const TreeModelConfig& c, const Matrix& x, std::span<const double> y,
                       std::span<const double> w) {
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < y.size(); ++i) sw += w[i], swy += w[i] * y[i];
  const double base = sw > 0 ? swy / sw : 0.0;
  DMatrix d(x, c.nthread);
  d.set_labels(y);
  d.set_weights(w);
  Booster b(d);
  b.set_params(tree_model_params(c, base));
  for (int i = 0; i < tree_model_rounds(c); ++i) b.update(i, d);
  return b;
}

std::vector<TreeRule> export_tree_rules(const Booster& booster, const RobustScaler& scaler,
                                        std::span<const std::string> names) {
  const auto trees = booster.dump_trees();
  if (trees.empty()) return {};
  const Json root = parse_json(trees.front(), "decision tree dump");
  // XGBoost stores the prediction as base_score + leaf; recover base_score from the saved model.
  const Json model = parse_json(booster.save_json(), "decision tree model");
  double base = 0;
  try {
    base = std::stod(model.at("learner").at("learner_model_param").at("base_score").get<std::string>());
  } catch (const std::exception&) {
    base = 0;
  }
  std::vector<TreeRule> rules;
  std::vector<std::string> path;
  std::function<void(const Json&)> walk = [&](const Json& node) {
    if (node.contains("leaf")) {
      TreeRule r;
      r.conditions = path;
      r.value = base + node["leaf"].get<double>();
      r.cover = node.value("cover", 0.0);
      std::string text = r.conditions.empty() ? "ALWAYS" : "IF ";
      for (std::size_t i = 0; i < r.conditions.size(); ++i) text += (i ? " AND " : "") + r.conditions[i];
      r.text = fmt::format("{} THEN ER ~ {:.2f}% ({:.0f} videos)", text, r.value, r.cover);
      rules.push_back(std::move(r));
      return;
    }
    const std::string split = node.at("split").get<std::string>();
    std::size_t f = 0;
    if (split.size() > 1 && split[0] == 'f') f = std::stoul(split.substr(1));
    if (f >= names.size()) throw Error("decision tree splits on unknown feature " + split);
    const double raw = scaler.inverse(f, node.at("split_condition").get<double>());
    const int yes = node.at("yes").get<int>();
    for (const auto& child : node.at("children")) {
      const bool is_yes = child.at("nodeid").get<int>() == yes;
      path.push_back(fmt::format("{} {} {:.4g}", names[f], is_yes ? "<" : ">=", raw));
      walk(child);
      path.pop_back();
    }
  };
  walk(root);
  std::stable_sort(rules.begin(), rules.end(), [](const TreeRule& a, const TreeRule& b) { return a.value > b.value; });
  return rules;
}

Json to_json(const TreeRule& r) {
  return Json{
      {"conditions", r.conditions}, {"value", json_number(r.value)}, {"cover", json_number(r.cover)}, {"text", r.text}};
}

}  // namespace rumi::ml
