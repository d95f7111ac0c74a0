// The funnel and phase-time table of a sweep (sweep.h: format_summary).
#include <fmt/format.h>

#include <algorithm>

#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_report.h"

namespace nudge::decide {

std::string format_summary(const BoundCampaign& b, const SweepResult& r) {
  const Campaign& c = b.campaign();
  std::string s = fmt::format("swept {} members: {} with candidates (scored), {} decisions, {} in the output\n",
                              r.members, r.members_with_candidates, r.decisions, r.ranked.size());
  std::size_t w = 6;
  for (const auto& a : c.actions) w = std::max(w, a.name.size());
  s += fmt::format("{:<{}} {:>10} {:>9} {:>11} {:>8} {:>8} {:>9} {:>8} {:>8} {:>10} {:>9}\n", "action", w, "fired",
                   "consent", "suppression", "freq.cap", "priority", "budget", "max", "capacity", "kept", "output");
  ActionFunnel t;
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    const ActionFunnel& f = r.funnel[a];
    s += fmt::format("{:<{}} {:>10} {:>9} {:>11} {:>8} {:>8} {:>9} {:>8} {:>8} {:>10} {:>9}\n", c.actions[a].name, w,
                     f.fired, f.consent, f.suppression, f.frequency_cap, f.priority, f.budget, f.member_max, f.capacity,
                     f.kept, f.in_top_k);
    t += f;
  }
  s += fmt::format("{:<{}} {:>10} {:>9} {:>11} {:>8} {:>8} {:>9} {:>8} {:>8} {:>10} {:>9}\n", "total", w, t.fired,
                   t.consent, t.suppression, t.frequency_cap, t.priority, t.budget, t.member_max, t.capacity, t.kept,
                   t.in_top_k);
  if (t.control) {
    s += fmt::format("held out (control = true, not to be sent): {} of the kept decisions:", t.control);
    for (std::size_t a = 0; a < c.actions.size(); ++a)
      if (r.funnel[a].control) s += fmt::format(" {} {}", c.actions[a].name, r.funnel[a].control);
    s += "\n";
  }
  s += dialogue::format_dialogue_report(c, r);  // empty without dialogues
  const auto& tm = r.times;
  s += fmt::format(
      "time: pass {:.3f} s wall (thread time: {}evaluate {:.3f} s, {}gates {:.3f} s, score {:.3f} s, "
      "walk {:.3f} s), capacity + top-K {:.3f} s; {:.1f} M members/s\n",
      tm.pass_wall, tm.history_cpu > 0 ? fmt::format("history {:.3f} s, ", tm.history_cpu) : std::string(),
      tm.evaluate_cpu, tm.dialogue_cpu > 0 ? fmt::format("dialogues {:.3f} s, ", tm.dialogue_cpu) : std::string(),
      tm.gates_cpu, tm.score_cpu, tm.walk_cpu, tm.rank_wall,
      r.members / std::max(1e-9, tm.pass_wall + tm.rank_wall) / 1e6);
  return s;
}

}  // namespace nudge::decide
