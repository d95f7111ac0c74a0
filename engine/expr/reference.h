// Reference evaluator: computes a bound expression (engine/expr/bound_expr.h)
// for one row at a time, straight from the language rules of
// engine/expr/README.md, with no batching, no SIMD and no simplification. It is
// the oracle the vectorised program is tested against, and the simplifier uses
// it to fold constant subexpressions (so folding cannot change an answer).
//
// Thread-safety: pure; reads `pop` only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/expr/bound_expr.h"
#include "engine/store/population.h"

namespace nudge::expr {

// One value of any Type: `null`, else `i` (Bool as 0/1, Int, Date, Category
// code) or `d` (Double).
struct Value {
  bool null = true;
  int64_t i = 0;
  double d = 0;
};

// The value of `e` on `row` (row < pop.rows(); constant expressions ignore the row).
Value reference_eval(const BoundExpr& e, const Population& pop, std::size_t row);

}  // namespace nudge::expr
