#include "engine/expr/bound_expr.h"

#include <cmath>
#include <limits>

namespace nudge::expr {

std::string_view type_label(Type t) noexcept {
  switch (t) {
    case Type::Bool: return "bool";
    case Type::Int: return "integer";
    case Type::Double: return "double";
    case Type::Date: return "date";
    case Type::Category: return "category";
    case Type::String: return "string";
    case Type::Null: return "NULL";
  }
  return "?";
}

std::string_view op_label(Op op) noexcept {
  switch (op) {
    case Op::Const: return "constant";
    case Op::Column: return "column";
    case Op::Neg: return "-";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::Eq: return "=";
    case Op::Ne: return "<>";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::And: return "AND";
    case Op::Or: return "OR";
    case Op::Not: return "NOT";
    case Op::IsNull: return "IS NULL";
    case Op::Case: return "CASE";
    case Op::Coalesce: return "coalesce";
    case Op::Least: return "least";
    case Op::Greatest: return "greatest";
    case Op::Abs: return "abs";
    case Op::Ln: return "ln";
    case Op::Exp: return "exp";
    case Op::Sqrt: return "sqrt";
    case Op::DaysSince: return "days_since";
    case Op::ToDouble: return "double";
  }
  return "?";
}

bool is_comparison(Op op) noexcept { return op >= Op::Eq && op <= Op::Ge; }

Op flip_comparison(Op op) noexcept {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

bool is_constant_expression(const BoundExpr& e) noexcept {
  if (e.op == Op::Column) return false;
  for (const auto& c : e.children)
    if (!is_constant_expression(*c)) return false;
  return true;
}

bool f32_constant(double c, float* out) noexcept {
  if (!std::isfinite(c) || std::fabs(c) > static_cast<double>(std::numeric_limits<float>::max())) return false;
  float f = static_cast<float>(c);
  if (!std::isfinite(f)) return false;
  if (f == 0.0f && c != 0.0) return false;
  *out = f;
  return true;
}

}  // namespace nudge::expr
