// Bound expression tree: names resolved to column indices, every node typed,
// syntax sugar removed (IN, BETWEEN, simple CASE, IS NOT NULL become
// comparisons, AND/OR and NOT). Produced by the binder, read by the reference
// evaluator (engine/expr/reference.h) and the simplifier.
//
// Nodes are shared (shared_ptr to const): the binder reuses one operand node
// for every comparison of an IN list or BETWEEN, and the simplifier turns the
// trees of a whole set into one DAG where equal subexpressions are one node.
//
// Value domains per Type (engine/expr/README.md, "Types"):
//   Bool      TRUE / FALSE                    (stored in `i` as 1 / 0 for constants)
//   Int       int64                           (int32/int64/uint64 columns)
//   Double    IEEE double, NaN and +-inf are values (float32/float64 columns)
//   Date      int64 days since 1970-01-01     (date columns, DATE '...' literals)
//   Category  int32 dictionary code           (category columns; constants hold a
//                                              code, -1 for a string not in the dictionary)
//   String    a literal, only before binding into a category comparison
// NULL is the absence of a value of any type (`null` on a constant).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/types.h"

namespace nudge::expr {

// Null is the type of a bare NULL literal during binding only: the binder gives
// it the type its context needs, so bound trees never hold it.
enum class Type : uint8_t { Bool, Int, Double, Date, Category, String, Null };
std::string_view type_label(Type t) noexcept;  // "bool", "integer", "double", "date", "category", "string", "NULL"

enum class Op : uint8_t {
  Const,   // constant of `type` (value in i / d, or null)
  Column,  // column `column` of the population (DataType `ctype`)
  Neg,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,  // comparisons (children of equal type after binding)
  And,
  Or,
  Not,
  IsNull,
  Case,  // children: cond0, value0, cond1, value1, ..., else
  Coalesce,
  Least,
  Greatest,
  Abs,
  Ln,
  Exp,
  Sqrt,
  DaysSince,  // as_of - date
  ToDouble,   // implicit integer -> double conversion
};
std::string_view op_label(Op op) noexcept;
bool is_comparison(Op op) noexcept;
// The comparison with operands swapped (a < b  <=>  b > a).
Op flip_comparison(Op op) noexcept;

struct BoundExpr;
using BoundPtr = std::shared_ptr<const BoundExpr>;

// What a windowed aggregate computes over its buckets x_0 .. x_{n-1} (window order,
// as_of's side first; engine/expr/window_functions.h gives the definitions).
enum class WindowKind : uint8_t {
  Sum,         // x_0 + ... + x_{n-1}
  Min,         // least(...)
  Max,         // greatest(...)
  Count,       // buckets with x_k <> 0 (never NULL)
  LastActive,  // first + the smallest k with x_k <> 0, NULL when none
  Trend,       // the slope's numerator, sum of (n - 1 - 2k) * x_k (int32 series only)
};

// Set by the binder on the root node of a desugared windowed aggregate: the
// node computes `kind` over buckets first .. first + count - 1 of series
// `series` (an index into Population::series()). The node's children stay its
// exact definition, which the reference evaluator and the simplifier read;
// the compiler may compute the node instead in one fused pass over the bucket
// columns, shared with the other windows of the series (Code::Window,
// engine/expr/instructions.h), when that gives the same bits.
struct WindowSpec {
  WindowKind kind = WindowKind::Sum;
  std::size_t series = 0;
  std::size_t first = 0, count = 0;
  bool operator==(const WindowSpec&) const = default;
};

struct BoundExpr {
  Op op = Op::Const;
  Type type = Type::Int;
  // Const
  bool null = false;
  int64_t i = 0;
  double d = 0;
  // Column
  std::size_t column = 0;
  DataType ctype = DataType::Int32;
  // Comparison of a bare float32 column (left) with a constant expression
  // (right): compare in float32 (see f32_constant below).
  bool f32 = false;
  std::vector<BoundPtr> children;
  uint32_t begin = 0, end = 0;  // source bytes, for messages
  // Set on the root of a windowed aggregate (WindowSpec); nullptr elsewhere.
  std::shared_ptr<const WindowSpec> window;

  bool is_const() const noexcept { return op == Op::Const; }
};

// True when the subtree reads no column (its value is the same on every row).
bool is_constant_expression(const BoundExpr& e) noexcept;

// The float32 comparison rule (engine/expr/README.md, "float32 columns"): a
// bare float32 column compared with a constant compares in float32 against the
// constant rounded to float32, when that rounding is finite and is zero only
// for a zero constant; otherwise (NaN, +-inf, beyond float range, tiny) the
// comparison is done in double. Returns true and sets *out in the first case.
bool f32_constant(double c, float* out) noexcept;

}  // namespace nudge::expr
