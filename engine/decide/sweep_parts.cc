// Merging partial sweeps (sweep_parts.h) and the ranking steps run_sweep shares.
#include "engine/decide/sweep_parts.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "engine/base/error.h"

namespace nudge::decide {

RankingInput ranking_input(const Campaign& c, std::optional<std::size_t> top_k) {
  RankingInput in;
  for (const auto& ch : c.channels) in.channel_capacity.push_back(ch.capacity);
  for (const auto& a : c.actions) in.action_channel.push_back(static_cast<uint16_t>(a.channel));
  in.top_k = top_k ? top_k : c.top_k;
  return in;
}

std::vector<uint64_t> walk_kept(const SweepResult& r) {
  std::vector<uint64_t> k;
  for (const auto& f : r.funnel) k.push_back(f.kept);
  return k;
}

void apply_ranking(SweepResult& res, RankingResult rk) {
  for (std::size_t a = 0; a < res.funnel.size(); ++a) {
    res.funnel[a].capacity = rk.dropped_by_capacity[a];
    res.funnel[a].kept -= rk.dropped_by_capacity[a];
    res.funnel[a].in_top_k = rk.in_top_k[a];
  }
  res.decisions = rk.decisions;
  res.ranked = std::move(rk.ranked);
  res.capacity_cutoff = std::move(rk.capacity_cutoff);
}

SweepResult merge_sweep_parts(const Campaign& c, const std::vector<SweepPart>& parts,
                              std::optional<std::size_t> top_k) {
  const auto t0 = std::chrono::steady_clock::now();
  const RankingInput in = ranking_input(c, top_k);
  const std::size_t actions = c.actions.size();
  SweepResult res;
  res.funnel.assign(actions, {});
  DecisionBuffer all(in);
  std::size_t row0 = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const SweepPart& p = parts[i];
    if (p.funnel.size() != actions)
      throw_usage(
          fmt::format("part {} has {} funnel entries; the campaign has {} actions", i, p.funnel.size(), actions));
    for (std::size_t a = 0; a < actions; ++a) res.funnel[a] += p.funnel[a];
    res.members += p.members;
    res.members_with_candidates += p.members_with_candidates;
    res.times.history_cpu += p.times.history_cpu, res.times.evaluate_cpu += p.times.evaluate_cpu;
    res.times.gates_cpu += p.times.gates_cpu;
    res.times.score_cpu += p.times.score_cpu, res.times.walk_cpu += p.times.walk_cpu;
    res.times.pass_wall = std::max(res.times.pass_wall, p.times.pass_wall);
    for (Decision d : p.decisions) {
      if (d.action >= actions) throw_usage(fmt::format("part {} has a decision of unknown action {}", i, d.action));
      if (d.row >= p.members) throw_usage(fmt::format("part {} has a decision on row {} of {}", i, d.row, p.members));
      d.row = static_cast<uint32_t>(d.row + row0);
      all.add(d);
    }
    row0 += p.members;
  }
  std::vector<DecisionBuffer*> bufs{&all};
  apply_ranking(res, rank_decisions(bufs, in, walk_kept(res)));
  res.times.rank_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace nudge::decide
