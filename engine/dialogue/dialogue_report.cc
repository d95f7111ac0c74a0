// Dialogue report and explanation text (dialogue_report.h).
#include "engine/dialogue/dialogue_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/store/types.h"

namespace nudge::dialogue {

std::string format_dialogue_report(const decide::Campaign& c, const decide::SweepResult& r) {
  std::string s;
  for (std::size_t d = 0; d < c.dialogues.size() && d < r.dialogues.size(); ++d) {
    const Dialogue& dl = c.dialogues[d];
    const DialogueFunnel& f = r.dialogues[d];
    s += fmt::format("dialogue {}: entry {}{}; re-entry after {} days\n", dl.name, dl.entry.text,
                     dl.goal ? fmt::format(", goal {}", dl.goal->text) : "", dl.reentry_days);
    std::size_t w = 4;
    for (const auto& st : dl.steps) w = std::max(w, c.actions[st.action].name.size());
    s += fmt::format("  {:>2} {:<{}} {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "#", "step", w,
                     "wait", "waiting", "due", "sent", "response", "exit", "goal", "finished", "expired");
    uint64_t entered = 0, advanced = 0, held = 0;
    for (std::size_t k = 0; k < dl.steps.size(); ++k) {
      const std::size_t a = dl.steps[k].action;
      // Control decisions (holdouts) are not sent and move nobody: counted apart.
      const uint64_t control = a < r.funnel.size() ? r.funnel[a].control : 0;
      const uint64_t sent = (a < r.funnel.size() ? r.funnel[a].kept : 0) - control;
      (k == 0 ? entered : advanced) += sent;
      held += control;
      s += fmt::format("  {:>2} {:<{}} {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", k + 1,
                       c.actions[a].name, w, k == 0 ? std::string("-") : fmt::format("{}d", dl.steps[k].wait_days),
                       f.at(State::Waiting, k), f.at(State::Due, k), sent, f.at(State::LeftResponse, k),
                       f.at(State::LeftExit, k), f.at(State::LeftGoal, k), f.at(State::LeftFinished, k),
                       f.at(State::LeftExpired, k));
    }
    uint64_t left = 0;
    for (State st : {State::LeftExit, State::LeftResponse, State::LeftGoal, State::LeftFinished, State::LeftExpired})
      left += f.in(st);
    const uint64_t in = f.in(State::Waiting) + f.in(State::Due)-f.at(State::Due, 0);
    s += fmt::format(
        "  outside {}, entering (step 1 due) {}, in the dialogue {}, left {} (response {}, exit {}, goal {}, "
        "finished {}, expired {}); today: entered {}, advanced {}\n",
        f.in(State::Outside), f.at(State::Due, 0), in, left, f.in(State::LeftResponse), f.in(State::LeftExit),
        f.in(State::LeftGoal), f.in(State::LeftFinished), f.in(State::LeftExpired), entered, advanced);
    if (held)
      s += fmt::format("  held out today (control decisions, not sent; the members stay where they are): {}\n", held);
  }
  return s;
}

std::string format_dialogue_explanation(const decide::BoundCampaign& b, const BoundDialogues& dlg, std::size_t row) {
  const decide::Campaign& c = b.campaign();
  std::string s;
  const int32_t D = dlg.as_of();
  for (std::size_t d = 0; d < c.dialogues.size(); ++d) {
    const Dialogue& dl = c.dialogues[d];
    const int entry = b.expressions().reference_predicate(b.population(), b.trigger_predicate(dl.steps[0].action), row);
    const auto gp = b.goal_predicate(d);
    const int goal = gp ? b.expressions().reference_predicate(b.population(), *gp, row) : 0;
    auto tv = [](int v) { return v == 1 ? "TRUE" : v == 0 ? "FALSE" : "NULL"; };
    std::vector<ReadEvent> ev;
    const Place p = dlg.explain(row, d, entry == 1, goal == 1, &ev);
    std::string where;
    const std::string step_name = c.actions[dl.steps[p.step].action].name;
    switch (p.state) {
      case State::Outside: where = "outside"; break;
      case State::Due:
        where = fmt::format("step {} ({}) due{}", p.step + 1, step_name,
                            p.step == 0 ? " (entering)" : fmt::format(" since {}", format_iso_date(p.due_on)));
        break;
      case State::Waiting:
        where = p.due_on == kNeverDue ? fmt::format("waiting for step {} ({}), never due: its {} is NULL", p.step + 1,
                                                    step_name, dl.steps[p.step].wait_until)
                                      : fmt::format("waiting for step {} ({}), due on {}", p.step + 1, step_name,
                                                    format_iso_date(p.due_on));
        break;
      default: where = fmt::format("{} after step {} ({})", state_name(p.state), p.step + 1, step_name);
    }
    s += fmt::format("dialogue {} on {}: {}\n", dl.name, format_iso_date(D), where);
    s += fmt::format("  entry {} ({})", tv(entry), dl.entry.text);
    if (dl.goal) s += fmt::format(", goal {} ({})", tv(goal), dl.goal->text);
    s += "\n";
    s += fmt::format("  dialogue contacts with {} < sent_on <= {}: {}\n", format_iso_date(D - dl.reentry_days),
                     format_iso_date(D), ev.empty() ? "none" : std::to_string(ev.size()));
    for (const auto& e : ev) {
      s += fmt::format("    {} step {} {}", format_iso_date(e.sent_on), e.step + 1,
                       c.actions[dl.steps[e.step].action].name);
      if (e.responses.empty()) s += ", no response";
      for (const auto& [day, type] : e.responses) s += fmt::format(", {} on {}", type, format_iso_date(day));
      if (e.exited) s += " [exit response]";
      else if (e.responded) s += " [response]";
      s += "\n";
    }
  }
  return s;
}

}  // namespace nudge::dialogue
