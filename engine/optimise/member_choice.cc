// A member's exact best set at given prices (member_choice.h).
#include "engine/optimise/member_choice.h"

#include <limits>

namespace nudge::optimise {
namespace {

struct Search {
  const MemberProblem* p;
  int idx[64];     // item order: value desc, index
  double val[64];  // value of idx[k]
  std::size_t m = 0;
  int64_t left[64];  // cap allowances (caps <= 64)
  double best = 0;
  uint64_t best_set = 0;

  // Upper bound on what items k.. can add with `slots` more decisions.
  double bound(std::size_t k, std::size_t slots) const noexcept {
    double b = 0;
    for (std::size_t j = k; j < m && slots; ++j, --slots) b += val[j];
    return b;
  }

  void dfs(std::size_t k, std::size_t count, double spent, double value, uint64_t set) noexcept {
    if (value > best) best = value, best_set = set;
    if (count >= p->max_kept) return;
    for (std::size_t j = k; j < m; ++j) {
      if (!(value + bound(j, p->max_kept - count) > best)) return;  // sorted: nothing later does better
      const decide::Candidate& c = p->c[idx[j]];
      if (spent + c.cost > p->budget) continue;
      bool capped = false;
      for (uint64_t mk = c.cap_mask; mk; mk &= mk - 1) capped |= left[__builtin_ctzll(mk)] <= 0;
      if (capped) continue;
      for (uint64_t mk = c.cap_mask; mk; mk &= mk - 1) --left[__builtin_ctzll(mk)];
      dfs(j + 1, count + 1, spent + c.cost, value + val[j], set | uint64_t{1} << idx[j]);
      for (uint64_t mk = c.cap_mask; mk; mk &= mk - 1) ++left[__builtin_ctzll(mk)];
    }
  }
};

}  // namespace

MemberChoice best_set(const MemberProblem& p, const double* shift, uint64_t allowed, int forced) noexcept {
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  if (!(p.budget > 0) || p.max_kept == 0) return {0, forced >= 0 ? kNegInf : 0.0};
  Search s;
  s.p = &p;
  for (std::size_t j = 0; j < p.caps; ++j) s.left[j] = p.allowance[j];
  double spent = 0, value = 0;
  uint64_t set = 0;
  std::size_t count = 0;
  if (forced >= 0) {
    const decide::Candidate& c = p.c[forced];
    if (c.cost > p.budget) return {0, kNegInf};
    for (uint64_t mk = c.cap_mask; mk; mk &= mk - 1)
      if (s.left[__builtin_ctzll(mk)]-- <= 0) return {0, kNegInf};
    spent = c.cost;
    value = c.priority - shift[c.action];
    set = uint64_t{1} << forced;
    count = 1;
    allowed &= ~set;
  }
  for (std::size_t i = 0; i < p.n; ++i) {
    if (!(allowed >> i & 1)) continue;
    const double v = p.c[i].priority - shift[p.c[i].action];
    if (!(v > 0)) continue;
    // Insertion by (value desc, index asc); n is small.
    std::size_t k = s.m++;
    while (k > 0 && s.val[k - 1] < v) {
      s.val[k] = s.val[k - 1], s.idx[k] = s.idx[k - 1];
      --k;
    }
    s.val[k] = v, s.idx[k] = static_cast<int>(i);
  }
  s.best = value, s.best_set = set;
  s.dfs(0, count, spent, value, set);
  return {s.best_set, s.best};
}

}  // namespace nudge::optimise
