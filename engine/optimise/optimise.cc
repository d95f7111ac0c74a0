// The optimised sweep: collect, price, repair, output (optimise.h).
#include "engine/optimise/optimise.h"

#include <fmt/format.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "engine/base/error.h"
#include "engine/decide/sweep_parts.h"
#include "engine/optimise/candidate_store.h"
#include "engine/optimise/greedy.h"
#include "engine/optimise/outcome.h"
#include "engine/optimise/prices.h"
#include "engine/optimise/repair.h"

namespace nudge::optimise {
namespace {

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

std::vector<uint32_t> active_members(const CandidateStore& s, const ConstraintSet& cs) {
  std::vector<uint32_t> v;
  for (std::size_t m = 0; m < s.members(); ++m)
    for (uint32_t i = s.off[m]; i < s.off[m + 1]; ++i) {
      const auto a = s.cand[i].action;
      if (cs.action_upper_mask[a] || cs.action_lower[a] >= 0) {
        v.push_back(static_cast<uint32_t>(m));
        break;
      }
    }
  return v;
}

// Decisions and funnel of the final sets; res.funnel holds the sweep's walk funnel on entry.
// walk_capped: per action, the candidates of treated members the greedy walk stopped at a frequency cap.
void output(const Problem& p, const decide::Campaign& c, const std::vector<uint64_t>& set,
            const std::vector<uint64_t>& walk_capped, std::vector<decide::Decision> settled_top,
            std::optional<std::size_t> top_k, decide::SweepResult& res) {
  const CandidateStore& s = *p.store;
  const std::size_t A = c.actions.size();
  for (std::size_t a = 0; a < A; ++a) {
    auto& f = res.funnel[a];
    f.frequency_cap -= walk_capped[a];  // keep the caps that stopped candidates before the walk
    f.budget = f.member_max = f.capacity = f.kept = f.in_top_k = 0;
  }
  // The settled members' decisions that can reach the top K (candidate_store.h), cut to K: a decision
  // ranked after the K-th of them cannot be in the top K, so the stored members keep only those before it.
  auto before = [](const auto& x, const auto& y) { return decide::ranks_before(x, y); };
  std::vector<decide::Decision> all = std::move(settled_top);
  auto keep_first = [&](std::vector<decide::Decision>& v, std::size_t k) {
    if (v.size() <= k) return;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end(), before);
    v.resize(k);
  };
  std::optional<decide::Decision> worst;  // the K-th settled decision
  if (top_k) {
    keep_first(all, *top_k);
    if (*top_k > 0 && all.size() == *top_k) worst = *std::max_element(all.begin(), all.end(), before);
  }
  // Per chunk of stored members: funnel counts and decisions (chunk order = row order).
  const std::size_t chunks = (s.members() + kChunk - 1) / kChunk;
  std::vector<std::vector<decide::Decision>> decided(chunks);
  std::vector<uint64_t> kept(chunks, 0);
  std::vector<std::vector<decide::ActionFunnel>> funnels(chunks);
  for_chunks(s.members(), [&](std::size_t chunk, std::size_t b, std::size_t e) {
    auto& funnel = funnels[chunk];
    funnel.assign(A, {});
    auto& out = decided[chunk];
    for (std::size_t m = b; m < e; ++m)
      member_outcome(p.member(m), set[m], funnel.data(), [&](const decide::Candidate& cd, double left) {
        ++kept[chunk];
        const decide::Decision d{
            cd.priority, s.customer_id[m], left, s.churn[m], s.row[m], static_cast<uint16_t>(cd.action), 0, 0};
        if (!worst || decide::ranks_before(d, *worst)) out.push_back(d);
      });
  });
  auto add_funnel = [&](const std::vector<decide::ActionFunnel>& funnel) {
    for (std::size_t a = 0; a < A; ++a) {
      auto& f = res.funnel[a];
      const auto& g = funnel[a];
      f.kept += g.kept, f.member_max += g.member_max, f.budget += g.budget, f.frequency_cap += g.frequency_cap;
      f.capacity += g.capacity;
    }
  };
  for (const auto& funnel : funnels) add_funnel(funnel);
  // Members settled during the sweep: their counts (their decisions are in `all` already).
  add_funnel(s.settled.funnel);
  res.decisions = s.settled.decisions + s.control.size();
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    res.decisions += kept[ch];
    all.insert(all.end(), decided[ch].begin(), decided[ch].end());
  }
  // Held-out members (holdouts): their own walk's decisions, outside every global constraint.
  for (std::size_t a = 0; a < A; ++a) {
    auto& f = res.funnel[a];
    auto at = [a](const std::vector<uint64_t>& v) { return a < v.size() ? v[a] : 0; };
    f.kept += at(s.control_kept), f.control = at(s.control_kept);
    f.budget += at(s.control_budget), f.member_max += at(s.control_member_max);
  }
  all.insert(all.end(), s.control.begin(), s.control.end());
  if (top_k) keep_first(all, *top_k);  // the first K in rank order (a total order: any method gives the same)
  tbb::parallel_sort(all.begin(), all.end(), before);
  for (const auto& d : all) ++res.funnel[d.action].in_top_k;
  res.ranked = std::move(all);
  res.capacity_cutoff.assign(c.channels.size(), std::nullopt);
}

}  // namespace

ArbitratedSweep run_arbitrated_sweep(const decide::BoundCampaign& b, const decide::SweepOptions& options,
                                     const OptimiseOptions& opt) {
  const decide::Campaign& c = b.campaign();
  ArbitratedSweep r;
  if (c.arbitration.mode == decide::ArbitrationMode::Greedy && !opt.fixed_prices) {
    r.sweep = decide::run_sweep(b, options);
    return r;
  }
  const std::size_t rows = b.population().rows();
  OptimiseReport rep;
  const auto t0 = Clock::now();
  const ConstraintSet cons = ConstraintSet::build(c, rows);
  CandidateStore store(c.frequency_caps.size(), cons, c.max_decisions_per_member,
                       decide::ranking_input(c, options.top_k, rows));
  decide::SweepOptions so = options;
  so.member_sink = &store;
  r.sweep = decide::run_sweep(b, so);
  store.finish();
  const auto t1 = Clock::now();

  const CandidateStore::Settled& settled = store.settled;
  Problem p{&store, &cons, c.max_decisions_per_member, active_members(store, cons)};
  rep.members_with_candidates = store.members() + settled.members;
  rep.active_members = p.active.size();
  std::vector<std::optional<uint64_t>> capacity;
  for (const auto& ch : c.channels) capacity.push_back(decide::capacity_for(ch, rows));
  std::vector<std::size_t> action_channel;
  for (const auto& a : c.actions) action_channel.push_back(a.channel);
  const Greedy greedy = greedy_baseline(p, c.actions.size(), capacity, action_channel);
  ExactSum greedy_total = greedy.objective;
  greedy_total.add(settled.greedy);
  rep.greedy_objective = greedy_total.value();
  std::vector<uint64_t> walk_capped = greedy.walk_capped;
  for (std::size_t a = 0; a < walk_capped.size(); ++a) walk_capped[a] += settled.walk_capped[a];
  // The settled members' part of the dual bound: their best sets do not depend on the prices.
  const double settled_value = settled.objective.value();
  const auto t2 = Clock::now();

  std::vector<uint64_t> set;
  std::vector<double> lambda, nu;
  if (opt.fixed_prices) {
    if (opt.fixed_prices->size() != cons.upper.size() + cons.lower.size())
      throw_usage("fixed prices: one per capacity, max_volume, money budget and min_volume expected");
    lambda.assign(opt.fixed_prices->begin(),
                  opt.fixed_prices->begin() + static_cast<std::ptrdiff_t>(cons.upper.size()));
    nu.assign(opt.fixed_prices->begin() + static_cast<std::ptrdiff_t>(cons.upper.size()), opt.fixed_prices->end());
    rep.dual_bound = settled_value + solve_at(p, lambda, nu, set);
    rep.fixed_prices = true;
  } else {
    Prices pr = find_prices(p, c.arbitration.max_passes, set);
    lambda = pr.lambda, nu = pr.nu;
    rep.dual_bound = settled_value + pr.dual_bound;
    rep.passes = pr.passes;
    rep.converged = pr.converged;
    rep.stalled = pr.stalled;
    for (const auto& l : pr.log) rep.pass_dual.push_back(settled_value + l.dual), rep.pass_seconds.push_back(l.seconds);
  }
  const auto t3 = Clock::now();
  std::vector<double> up, lo;
  if (!opt.fixed_prices) {
    std::vector<double> shift;
    cons.shifts(lambda, nu, shift);
    const RepairStats st = repair(p, shift, set);
    rep.repair_dropped = st.dropped, rep.refilled = st.refilled, rep.min_filled = st.min_filled;
  }
  constraint_usage(p, set, up, lo);
  ExactSum objective = objective_of(p, set);
  objective.add(settled.objective);
  rep.objective = objective.value();
  const auto t4 = Clock::now();

  std::vector<double> gup, glo;
  constraint_usage(p, greedy.set, gup, glo);
  for (std::size_t k = 0; k < cons.upper.size(); ++k)
    rep.constraints.push_back({cons.upper[k].name, false, cons.upper[k].limit, lambda[k], up[k], gup[k]});
  for (std::size_t l = 0; l < cons.lower.size(); ++l)
    rep.constraints.push_back({cons.lower[l].name, true, cons.lower[l].limit, nu[l], lo[l], glo[l]});
  output(p, c, set, walk_capped, std::move(store.settled.top), options.top_k ? options.top_k : c.top_k, r.sweep);
  const auto t5 = Clock::now();
  rep.sweep_seconds = seconds(t0, t1);
  rep.greedy_seconds = seconds(t1, t2);
  rep.price_seconds = seconds(t2, t3);
  rep.repair_seconds = seconds(t3, t4);
  rep.output_seconds = seconds(t4, t5);
  r.optimise = std::move(rep);
  return r;
}

}  // namespace nudge::optimise
