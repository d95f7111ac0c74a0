// TreeEnsemble: a validated XGBoost gbtree ensemble in two layouts.
//
// 1. The file's own node arrays (structure-of-arrays, all trees concatenated):
//    the plain per-row walk (reference_margin) reads these. It is the oracle.
// 2. A complete-tree layout per tree for batched, branch-free traversal. A
//    tree of depth d gets 2^d - 1 internal slots in breadth-first order (the
//    children of slot i are 2i+1 and 2i+2) and 2^d leaf slots:
//
//        slot:    0            feature[slot] = feature index | default_left << 31
//               1   2          threshold[slot] (float32; x < t goes left)
//              3 4 5 6         leaf[k] = value of leaf slot 2^d - 1 + k
//
//    A leaf the file holds above depth d becomes "pass-through" slots
//    (feature 0, threshold NaN, default right: every row goes right) over
//    copies of its value, so every row takes exactly d steps:
//        i = 2i + 1 + !(isnan(x) ? default_left : x < threshold)
//    Trees deeper than kMaxCompleteDepth keep only layout 1 and are walked
//    row by row in the batch path too (complete[t].depth == kWalkTree).
//
// Missing values: a feature value is missing when it is NaN (NULL rows are
// gathered as NaN); it follows the node's default direction, as XGBoost's
// GetNextNode does. Otherwise x < threshold goes left, compared in float32.
// Categorical splits (XGBoost 1.6+, common::Decision in categorical.h): x is a
// category code; it goes right when it is one of the node's categories, and
// left otherwise, also when it is not a valid code (negative or >= 2^24).
// Trees with a categorical split keep only layout 1 (walked row by row, like
// trees deeper than kMaxCompleteDepth).
// Margins are summed in float32, base margin first, then trees in order
// (XGBoost 1.7's cpu_predictor accumulates into a float per row).
//
// Thread-safety: immutable after build_ensemble.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/score/xgboost_json.h"

namespace nudge::score {

inline constexpr int kMaxCompleteDepth = 10;  // 1023 slots + 1024 leaves = 12 KiB per tree at most
inline constexpr uint8_t kWalkTree = 0xff;    // depth marker: tree too deep for the complete layout
// Zero slots after the last tree's slots: SIMD kernels load whole registers of
// one level's slots and may read up to this many slots past a tree's end.
inline constexpr std::size_t kSlotPadding = 32;

struct CompleteTree {
  uint32_t node_offset = 0;  // first slot in feature/threshold
  uint32_t leaf_offset = 0;  // first slot in leaf
  uint8_t depth = 0;         // d, or kWalkTree
};

struct TreeEnsemble {
  uint32_t num_feature = 0;
  // Layout 1: node n of tree t is at index tree_root[t] + n; children indices are tree-local.
  std::vector<uint32_t> tree_root;
  std::vector<int32_t> left, right, feature;
  std::vector<float> value;  // threshold, or leaf value at leaves
  std::vector<uint8_t> default_left;
  // Categorical splits (empty when the model has none): node i is one when
  // cat_size[i] > 0 or is_cat[i]; its categories, ascending, are
  // cats[cat_begin[i] .. cat_begin[i] + cat_size[i]).
  std::vector<uint8_t> is_cat;
  std::vector<uint32_t> cat_begin, cat_size;
  std::vector<int32_t> cats;
  // Highest category code any split on feature f tests, or -1 (binding checks it against the column's dictionary).
  std::vector<int32_t> max_cat;
  // Layout 2.
  std::vector<CompleteTree> complete;
  std::vector<int32_t> c_feature;
  std::vector<float> c_threshold, c_leaf;
  int max_depth = 0;

  std::size_t trees() const noexcept { return tree_root.size(); }
  // Leaf value tree t gives the row whose features are x[0..num_feature) (NaN = missing).
  float reference_leaf(std::size_t t, const float* x) const noexcept;
  // base + sum of reference_leaf over trees, in float32, trees in order.
  float reference_margin(const float* x, float base) const noexcept;
};

// Validates `spec` and builds both layouts. Throws Error(InvalidInput)
// "<source>: tree T node N: ..." for a child index out of range or equal to
// -1 on one side only, a node reached twice (a cycle or a shared child), a
// feature index >= num_feature, a non-finite threshold (of a numeric split)
// or leaf value.
// Unreachable nodes (XGBoost keeps deleted nodes) are ignored.
TreeEnsemble build_ensemble(const XgbModelSpec& spec);

}  // namespace nudge::score
