// Merging partial sweeps (sweep_parts.h) and the ranking steps run_sweep shares.
#include "engine/decide/sweep_parts.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "engine/base/error.h"
#include "engine/decide/sweep_pass.h"

namespace nudge::decide {

RankingInput ranking_input(const Campaign& c, std::optional<std::size_t> top_k, std::size_t members) {
  RankingInput in;
  for (const auto& ch : c.channels) in.channel_capacity.push_back(capacity_for(ch, members));
  for (const auto& a : c.actions) in.action_channel.push_back(static_cast<uint16_t>(a.channel));
  in.top_k = top_k ? top_k : c.top_k;
  return in;
}

std::vector<uint64_t> walk_kept(const SweepResult& r) {
  std::vector<uint64_t> k;
  for (const auto& f : r.funnel) k.push_back(f.kept);
  return k;
}

std::vector<uint64_t> walk_control(const SweepResult& r) {
  std::vector<uint64_t> k;
  for (const auto& f : r.funnel) k.push_back(f.control);
  return k;
}

void apply_ranking(SweepResult& res, RankingResult rk) {
  for (std::size_t a = 0; a < res.funnel.size(); ++a) {
    res.funnel[a].capacity = rk.dropped_by_capacity[a];
    res.funnel[a].kept -= rk.dropped_by_capacity[a];
    res.funnel[a].control -= rk.control_dropped[a];
    res.funnel[a].in_top_k = rk.in_top_k[a];
  }
  res.decisions = rk.decisions;
  res.ranked = std::move(rk.ranked);
  res.capacity_cutoff = std::move(rk.capacity_cutoff);
}

SweepPart run_sweep_part(const BoundCampaign& b, const SweepOptions& opt, const SweepPartOptions& po) {
  const Campaign& c = b.campaign();
  if (opt.trace_row) throw_usage("a partial sweep cannot trace a member (explain needs the whole population)");
  if (c.arbitration.mode != ArbitrationMode::Greedy)
    throw_usage(
        fmt::format("campaign {} uses [arbitration] mode = \"optimise\", whose prices are global: sweep the "
                    "whole population in one process, not in parts",
                    c.name));
  if (!po.population_members)
    for (const Channel& ch : c.channels)
      if (ch.capacity_share)
        throw_usage(
            fmt::format("channel {} has a capacity_share of the population: a partial sweep needs the whole "
                        "population's size (population_members)",
                        ch.name));
  const std::size_t total = po.population_members.value_or(b.population().rows());
  const RankingInput in = ranking_input(c, opt.top_k, total);
  Pass p = run_pass(b, opt, in, nullptr);
  const auto t1 = std::chrono::steady_clock::now();
  // One buffer for all workers, so the part holds at most K + sum(C) decisions.
  DecisionBuffer all(in);
  for (DecisionBuffer& d : p.buffers)
    for (const Decision& x : d.take_survivors()) all.add(x);
  SweepPart part;
  part.members = p.res.members;
  part.members_with_candidates = p.res.members_with_candidates;
  part.funnel = std::move(p.res.funnel);
  part.dialogues = std::move(p.res.dialogues);
  part.decisions = all.take_survivors();
  part.capacity_members = po.population_members.value_or(0);
  part.times = p.res.times;
  part.times.rank_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  return part;
}

SweepResult merge_sweep_parts(const Campaign& c, const std::vector<SweepPart>& parts,
                              std::optional<std::size_t> top_k) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t actions = c.actions.size();
  std::size_t total = 0;
  for (const SweepPart& p : parts) total += p.members;
  const RankingInput in = ranking_input(c, top_k, total);
  const bool shares = std::any_of(c.channels.begin(), c.channels.end(),
                                  [](const Channel& ch) { return ch.capacity_share.has_value(); });
  SweepResult res;
  res.funnel.assign(actions, {});
  res.dialogues.assign(c.dialogues.size(), {});
  DecisionBuffer all(in);
  std::size_t row0 = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const SweepPart& p = parts[i];
    if (p.funnel.size() != actions)
      throw_usage(
          fmt::format("part {} has {} funnel entries; the campaign has {} actions", i, p.funnel.size(), actions));
    if (shares && p.capacity_members != total)
      throw_usage(fmt::format("part {} computed its capacities for {} members; the parts hold {}", i,
                              p.capacity_members, total));
    if (p.dialogues.size() != c.dialogues.size())
      throw_usage(fmt::format("part {} has {} dialogue funnels; the campaign has {} dialogues", i, p.dialogues.size(),
                              c.dialogues.size()));
    for (std::size_t a = 0; a < actions; ++a) res.funnel[a] += p.funnel[a];
    for (std::size_t d = 0; d < c.dialogues.size(); ++d) res.dialogues[d].add(p.dialogues[d]);
    res.members += p.members;
    res.members_with_candidates += p.members_with_candidates;
    res.times.history_cpu += p.times.history_cpu, res.times.evaluate_cpu += p.times.evaluate_cpu;
    res.times.gates_cpu += p.times.gates_cpu, res.times.dialogue_cpu += p.times.dialogue_cpu;
    res.times.score_cpu += p.times.score_cpu, res.times.walk_cpu += p.times.walk_cpu;
    res.times.pass_wall = std::max(res.times.pass_wall, p.times.pass_wall);
    res.times.history_prepare_wall = std::max(res.times.history_prepare_wall, p.times.history_prepare_wall);
    res.times.dialogue_prepare_wall = std::max(res.times.dialogue_prepare_wall, p.times.dialogue_prepare_wall);
    for (Decision d : p.decisions) {
      if (d.action >= actions) throw_usage(fmt::format("part {} has a decision of unknown action {}", i, d.action));
      if (d.row >= p.members) throw_usage(fmt::format("part {} has a decision on row {} of {}", i, d.row, p.members));
      d.row = static_cast<uint32_t>(d.row + row0);
      all.add(d);
    }
    row0 += p.members;
  }
  std::vector<DecisionBuffer*> bufs{&all};
  apply_ranking(res, rank_decisions(bufs, in, walk_kept(res), walk_control(res)));
  res.times.rank_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace nudge::decide
