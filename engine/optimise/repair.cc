// Repair, refill and min-volume fill (repair.h).
#include "engine/optimise/repair.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace nudge::optimise {
namespace {

struct Item {
  double key;  // the sort value (desc)
  uint64_t customer_id;
  uint32_t member;
  uint16_t action;
  uint8_t index;  // candidate index within the member
};

bool item_before(const Item& a, const Item& b) noexcept {
  if (a.key != b.key) return a.key > b.key;
  if (a.customer_id != b.customer_id) return a.customer_id < b.customer_id;
  return a.action < b.action;
}

}  // namespace

void constraint_usage(const Problem& p, const std::vector<uint64_t>& set, std::vector<double>& up,
                      std::vector<double>& lo) {
  const ConstraintSet& cs = *p.cons;
  const std::size_t n = p.store->members(), K = cs.upper.size(), L = cs.lower.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> part(chunks * (K + L), 0.0);
  for_chunks(n, [&](std::size_t chunk, std::size_t b, std::size_t e) {
    double* u = part.data() + chunk * (K + L);
    for (std::size_t m = b; m < e; ++m) {
      const auto* c = p.store->cand.data() + p.store->off[m];
      for (uint64_t s = set[m]; s; s &= s - 1) {
        const auto a = c[__builtin_ctzll(s)].action;
        for (const Use& x : cs.action_upper[a]) u[x.k] += x.w;
        if (cs.action_lower[a] >= 0) u[K + static_cast<std::size_t>(cs.action_lower[a])] += 1;
      }
    }
  });
  up.assign(K, 0.0), lo.assign(L, 0.0);
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t k = 0; k < K; ++k) up[k] += part[c * (K + L) + k];
    for (std::size_t l = 0; l < L; ++l) lo[l] += part[c * (K + L) + K + l];
  }
}

namespace {

// Can member m add candidate i to its set (count, budget, frequency caps)?
bool fits_member(const Problem& p, std::size_t m, uint64_t set, std::size_t i) {
  const MemberProblem mp = p.member(m);
  if (!(mp.budget > 0) || static_cast<std::size_t>(__builtin_popcountll(set)) >= mp.max_kept) return false;
  double spent = mp.c[i].cost;
  int64_t used[64] = {};
  for (uint64_t s = set; s; s &= s - 1) {
    const auto& c = mp.c[__builtin_ctzll(s)];
    spent += c.cost;
    for (uint64_t mk = c.cap_mask; mk; mk &= mk - 1) ++used[__builtin_ctzll(mk)];
  }
  if (spent > mp.budget) return false;
  for (uint64_t mk = mp.c[i].cap_mask; mk; mk &= mk - 1)
    if (used[__builtin_ctzll(mk)] >= mp.allowance[__builtin_ctzll(mk)]) return false;
  return true;
}

bool fits_global(const ConstraintSet& cs, const std::vector<double>& up, uint16_t action) {
  for (const Use& x : cs.action_upper[action])
    if (up[x.k] + x.w > cs.upper[x.k].limit) return false;
  return true;
}

void take(const ConstraintSet& cs, std::vector<double>& up, std::vector<double>& lo, uint16_t action, double sign) {
  for (const Use& x : cs.action_upper[action]) up[x.k] += sign * x.w;
  if (cs.action_lower[action] >= 0) lo[static_cast<std::size_t>(cs.action_lower[action])] += sign;
}

// Candidates of active members not in their set, of positive priority, that
// fit the member now and pass `want`; sorted by priority desc, customer_id, action.
template <class Want>
std::vector<Item> additions(const Problem& p, const std::vector<uint64_t>& set, Want want) {
  tbb::enumerable_thread_specific<std::vector<Item>> local;
  for_chunks(p.active.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    auto& v = local.local();
    for (std::size_t j = b; j < e; ++j) {
      const std::size_t m = p.active[j];
      const MemberProblem mp = p.member(m);
      for (std::size_t i = 0; i < mp.n; ++i)
        if (!(set[m] >> i & 1) && mp.c[i].priority > 0 && want(mp.c[i].action) && fits_member(p, m, set[m], i))
          v.push_back({mp.c[i].priority, p.store->customer_id[m], static_cast<uint32_t>(m),
                       static_cast<uint16_t>(mp.c[i].action), static_cast<uint8_t>(i)});
    }
  });
  std::vector<Item> all;
  for (auto& v : local) all.insert(all.end(), v.begin(), v.end());
  tbb::parallel_sort(all.begin(), all.end(), item_before);
  return all;
}

}  // namespace

RepairStats repair(const Problem& p, const std::vector<double>& shift, std::vector<uint64_t>& set) {
  const ConstraintSet& cs = *p.cons;
  RepairStats st;
  std::vector<double> up, lo;
  constraint_usage(p, set, up, lo);
  // 0. Minimums: members that lose least by taking the action are made to take it.
  std::vector<int> forced(set.size(), -1);
  for (std::size_t l = 0; l < cs.lower.size(); ++l) {
    if (lo[l] >= cs.lower[l].limit) continue;
    const auto action = cs.lower[l].index;
    tbb::enumerable_thread_specific<std::vector<Item>> local;
    for_chunks(p.active.size(), [&](std::size_t, std::size_t b, std::size_t e) {
      auto& v = local.local();
      for (std::size_t j = b; j < e; ++j) {
        const std::size_t m = p.active[j];
        if (forced[m] >= 0) continue;
        const MemberProblem mp = p.member(m);
        for (std::size_t i = 0; i < mp.n; ++i) {
          if (mp.c[i].action != action || (set[m] >> i & 1)) continue;
          const MemberChoice f = best_set(mp, shift.data(), ~uint64_t{0}, static_cast<int>(i));
          if (!std::isfinite(f.value)) continue;
          const double loss = best_set(mp, shift.data()).value - f.value;
          v.push_back({-loss, p.store->customer_id[m], static_cast<uint32_t>(m), static_cast<uint16_t>(action),
                       static_cast<uint8_t>(i)});
        }
      }
    });
    std::vector<Item> cands;
    for (auto& v : local) cands.insert(cands.end(), v.begin(), v.end());
    tbb::parallel_sort(cands.begin(), cands.end(), item_before);
    double have = lo[l];
    for (const Item& it : cands) {
      if (have >= cs.lower[l].limit) break;
      forced[it.member] = it.index;
      set[it.member] = best_set(p.member(it.member), shift.data(), ~uint64_t{0}, it.index).set;
      have += 1;
      ++st.min_filled;
    }
    constraint_usage(p, set, up, lo);
  }
  // 1. Close: members give up an exceeded constraint, least loss first, and re-choose without it.
  std::vector<uint64_t> closed(set.size(), 0);
  auto allowed = [&](std::size_t m, uint64_t cl) {
    const MemberProblem mp = p.member(m);
    uint64_t a = 0;
    for (std::size_t i = 0; i < mp.n; ++i)
      if (!(cs.action_upper_mask[mp.c[i].action] & cl)) a |= uint64_t{1} << i;
    return a;
  };
  auto choose = [&](std::size_t m, uint64_t cl) {
    return best_set(p.member(m), shift.data(), allowed(m, cl), forced[m]);
  };
  auto forced_uses = [&](std::size_t m, uint64_t bit) {
    return forced[m] >= 0 && (cs.action_upper_mask[p.store->cand[p.store->off[m] + forced[m]].action] & bit);
  };
  for (;;) {
    uint64_t over = 0;
    for (std::size_t k = 0; k < cs.upper.size(); ++k)
      if (up[k] > cs.upper[k].limit) over |= uint64_t{1} << k;
    if (!over) break;
    for (uint64_t ov = over; ov; ov &= ov - 1) {
      const std::size_t k = static_cast<std::size_t>(__builtin_ctzll(ov));
      const uint64_t bit = uint64_t{1} << k;
      tbb::enumerable_thread_specific<std::vector<Item>> local;
      for_chunks(p.active.size(), [&](std::size_t, std::size_t b, std::size_t e) {
        auto& v = local.local();
        for (std::size_t j = b; j < e; ++j) {
          const std::size_t m = p.active[j];
          if (!(p.usage(m, set[m], k) > 0)) continue;
          // A decision forced by a minimum is kept first.
          const double loss = forced_uses(m, bit) ? std::numeric_limits<double>::infinity()
                                                  : choose(m, closed[m]).value - choose(m, closed[m] | bit).value;
          v.push_back({loss, p.store->customer_id[m], static_cast<uint32_t>(m), 0, 0});
        }
      });
      std::vector<Item> users;
      for (auto& v : local) users.insert(users.end(), v.begin(), v.end());
      tbb::parallel_sort(users.begin(), users.end(), item_before);
      double used = 0;
      for (const Item& it : users) {
        const double u = p.usage(it.member, set[it.member], k);
        if (used + u <= cs.upper[k].limit) {
          used += u;
          continue;
        }
        closed[it.member] |= bit;
        if (forced_uses(it.member, bit)) forced[it.member] = -1;  // the minimum cannot be had here
        const uint64_t before = set[it.member];
        set[it.member] = choose(it.member, closed[it.member]).set;
        st.dropped += static_cast<uint64_t>(__builtin_popcountll(before & ~set[it.member]));
      }
    }
    constraint_usage(p, set, up, lo);
  }
  // 2. Refill.
  for (const Item& it : additions(p, set, [](uint16_t) { return true; }))
    if (fits_global(cs, up, it.action) && fits_member(p, it.member, set[it.member], it.index)) {
      set[it.member] |= uint64_t{1} << it.index;
      take(cs, up, lo, it.action, +1);
      ++st.refilled;
    }
  // 3. Min volumes.
  for (std::size_t l = 0; l < cs.lower.size(); ++l) {
    if (lo[l] >= cs.lower[l].limit) continue;
    const auto action = static_cast<uint16_t>(cs.lower[l].index);
    for (const Item& it : additions(p, set, [&](uint16_t a) { return a == action; })) {
      if (lo[l] >= cs.lower[l].limit) break;
      if (fits_global(cs, up, it.action) && fits_member(p, it.member, set[it.member], it.index)) {
        set[it.member] |= uint64_t{1} << it.index;
        take(cs, up, lo, it.action, +1);
        ++st.min_filled;
      }
    }
  }
  st.upper_usage = up, st.lower_usage = lo;
  return st;
}

}  // namespace nudge::optimise
