// Greedy arbitration from the candidate store (greedy.h).
#include "engine/optimise/greedy.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>

#include "engine/decide/decision.h"

namespace nudge::optimise {

ExactSum objective_of(const Problem& p, const std::vector<uint64_t>& set) {
  tbb::enumerable_thread_specific<ExactSum> part;
  for_chunks(p.store->members(), [&](std::size_t, std::size_t b, std::size_t e) {
    ExactSum& v = part.local();
    for (std::size_t m = b; m < e; ++m) {
      const auto* c = p.store->cand.data() + p.store->off[m];
      for (uint64_t s = set[m]; s; s &= s - 1) v.add(c[__builtin_ctzll(s)].priority);
    }
  });
  ExactSum total;
  for (const ExactSum& v : part) total.add(v);
  return total;
}

Greedy greedy_baseline(const Problem& p, std::size_t actions, const std::vector<std::optional<uint64_t>>& capacity,
                       const std::vector<std::size_t>& action_channel) {
  const CandidateStore& s = *p.store;
  const std::size_t n = s.members();
  Greedy g;
  g.set.assign(n, 0);
  g.walk_capped.assign(actions, 0);
  struct Local {
    std::vector<uint64_t> capped;
    std::vector<decide::Decision> on_capacity;  // row: member index; budget_left: candidate index
  };
  tbb::enumerable_thread_specific<Local> locals([&] { return Local{std::vector<uint64_t>(actions, 0), {}}; });
  for_chunks(n, [&](std::size_t, std::size_t b, std::size_t e) {
    Local& l = locals.local();
    decide::Gate gate[64];
    double left[64];
    int64_t allowance[64];
    for (std::size_t m = b; m < e; ++m) {
      const MemberProblem mp = p.member(m);
      std::copy(mp.allowance, mp.allowance + mp.caps, allowance);
      decide::walk_budget(mp.c, mp.n, mp.budget, mp.max_kept, allowance, gate, left);
      for (std::size_t i = 0; i < mp.n; ++i) {
        if (gate[i] == decide::Gate::FrequencyCap) ++l.capped[mp.c[i].action];
        if (gate[i] != decide::Gate::Kept) continue;
        g.set[m] |= uint64_t{1} << i;
        if (capacity[action_channel[mp.c[i].action]])
          l.on_capacity.push_back({mp.c[i].priority, s.customer_id[m], static_cast<double>(i), 0,
                                   static_cast<uint32_t>(m), static_cast<uint16_t>(mp.c[i].action), 0});
      }
    }
  });
  std::vector<std::vector<decide::Decision>> per_channel(capacity.size());
  for (Local& l : locals) {
    for (std::size_t a = 0; a < actions; ++a) g.walk_capped[a] += l.capped[a];
    for (const auto& d : l.on_capacity) per_channel[action_channel[d.action]].push_back(d);
  }
  for (std::size_t ch = 0; ch < capacity.size(); ++ch) {
    auto& v = per_channel[ch];
    if (!capacity[ch] || v.size() <= *capacity[ch]) continue;
    // The first C in rank order (a total order: the same set as a full sort).
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(*capacity[ch]), v.end(),
                     [](const auto& a, const auto& b) { return decide::ranks_before(a, b); });
    for (std::size_t i = *capacity[ch]; i < v.size(); ++i)
      g.set[v[i].row] &= ~(uint64_t{1} << static_cast<int>(v[i].budget_left));
  }
  g.objective = objective_of(p, g.set);
  return g;
}

}  // namespace nudge::optimise
