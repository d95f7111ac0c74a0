#include "engine/expr/reference.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "engine/base/error.h"

namespace nudge::expr {

namespace {

Value null_value() { return Value{}; }
Value int_value(int64_t v) { return Value{false, v, 0}; }
Value dbl_value(double v) { return Value{false, 0, v}; }
Value bool_value(bool v) { return Value{false, v ? 1 : 0, 0}; }

Value read_column(const Column& c, std::size_t row) {
  if (c.is_null(row)) return null_value();
  return visit_values(c, [row](const auto* values) -> Value {
    using T = std::remove_cvref_t<decltype(*values)>;
    const T v = values[row];
    if constexpr (std::is_same_v<T, uint8_t>) {
      return bool_value(v != 0);
    } else if constexpr (std::is_floating_point_v<T>) {
      return dbl_value(v);
    } else if constexpr (std::is_same_v<T, uint64_t>) {
      // Beyond int64 the value has no integer representation: NULL (README, "Integers").
      return v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ? null_value()
                                                                            : int_value(static_cast<int64_t>(v));
    } else {
      return int_value(v);  // Int32, Category codes, Date days, Int64
    }
  });
}

// Integers exactly; floating point per IEEE: NaN compares FALSE except <>.
template <class F>
bool compare_values(Op op, F a, F b) {
  switch (op) {
    case Op::Eq: return a == b;
    case Op::Ne: return a != b;
    case Op::Lt: return a < b;
    case Op::Le: return a <= b;
    case Op::Gt: return a > b;
    default: return a >= b;
  }
}

Value int_arith(Op op, int64_t a, int64_t b) {
  int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case Op::Add: overflow = __builtin_add_overflow(a, b, &r); break;
    case Op::Sub: overflow = __builtin_sub_overflow(a, b, &r); break;
    case Op::Mul: overflow = __builtin_mul_overflow(a, b, &r); break;
    case Op::Mod:
      if (b == 0) return null_value();
      r = b == -1 ? 0 : a % b;
      break;
    default: throw_internal("reference: bad integer operation");
  }
  return overflow ? null_value() : int_value(r);
}

Value dbl_arith(Op op, double a, double b) {
  switch (op) {
    case Op::Add: return dbl_value(a + b);
    case Op::Sub: return dbl_value(a - b);
    case Op::Mul: return dbl_value(a * b);
    case Op::Div: return b == 0 ? null_value() : dbl_value(a / b);
    case Op::Mod: return b == 0 ? null_value() : dbl_value(std::fmod(a, b));
    default: throw_internal("reference: bad double operation");
  }
}

}  // namespace

Value reference_eval(const BoundExpr& e, const Population& pop, std::size_t row) {
  auto child = [&](std::size_t k) { return reference_eval(*e.children[k], pop, row); };
  switch (e.op) {
    case Op::Const: {
      Value v;
      v.null = e.null;
      v.i = e.i;
      v.d = e.d;
      return v;
    }
    case Op::Column: return read_column(pop.column(e.column), row);
    case Op::ToDouble: {
      Value a = child(0);
      return a.null ? a : dbl_value(static_cast<double>(a.i));
    }
    case Op::Neg: {
      Value a = child(0);
      if (a.null) return a;
      if (e.type == Type::Double) return dbl_value(-a.d);
      return a.i == std::numeric_limits<int64_t>::min() ? null_value() : int_value(-a.i);
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod: {
      Value a = child(0), b = child(1);
      if (a.null || b.null) return null_value();
      return e.children[0]->type == Type::Double ? dbl_arith(e.op, a.d, b.d) : int_arith(e.op, a.i, b.i);
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      Value a = child(0), b = child(1);
      if (a.null || b.null) return null_value();
      if (e.children[0]->type != Type::Double) return bool_value(compare_values<int64_t>(e.op, a.i, b.i));
      float fb;
      if (e.f32 && f32_constant(b.d, &fb)) return bool_value(compare_values(e.op, static_cast<float>(a.d), fb));
      return bool_value(compare_values(e.op, a.d, b.d));
    }
    case Op::And: {
      Value a = child(0), b = child(1);
      if ((!a.null && !a.i) || (!b.null && !b.i)) return bool_value(false);
      if (a.null || b.null) return null_value();
      return bool_value(true);
    }
    case Op::Or: {
      Value a = child(0), b = child(1);
      if ((!a.null && a.i) || (!b.null && b.i)) return bool_value(true);
      if (a.null || b.null) return null_value();
      return bool_value(false);
    }
    case Op::Not: {
      Value a = child(0);
      return a.null ? a : bool_value(!a.i);
    }
    case Op::IsNull: return bool_value(child(0).null);
    case Op::Case: {
      std::size_t n = e.children.size();
      for (std::size_t k = 0; k + 1 < n; k += 2) {
        Value c = child(k);
        if (!c.null && c.i) return child(k + 1);  // a NULL condition is not TRUE
      }
      return child(n - 1);
    }
    case Op::Coalesce: {
      Value a = child(0);
      return a.null ? child(1) : a;
    }
    case Op::Least:
    case Op::Greatest: {
      Value a = child(0), b = child(1);
      if (a.null || b.null) return null_value();  // NULL if any argument is NULL
      bool least = e.op == Op::Least;
      if (e.type != Type::Double) return int_value(least ? (b.i < a.i ? b.i : a.i) : (b.i > a.i ? b.i : a.i));
      if (std::isnan(a.d)) return a;  // NaN wins
      if (std::isnan(b.d)) return b;
      return dbl_value(least ? (b.d < a.d ? b.d : a.d) : (b.d > a.d ? b.d : a.d));
    }
    case Op::Abs: {
      Value a = child(0);
      if (a.null) return a;
      if (e.type == Type::Double) return dbl_value(std::fabs(a.d));
      if (a.i == std::numeric_limits<int64_t>::min()) return null_value();
      return int_value(a.i < 0 ? -a.i : a.i);
    }
    case Op::Ln: {
      Value a = child(0);
      if (a.null) return a;
      return a.d <= 0 ? null_value() : dbl_value(std::log(a.d));  // NaN stays NaN
    }
    case Op::Exp: {
      Value a = child(0);
      return a.null ? a : dbl_value(std::exp(a.d));
    }
    case Op::Sqrt: {
      Value a = child(0);
      if (a.null) return a;
      return a.d < 0 ? null_value() : dbl_value(std::sqrt(a.d));
    }
    case Op::DaysSince: {
      Value a = child(0);
      if (a.null) return a;
      return int_arith(Op::Sub, pop.as_of(), a.i);
    }
  }
  throw_internal("reference: unknown operation");
}

}  // namespace nudge::expr
