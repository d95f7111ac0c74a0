// The values behind one expression on one row, for `nudge explain`: every
// column the expression reads and both sides of every comparison, each with
// its source text ("flights_3m", "0.5 * flights_prev_3m") and its value on
// the row, in source order (a column read twice is listed once).
//
//   auto v = nudge::explain::expression_values(pop, action.trigger, row);
//   // {{"flights_prev_3m >= 4", "TRUE", kComparison}, {"flights_prev_3m", "9", kColumn}, ...}
//
// Values come from the compiler's row-at-a-time reference evaluator
// (engine/expr/reference.h), the oracle the vectorised program is tested
// against, so they are the values the sweep used. Formatting: NULL; TRUE /
// FALSE; integers in decimal; doubles in shortest round-trip form; dates
// YYYY-MM-DD; categories by their name ('Star').
// Errors: the expression's compile errors (nudge::Error, file:line:col).
// Thread-safety: pure; reads `pop` only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/expr/program.h"
#include "engine/store/population.h"

namespace nudge::explain {

enum class ValueKind { Column, Side, Comparison };

struct ExpressionValue {
  std::string text;   // the source text of the operand
  std::string value;  // formatted value on the row
  ValueKind kind = ValueKind::Column;
};

// Predicates (triggers, suppression conditions).
std::vector<ExpressionValue> predicate_values(const Population& pop, const expr::Source& src, std::size_t row);
// Number expressions (priorities).
std::vector<ExpressionValue> number_values(const Population& pop, const expr::Source& src, std::size_t row);

}  // namespace nudge::explain
