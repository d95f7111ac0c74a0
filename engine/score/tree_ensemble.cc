#include "engine/score/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/base/error.h"

namespace nudge::score {

float TreeEnsemble::reference_leaf(std::size_t t, const float* x) const noexcept {
  const std::size_t root = tree_root[t];
  int32_t n = 0;
  while (left[root + n] != -1) {
    const std::size_t i = root + n;
    const float v = x[feature[i]];
    bool go_left;
    if (std::isnan(v)) {
      go_left = default_left[i] != 0;
    } else if (!is_cat.empty() && is_cat[i]) {
      // XGBoost's Decision: an invalid code, or one not in the set, goes left.
      const int32_t* b = cats.data() + cat_begin[i];
      go_left = v < 0.0f || v >= 16777216.0f || !std::binary_search(b, b + cat_size[i], static_cast<int32_t>(v));
    } else {
      go_left = v < value[i];
    }
    n = go_left ? left[i] : right[i];
  }
  return value[root + n];
}

float TreeEnsemble::reference_margin(const float* x, float base) const noexcept {
  float m = base;
  for (std::size_t t = 0; t < trees(); ++t) m += reference_leaf(t, x);
  return m;
}

namespace {

[[noreturn]] void node_fault(const XgbModelSpec& s, std::size_t t, std::size_t n, const std::string& what) {
  throw_invalid_input(s.source + ": tree " + std::to_string(t) + " node " + std::to_string(n) + ": " + what);
}

// Checks tree t reachable from node 0; returns its depth (edges on the longest root-leaf path).
int validate_tree(const XgbModelSpec& s, std::size_t t) {
  const XgbTree& tr = s.trees[t];
  const std::size_t n = tr.left.size();
  std::vector<uint8_t> seen(n, 0);
  std::vector<std::pair<int32_t, int>> stack{{0, 0}};  // iterative: a hostile file cannot overflow the call stack
  int depth = 0;
  seen[0] = 1;
  while (!stack.empty()) {
    auto [i, d] = stack.back();
    stack.pop_back();
    depth = std::max(depth, d);
    const int32_t l = tr.left[i], r = tr.right[i];
    if (l == -1 || r == -1) {
      if (l != r)
        node_fault(s, t, i,
                   "one child is -1 and the other " + std::to_string(l == -1 ? r : l) +
                       " (a node is a leaf only when both are -1)");
      if (!std::isfinite(tr.split_condition[i])) node_fault(s, t, i, "leaf value is not finite");
      continue;
    }
    if (tr.split_index[i] < 0 || uint32_t(tr.split_index[i]) >= s.num_feature)
      node_fault(s, t, i,
                 "split feature " + std::to_string(tr.split_index[i]) + " is out of range (num_feature " +
                     std::to_string(s.num_feature) + ")");
    const bool categorical = !tr.split_type.empty() && tr.split_type[i] == 1;
    if (!categorical && !std::isfinite(tr.split_condition[i])) node_fault(s, t, i, "split threshold is not finite");
    for (int32_t c : {l, r}) {
      if (c == 0)  // in range, but node 0 is the root: a link back to it is a cycle
        node_fault(s, t, i, "child 0 is the root: a link back to it is a cycle");
      if (c < 0 || std::size_t(c) >= n)
        node_fault(
            s, t, i,
            "child index " + std::to_string(c) + " is out of range (the tree has " + std::to_string(n) + " nodes)");
      if (seen[c]) node_fault(s, t, i, "child " + std::to_string(c) + " is reached twice (a cycle or a shared child)");
      seen[c] = 1;
      stack.push_back({c, d + 1});
    }
  }
  return depth;
}

// Writes the subtree at file node i into complete slot `slot` at `level` of a depth-d tree.
void place(const XgbTree& tr, int32_t i, std::size_t slot, int level, int d, int32_t* feat, float* thr, float* leaf) {
  const std::size_t internal = (std::size_t{1} << d) - 1;
  if (level == d) {
    leaf[slot - internal] = tr.split_condition[i];  // i is a leaf: depth(tree) == d bounds every path
    return;
  }
  if (tr.left[i] == -1) {  // a leaf above the bottom: pass-through slot, both subtrees carry its value
    feat[slot] = 0;
    thr[slot] = std::numeric_limits<float>::quiet_NaN();  // x < NaN is false, default right: always right
    place(tr, i, 2 * slot + 1, level + 1, d, feat, thr, leaf);
    place(tr, i, 2 * slot + 2, level + 1, d, feat, thr, leaf);
    return;
  }
  feat[slot] = tr.split_index[i] | (tr.default_left[i] ? int32_t(0x80000000u) : 0);
  thr[slot] = tr.split_condition[i];
  place(tr, tr.left[i], 2 * slot + 1, level + 1, d, feat, thr, leaf);
  place(tr, tr.right[i], 2 * slot + 2, level + 1, d, feat, thr, leaf);
}

}  // namespace

TreeEnsemble build_ensemble(const XgbModelSpec& s) {
  TreeEnsemble e;
  e.num_feature = s.num_feature;
  for (std::size_t t = 0; t < s.trees.size(); ++t) {
    const XgbTree& tr = s.trees[t];
    const int d = validate_tree(s, t);
    e.max_depth = std::max(e.max_depth, d);
    if (e.left.size() + tr.left.size() > INT32_MAX) throw_invalid_input(s.source + ": too many tree nodes");
    e.tree_root.push_back(uint32_t(e.left.size()));
    e.left.insert(e.left.end(), tr.left.begin(), tr.left.end());
    e.right.insert(e.right.end(), tr.right.begin(), tr.right.end());
    e.feature.insert(e.feature.end(), tr.split_index.begin(), tr.split_index.end());
    e.value.insert(e.value.end(), tr.split_condition.begin(), tr.split_condition.end());
    e.default_left.insert(e.default_left.end(), tr.default_left.begin(), tr.default_left.end());
    bool categorical = false;
    for (uint8_t k : tr.split_type) categorical = categorical || k == 1;
    if (categorical && e.max_cat.empty()) {  // the first categorical tree: earlier trees have none
      e.is_cat.assign(e.tree_root.back(), 0);
      e.cat_begin.assign(e.tree_root.back(), 0);
      e.cat_size.assign(e.tree_root.back(), 0);
      e.max_cat.assign(s.num_feature, -1);
    }
    if (!e.max_cat.empty()) {  // from the first categorical tree on, every node has an entry
      for (std::size_t i = 0; i < tr.left.size(); ++i) {
        const bool c = categorical && tr.split_type[i] == 1 && tr.left[i] != -1;
        e.is_cat.push_back(c);
        e.cat_begin.push_back(c ? uint32_t(e.cats.size()) : 0);
        e.cat_size.push_back(c ? tr.cat_size[i] : 0);
        if (!c) continue;
        e.cats.insert(e.cats.end(), tr.categories.begin() + tr.cat_begin[i],
                      tr.categories.begin() + tr.cat_begin[i] + tr.cat_size[i]);
        if (tr.split_index[i] < 0 || uint32_t(tr.split_index[i]) >= s.num_feature) continue;  // unreachable node
        int32_t& m = e.max_cat[std::size_t(tr.split_index[i])];
        if (tr.cat_size[i]) m = std::max(m, tr.categories[tr.cat_begin[i] + tr.cat_size[i] - 1]);
        else m = std::max(m, 0);
      }
    }
    // Unreachable (deleted) nodes are copied as they are: no walk ever reaches them.
    CompleteTree c;
    c.node_offset = uint32_t(e.c_feature.size());
    c.leaf_offset = uint32_t(e.c_leaf.size());
    if (d > kMaxCompleteDepth || categorical) {
      c.depth = kWalkTree;
    } else {
      c.depth = uint8_t(d);
      const std::size_t internal = (std::size_t{1} << d) - 1;
      e.c_feature.resize(e.c_feature.size() + internal);
      e.c_threshold.resize(e.c_threshold.size() + internal);
      e.c_leaf.resize(e.c_leaf.size() + internal + 1);
      place(tr, 0, 0, 0, d, e.c_feature.data() + c.node_offset, e.c_threshold.data() + c.node_offset,
            e.c_leaf.data() + c.leaf_offset);
    }
    e.complete.push_back(c);
  }
  e.c_feature.resize(e.c_feature.size() + kSlotPadding);
  e.c_threshold.resize(e.c_threshold.size() + kSlotPadding);
  e.c_leaf.resize(e.c_leaf.size() + kSlotPadding);
  return e;
}

}  // namespace nudge::score
