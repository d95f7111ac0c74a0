// `nudge simulate`: the daily loop of a campaign over a population, what a
// dialogue design does over a month before anything is sent.
//
//   for D = from, from + 1, ..., from + days - 1:
//     1. sweep the population at as_of = D over the history so far: the
//        history policies (engine/policy/history_policy.h: basket, caps,
//        consent, history aggregates) and the dialogues (dialogue_pass.h);
//     2. record every decision of the sweep's output (after channel capacity
//        and top-K) as a contact sent on D (action, channel, message type,
//        cost, campaign, dialogue and step); a control decision (holdout,
//        engine/decide/sweep.h) is recorded as a control contact: not sent,
//        not counted in the day's contacts or points, no response drawn;
//     3. draw the responses to those contacts from the response model
//        (response_model.h; seeded, per contact, so independent of threads
//        and of the order of draws), dated D + delay; a response dated after
//        a later day's as_of is invisible to that day's sweep, as in life;
//     4. append both to the history (history_append.h) for day D + 1.
// The population's columns do not change over the run (a member's flights
// stay as they are): only the history moves.
//
// Per day (DayReport): contacts per action, points used (sum of their
// costs), responses drawn per type, members per dialogue state and step at
// the day's sweep (before its contacts), each action's funnel.
//
// Determinism: the sweep is exact for any thread count and the draws depend
// on (seed, customer, action, D, rule) only, so a run is the same for a seed
// whatever the thread count.
// Errors: as run_sweep and append_day (a history with contacts dated on or
// after `from` is refused, Error(Usage)).
// Thread-safety: runs sweeps in the calling thread's oneTBB arena.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/dialogue/response_model.h"
#include "engine/history/history.h"

namespace nudge::dialogue {

struct SimulateOptions {
  int32_t from = 0;  // first day, days since 1970-01-01
  int days = 30;
  uint64_t seed = 1;
  std::optional<std::size_t> top_k;  // overrides the campaign's top_k
  bool progress = false;             // a progress bar (days done) on stderr when it is a terminal (engine/progress)
};

struct DayReport {
  int32_t day = 0;
  std::vector<uint64_t> sent;                 // per action: contacts recorded on the day
  double points = 0;                          // contact-pressure points they cost
  std::map<std::string, uint64_t> responses;  // per type: responses drawn to the day's contacts
  std::vector<DialogueFunnel> dialogues;      // per dialogue: members per state and step at the day's sweep
  std::vector<decide::ActionFunnel> funnel;   // per action
  double sweep_seconds = 0, record_seconds = 0;
};

struct SimulateResult {
  std::vector<DayReport> days;
  history::History history;  // the history after the last day
};

// `pop` is the population swept every day (its columns do not change).
SimulateResult simulate(const decide::Campaign& campaign, const Population& pop, history::History start,
                        const ResponseModel& model, const SimulateOptions& options);

// A table, one row per day: date, contacts per action, points, responses per
// type, and per dialogue the members outside / waiting / due / left.
std::string format_simulation(const decide::Campaign& c, const SimulateResult& r);

// The same as CSV (header + one row per day; per-step and per-reason columns
// named "<dialogue>.<state>.<step>").
std::string simulation_csv(const decide::Campaign& c, const SimulateResult& r);

}  // namespace nudge::dialogue
