// Binder::bind_compare: the typing rules of comparisons (engine/expr/README.md,
// "Operators" and "float32 columns"): numbers in int64 or double, dates,
// bools, category against string by dictionary code (with a warning for a
// string not in the dictionary; an IN list's unknown strings share one
// warning, warn_unknown_values), and the float32 rule for a bare float32
// column against a constant expression. IN, BETWEEN and simple CASE reuse it.
#include "engine/expr/binder.h"

#include <cmath>

#include "engine/expr/reference.h"

namespace nudge::expr {

namespace {

// A constant whose value float32 holds exactly (NULL, NaN and +-inf included).
bool f32_exact_constant(const BoundExpr& e, const Population& pop) {
  if (!is_constant_expression(e)) return false;
  const Value v = reference_eval(e, pop, 0);  // constant: no row is read
  if (v.null) return true;
  if (e.type == Type::Int) return static_cast<int64_t>(static_cast<float>(v.i)) == v.i && v.i < (int64_t{1} << 62);
  if (e.type != Type::Double) return false;
  return std::isnan(v.d) || static_cast<double>(static_cast<float>(v.d)) == v.d;
}

}  // namespace

// Every value a float32 value (or NULL): a float32 column, and -x, abs(x),
// coalesce, least, greatest and CASE whose values are float32 columns or
// constants float32 holds exactly (engine/expr/README.md, "float32 columns").
// Arithmetic (+ - * /) is done in double and is not float32-valued.
bool Binder::f32_valued(const BoundExpr& e) const {
  switch (e.op) {
    case Op::Column: return e.ctype == DataType::Float32;
    case Op::Neg:
    case Op::Abs:
    case Op::ToDouble: return f32_valued(*e.children[0]);
    case Op::Coalesce:
    case Op::Least:
    case Op::Greatest: {
      bool column = false;
      for (const auto& c : e.children) {
        if (f32_valued(*c)) column = true;
        else if (!f32_exact_constant(*c, pop_)) return false;
      }
      return column;
    }
    case Op::Case: {  // cond0, value0, ..., else: the values are the odd children and the last
      bool column = false;
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i % 2 == 0 && i + 1 != e.children.size()) continue;
        if (f32_valued(*e.children[i])) column = true;
        else if (!f32_exact_constant(*e.children[i], pop_)) return false;
      }
      return column;
    }
    default: return false;
  }
}

void Binder::warn_unknown_values(std::vector<UnknownValue>& unknown) {
  std::vector<bool> done(unknown.size(), false);
  for (std::size_t i = 0; i < unknown.size(); ++i) {
    if (done[i]) continue;
    const Column& c = pop_.column(unknown[i].column);
    std::string dict;
    for (std::size_t j = 0; j < c.dictionary().size() && j < 8; ++j) dict += (j ? ", " : "") + c.dictionary()[j];
    if (c.dictionary().size() > 8) dict += ", ...";
    std::string values;
    std::size_t count = 0;
    for (std::size_t j = i; j < unknown.size(); ++j) {
      if (unknown[j].column != unknown[i].column) continue;
      done[j] = true;
      if (count < 5) values += (count ? ", '" : "'") + unknown[j].value + "'";
      ++count;
    }
    if (count == 1)
      warn(unknown[i].offset, "'" + unknown[i].value + "' is not a value of category column " + c.name() + " (" +
                                  dict + "); it never matches");
    else
      warn(unknown[i].offset, std::to_string(count) + " of the listed values are not values of category column " +
                                  c.name() + " (" + dict + "); they never match: " + values +
                                  (count > 5 ? ", ..." : ""));
  }
}

BoundPtr Binder::bind_compare(Op op, BoundPtr a, BoundPtr b, const ParsedExpr& pa, const ParsedExpr& pb,
                              const ParsedExpr& at) {
  if (a->type == Type::Null && b->type == Type::Null) {
    a = coerce_null(a, Type::Int);
    b = coerce_null(b, Type::Int);
  }
  // category <cmp> NULL: NULL on every row (kept as a node; the simplifier folds it).
  if ((a->type == Type::Category && b->type == Type::Null) || (a->type == Type::Null && b->type == Type::Category))
    return make(op, Type::Bool, {coerce_null(a, Type::Category), coerce_null(b, Type::Category)}, at);
  if (a->type == Type::Null) a = coerce_null(a, b->type);
  if (b->type == Type::Null) b = coerce_null(b, a->type);
  Type ta = a->type, tb = b->type;
  auto mismatch = [&](const std::string& why) {
    fail(at.op_pos, "cannot compare " + typed_operand(pa, *a) + " with " + typed_operand(pb, *b) + why);
  };
  // Category against a string: compare dictionary codes; the column goes left.
  if ((ta == Type::Category && tb == Type::String) || (ta == Type::String && tb == Type::Category)) {
    if (op != Op::Eq && op != Op::Ne) mismatch(": categories only support =, <> and IN");
    const BoundExpr& col = ta == Type::Category ? *a : *b;
    const BoundExpr& str = ta == Type::Category ? *b : *a;
    const ParsedExpr& pstr = ta == Type::Category ? pb : pa;
    auto code = std::make_shared<BoundExpr>(str);
    code->type = Type::Category;
    if (!str.null) {
      const Column& c = pop_.column(col.column);
      const std::string& value = pstr.text;
      auto k = c.find_code(value);
      code->i = k ? *k : -1;
      if (!k && unknown_) {
        unknown_->push_back({pstr.begin, value, col.column});
      } else if (!k) {
        std::string dict;
        for (std::size_t i = 0; i < c.dictionary().size() && i < 8; ++i) dict += (i ? ", " : "") + c.dictionary()[i];
        if (c.dictionary().size() > 8) dict += ", ...";
        warn(pstr.begin,
             "'" + value + "' is not a value of category column " + c.name() + " (" + dict + "); it never matches");
      }
    }
    BoundPtr colp = ta == Type::Category ? a : b;
    return make(op, Type::Bool, {colp, code}, at);
  }
  if (ta == Type::Category && tb == Type::Category) mismatch(": comparing two category columns is not supported");
  if (ta == Type::Category || tb == Type::Category) mismatch(": a category compares only with 'string' values");
  if (ta == Type::String || tb == Type::String) {
    bool date = ta == Type::Date || tb == Type::Date;
    mismatch(date ? ": write a date as DATE 'YYYY-MM-DD'" : ": strings compare only with category columns");
  }
  if (ta == Type::Bool || tb == Type::Bool) {
    if (ta != tb) mismatch(": a bool compares only with a bool (TRUE, FALSE)");
    if (op != Op::Eq && op != Op::Ne) mismatch(": bools only support = and <>");
    return make(op, Type::Bool, {a, b}, at);
  }
  if (ta == Type::Date || tb == Type::Date) {
    if (ta != tb) mismatch(": a date compares only with a date, e.g. DATE '2026-11-01'");
    return make(op, Type::Bool, {a, b}, at);
  }
  if (ta == Type::Int && tb == Type::Int) return make(op, Type::Bool, {a, b}, at);
  // Numbers in double; a float32-valued expression against a constant uses the float32 rule.
  bool a_f32 = f32_valued(*a);
  bool b_f32 = f32_valued(*b);
  if (!a_f32 && b_f32 && is_constant_expression(*a)) {
    std::swap(a, b);
    op = flip_comparison(op);
    a_f32 = true;
  }
  auto n = make(op, Type::Bool, {to_double(a), to_double(b)}, at);
  if (a_f32 && is_constant_expression(*b)) const_cast<BoundExpr&>(*n).f32 = true;
  return n;
}

}  // namespace nudge::expr
