// Small pieces of the compiler (internal to engine/expr/compiler.cc): register
// pools, column storage and comparison codes, and the operand shapes that
// compile to one fused instruction (engine/expr/instructions.h):
//   scaled_column(e)   k * double(column) for BCmpCols (the defection shape
//                      `flights_3m < 0.5 * flights_prev_3m`), with k = 1 for a
//                      bare float or double(int32) column;
//   fused_columns(e)   a comparison of two scaled columns.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>

#include "engine/expr/bound_expr.h"
#include "engine/expr/instructions.h"

namespace nudge::expr::compile {

enum class Pool : uint8_t { Int, Dbl, Bool };

inline Pool pool_of(Type t) {
  switch (t) {
    case Type::Bool: return Pool::Bool;
    case Type::Double: return Pool::Dbl;
    default: return Pool::Int;
  }
}

inline Storage storage_of(DataType t) {
  switch (t) {
    case DataType::Bool: return Storage::U8;
    case DataType::Int64: return Storage::I64;
    case DataType::UInt64: return Storage::U64;
    case DataType::Float32: return Storage::F32;
    case DataType::Float64: return Storage::F64;
    default: return Storage::I32;  // Int32, Category, Date
  }
}

inline Cmp cmp_of(Op op) {
  switch (op) {
    case Op::Eq: return Cmp::Eq;
    case Op::Ne: return Cmp::Ne;
    case Op::Lt: return Cmp::Lt;
    case Op::Le: return Cmp::Le;
    case Op::Gt: return Cmp::Gt;
    default: return Cmp::Ge;
  }
}

// One side of a fused column-against-column comparison: k * double(column).
struct ScaledColumn {
  std::size_t column;
  Storage st;
  double k;
};

inline std::optional<ScaledColumn> plain_column_as_double(const BoundExpr& e) {
  if (e.op == Op::ToDouble && e.children[0]->op == Op::Column && e.children[0]->ctype == DataType::Int32)
    return ScaledColumn{e.children[0]->column, Storage::I32, 1.0};
  if (e.op == Op::Column && (e.ctype == DataType::Float32 || e.ctype == DataType::Float64))
    return ScaledColumn{e.column, storage_of(e.ctype), 1.0};
  return std::nullopt;
}

// column, k * column or column * k (IEEE multiplication commutes exactly, and
// 1.0 * x is x, so the fused kernel computes bit for bit what the tree says).
inline std::optional<ScaledColumn> scaled_column(const BoundExpr& e) {
  if (auto s = plain_column_as_double(e)) return s;
  if (e.op != Op::Mul || e.type != Type::Double) return std::nullopt;
  for (int k = 0; k < 2; ++k) {
    const BoundExpr &c = *e.children[k], &x = *e.children[1 - k];
    if (!c.is_const() || c.null) continue;
    if (auto s = plain_column_as_double(x)) {
      s->k = c.d;
      return s;
    }
  }
  return std::nullopt;
}

inline bool fused_columns(const BoundExpr& e) {
  return is_comparison(e.op) && e.children[0]->type == Type::Double && scaled_column(*e.children[0]) &&
         scaled_column(*e.children[1]);
}

}  // namespace nudge::expr::compile
