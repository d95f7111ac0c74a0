#include "engine/expr/functions.h"

#include <array>

#include "engine/expr/history_calls.h"
#include "engine/expr/window_functions.h"

namespace nudge::expr {

namespace {

bool numeric(Type t) { return t == Type::Int || t == Type::Double; }

BoundPtr bind_numeric_arg(Binder& b, const ParsedExpr& call, const ParsedExpr& arg) {
  BoundPtr a = b.bind(arg);
  if (a->type == Type::Null) return Binder::coerce_null(a, Type::Int);
  if (!numeric(a->type))
    b.fail(arg.begin, std::string(call.text) + " needs a number, but " + b.describe_operand(arg, *a));
  return a;
}

BoundPtr bind_abs(Binder& b, const ParsedExpr& call) {
  BoundPtr a = bind_numeric_arg(b, call, *call.args[0]);
  return Binder::make(Op::Abs, a->type, {a}, call);
}

template <Op kOp>
BoundPtr bind_math(Binder& b, const ParsedExpr& call) {
  BoundPtr a = Binder::to_double(bind_numeric_arg(b, call, *call.args[0]));
  return Binder::make(kOp, Type::Double, {a}, call);
}

// least / greatest / coalesce: operands unified to one type, then a chain of binary nodes.
template <Op kOp>
BoundPtr bind_variadic(Binder& b, const ParsedExpr& call) {
  std::vector<const ParsedExpr*> src;
  std::vector<BoundPtr> args;
  for (const auto& a : call.args) {
    src.push_back(a.get());
    args.push_back(b.bind(*a));
  }
  Type t = b.unify(src, args, kOp == Op::Coalesce, "arguments of " + call.text);
  if (t == Type::Null) return Binder::null_of(Type::Null, call);  // only NULL arguments
  BoundPtr acc = args.back();
  if (kOp == Op::Coalesce) {  // coalesce(a, coalesce(b, c)): the first non-NULL
    for (std::size_t k = args.size() - 1; k-- > 0;) acc = Binder::make(kOp, t, {args[k], acc}, call);
    return args.size() == 1 ? args[0] : acc;
  }
  acc = args[0];
  for (std::size_t k = 1; k < args.size(); ++k) acc = Binder::make(kOp, t, {acc, args[k]}, call);
  return acc;
}

BoundPtr bind_days_since(Binder& b, const ParsedExpr& call) {
  const ParsedExpr& arg = *call.args[0];
  BoundPtr a = b.bind(arg);
  if (a->type == Type::Null) a = Binder::coerce_null(a, Type::Date);
  if (a->type != Type::Date)
    b.fail(arg.begin,
           "days_since needs a date (a date column or DATE 'YYYY-MM-DD'), but " + b.describe_operand(arg, *a));
  return Binder::make(Op::DaysSince, Type::Int, {a}, call);
}

// Add functions here (name lower case). A function whose arguments are not
// plain expressions reads them from the parsed call itself, as the windowed
// aggregates do (window_functions.cc: the series name from call.args[0], the
// window from call.args[1], arithmetic over the bucket columns).
constexpr std::array<FunctionDef, 20> kFunctions{{
    {"abs", 1, 1, "abs(number)", bind_abs},
    {"least", 1, kVariadic, "least(value, ...)", bind_variadic<Op::Least>},
    {"greatest", 1, kVariadic, "greatest(value, ...)", bind_variadic<Op::Greatest>},
    {"coalesce", 1, kVariadic, "coalesce(value, ...)", bind_variadic<Op::Coalesce>},
    {"ln", 1, 1, "ln(number)", bind_math<Op::Ln>},
    {"exp", 1, 1, "exp(number)", bind_math<Op::Exp>},
    {"sqrt", 1, 1, "sqrt(number)", bind_math<Op::Sqrt>},
    {"days_since", 1, 1, "days_since(date)", bind_days_since},
    // Windowed aggregates over activity series (engine/expr/window_functions.h).
    {"sum", 2, 2, "sum(series, last N months | months A to B ago)", bind_window_sum},
    {"avg", 2, 2, "avg(series, window)", bind_window_avg},
    {"min", 2, 2, "min(series, window)", bind_window_min},
    {"max", 2, 2, "max(series, window)", bind_window_max},
    {"count", 2, 2, "count(series, window)", bind_window_count},
    {"last_active", 2, 2, "last_active(series, window)", bind_window_last_active},
    {"trend", 2, 2, "trend(series, window)", bind_window_trend},
    // History aggregates (engine/expr/history_calls.h), bound to columns the sweep fills from the history.
    {"contacts", 1, kVariadic, "contacts(last N days [, field = 'value' ...])", bind_history_call},
    {"points", 1, kVariadic, "points(last N days [, field = 'value' ...])", bind_history_call},
    {"days_since_contact", 0, kVariadic, "days_since_contact([field = 'value' ...])", bind_history_call},
    {"responses", 1, kVariadic, "responses(last N days [, type = 'open' ...])", bind_history_call},
    {"answered", 2, kVariadic, "answered(last N days [, field = 'value' ...], within = N)", bind_history_call},
}};

}  // namespace

std::span<const FunctionDef> function_table() { return kFunctions; }

const FunctionDef* find_function(std::string_view lower_name) {
  for (const auto& f : kFunctions)
    if (f.name == lower_name) return &f;
  return nullptr;
}

}  // namespace nudge::expr
