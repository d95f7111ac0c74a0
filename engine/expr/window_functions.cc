#include "engine/expr/window_functions.h"

#include <charconv>

#include "engine/store/series_calendar.h"

namespace nudge::expr {
namespace {

const char* unit_adjective(BucketUnit u) {
  switch (u) {
    case BucketUnit::Day: return "daily";
    case BucketUnit::Week: return "weekly";
    case BucketUnit::Month: return "monthly";
  }
  return "";
}

std::string series_names(const Population& pop) {
  std::string s;
  for (const auto& x : pop.series()) s += (s.empty() ? "" : ", ") + x.name;
  return s.empty() ? "the population has no activity series" : "series: " + s;
}

// The bucket columns a call reads, as bound column nodes, bucket A-1 first.
struct Window {
  std::vector<BoundPtr> x;  // x[i] = bucket first + i
  std::size_t first = 0;    // bucket index of x[0]
  std::size_t series = 0;   // index of the series in Population::series()
  Type type = Type::Int;    // the series' value type
  bool int32 = true;        // every bucket column is int32: sums are exact in int64 in any order
};

// Sums in double (float series) or of int64 buckets depend on the order of
// the additions, so they are chained left to right, one tree level per
// bucket; longer windows are refused before any stage recurses over them.
constexpr std::size_t kMaxOrderedBuckets = 1024;

Window resolve(Binder& b, const ParsedExpr& call) {
  const std::string fn = normalize_name(call.text);
  const ParsedExpr& sa = *call.args[0];
  const ParsedExpr& wa = *call.args[1];
  const Population& pop = b.population();
  const Series* s = nullptr;
  if (sa.kind == PKind::Column) {
    s = pop.find_series(sa.text);
    if (!s) s = pop.find_series(normalize_name(sa.text));
  }
  if (!s) {
    if (sa.kind == PKind::Column && pop.find(sa.text))
      b.fail(sa.begin, fn + " needs an activity series as first argument, but '" + sa.text + "' is a column (" +
                           series_names(pop) + ")");
    if (sa.kind == PKind::Column) {
      NearestName near(sa.text);
      for (const auto& x : pop.series()) near.consider(x.name);
      b.fail(sa.begin, "unknown series '" + sa.text + "'" + near.hint() + " (" + series_names(pop) + ")");
    }
    b.fail(sa.begin, fn + " needs an activity series name as first argument, e.g. " + fn +
                         "(flights, last 3 months), but found '" + b.operand_text(sa) + "'");
  }
  if (wa.kind != PKind::Window)
    b.fail(wa.begin, fn + " needs a window as second argument ('last 3 months' or 'months 4 to 6 ago'), but found '" +
                         b.operand_text(wa) + "'");
  const std::string unit = bucket_unit_plural(s->unit);
  if (wa.text != unit)
    b.fail(wa.begin, "series '" + s->name + "' has " + unit_adjective(s->unit) + " buckets; write the window in " +
                         unit + ", not " + wa.text);
  uint64_t from = 0, to = 0;
  auto num = [&](const ParsedExpr& n, uint64_t& v) {
    auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
    if (r.ec != std::errc() || v > 1000000) b.fail(n.begin, "window bound " + n.text + " is too large");
  };
  num(*wa.args[0], from);
  num(*wa.args[1], to);
  const std::string wtext = b.operand_text(wa);
  if (from == 0)
    b.fail(wa.args[0]->begin, unit + " in a window are counted from 1 (" + unit +
                                  " 1 ago is the one that contains as_of), so '" + wtext + "' has no bucket 0");
  if (to == 0)  // "last 0 months": no bucket at all (swapping the bounds would give bucket 0)
    b.fail(wa.begin, "window '" + wtext + "' holds no bucket; a window holds at least one (last 1 " + unit + ")");
  if (from > to)
    b.fail(wa.begin, "window '" + wtext + "' runs backwards; write " + unit + " " + std::to_string(to) + " to " +
                         std::to_string(from) + " ago");
  if (to > s->buckets())
    b.fail(wa.begin, "window '" + wtext + "' reaches back " + std::to_string(to) + " " + unit + ", but series '" +
                         s->name + "' has " + std::to_string(s->buckets()) + " " + unit_adjective(s->unit) +
                         " buckets");
  Window w;
  w.first = from - 1;
  w.series = static_cast<std::size_t>(s - pop.series().data());
  for (std::size_t k = from - 1; k < to; ++k) {
    const std::size_t ci = s->bucket_columns[k];
    const Column& c = pop.column(ci);
    if (!is_numeric(c.type()))
      b.fail(sa.begin, "series '" + s->name + "' bucket column '" + c.name() + "' is " +
                           std::string(type_name(c.type())) + ", not a number");
    auto n = std::make_shared<BoundExpr>();
    n->op = Op::Column;
    n->column = ci;
    n->ctype = c.type();
    n->type = (c.type() == DataType::Float32 || c.type() == DataType::Float64) ? Type::Double : Type::Int;
    if (c.type() != DataType::Int32) w.int32 = false;
    n->begin = call.begin;
    n->end = call.end;
    w.x.push_back(std::move(n));
  }
  w.type = w.x[0]->type;
  for (auto& x : w.x)
    if (x->type != w.type) x = Binder::to_double(x), w.type = Type::Double;
  if (w.type == Type::Double)
    for (auto& x : w.x) x = Binder::to_double(x);
  return w;
}

// `root`, the desugared aggregate, marked as computing `kind` over the whole
// window (BoundExpr::window), so the compiler may fuse it; a root that is one
// of the window's own bucket nodes (a one-bucket sum, min or max) stays as is.
BoundPtr mark(BoundPtr root, WindowKind kind, const Window& w) {
  for (const auto& x : w.x)
    if (x == root) return root;
  auto n = std::make_shared<BoundExpr>(*root);
  n->window = std::make_shared<const WindowSpec>(WindowSpec{kind, w.series, w.first, w.x.size()});
  return n;
}

BoundPtr int_const(int64_t v, const ParsedExpr& at) {
  auto n = std::make_shared<BoundExpr>();
  n->op = Op::Const;
  n->type = Type::Int;
  n->i = v;
  n->begin = at.begin;
  n->end = at.end;
  return n;
}

BoundPtr double_const(double v, const ParsedExpr& at) {
  auto n = std::make_shared<BoundExpr>();
  n->op = Op::Const;
  n->type = Type::Double;
  n->d = v;
  n->begin = at.begin;
  n->end = at.end;
  return n;
}

BoundPtr zero_of(Type t, const ParsedExpr& at) { return t == Type::Int ? int_const(0, at) : double_const(0, at); }

// x <> 0, with the float32 comparison rule for bare float32 columns.
BoundPtr active(Binder& b, const BoundPtr& x, const ParsedExpr& call) {
  return b.bind_compare(Op::Ne, x, zero_of(x->type, call), call, call, call);
}

BoundPtr chain(Op op, Type t, const std::vector<BoundPtr>& xs, const ParsedExpr& call) {
  BoundPtr acc = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) acc = Binder::make(op, t, {acc, xs[i]}, call);
  return acc;
}

// The same value as chain() when `op` is associative on these operands
// (int32 sums in int64, 0/1 counts, least, greatest: NULL and the first NaN
// win either way), as a balanced tree: log2(n) levels, so a 50,000-bucket
// window cannot overflow the stack of any later stage.
BoundPtr balanced(Op op, Type t, std::vector<BoundPtr> xs, const ParsedExpr& call) {
  while (xs.size() > 1) {
    std::vector<BoundPtr> up;
    up.reserve(xs.size() / 2 + 1);
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) up.push_back(Binder::make(op, t, {xs[i], xs[i + 1]}, call));
    if (xs.size() % 2) up.push_back(xs.back());
    xs = std::move(up);
  }
  return xs[0];
}

// A sum over the window: balanced when exact in any order, else in order (bounded length).
// `exact`: no partial sum can leave int64 (int32 buckets, at most 10^6 of them: |sum| < 2^51).
BoundPtr window_sum(Binder& b, const Window& w, const std::vector<BoundPtr>& terms, const ParsedExpr& call,
                    bool exact) {
  if (exact) return balanced(Op::Add, w.type, terms, call);
  if (w.x.size() > kMaxOrderedBuckets)
    b.fail(call.args[1]->begin, "window '" + b.operand_text(*call.args[1]) + "' spans " + std::to_string(w.x.size()) +
                                    " buckets; a float or int64 series is summed in "
                                    "order, at most " +
                                    std::to_string(kMaxOrderedBuckets) + " buckets (int32 series: any length)");
  return chain(Op::Add, w.type, terms, call);
}

}  // namespace

BoundPtr bind_window_sum(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  return mark(window_sum(b, w, w.x, call, w.type == Type::Int && w.int32), WindowKind::Sum, w);
}

BoundPtr bind_window_avg(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  BoundPtr sum =
      Binder::to_double(mark(window_sum(b, w, w.x, call, w.type == Type::Int && w.int32), WindowKind::Sum, w));
  return Binder::make(Op::Div, Type::Double, {sum, double_const(static_cast<double>(w.x.size()), call)}, call);
}

BoundPtr bind_window_min(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  return mark(balanced(Op::Least, w.type, w.x, call), WindowKind::Min, w);
}

BoundPtr bind_window_max(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  return mark(balanced(Op::Greatest, w.type, w.x, call), WindowKind::Max, w);
}

BoundPtr bind_window_count(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  std::vector<BoundPtr> flags;
  for (const auto& x : w.x)
    flags.push_back(
        Binder::make(Op::Case, Type::Int, {active(b, x, call), int_const(1, call), int_const(0, call)}, call));
  return mark(balanced(Op::Add, Type::Int, flags, call), WindowKind::Count, w);
}

BoundPtr bind_window_last_active(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  std::vector<BoundPtr> ch;
  for (std::size_t i = 0; i < w.x.size(); ++i) {
    ch.push_back(active(b, w.x[i], call));
    ch.push_back(int_const(static_cast<int64_t>(w.first + i), call));
  }
  ch.push_back(Binder::null_of(Type::Int, call));
  return mark(Binder::make(Op::Case, Type::Int, std::move(ch), call), WindowKind::LastActive, w);
}

BoundPtr bind_window_trend(Binder& b, const ParsedExpr& call) {
  Window w = resolve(b, call);
  const auto n = static_cast<int64_t>(w.x.size());
  if (n < 2)
    b.fail(call.args[1]->begin,
           "trend needs a window of at least 2 buckets, but '" + b.operand_text(*call.args[1]) + "' has 1");
  // x[i] is bucket first + i: the newest first, so its time is t = n - 1 - i
  // and its coefficient c_i = 2t - (n-1) = n - 1 - 2i. The coefficients are
  // antisymmetric (c_{n-1-i} = -c_i), so the sum is taken over pairs:
  // c_i * (x_i - x_{n-1-i}) for i < n/2 (half the multiplications; exact
  // in int64 for integer series, and one tree for both evaluators).
  std::vector<BoundPtr> terms;
  for (int64_t i = 0; i < n / 2; ++i) {
    const int64_t c = n - 1 - 2 * i;
    BoundPtr diff = Binder::make(Op::Sub, w.type,
                                 {w.x[static_cast<std::size_t>(i)], w.x[static_cast<std::size_t>(n - 1 - i)]}, call);
    if (c == 1) {
      terms.push_back(diff);
      continue;
    }
    BoundPtr k = w.type == Type::Int ? int_const(c, call) : double_const(static_cast<double>(c), call);
    terms.push_back(Binder::make(Op::Mul, w.type, {k, diff}, call));
  }
  // |c * diff| <= n * 2^32, so n <= 2^14 keeps every partial sum of n/2 terms below 2^59.
  const bool exact = w.type == Type::Int && w.int32 && n <= (1 << 14);
  // Exact: the numerator is sum of (n - 1 - 2k) * x_k in any order, which the fused pass computes.
  BoundPtr num = window_sum(b, w, terms, call, exact);
  if (exact) num = mark(num, WindowKind::Trend, w);
  num = Binder::to_double(num);
  const double d = static_cast<double>(n) * static_cast<double>(n * n - 1) / 6.0;
  return Binder::make(Op::Div, Type::Double, {num, double_const(d, call)}, call);
}

}  // namespace nudge::expr
