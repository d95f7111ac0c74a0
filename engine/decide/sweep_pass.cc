// The parallel pass over the batches (sweep_pass.h): one Sweeper (sweeper.h)
// and one Worker per thread per job, expressions shared between jobs where
// they can be (shared_expressions.h).
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "engine/base/error.h"
#include "engine/decide/shared_expressions.h"
#include "engine/decide/sweep_pass.h"
#include "engine/decide/sweeper.h"
#include "engine/progress/progress.h"

namespace nudge::decide {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

using detail::Sweeper;
using detail::Worker;

}  // namespace

std::vector<Pass> run_passes(const std::vector<PassJob>& jobs) {
  const std::size_t rows = jobs.empty() ? 0 : jobs[0].bound->population().rows();  // one sweeper, workers per job
  std::vector<std::unique_ptr<Sweeper>> sweepers;
  std::vector<std::optional<dialogue::BoundDialogues>> no_history(jobs.size());
  std::vector<std::unique_ptr<tbb::enumerable_thread_specific<Worker>>> workers;
  std::vector<const dialogue::BoundDialogues*> dlgs(jobs.size());
  bool progress = false;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const BoundCampaign& b = *jobs[j].bound;
    const SweepOptions& opt = *jobs[j].options;
    const Campaign& c = b.campaign();
    if (b.population().rows() != rows) throw_internal("run_passes: populations of different sizes");
    if (opt.trace_row && *opt.trace_row >= rows)
      throw_usage(fmt::format("row {} is not in the population", *opt.trace_row));
    if (c.needs_history() && !opt.inputs)
      throw_usage(
          fmt::format("campaign {} computes its {} from the contact history: give the sweep a history "
                      "(--history HIST)",
                      c.name, c.basket.from_history() ? "basket" : "frequency caps"));
    // No dialogues, or no history: no member is in a dialogue yet.
    if (!opt.dialogues) no_history[j].emplace(dialogue::BoundDialogues::bind(b, nullptr, nullptr, 0));
    const dialogue::BoundDialogues* dlg = dlgs[j] = opt.dialogues ? opt.dialogues : &*no_history[j];
    sweepers.push_back(std::make_unique<Sweeper>(b, *jobs[j].in, opt.trace_row, opt.inputs, dlg, opt.member_sink));
    const Sweeper* sw = sweepers.back().get();
    workers.push_back(std::make_unique<tbb::enumerable_thread_specific<Worker>>([sw] {
      Worker w;
      sw->init(w);
      return w;
    }));
    progress = progress || opt.progress;
  }
  // Expressions evaluated once for several jobs (shared_expressions.h).
  std::vector<const BoundCampaign*> bounds;
  std::vector<const MemberInputSource*> sources;
  for (const PassJob& job : jobs) bounds.push_back(job.bound), sources.push_back(job.options->inputs);
  const SharedExpressions shared = share_expressions(bounds, sources);
  for (std::size_t j = 0; j < jobs.size(); ++j)
    sweepers[j]->share(shared.jobs[j].evaluate, shared.jobs[j].predicates, shared.jobs[j].numbers);
  const std::size_t batches = (rows + expr::kBatchRows - 1) / expr::kBatchRows;
  std::optional<Progress> bar;
  if (progress) bar.emplace("sweep", batches);
  auto t0 = Clock::now();
  // Per-sweep summaries of the history (MemberInputSource::prepare, BoundDialogues::prepare): in the pass's time.
  std::vector<std::unique_ptr<PreparedInputs>> prepared_inputs(jobs.size());
  std::vector<std::unique_ptr<dialogue::PreparedDialogues>> prepared_dlg(jobs.size());
  std::vector<double> prep_inputs_s(jobs.size()), prep_dlg_s(jobs.size());
  // Jobs with the same source (or dialogues) share one summary: fill() and batch() only read it.
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    std::size_t same_inputs = j, same_dlg = j;
    for (std::size_t k = 0; k < j; ++k) {
      if (same_inputs == j && jobs[k].options->inputs == jobs[j].options->inputs) same_inputs = k;
      if (same_dlg == j && dlgs[k] == dlgs[j]) same_dlg = k;
    }
    // A source that can fuses the dialogues' summary into its own pre-pass (prepare_with_dialogues).
    const MemberInputSource* in = jobs[j].options->inputs;
    const bool with_dlg = !dlgs[j]->empty() && dlgs[j]->summary_usable();
    const auto ta = Clock::now();
    if (in && same_inputs == j) prepared_inputs[j] = with_dlg ? in->prepare_with_dialogues(*dlgs[j]) : in->prepare();
    const auto tb = Clock::now();
    const PreparedInputs* pin = in ? prepared_inputs[same_inputs].get() : nullptr;
    const dialogue::PreparedDialogues* fused = pin ? pin->dialogues() : nullptr;
    if (fused && fused->owner != dlgs[j]) fused = nullptr;
    // Else an earlier job's summary of the same dialogues (fused or not), else their own.
    const dialogue::PreparedDialogues* pd = fused;
    if (!pd && same_dlg != j) pd = sweepers[same_dlg]->prepared_dlg;
    if (!pd) {
      prepared_dlg[j] = dlgs[j]->prepare();
      pd = prepared_dlg[j].get();
    }
    prep_inputs_s[j] = seconds(ta, tb), prep_dlg_s[j] = seconds(tb, Clock::now());
    sweepers[j]->prepared_inputs = pin;
    sweepers[j]->prepared_dlg = pd;
  }
  // Grain: one batch (kBatchRows rows, tens of microseconds of work; the auto partitioner groups batches
  // when that pays), swept for every job in turn on the same thread (its rows in cache).
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const std::size_t begin = i * expr::kBatchRows;
      const std::size_t count = std::min(expr::kBatchRows, rows - begin);
      for (std::size_t j = 0; j < jobs.size(); ++j) {
        const auto& tr = jobs[j].options->trace_row;
        const bool has_trace = tr && *tr >= begin && *tr < begin + count;
        // A job that copies its expressions' results reads them from its group leader's worker on this
        // thread, which swept this batch just before (the leader is an earlier job).
        const SharedExpressions::Job& sj = shared.jobs[j];
        const expr::Workspace* results = sj.evaluate ? nullptr : &workers[sj.leader]->local().ws;
        sweepers[j]->batch(begin, count, workers[j]->local(), has_trace ? jobs[j].trace : nullptr, results);
      }
    }
    if (bar) bar->advance(r.size());
  });
  if (bar) bar->finish();
  const double wall = seconds(t0, Clock::now());
  std::vector<Pass> out(jobs.size());
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const Campaign& c = jobs[j].bound->campaign();
    SweepResult& res = out[j].res;
    res.members = rows;
    res.funnel.assign(c.actions.size(), {});
    res.dialogues.assign(c.dialogues.size(), {});
    for (Worker& w : *workers[j]) {
      for (std::size_t a = 0; a < c.actions.size(); ++a) res.funnel[a] += w.funnel[a];
      res.members_with_candidates += w.with_candidates;
      for (std::size_t d = 0; d < c.dialogues.size(); ++d) res.dialogues[d].add(w.dlg.funnel[d]);
      res.times.dialogue_cpu += w.t_dialogue;
      res.times.history_cpu += w.t_hist, res.times.evaluate_cpu += w.t_eval, res.times.gates_cpu += w.t_gates;
      res.times.score_cpu += w.t_score, res.times.walk_cpu += w.t_walk;
      out[j].buffers.push_back(std::move(*w.decisions));
    }
    res.times.pass_wall = wall;  // shared by every job of the pass
    res.expressions = shared.jobs[j].total, res.expressions_shared = shared.jobs[j].shared;
    res.times.history_prepare_wall = prep_inputs_s[j], res.times.dialogue_prepare_wall = prep_dlg_s[j];
  }
  return out;
}

Pass run_pass(const BoundCampaign& b, const SweepOptions& opt, const RankingInput& in, TraceScratch* trace) {
  return std::move(run_passes({{&b, &opt, &in, trace}})[0]);
}

}  // namespace nudge::decide
