// The dialogue state machine (dialogue.h).
#include "engine/dialogue/dialogue.h"

#include <algorithm>

namespace nudge::dialogue {

std::string_view state_name(State s) noexcept {
  switch (s) {
    case State::Outside: return "outside";
    case State::Due: return "due";
    case State::Waiting: return "waiting";
    case State::LeftExit: return "left: exit response";
    case State::LeftResponse: return "left: response";
    case State::LeftGoal: return "left: goal";
    case State::LeftFinished: return "left: finished";
    case State::LeftExpired: return "left: expired";
  }
  return "?";
}

Place place_of(const Dialogue& d, int32_t as_of, const StepContact* contacts, std::size_t n, bool entry, bool goal,
               const int32_t* until) noexcept {
  const int32_t from = as_of - d.reentry_days;  // window: from < sent_on <= as_of
  const StepContact* latest = nullptr;
  bool exited = false;
  for (std::size_t i = 0; i < n; ++i) {
    const StepContact& c = contacts[i];
    if (c.sent_on <= from || c.sent_on > as_of) continue;
    exited |= c.exited;
    if (!latest || c.sent_on > latest->sent_on || (c.sent_on == latest->sent_on && c.step > latest->step)) latest = &c;
  }
  Place p;
  if (!latest) {
    if (entry && !goal) p.state = State::Due;
    return p;
  }
  p.step = latest->step;
  p.latest_sent_on = latest->sent_on;
  if (exited) p.state = State::LeftExit;
  else if (latest->responded) p.state = State::LeftResponse;
  else if (goal) p.state = State::LeftGoal;
  else if (static_cast<std::size_t>(latest->step) + 1 >= d.steps.size()) p.state = State::LeftFinished;
  if (has_left(p.state)) return p;
  const Step& next = d.steps[latest->step + 1u];
  p.step = static_cast<uint8_t>(latest->step + 1);
  p.due_on = latest->sent_on + next.wait_days;
  if (!next.wait_until.empty() && until) {
    const int32_t date = until[p.step];
    p.due_on = date == kNullDate ? kNeverDue : std::max(p.due_on, date);
  }
  if (as_of < p.due_on) p.state = State::Waiting;
  else if (next.expire_days && static_cast<int64_t>(as_of) >= static_cast<int64_t>(p.due_on) + *next.expire_days)
    p.state = State::LeftExpired, p.step = latest->step;
  else p.state = State::Due;
  return p;
}

}  // namespace nudge::dialogue
