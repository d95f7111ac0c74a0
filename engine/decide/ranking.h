// Ranking: global channel capacity and the top-K cut over all decisions of a
// sweep (RS-1, shared/WORKLOAD.md "Arbitration" steps 3-4).
//
//   1. Channel capacity: for each channel with a capacity C, the decisions on
//      that channel are ordered by ranks_before (decision.h: priority desc,
//      customer_id, action index) and all after the first C are dropped. A
//      dropped decision is not replaced by another candidate of that member,
//      and the member's other decision keeps the budget_left the walk gave it.
//   2. Top-K: the remaining decisions in ranks_before order, first K (all
//      when K is not given).
//
// Each sweep worker collects its decisions in a DecisionBuffer, which keeps
// only those that can still reach the result, in "lanes": one per channel
// with a capacity (at most C kept) and one for all other channels (at most
// K kept). When a lane holds twice its limit it is cut to its limit with
// nth_element, and from then on a decision ranked after the lane's worst
// kept one is refused at once. This is exact: a decision refused by a lane
// has at least `limit` decisions of the same lane (same worker) ranked
// before it, and those are never dropped by anything else (other channels'
// capacities do not touch them; a capacity lane only competes with its own
// channel), so it could never be in the top K (resp. the channel's first C).
// Memory stays at about 2 (K + sum C) decisions per worker instead of every
// decision of the population.
//
// rank_decisions then merges the lanes: per capacity channel the first C,
// then the first K of what is left, sorted. Only a strict total order is
// used, so the result is the same for any split of the work.
//
// Control decisions (Decision::control, held-out members; sweep.h) use no
// capacity: on a capacity channel they go to a lane of their own (never cut:
// holdouts are a small share), and after the channel's cut a control decision
// survives iff it does not rank after the last treated decision kept (all
// survive when the capacity was not exceeded; none when it is 0 and treated
// decisions wanted it). On other channels they share lane 0 with the rest.
//
// Thread-safety: a DecisionBuffer belongs to one thread; rank_decisions uses
// the calling thread's oneTBB arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/decide/decision.h"

namespace nudge::decide {

struct RankingInput {
  std::vector<std::optional<uint64_t>> channel_capacity;  // per channel
  std::vector<uint16_t> action_channel;                   // channel index per action
  std::optional<std::size_t> top_k;                       // nullopt = every decision
};

class DecisionBuffer {
 public:
  explicit DecisionBuffer(const RankingInput& in);

  // Adds a decision kept by a member's walk (d.action < number of actions).
  void add(const Decision& d) {
    Lane& l = lanes_[d.control ? control_lane_of_action_[d.action] : lane_of_action_[d.action]];
    if (l.refuse_all || (l.has_threshold && !ranks_before(d, l.threshold))) return;
    l.items.push_back(d);
    if (l.items.size() >= l.prune_at) prune(l);
  }

  // Every lane cut to its limit, all lanes together, unordered: the decisions
  // that can still reach the result (sweep_parts.h sends them to a merge).
  // Empties the buffer.
  std::vector<Decision> take_survivors();

 private:
  friend struct RankingAccess;
  struct Lane {
    std::vector<Decision> items;
    std::size_t limit = SIZE_MAX;     // decisions this lane can contribute
    std::size_t prune_at = SIZE_MAX;  // size at which it is cut to `limit`
    bool refuse_all = false;          // limit 0 (a capacity of 0)
    bool has_threshold = false;
    Decision threshold;  // the worst decision kept at the last cut
  };
  void prune(Lane& l);

  std::vector<uint16_t> lane_of_action_;          // lane 0: channels without capacity; 1 + k: k-th capacity channel
  std::vector<uint16_t> control_lane_of_action_;  // lane 0, or 1 + nc + k: control decisions of k-th capacity channel
  std::vector<std::size_t> lane_channel_;         // channel of lane 1 + k
  std::vector<Lane> lanes_;
};

struct RankingResult {
  std::vector<Decision> ranked;               // first K decisions in rank order
  uint64_t decisions = 0;                     // decisions after channel capacity (before the K cut)
  std::vector<uint64_t> dropped_by_capacity;  // per action (treated and control)
  std::vector<uint64_t> control_dropped;      // per action: of dropped_by_capacity, control decisions
  std::vector<uint64_t> in_top_k;             // per action: decisions in `ranked`
  // Per channel with a capacity that was exceeded: the last decision it kept
  // (a decision on that channel survived iff it is not ranked after this one).
  std::vector<std::optional<Decision>> capacity_cutoff;
};

// `walk_kept[a]`: decisions of action a that the members' walks kept, over
// all buffers (the sweep's counters); `walk_control[a]`: of those, control
// decisions (empty = none). Empties the buffers.
RankingResult rank_decisions(std::vector<DecisionBuffer*>& buffers, const RankingInput& in,
                             const std::vector<uint64_t>& walk_kept, const std::vector<uint64_t>& walk_control = {});

}  // namespace nudge::decide
