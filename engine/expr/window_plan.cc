#include "engine/expr/window_plan.h"

#include <algorithm>

#include "engine/base/error.h"

namespace nudge::expr {
namespace {

WinKind win_kind(WindowKind k) {
  switch (k) {
    case WindowKind::Sum: return WinKind::Sum;
    case WindowKind::Min: return WinKind::Min;
    case WindowKind::Max: return WinKind::Max;
    case WindowKind::Count: return WinKind::Count;
    case WindowKind::LastActive: return WinKind::LastActive;
    case WindowKind::Trend: return WinKind::Trend;
  }
  return WinKind::Sum;
}

}  // namespace

std::optional<Storage> WindowPlan::series_storage(std::size_t series) {
  auto it = storage_.find(series);
  if (it != storage_.end()) return it->second;
  std::optional<Storage> st;
  const Series& s = pop_.series().at(series);
  for (std::size_t k = 0; k < s.bucket_columns.size(); ++k) {
    const DataType t = pop_.column(s.bucket_columns[k]).type();
    const std::optional<Storage> here = t == DataType::Int32     ? std::optional(Storage::I32)
                                        : t == DataType::Float32 ? std::optional(Storage::F32)
                                        : t == DataType::Float64 ? std::optional(Storage::F64)
                                                                 : std::nullopt;
    if (!here || (k > 0 && here != st)) {
      st.reset();
      break;
    }
    st = here;
  }
  storage_.emplace(series, st);
  return st;
}

bool WindowPlan::fused(const BoundExpr& e) {
  if (!e.window) return false;
  const WindowSpec& w = *e.window;
  const auto st = series_storage(w.series);
  if (!st || w.count == 0 || w.first + w.count > pop_.series()[w.series].buckets()) return false;
  // Trend: exact only for int32 series (the binder marks no other), coefficients within int32.
  if (w.kind == WindowKind::Trend && (*st != Storage::I32 || w.count > (std::size_t{1} << 14))) return false;
  const bool int_pool = *st == Storage::I32 || w.kind == WindowKind::Count || w.kind == WindowKind::LastActive ||
                        w.kind == WindowKind::Trend;
  return e.type == (int_pool ? Type::Int : Type::Double);
}

void WindowPlan::add(const BoundExpr* e) {
  if (group_of_.count(e)) return;
  const std::size_t series = e->window->series;
  auto [it, fresh] = group_of_series_.emplace(series, groups_.size());
  if (fresh) groups_.push_back(Group{series, {}});
  groups_[it->second].nodes.push_back(e);
  group_of_.emplace(e, it->second);
}

uint32_t WindowPlan::append(Program& p, std::size_t g, const std::vector<uint32_t>& dst,
                            std::set<std::size_t>& columns_read) const {
  const Group& grp = groups_.at(g);
  if (dst.size() != grp.nodes.size()) throw_internal("window plan: one register per output");
  std::size_t lo = grp.nodes[0]->window->first, hi = lo;
  for (const BoundExpr* e : grp.nodes) {
    lo = std::min(lo, e->window->first);
    hi = std::max(hi, e->window->first + e->window->count - 1);
  }
  const Series& s = pop_.series()[grp.series];
  WinGroup wg;
  wg.cols_begin = static_cast<uint32_t>(p.win_cols.size());
  wg.n_buckets = static_cast<uint32_t>(hi - lo + 1);
  wg.outs_begin = static_cast<uint32_t>(p.win_outs.size());
  wg.n_outs = static_cast<uint32_t>(grp.nodes.size());
  wg.first_bucket = static_cast<int64_t>(lo);
  wg.st = *storage_.at(grp.series);
  for (std::size_t k = lo; k <= hi; ++k) {
    p.win_cols.push_back(static_cast<uint32_t>(s.bucket_columns[k]));
    columns_read.insert(s.bucket_columns[k]);
  }
  for (std::size_t i = 0; i < grp.nodes.size(); ++i) {
    const WindowSpec& w = *grp.nodes[i]->window;
    WinOut o;
    o.kind = win_kind(w.kind);
    o.first = static_cast<uint32_t>(w.first - lo);
    o.last = static_cast<uint32_t>(w.first + w.count - 1 - lo);
    o.dst = dst[i];
    p.win_outs.push_back(o);
  }
  p.win_groups.push_back(wg);
  return static_cast<uint32_t>(p.win_groups.size() - 1);
}

}  // namespace nudge::expr
