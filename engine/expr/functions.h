// Function table of the trigger-expression language: one FunctionDef per
// function name. The binder looks names up here (case-insensitive), checks the
// argument count and calls `bind`, which receives the whole parsed call (so a
// function may read its arguments as something other than expressions, e.g. a
// series name and a window for the windowed aggregates of window_functions.h)
// and returns a
// bound tree built from the operations of engine/expr/bound_expr.h.
//
// Thread-safety: the table is immutable.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string_view>

#include "engine/expr/binder.h"

namespace nudge::expr {

struct FunctionDef {
  std::string_view name;  // lower case
  std::size_t min_args, max_args;
  std::string_view signature;  // for messages: "abs(number)"
  BoundPtr (*bind)(Binder& b, const ParsedExpr& call);
};

inline constexpr std::size_t kVariadic = std::numeric_limits<std::size_t>::max();

std::span<const FunctionDef> function_table();
const FunctionDef* find_function(std::string_view lower_name);

}  // namespace nudge::expr
