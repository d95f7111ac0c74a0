// Windowed aggregates over activity series (engine/store/population.h Series):
// `sum(flights, last 3 months)`, `avg(spend, months 4 to 6 ago)`, ...
// (engine/expr/README.md, "Windowed aggregates over activity series").
//
// A window counts buckets back from the population's as_of, 1-based: month 1
// is the month that contains as_of (bucket 0), month 2 the one before, so
// `last N months` = months 1 to N ago = buckets 0..N-1 and `months A to B ago`
// = buckets A-1..B-1. The unit must be the series' own (days, weeks, months).
//
// Each aggregate is desugared at bind time into ordinary bound arithmetic over
// the window's bucket columns x_k, k = A-1..B-1, so the reference evaluator and
// simplifier treat it like any hand-written expression; its root is marked
// with a WindowSpec (engine/expr/bound_expr.h), so the compiler may compute it
// in the fused pass over the series' buckets (engine/expr/window_plan.h) with
// the same bits:
//   sum          x_{A-1} + ... + x_{B-1}                      (series type)
//   avg          sum / n                                      (double; n = B - A + 1)
//   min / max    least(...) / greatest(...)                   (series type)
//   count        sum of CASE WHEN x_k <> 0 THEN 1 ELSE 0 END  (integer: buckets with activity)
//   last_active  CASE WHEN x_{A-1} <> 0 THEN A-1 WHEN ... ELSE NULL END
//                (integer: buckets from as_of's bucket back to the most recent
//                active one in the window, 0 = active in as_of's bucket; NULL when
//                none in the window)
//   trend        (sum of c_k * x_k) / D, summed as c_k * (x_k - x_k') over the
//                symmetric pairs of the window                (double)
//                the least-squares slope of the values against time in buckets,
//                time increasing towards as_of (positive = growing): with t = 0
//                for the oldest bucket of the window, c = 2t - (n-1) and
//                D = n(n^2-1)/6 (the usual slope sum((t-tbar)(y-ybar)) /
//                sum((t-tbar)^2), both sides multiplied by 2). Needs n >= 2.
// NULL buckets (series columns from the activity import have none) propagate
// as in any arithmetic; count and last_active treat them as inactive.
//
// Errors (nudge::Error(InvalidInput) via Binder::fail, caret at the argument):
// the first argument is not a series (a column, or an unknown name, with the
// series names there are), the second is not a window, the window's unit is
// not the series', months counted from 0 or backwards, and a window longer
// than the series: "window 'last 30 months' reaches back 30 months, but series
// 'flights' has 24 monthly buckets".
// Thread-safety: pure functions of the binder's population.
#pragma once

#include "engine/expr/binder.h"

namespace nudge::expr {

BoundPtr bind_window_sum(Binder& b, const ParsedExpr& call);
BoundPtr bind_window_avg(Binder& b, const ParsedExpr& call);
BoundPtr bind_window_min(Binder& b, const ParsedExpr& call);
BoundPtr bind_window_max(Binder& b, const ParsedExpr& call);
BoundPtr bind_window_count(Binder& b, const ParsedExpr& call);
BoundPtr bind_window_last_active(Binder& b, const ParsedExpr& call);
BoundPtr bind_window_trend(Binder& b, const ParsedExpr& call);

}  // namespace nudge::expr
