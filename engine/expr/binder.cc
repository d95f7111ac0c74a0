#include "engine/expr/binder.h"

#include <charconv>
#include <utility>

#include "engine/base/error.h"
#include "engine/expr/functions.h"
#include "engine/expr/source_error.h"

namespace nudge::expr {

namespace {

Type column_type(DataType t) {
  switch (t) {
    case DataType::Bool: return Type::Bool;
    case DataType::Int32:
    case DataType::Int64:
    case DataType::UInt64: return Type::Int;
    case DataType::Float32:
    case DataType::Float64: return Type::Double;
    case DataType::Category: return Type::Category;
    case DataType::Date: return Type::Date;
  }
  return Type::Int;
}

bool numeric(Type t) { return t == Type::Int || t == Type::Double; }

Op arith_op(Tok t) {
  switch (t) {
    case Tok::Plus: return Op::Add;
    case Tok::Minus: return Op::Sub;
    case Tok::Star: return Op::Mul;
    case Tok::Slash: return Op::Div;
    default: return Op::Mod;
  }
}

Op compare_op(Tok t) {
  switch (t) {
    case Tok::Eq: return Op::Eq;
    case Tok::Ne: return Op::Ne;
    case Tok::Lt: return Op::Lt;
    case Tok::Le: return Op::Le;
    case Tok::Gt: return Op::Gt;
    default: return Op::Ge;
  }
}

}  // namespace

void Binder::fail(std::size_t offset, const std::string& message) const {
  throw_source_error(origin_, text_, offset, message);
}

void Binder::warn(std::size_t offset, const std::string& message) {
  if (warnings_) warnings_->push_back(source_position(origin_, text_, offset) + ": " + message);
}

std::string Binder::operand_text(const ParsedExpr& e) const {
  std::string s(text_.substr(e.begin, e.end - e.begin));
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string Binder::describe_operand(const ParsedExpr& e, const BoundExpr& b) const {
  return operand_text(e) + " is " + std::string(type_label(b.type));
}

std::string Binder::typed_operand(const ParsedExpr& e, const BoundExpr& b) const {
  return operand_text(e) + " (" + std::string(type_label(b.type)) + ")";
}

BoundPtr Binder::make(Op op, Type type, std::vector<BoundPtr> children, const ParsedExpr& at) {
  auto n = std::make_shared<BoundExpr>();
  n->op = op;
  n->type = type;
  n->children = std::move(children);
  n->begin = at.begin;
  n->end = at.end;
  return n;
}

BoundPtr Binder::null_of(Type type, const ParsedExpr& at) {
  auto n = make(Op::Const, type, {}, at);
  const_cast<BoundExpr&>(*n).null = true;
  return n;
}

BoundPtr Binder::coerce_null(BoundPtr e, Type t) {
  if (e->type != Type::Null) return e;
  auto n = std::make_shared<BoundExpr>(*e);
  n->type = t;
  return n;
}

BoundPtr Binder::to_double(BoundPtr e) {
  if (e->type == Type::Null) return coerce_null(e, Type::Double);
  if (e->type != Type::Int) return e;
  auto n = std::make_shared<BoundExpr>();
  n->op = Op::ToDouble;
  n->type = Type::Double;
  n->begin = e->begin;
  n->end = e->end;
  n->children.push_back(std::move(e));
  return n;
}

BoundPtr Binder::bind_predicate(const ParsedExpr& e) {
  return expect_bool(bind(e), e, "a trigger condition must be bool, but");
}

BoundPtr Binder::bind_number(const ParsedExpr& e) {
  BoundPtr b = bind(e);
  if (b->type == Type::Null) return coerce_null(b, Type::Double);
  if (!numeric(b->type)) fail(e.begin, "a number expression must be integer or double, but " + describe_operand(e, *b));
  return to_double(b);
}

BoundPtr Binder::expect_bool(BoundPtr b, const ParsedExpr& e, const std::string& context) {
  if (b->type == Type::Null) return coerce_null(b, Type::Bool);
  if (b->type != Type::Bool) fail(e.begin, context + " " + describe_operand(e, *b));
  return b;
}

BoundPtr Binder::bind(const ParsedExpr& e) {
  switch (e.kind) {
    case PKind::Integer:
    case PKind::Decimal:
    case PKind::String:
    case PKind::Date:
    case PKind::Bool:
    case PKind::Null: return bind_literal(e);
    case PKind::Column: return bind_column(e);
    case PKind::Unary:
    case PKind::Binary: return bind_arith(e);
    case PKind::Compare: {
      BoundPtr a = bind(*e.args[0]), b = bind(*e.args[1]);
      return bind_compare(compare_op(e.op), a, b, *e.args[0], *e.args[1], e);
    }
    case PKind::Not:
    case PKind::And:
    case PKind::Or:
    case PKind::IsNull: return bind_logic(e);
    case PKind::In: {
      // x = v1 OR x = v2 OR ... as a balanced tree (OR is associative in
      // three-valued logic): log2(n) levels, so a 40,000-value list cannot
      // overflow the stack of the simplifier, compiler or reference evaluator.
      BoundPtr x = bind(*e.args[0]);
      std::vector<BoundPtr> level;
      level.reserve(e.args.size() - 1);
      std::vector<UnknownValue> unknown;
      for (std::size_t k = 1; k < e.args.size(); ++k) {
        BoundPtr v = bind(*e.args[k]);
        std::vector<UnknownValue>* outer = std::exchange(unknown_, &unknown);
        level.push_back(bind_compare(Op::Eq, x, v, *e.args[0], *e.args[k], e));
        unknown_ = outer;
      }
      warn_unknown_values(unknown);
      while (level.size() > 1) {
        std::vector<BoundPtr> up;
        up.reserve(level.size() / 2 + 1);
        for (std::size_t k = 0; k + 1 < level.size(); k += 2)
          up.push_back(make(Op::Or, Type::Bool, {level[k], level[k + 1]}, e));
        if (level.size() % 2) up.push_back(level.back());
        level = std::move(up);
      }
      return e.flag ? make(Op::Not, Type::Bool, {level[0]}, e) : level[0];
    }
    case PKind::Between: {
      BoundPtr x = bind(*e.args[0]);
      BoundPtr lo = bind_compare(Op::Ge, x, bind(*e.args[1]), *e.args[0], *e.args[1], e);
      BoundPtr hi = bind_compare(Op::Le, x, bind(*e.args[2]), *e.args[0], *e.args[2], e);
      BoundPtr both = make(Op::And, Type::Bool, {lo, hi}, e);
      return e.flag ? make(Op::Not, Type::Bool, {both}, e) : both;
    }
    case PKind::Case: return bind_case(e);
    case PKind::Call: return bind_call(e);
    case PKind::Window:
      fail(e.begin, "a window ('" + operand_text(e) +
                        "') can only be the second argument of sum, avg, min, max, count, last_active or trend, "
                        "e.g. sum(flights, last 3 months)");
  }
  throw_internal("binder: unknown parse node");
}

BoundPtr Binder::bind_literal(const ParsedExpr& e) {
  auto n = std::make_shared<BoundExpr>();
  n->op = Op::Const;
  n->begin = e.begin;
  n->end = e.end;
  const std::string& s = e.text;
  switch (e.kind) {
    case PKind::Integer: {
      n->type = Type::Int;
      auto r = std::from_chars(s.data(), s.data() + s.size(), n->i);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size())
        fail(e.begin, "integer " + s + " is out of range (at most 9223372036854775807; write it as a decimal, e.g. " +
                          s + ".0, for a double)");
      break;
    }
    case PKind::Decimal: {
      n->type = Type::Double;
      auto r = std::from_chars(s.data(), s.data() + s.size(), n->d);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size())
        fail(e.begin, "number " + s + " is out of the range of double");
      break;
    }
    case PKind::String: n->type = Type::String; break;
    case PKind::Date: {
      n->type = Type::Date;
      auto d = parse_iso_date(s);
      if (!d) fail(e.op_pos, "invalid date '" + s + "' (expected a real day written YYYY-MM-DD)");
      n->i = *d;
      break;
    }
    case PKind::Bool:
      n->type = Type::Bool;
      n->i = e.flag ? 1 : 0;
      break;
    default:
      n->type = Type::Null;
      n->null = true;
      break;
  }
  return n;
}

BoundPtr Binder::bind_column(const ParsedExpr& e) {
  auto idx = pop_.find(e.text);
  if (!idx) idx = pop_.find(normalize_name(e.text));
  if (!idx) {
    if (normalize_name(e.text) == "churn")
      fail(e.begin, "unknown column '" + e.text +
                        "' (the model's churn score is no column: it can only multiply a campaign action's whole "
                        "priority, as '<expression> * churn')");
    fail(e.begin, "unknown column '" + e.text + "'" + pop_.nearest_column(e.text).hint());
  }
  const Column& c = pop_.column(*idx);
  auto n = std::make_shared<BoundExpr>();
  n->op = Op::Column;
  n->column = *idx;
  n->ctype = c.type();
  n->type = column_type(c.type());
  n->begin = e.begin;
  n->end = e.end;
  return n;
}

BoundPtr Binder::bind_arith(const ParsedExpr& e) {
  if (e.kind == PKind::Unary) {
    BoundPtr a = bind(*e.args[0]);
    if (a->type == Type::Null) a = coerce_null(a, Type::Int);
    if (!numeric(a->type))
      fail(e.op_pos, "unary '" + std::string(token_spelling(e.op)).substr(1, 1) + "' needs a number, but " +
                         describe_operand(*e.args[0], *a));
    return e.op == Tok::Minus ? make(Op::Neg, a->type, {a}, e) : a;
  }
  Op op = arith_op(e.op);
  BoundPtr a = bind(*e.args[0]), b = bind(*e.args[1]);
  if (a->type == Type::Null) a = coerce_null(a, b->type == Type::Null || b->type == Type::Date ? Type::Int : b->type);
  if (b->type == Type::Null) b = coerce_null(b, a->type == Type::Date ? Type::Int : a->type);
  Type ta = a->type, tb = b->type;
  // Date arithmetic: date +- integer -> date, integer + date -> date, date - date -> integer days.
  if (op == Op::Add && ta == Type::Date && tb == Type::Int) return make(op, Type::Date, {a, b}, e);
  if (op == Op::Add && ta == Type::Int && tb == Type::Date) return make(op, Type::Date, {a, b}, e);
  if (op == Op::Sub && ta == Type::Date && tb == Type::Int) return make(op, Type::Date, {a, b}, e);
  if (op == Op::Sub && ta == Type::Date && tb == Type::Date) return make(op, Type::Int, {a, b}, e);
  if (!numeric(ta) || !numeric(tb)) {
    std::string sym(token_spelling(e.op).substr(1, 1));
    fail(e.op_pos, "operator '" + sym + "' needs numbers" +
                       std::string(op == Op::Add || op == Op::Sub ? " (or a date and an integer)" : "") +
                       ", but the left operand is " + typed_operand(*e.args[0], *a) + " and the right operand " +
                       typed_operand(*e.args[1], *b));
  }
  if (op != Op::Div && ta == Type::Int && tb == Type::Int) return make(op, Type::Int, {a, b}, e);
  return make(op, Type::Double, {to_double(a), to_double(b)}, e);
}

BoundPtr Binder::bind_logic(const ParsedExpr& e) {
  if (e.kind == PKind::IsNull) {
    BoundPtr a = bind(*e.args[0]);
    if (a->type == Type::Null) a = coerce_null(a, Type::Int);
    BoundPtr is = make(Op::IsNull, Type::Bool, {a}, e);
    return e.flag ? make(Op::Not, Type::Bool, {is}, e) : is;
  }
  std::string name = e.kind == PKind::Not ? "NOT" : e.kind == PKind::And ? "AND" : "OR";
  std::vector<BoundPtr> kids;
  for (std::size_t k = 0; k < e.args.size(); ++k) {
    std::string side = e.args.size() == 1 ? "its operand" : k == 0 ? "the left operand" : "the right operand";
    kids.push_back(expect_bool(bind(*e.args[k]), *e.args[k], name + " needs bool operands, but " + side));
  }
  Op op = e.kind == PKind::Not ? Op::Not : e.kind == PKind::And ? Op::And : Op::Or;
  return make(op, Type::Bool, std::move(kids), e);
}

Type Binder::unify(const std::vector<const ParsedExpr*>& parsed, std::vector<BoundPtr>& bound, bool allow_bool,
                   const std::string& what) {
  Type t = Type::Null;
  std::size_t first = 0;
  for (std::size_t k = 0; k < bound.size(); ++k) {
    Type u = bound[k]->type;
    if (u == Type::Null) continue;
    bool ok = u == Type::Int || u == Type::Double || u == Type::Date || (allow_bool && u == Type::Bool);
    if (!ok)
      fail(parsed[k]->begin,
           what + " cannot be " + std::string(type_label(u)) + ": " + describe_operand(*parsed[k], *bound[k]));
    if (t == Type::Null) {
      t = u;
      first = k;
    } else if (t != u) {
      if (numeric(t) && numeric(u)) t = Type::Double;
      else
        fail(parsed[k]->begin, what + " must share one type, but " + typed_operand(*parsed[first], *bound[first]) +
                                   " differs from " + typed_operand(*parsed[k], *bound[k]));
    }
  }
  if (t == Type::Null) return t;  // only NULLs: the caller returns an untyped NULL
  for (auto& b : bound) b = t == Type::Double ? to_double(b) : coerce_null(b, t);
  return t;
}

BoundPtr Binder::bind_case(const ParsedExpr& e) {
  std::size_t k = 0;
  BoundPtr operand;
  if (e.flag) operand = bind(*e.args[k++]);
  std::vector<BoundPtr> conds, values;
  std::vector<const ParsedExpr*> value_src;
  std::size_t pairs_end = e.args.size() - (e.has_else ? 1 : 0);
  for (; k < pairs_end; k += 2) {
    const ParsedExpr& pc = *e.args[k];
    BoundPtr c = bind(pc);
    if (operand) c = bind_compare(Op::Eq, operand, c, *e.args[0], pc, pc);
    else c = expect_bool(c, pc, "a WHEN condition must be bool, but");
    conds.push_back(c);
    values.push_back(bind(*e.args[k + 1]));
    value_src.push_back(e.args[k + 1].get());
  }
  if (e.has_else) {
    values.push_back(bind(*e.args.back()));
    value_src.push_back(e.args.back().get());
  }
  Type t = unify(value_src, values, true, "CASE results");
  if (t == Type::Null) return null_of(Type::Null, e);  // every result is NULL
  std::vector<BoundPtr> kids;
  for (std::size_t i = 0; i < conds.size(); ++i) {
    kids.push_back(conds[i]);
    kids.push_back(values[i]);
  }
  kids.push_back(e.has_else ? values.back() : null_of(t, e));
  return make(Op::Case, t, std::move(kids), e);
}

BoundPtr Binder::bind_call(const ParsedExpr& e) {
  std::string low = normalize_name(e.text);
  const FunctionDef* f = find_function(low);
  if (!f) {
    NearestName near(low);
    for (const auto& d : function_table()) near.consider(d.name);
    fail(e.begin, "unknown function '" + e.text + "'" + near.hint());
  }
  std::size_t n = e.args.size();
  if (n < f->min_args || n > f->max_args) {
    std::string want = f->min_args == f->max_args ? std::to_string(f->min_args)
                       : f->max_args == kVariadic ? "at least " + std::to_string(f->min_args)
                                                  : std::to_string(f->min_args) + " to " + std::to_string(f->max_args);
    fail(e.begin, std::string(f->name) + " takes " + want + " argument" + (want == "1" ? "" : "s") + ", got " +
                      std::to_string(n) + " (" + std::string(f->signature) + ")");
  }
  return f->bind(*this, e);
}

}  // namespace nudge::expr
