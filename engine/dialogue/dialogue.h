// Dialogues: multi-step conversations declared in a campaign file
// ([[dialogue]], data/campaigns/README.md "Dialogues"), and the place a member
// holds in one at the sweep's day D (shared/WORKLOAD.md RS-3, generalised).
//
// A dialogue has an entry condition, ordered steps (each an action of the
// campaign, with a wait in whole days after the previous step's contact), an
// optional goal, the response types that answer a step, the response types
// that end the dialogue from any step, a re-entry window and an optional
// expiry of due steps. Its steps are ordinary actions of the campaign
// (Campaign::actions, after the plain actions, in dialogue then step order),
// so they go through every gate like any action; only their "fired" bit comes
// from the member's place in the dialogue instead of a trigger.
//
// The place is read from the member's contact and response history at D:
//   - window: the dialogue's non-control contacts (its step actions) with
//     D - reentry_days < sent_on <= D;
//   - none: Outside; step 1 is due when the entry condition is TRUE and the
//     goal is not TRUE (on RS-3 entry and goal exclude each other);
//   - otherwise latest = the contact with the latest sent_on (ties: the
//     higher step); the member has LEFT when, in this order of reasons,
//       exit:     any window contact got an exit-type response (convert),
//       response: the latest contact got a response of a response type,
//       goal:     the goal expression is TRUE,
//       finished: the latest is the last step;
//     else the next step is due on due_on = sent_on(latest) + wait(next)
//     (Waiting before that), and has expired (LEFT, expired) when the step
//     has an expiry E and D >= due_on + E.
//   A step with `wait_until` (a date column, e.g. a renewal date) is due on
//     due_on = max(sent_on(latest) + wait_days, date + wait_until_offset_days),
//     the date being the member's value of that column in the population
//     swept (so a replay of an earlier day reads today's column). A NULL
//     date never comes: the member waits (due_on is kNeverDue) until the
//     window no longer holds the latest contact. Exact to the day; an
//     anniversary (a birthday, whose date recurs every year) needs a column
//     holding its next occurrence.
//   Responses count when responded_on <= D (the history attaches a response
//   to its contact only when sent_on <= responded_on).
//
// Units: days (int32, days since 1970-01-01 for dates). Step indices are
// 0-based here; the CLI and the documentation number steps from 1.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expr/program.h"

namespace nudge::dialogue {

// At most this many steps per dialogue and dialogues per campaign.
inline constexpr std::size_t kMaxSteps = 16;
inline constexpr std::size_t kMaxDialogues = 16;

struct Step {
  std::size_t action = 0;              // index into Campaign::actions
  int32_t wait_days = 0;               // after the previous step's contact; 0 for the first step
  std::optional<int32_t> expire_days;  // a due step stays due this many days, then the member has left
  std::string wait_until;              // a date column of the population ("" = none); not on the first step
  int32_t wait_until_offset_days = 0;  // added to that date (-7: a week before it)
};

// due_on of a step whose wait_until date is NULL for the member.
inline constexpr int32_t kNeverDue = std::numeric_limits<int32_t>::max();
// A NULL date in the `until` argument of place_of.
inline constexpr int32_t kNullDate = std::numeric_limits<int32_t>::min();

struct Dialogue {
  std::string name;
  expr::Source entry;                // predicate over the population's columns
  std::optional<expr::Source> goal;  // predicate; TRUE = the dialogue reached its goal
  // Share of members held out of every step (a control group of the whole
  // dialogue), in [0, 1]; salt "nudge:dialogue:<campaign name>:<dialogue name>"
  // (engine/holdout/campaign_holdout.h). A step's own `holdout` adds to it.
  double holdout = 0;
  int32_t reentry_days = 90;  // the window the place is read from (>= 1)
  std::vector<std::string> response_types = {"open", "click", "convert"};
  std::vector<std::string> exit_response_types = {"convert"};
  std::vector<Step> steps;  // at least one
};

enum class State : uint8_t {
  Outside,       // no dialogue contact in the window and no entry (or the goal holds)
  Due,           // step `step` is a candidate (step 0: entering)
  Waiting,       // waiting for step `step` (its wait has not run out)
  LeftExit,      // a contact in the window got an exit-type response
  LeftResponse,  // the latest step got a response
  LeftGoal,      // the goal holds
  LeftFinished,  // the latest contact is the last step
  LeftExpired,   // the next step was due longer than its expiry
};
inline constexpr std::size_t kStateCount = 8;

// "outside", "due", "waiting", "left: exit response", "left: response",
// "left: goal", "left: finished", "left: expired".
std::string_view state_name(State s) noexcept;
inline bool has_left(State s) noexcept { return s >= State::LeftExit; }

// A member's place in one dialogue.
struct Place {
  State state = State::Outside;
  // Due / Waiting: the step due or waited for (0-based); Left*: the step of
  // the latest contact; Outside: 0.
  uint8_t step = 0;
  int32_t latest_sent_on = 0;  // the latest window contact's sent_on (when there is one)
  int32_t due_on = 0;          // Due / Waiting with a latest contact: the day the step is (was) due
};

// One dialogue contact of a member as the state machine reads it (already
// restricted to non-control contacts of the dialogue's steps).
struct StepContact {
  int32_t sent_on = 0;
  uint8_t step = 0;        // 0-based
  bool responded = false;  // a response of a response type, responded_on <= D
  bool exited = false;     // a response of an exit type, responded_on <= D
};

// The place at day `as_of` from the member's dialogue contacts (any order;
// those outside the window are ignored), the entry and goal values (TRUE or
// not). `d` supplies steps, waits, expiry and the window. `until`, when the
// dialogue has a step with wait_until, holds per step the member's date of
// that column plus the step's offset (days since 1970-01-01; kNullDate for
// NULL; steps without wait_until are not read); nullptr otherwise.
Place place_of(const Dialogue& d, int32_t as_of, const StepContact* contacts, std::size_t n, bool entry, bool goal,
               const int32_t* until = nullptr) noexcept;

}  // namespace nudge::dialogue
