// `nudge explain` text (explain.h).
#include "engine/decide/explain.h"

#include <fmt/format.h>

#include <cmath>

#include "engine/base/error.h"

namespace nudge::decide {

std::optional<std::size_t> find_customer(const Population& pop, uint64_t customer_id) {
  auto id = pop.id_column();
  if (!id) throw_invalid_input("the population has no customer id column (a uint64 column named customer_id)");
  const uint64_t* ids = pop.column(*id).values<uint64_t>();
  for (std::size_t i = 0; i < pop.rows(); ++i)
    if (ids[i] == customer_id) return i;
  return std::nullopt;
}

std::string format_explanation(const BoundCampaign& b, const SweepResult& r, const MemberInputSource* inputs) {
  if (!r.trace) throw_internal("format_explanation needs a sweep with a trace row");
  const Campaign& c = b.campaign();
  const MemberTrace& t = *r.trace;
  auto num = [](double x) { return std::isnan(x) ? std::string("NULL") : fmt::format("{}", x); };
  std::string s = fmt::format("member {} (row {}) in campaign {}\n", t.customer_id, t.row, c.name);
  s += fmt::format("churn score: {}\n", b.model() ? num(t.churn) : std::string("(no model)"));
  s += fmt::format("basket: {} points per {}, {} used ({}), {} left\n", c.basket.points_per_period, c.basket.period,
                   num(t.used), c.basket.from_history() ? std::string("from the history") : c.basket.used.name,
                   num(t.budget));
  std::size_t w = 6;
  for (const auto& a : c.actions) w = std::max(w, a.name.size());
  s += "triggers:\n";
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    int v = -2;
    for (const auto& e : t.entries)
      if (e.action == a) v = e.trigger;
    s += fmt::format("  {:<{}}  {:<5}  {}\n", c.actions[a].name, w,
                     v == 1   ? "TRUE"
                     : v == 0 ? "FALSE"
                              : "NULL",
                     c.actions[a].trigger.text);
  }
  s += "fired actions in candidate order (priority, then action order):\n";
  std::size_t n = 0;
  for (const auto& e : t.entries) {
    if (!e.gate) continue;
    const Action& a = c.actions[e.action];
    std::string verdict = *e.gate == Gate::Kept ? fmt::format("kept (budget left {})", e.budget_left)
                                                : fmt::format("{}: {}", gate_name(*e.gate), e.detail);
    s +=
        fmt::format("  {}. {:<{}}  {:<6} {:<10}  priority {:<10}  cost {:<5} -> {}\n", ++n, a.name, w,
                    c.channels[a.channel].name, c.message_types[a.message_type].name, num(e.priority), e.cost, verdict);
  }
  if (n == 0) s += "  (none)\n";
  if (inputs) s += "history events behind the gates:\n" + inputs->explain(t.row);
  return s;
}

}  // namespace nudge::decide
