// WindowPlan: which windowed aggregates of a compiled set run fused, and how
// they group (internal to engine/expr/compiler.cc).
//
// A node the binder marked as a windowed aggregate (BoundExpr::window) runs
// fused when every bucket column of its series has one storage the fused pass
// reads directly (int32, float32 or float64) and its register pool is the one
// Code::Window writes (engine/expr/instructions.h). Fused nodes of one series
// form one group, computed by one Code::Window instruction in one pass over the
// buckets from the group's oldest to its newest window bucket; the group's
// outputs share one running prefix sum (int32 sums) and one load of each
// bucket per 64 rows.
//
// Usage (compiler): fused(e) while walking the DAG; add(e) for each fused node
// in a fixed order; then, when the first node of a group is emitted,
// append(program, group_of(e), registers) with a register per members() entry.
// Thread-safety: single-thread; reads `pop`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "engine/expr/compiled_program.h"

namespace nudge::expr {

class WindowPlan {
 public:
  explicit WindowPlan(const Population& pop) : pop_(pop) {}

  // True when `e` is a windowed aggregate's root that runs fused.
  bool fused(const BoundExpr& e);
  // Records a fused node (once each; the order fixes the output order).
  void add(const BoundExpr* e);
  // The group of a recorded node, and a group's nodes in output order.
  std::size_t group_of(const BoundExpr* e) const { return group_of_.at(e); }
  const std::vector<const BoundExpr*>& members(std::size_t g) const { return groups_.at(g).nodes; }
  // Appends group g's side tables to `p` (dst[i]: the register of members(g)[i])
  // and marks its bucket columns read; returns the WinGroup index for Instr::a.
  uint32_t append(Program& p, std::size_t g, const std::vector<uint32_t>& dst,
                  std::set<std::size_t>& columns_read) const;

 private:
  struct Group {
    std::size_t series = 0;
    std::vector<const BoundExpr*> nodes;
  };
  std::optional<Storage> series_storage(std::size_t series);

  const Population& pop_;
  std::map<std::size_t, std::optional<Storage>> storage_;  // per series, once looked up
  std::vector<Group> groups_;
  std::unordered_map<std::size_t, std::size_t> group_of_series_;
  std::unordered_map<const BoundExpr*, std::size_t> group_of_;
};

}  // namespace nudge::expr
