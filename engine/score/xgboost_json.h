// Reader of XGBoost's JSON model format (Booster.save_model("model.json"),
// XGBoost 1.x / 2.x schema: doc/model.schema in the XGBoost repository) into
// plain parsed structs, as Treelite's loader does. This layer checks that the
// JSON has the expected shape: fields present with the right JSON types,
// per-tree arrays of one length. The tree structure itself (child indices,
// cycles, feature indices, finite values) is checked by build_ensemble
// (engine/score/tree_ensemble.h).
//
// Accepted: learner.gradient_booster.name == "gbtree" with single-output trees
// (num_class <= 1, num_target == 1, size_leaf_vector == 0, every tree_info 0),
// numeric and categorical splits (XGBoost 1.6+ with enable_categorical:
// split_type 1, categories / categories_nodes / categories_segments /
// categories_sizes, feature_types "c"). Rejected with a message saying so:
// "dart" and "gblinear" boosters, multi-class / multi-target models.
//
// XGBoost writes NaN (and +-Infinity) as bare tokens, which JSON lacks: a
// categorical node's split_conditions entry is NaN. Outside strings these
// tokens are read as NaN / +-inf; build_ensemble refuses them wherever a
// number is used (thresholds of numeric splits, leaf values).
//
// Numbers are parsed straight to float32 (nlohmann_json with a float number
// type calls strtof), as XGBoost's own JSON reader does, so thresholds and leaf
// values are the exact floats XGBoost holds.
//
// Thread-safety: pure function.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nudge::score {

// One tree as stored in the file: node i is a leaf when left[i] == -1, and
// then split_condition[i] is its leaf value.
struct XgbTree {
  std::vector<int32_t> left, right;    // child node indices, -1 at leaves
  std::vector<int32_t> split_index;    // feature index tested at node i
  std::vector<float> split_condition;  // threshold (x < t goes left) or leaf value; NaN at categorical nodes
  std::vector<uint8_t> default_left;   // 1: a missing value goes left
  // Categorical splits: split_type[i] == 1 (empty = all numeric). Node i's
  // categories (codes that go RIGHT; others go left, as XGBoost's Decision)
  // are categories[cat_begin[i] .. cat_begin[i] + cat_size[i]), ascending.
  std::vector<uint8_t> split_type;
  std::vector<uint32_t> cat_begin, cat_size;
  std::vector<int32_t> categories;
};

struct XgbModelSpec {
  std::string source;                      // file name, for messages
  std::array<int, 3> version{};            // XGBoost version that wrote the file
  std::string objective;                   // learner.objective.name
  float base_score = 0.5f;                 // learner_model_param.base_score (user-facing value)
  uint32_t num_feature = 0;                // learner_model_param.num_feature
  std::vector<std::string> feature_names;  // learner.feature_names; empty if the file has none
  std::vector<uint8_t> categorical;        // per feature: 1 when feature_types says "c" (empty: none)
  std::vector<XgbTree> trees;              // in boosting order
};

// Parses the JSON text. Throws Error(InvalidInput) "<source>: <what>" naming
// the JSON path (e.g. "trees[3].left_children") or, for syntax errors, line
// and column.
XgbModelSpec parse_xgboost_json(std::string_view json_text, const std::string& source);

}  // namespace nudge::score
