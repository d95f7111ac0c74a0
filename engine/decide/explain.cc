// `nudge explain` text (explain.h).
#include "engine/decide/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/base/error.h"
#include "engine/explain/explain_values.h"
#include "engine/holdout/campaign_holdout.h"

namespace nudge::decide {

std::optional<std::size_t> find_customer(const Population& pop, uint64_t customer_id) {
  auto id = pop.id_column();
  if (!id) throw_invalid_input("the population has no customer id column (a uint64 column named customer_id)");
  const uint64_t* ids = pop.column(*id).values<uint64_t>();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < pop.rows(); ++i)
    if (ids[i] == customer_id) rows.push_back(i);
  if (rows.empty()) return std::nullopt;
  if (rows.size() > 1) {  // a snapshot from older code or another tool: say so, never pick one silently
    std::string list;
    const std::size_t shown = std::min<std::size_t>(rows.size(), 5);
    for (std::size_t k = 0; k < shown; ++k)
      list += (k == 0 ? "" : k + 1 == rows.size() ? " and " : ", ") + std::to_string(rows[k]);
    if (shown < rows.size()) list += fmt::format(" and {} more", rows.size() - shown);
    throw_invalid_input(
        fmt::format("customer {} is on rows {} of the population; explain needs a unique id", customer_id, list));
  }
  return rows[0];
}

std::string priority_terms(const BoundCampaign& b, std::size_t action, const MemberTrace& t) {
  const Action& a = b.campaign().actions[action];
  auto num = [](double x) { return std::isnan(x) ? std::string("NULL") : fmt::format("{}", x); };
  switch (a.priority_kind) {
    case PriorityKind::WeightValueChurn:
      return fmt::format("weight {} * value {} * churn {}", a.weight, a.value, num(t.churn));
    case PriorityKind::WeightValue: return fmt::format("weight {} * value {}", a.weight, a.value);
    case PriorityKind::Expression: {
      std::string s = a.priority_expression.text;
      const auto vals = explain::number_values(b.population(), a.priority_expression, t.row);
      for (std::size_t i = 0; i < vals.size(); ++i) s += (i ? ", " : " where ") + vals[i].text + " = " + vals[i].value;
      if (a.priority_times_churn) s += fmt::format(", times churn {}", num(t.churn));
      return s;
    }
  }
  return "";
}

nlohmann::json explanation_json(const BoundCampaign& b, const SweepResult& r) {
  if (!r.trace) throw_internal("explanation_json needs a sweep with a trace row");
  const Campaign& c = b.campaign();
  const MemberTrace& t = *r.trace;
  auto num = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"customer_id", t.customer_id},
                      {"row", t.row},
                      {"campaign", c.name},
                      {"churn", num(t.churn)},
                      {"budget", num(t.budget)}};
  j["basket"] = {{"points_per_period", c.basket.points_per_period},
                 {"used_from", c.basket.from_history() ? std::string("history") : c.basket.used.name},
                 {"used", num(t.used)}};
  j["actions"] = nlohmann::json::array();
  const holdout::CampaignHoldout h(c);
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    const TraceEntry* e = nullptr;
    for (const auto& x : t.entries)
      if (x.action == a) e = &x;
    nlohmann::json o = {{"action", c.actions[a].name}, {"trigger", c.actions[a].trigger.text}};
    o["trigger_value"] = !e || e->trigger < 0 ? nlohmann::json(nullptr) : nlohmann::json(e->trigger == 1);
    nlohmann::json vals = nlohmann::json::array();
    for (const auto& x : explain::predicate_values(b.population(), c.actions[a].trigger, t.row))
      vals.push_back({{"text", x.text}, {"value", x.value}});
    o["values"] = vals;
    if (e && e->gate) {
      o["priority"] = num(e->priority);
      o["priority_terms"] = priority_terms(b, a, t);
      o["cost"] = e->cost;
      o["gate"] = std::string(gate_name(*e->gate));
      o["detail"] = e->detail;
      if (*e->gate == Gate::Kept) o["budget_left"] = e->budget_left;
      if (*e->gate == Gate::Kept)
        o["control"] = h.any() && (h.member_held(t.customer_id) || h.action_held(a, t.customer_id));
    }
    j["actions"].push_back(std::move(o));
  }
  return j;
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
  s += "triggers (and the values behind them):\n";
  const Population& pop = b.population();
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    int v = -2;
    for (const auto& e : t.entries)
      if (e.action == a) v = e.trigger;
    // A multi-line trigger keeps its layout, indented under the first line.
    std::string text = c.actions[a].trigger.text;
    const std::string indent = "\n" + std::string(w + 11, ' ');
    for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += indent.size())
      text.replace(p, 1, indent);
    s += fmt::format("  {:<{}}  {:<5}  {}\n", c.actions[a].name, w, v == 1 ? "TRUE" : v == 0 ? "FALSE" : "NULL", text);
    for (const auto& x : explain::predicate_values(pop, c.actions[a].trigger, t.row))
      s += fmt::format("  {:<{}}         {} = {}\n", "", w, x.text, x.value);
  }
  const holdout::CampaignHoldout h(c);
  auto held = [&](std::size_t a) {
    return h.any() && (h.member_held(t.customer_id) || h.action_held(a, t.customer_id));
  };
  s += "fired actions in candidate order (priority, then action order):\n";
  std::size_t n = 0;
  for (const auto& e : t.entries) {
    if (!e.gate) continue;
    const Action& a = c.actions[e.action];
    std::string verdict = *e.gate == Gate::Kept ? fmt::format("kept (budget left {})", e.budget_left)
                                                : fmt::format("{}: {}", gate_name(*e.gate), e.detail);
    if (*e.gate == Gate::Kept && held(e.action)) verdict += " as a CONTROL decision (held out: not to be sent)";
    s +=
        fmt::format("  {}. {:<{}}  {:<6} {:<10}  priority {:<10}  cost {:<5} -> {}\n", ++n, a.name, w,
                    c.channels[a.channel].name, c.message_types[a.message_type].name, num(e.priority), e.cost, verdict);
    s += fmt::format("       priority = {}\n", priority_terms(b, e.action, t));
  }
  if (n == 0) s += "  (none)\n";
  if (inputs) s += "history events behind the gates:\n" + inputs->explain(t.row);
  return s;
}

}  // namespace nudge::decide
