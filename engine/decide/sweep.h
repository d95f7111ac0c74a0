// The sweep: every member of a population through a campaign in one parallel
// pass, then channel capacity and the top-K ranking.
//
//   auto bound = nudge::decide::BoundCampaign::bind(campaign, pop);
//   nudge::decide::SweepResult r = nudge::decide::run_sweep(bound, {});
//   // r.ranked: decisions in rank order; r.funnel: per-action counts
//
// The pass (oneTBB parallel_for over batches of expr::kBatchRows rows; each
// worker has its own expr::Workspace, scratch and decision buffer):
//   0. with SweepOptions::inputs (a contact history): fill the batch's
//      history inputs (basket used, cap counts, revoked consent, history
//      aggregate columns) from the member summary the source's prepare()
//      computed at the pass's start (member_inputs.h; timed in pass_wall);
//   1. evaluate all triggers, suppression conditions and expression
//      priorities of the batch in one expr::CompiledSet::evaluate (run_sweeps:
//      or copy them from another campaign's evaluation, below);
//   2. gates, 64 members at a time as bitmaps, per action:
//        fired  = trigger TRUE
//        consent: the channel's consent column TRUE (FALSE or NULL = no consent)
//                 and, with a history, not revoked by an unsubscribe
//        suppression: no covering suppression rule holds
//        frequency cap: every cap on its channel allows one more contact
//        exclusive: a member with an exclusive (calamity) candidate loses all
//                   its candidates of non-exclusive types, counted as
//                   suppression (exclusive ones do not exclude each other);
//   3. score the members with at least one candidate (and only those) with
//      the churn model, one score_rows call per batch;
//   4. per member: priorities (a NULL/NaN/infinite one stops the candidate at
//      the Priority gate), order and budget walk (arbitration.h), decisions
//      added to the worker's DecisionBuffer (ranking.h), which keeps only the
//      decisions that can still reach the channel capacities and the top-K.
// Then rank_decisions (ranking.h): channel capacity, top-K, rank order.
//
// Holdouts (campaign [holdout] and action `holdout`, engine/holdout/holdout.h):
// a held-out member goes through every gate as if contacted; the walk treats
// its decisions exactly as sent ones (they lower the remaining budget and the
// cap allowances within the walk, so the member's other decisions are the ones
// it would get if treated, and no other contact takes the held-out one's
// place), and a kept one is written with control = true. It costs no channel
// capacity: capacity is filled by treated decisions only, and a control
// decision on a capacity channel survives iff it ranks no lower than the last
// treated decision the capacity kept (the cut it would have met if sent). It
// costs no basket points afterwards: recorded in a history it is a control
// contact, which every policy ignores (WORKLOAD.md RS-2). Dialogue steps are
// actions: a held-out step is a control decision (its dialogue's and its own
// share, engine/holdout/campaign_holdout.h), and since dialogues ignore
// control contacts the member stays where it was (data/campaigns/README.md).
// With a member sink (the optimiser), a member held out of the whole campaign
// is walked here and handed to add_control, not add (member_sink.h); a member
// held out of single actions is handed to add without them, and each of them
// is walked alone and handed to add_control (held_walk.h). With a sink no
// decision enters the sweep's own ranking: the sink's owner ranks them.
// The result is identical for any thread count, batch size or instruction set:
// integer counters are summed, and decisions are ranked by a total order.
//
// Errors: expression/model errors surface from BoundCampaign::bind; the
// sweep itself throws only Error(Internal) or std::bad_alloc.
// Thread-safety: run_sweep uses the calling thread's oneTBB arena (the CLI
// sets the thread count with --threads); a BoundCampaign may be swept from
// several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/decision.h"
#include "engine/decide/member_inputs.h"
#include "engine/decide/member_sink.h"
#include "engine/dialogue/dialogue_pass.h"

namespace nudge::decide {

// Members of one action at each gate: fired = consent + suppression +
// frequency_cap + priority + budget + member_max + capacity + kept.
struct ActionFunnel {
  uint64_t fired = 0;          // trigger TRUE
  uint64_t consent = 0;        // stopped: no consent on the channel
  uint64_t suppression = 0;    // stopped: a suppression rule or an exclusive candidate
  uint64_t frequency_cap = 0;  // stopped: a frequency cap
  uint64_t priority = 0;       // stopped: NULL/NaN/infinite priority
  uint64_t budget = 0;         // stopped: does not fit the remaining budget
  uint64_t member_max = 0;     // stopped: the member already has the most decisions
  uint64_t capacity = 0;       // stopped: global channel capacity
  uint64_t kept = 0;           // decisions (before the top-K cut)
  uint64_t in_top_k = 0;       // of those, in the ranked output
  uint64_t control = 0;        // of `kept`, decisions of held-out members (control = true)

  // Adds every count of `o` (workers' funnels into one, actions into a total).
  ActionFunnel& operator+=(const ActionFunnel& o) noexcept {
    fired += o.fired, consent += o.consent, suppression += o.suppression, frequency_cap += o.frequency_cap;
    priority += o.priority, budget += o.budget, member_max += o.member_max, capacity += o.capacity;
    kept += o.kept, in_top_k += o.in_top_k, control += o.control;
    return *this;
  }
};

// Seconds. The pass phases are wall-clock time per worker thread, summed over
// the threads (on a busy machine they include time spent waiting for a core);
// pass_wall and rank_wall are wall-clock.
struct SweepTimes {
  double pass_wall = 0;  // the parallel pass, wall-clock (includes the two prepare_wall below)
  // The per-sweep member summaries computed at the pass's start, wall-clock:
  // SweepOptions::inputs->prepare() (member_inputs.h) and the dialogues' prepare() (dialogue_pass.h);
  // when the source computed the dialogues' summary in its own pre-pass (prepare_with_dialogues),
  // history_prepare_wall holds both and dialogue_prepare_wall is about 0.
  double history_prepare_wall = 0;
  double dialogue_prepare_wall = 0;
  double history_cpu = 0;   // history inputs of the batch (SweepOptions::inputs)
  double evaluate_cpu = 0;  // expression evaluation (run_sweeps: a campaign whose expressions another's
                            // evaluation computes counts copying them; that one counts the evaluation)
  double dialogue_cpu = 0;  // dialogue places from the history (engine/dialogue/dialogue_pass.h)
  double gates_cpu = 0;     // consent/suppression/cap/exclusive bitmaps and the candidate list
  double score_cpu = 0;     // churn model on members with candidates
  double walk_cpu = 0;      // priorities, ordering, budget walk, decision buffers
  double rank_wall = 0;     // channel capacity + top-K + sort
};

// One member's candidates as `nudge explain` shows them.
struct TraceEntry {
  std::size_t action = 0;
  int trigger = 0;      // 1 TRUE, 0 FALSE, -1 NULL (reference evaluator)
  double priority = 0;  // NaN when the priority is NULL
  double cost = 0;
  std::optional<Gate> gate;  // nullopt: trigger not TRUE
  double budget_left = 0;    // after this decision, for kept ones
  std::string detail;        // e.g. the suppression rule or frequency cap that stopped it
};
struct MemberTrace {
  std::size_t row = 0;
  uint64_t customer_id = 0;
  double churn = 0;                 // NaN without a model
  double budget = 0;                // points_per_period - used (NaN when used is NULL)
  double used = 0;                  // points used this period (NaN when NULL)
  std::vector<double> cap_counts;   // per frequency cap: its count before the walk (NaN when NULL)
  std::vector<TraceEntry> entries;  // fired actions in candidate order (priority desc, action), then the rest
};

struct SweepOptions {
  std::optional<std::size_t> top_k;      // overrides the campaign's top_k
  std::optional<std::size_t> trace_row;  // record this member's trace (explain)
  MemberSink* member_sink = nullptr;     // receives every member's candidates (member_sink.h)
  bool progress = false;                 // a progress bar on stderr when it is a terminal (engine/progress)
  // Policies from a contact history (member_inputs.h); required when the
  // campaign's basket or a frequency cap has no column (Error(Usage) otherwise).
  const MemberInputSource* inputs = nullptr;
  // The campaign's dialogues bound to a history at as_of; null: no history,
  // every member is outside every dialogue.
  const dialogue::BoundDialogues* dialogues = nullptr;
};

struct SweepResult {
  std::size_t members = 0;
  std::size_t members_with_candidates = 0;               // = members scored
  uint64_t decisions = 0;                                // after channel capacity, before top-K
  std::vector<Decision> ranked;                          // rank order, first K
  std::vector<ActionFunnel> funnel;                      // per action (dialogue steps: fired = due)
  std::vector<dialogue::DialogueFunnel> dialogues;       // per dialogue: members per state and step
  std::vector<std::optional<Decision>> capacity_cutoff;  // per channel (ranking.h)
  SweepTimes times;
  std::optional<MemberTrace> trace;
  // The campaign's expressions (triggers, suppression conditions, dialogue
  // goals, priority expressions) and, in run_sweeps, how many of them were
  // the same expression as one of an earlier campaign of the call, so
  // evaluated once for both (0 in run_sweep).
  std::size_t expressions = 0, expressions_shared = 0;
};

// Greedy arbitration (RS-1), whatever the campaign's [arbitration] mode; the
// population optimiser (engine/optimise/optimise.h) builds on it.
SweepResult run_sweep(const BoundCampaign& bound, const SweepOptions& options);

// Several campaigns over the same population in ONE pass over its rows
// (`nudge diff`): result i equals run_sweep(*bounds[i], options[i]), decision
// for decision. Shared: the parallel loop over the batches (one
// parallel_for; each batch is swept for every campaign in turn on the same
// thread, so its rows are read while in cache), one progress bar, and the
// expression evaluation of campaigns bound to the same Population object
// with the same history source (options[i].inputs): their triggers,
// suppression conditions, goals and priority expressions are compiled into
// one set, so an expression or subexpression they have in common (equal
// after binding and simplification, whatever its spelling) is evaluated
// once per batch, and a later campaign copies its results from the first's
// (engine/decide/shared_expressions.h; SweepResult::expressions_shared
// counts them). Campaigns bound to different populations (e.g. each to its
// own history policy's, with its own history-aggregate columns) evaluate
// their own. Not shared: gates, scores, walks and ranking (per campaign).
// The populations bound may differ in columns (history aggregates) but must
// have the same row count (else Error(Usage)). Errors otherwise as run_sweep.
std::vector<SweepResult> run_sweeps(const std::vector<const BoundCampaign*>& bounds,
                                    const std::vector<SweepOptions>& options);

// The funnel and phase times as a text table (what `nudge sweep` prints on stderr).
std::string format_summary(const BoundCampaign& bound, const SweepResult& r);

}  // namespace nudge::decide
