// Simplifier: turns the bound trees of a whole CompiledSet into one DAG.
//   - constant folding: a node whose operands are all constants becomes a
//     constant, computed by the reference evaluator (so folding cannot change
//     an answer); NULL constants propagate through strict operations;
//   - logic identities that hold in three-valued logic: x AND FALSE = FALSE,
//     x AND TRUE = x, x OR TRUE = TRUE, x OR FALSE = x, NOT NOT x = x; CASE
//     branches with constant conditions are dropped or taken; coalesce of a
//     constant first argument is resolved;
//   - common subexpressions: structurally equal nodes, across all expressions
//     of the set, become one node (hash-consing), so they are computed once.
//
// Thread-safety: a Simplifier is single-thread; it reads `pop` (as_of) only.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "engine/expr/bound_expr.h"
#include "engine/store/population.h"

namespace nudge::expr {

class Simplifier {
 public:
  explicit Simplifier(const Population& pop) : pop_(pop) {}
  // The canonical, simplified node for `e`; equal inputs give the same pointer.
  BoundPtr simplify(const BoundPtr& e);

 private:
  BoundPtr rewrite(const BoundExpr& e, std::vector<BoundPtr> kids);
  BoundPtr fold(const BoundExpr& e);
  BoundPtr constant(const BoundExpr& e, bool null, int64_t i, double d = 0);
  BoundPtr intern(BoundExpr node);

  const Population& pop_;
  std::unordered_map<const BoundExpr*, BoundPtr> memo_;    // input node -> result
  std::unordered_map<std::string, BoundPtr> interned_;     // structural key -> canonical node
  std::unordered_map<const BoundExpr*, std::size_t> ids_;  // canonical node -> id
};

}  // namespace nudge::expr
