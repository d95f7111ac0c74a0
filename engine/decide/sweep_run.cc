// run_sweep and run_sweeps (sweep.h): the pass (sweep_pass.cc), then ranking and
// the trace, per campaign.
#include <chrono>
#include <limits>

#include "engine/base/error.h"
#include "engine/decide/ranking.h"
#include "engine/decide/sweep.h"
#include "engine/decide/sweep_parts.h"
#include "engine/decide/sweep_pass.h"
#include "engine/decide/trace.h"

namespace nudge::decide {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TraceScratch trace_scratch(const Campaign& c, const SweepOptions& opt) {
  TraceScratch trace;
  if (opt.trace_row) {
    trace.gate.assign(c.actions.size(), std::nullopt);
    trace.priority.assign(c.actions.size(), kNaN);
    trace.budget_left.assign(c.actions.size(), kNaN);
  }
  return trace;
}

// Ranking (channel capacity, top-K) and the trace of one pass.
SweepResult finish(const BoundCampaign& b, const SweepOptions& opt, const RankingInput& in, TraceScratch& trace,
                   Pass& p) {
  auto t1 = Clock::now();
  std::vector<DecisionBuffer*> parts;
  for (DecisionBuffer& d : p.buffers) parts.push_back(&d);
  SweepResult res = std::move(p.res);
  apply_ranking(res, rank_decisions(parts, in, walk_kept(res), walk_control(res)));
  res.times.rank_wall = std::chrono::duration<double>(Clock::now() - t1).count();
  if (opt.trace_row) res.trace = build_trace(b, *opt.trace_row, trace, res);
  return res;
}

}  // namespace

SweepResult run_sweep(const BoundCampaign& b, const SweepOptions& opt) {
  const RankingInput in = ranking_input(b.campaign(), opt.top_k, b.population().rows());
  TraceScratch trace = trace_scratch(b.campaign(), opt);
  Pass p = run_pass(b, opt, in, &trace);
  return finish(b, opt, in, trace, p);
}

std::vector<SweepResult> run_sweeps(const std::vector<const BoundCampaign*>& bounds,
                                    const std::vector<SweepOptions>& options) {
  if (bounds.size() != options.size()) throw_usage("run_sweeps: one SweepOptions per campaign");
  for (const BoundCampaign* b : bounds)
    if (b->population().rows() != bounds[0]->population().rows())
      throw_usage("run_sweeps: every campaign must be bound to a population of the same rows");
  std::vector<RankingInput> in;
  std::vector<TraceScratch> traces;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    in.push_back(ranking_input(bounds[i]->campaign(), options[i].top_k, bounds[i]->population().rows()));
    traces.push_back(trace_scratch(bounds[i]->campaign(), options[i]));
  }
  std::vector<PassJob> jobs;
  for (std::size_t i = 0; i < bounds.size(); ++i) jobs.push_back({bounds[i], &options[i], &in[i], &traces[i]});
  std::vector<Pass> passes = run_passes(jobs);
  std::vector<SweepResult> out;
  for (std::size_t i = 0; i < bounds.size(); ++i)
    out.push_back(finish(*bounds[i], options[i], in[i], traces[i], passes[i]));
  return out;
}

}  // namespace nudge::decide
