// Building a member's trace for `nudge explain` (trace.h).
#include "engine/decide/trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace nudge::decide {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trace_detail(const BoundCampaign& b, std::size_t row, std::size_t a, Gate g, double budget,
                         const std::vector<TraceEntry>& earlier, const TraceScratch& t) {
  const Campaign& c = b.campaign();
  const Action& act = c.actions[a];
  switch (g) {
    case Gate::Consent: {
      const Column& col = *b.consent_columns()[b.actions()[a].consent];
      if (!t.revoked.empty() && t.revoked[act.channel] && col.is_valid(row) && col.values<uint8_t>()[row])
        return fmt::format("channel {}: revoked by an unsubscribe in the history ({} is TRUE)",
                           c.channels[act.channel].name, col.name());
      return fmt::format("channel {}: {} is {}", c.channels[act.channel].name, col.name(),
                         col.is_null(row) ? "NULL" : "FALSE");
    }
    case Gate::Suppression: {
      std::string s;
      for (std::size_t r : b.actions()[a].suppressions)
        if (b.expressions().reference_predicate(b.population(), b.suppression_predicate(r), row) == 1)
          s += (s.empty() ? "rule " : ", ") + c.suppressions[r].name + " (" + c.suppressions[r].when.text + ")";
      return s.empty() ? "an exclusive (calamity) message is a candidate" : s;
    }
    case Gate::FrequencyCap: {
      std::string s;
      for (uint64_t m = b.actions()[a].cap_mask; m; m &= m - 1) {
        std::size_t j = static_cast<std::size_t>(std::countr_zero(m));
        const FrequencyCap& f = c.frequency_caps[j];
        const double v = j < t.cap_counts.size() ? t.cap_counts[j] : kNaN;
        const std::string what =
            f.from_history() ? fmt::format("{} contacts in the last {} days", v, f.window_days)
                             : fmt::format("{} {}", f.count_column.name, std::isnan(v) ? "NULL" : fmt::format("{}", v));
        s += fmt::format("{}cap {} ({} + earlier decisions, max {})", s.empty() ? "" : ", ", f.name, what, f.max);
      }
      return s;
    }
    case Gate::Priority: return "priority expression is NULL or not finite";
    case Gate::Budget: {
      double rem = budget;
      for (const auto& e : earlier)
        if (e.gate == Gate::Kept || e.gate == Gate::ChannelCapacity) rem = e.budget_left;  // kept by the walk
      return fmt::format("cost {} > remaining budget {}", b.actions()[a].cost, rem);
    }
    case Gate::MemberMax: return fmt::format("already {} decisions", c.max_decisions_per_member);
    case Gate::ChannelCapacity:
      return fmt::format("channel {} keeps {} decisions", c.channels[act.channel].name,
                         *c.channels[act.channel].capacity);
    case Gate::Kept: return "";
  }
  return "";
}

}  // namespace

MemberTrace build_trace(const BoundCampaign& b, std::size_t row, TraceScratch& t, const SweepResult& r) {
  const Campaign& c = b.campaign();
  MemberTrace m;
  m.row = row;
  m.customer_id = b.customer_ids()[row];
  if (!t.scored && b.model()) {  // no candidate: the sweep did not score it; explain does
    uint32_t r32 = static_cast<uint32_t>(row);
    b.model()->score_rows(&r32, 1, &t.churn);
  }
  m.churn = t.churn;
  m.used = t.used;
  m.budget = c.basket.points_per_period - t.used;  // NaN when used is NULL
  m.cap_counts = t.cap_counts;
  std::vector<std::size_t> order(c.actions.size());
  for (std::size_t a = 0; a < order.size(); ++a) {
    order[a] = a;
    if (t.gate[a] && *t.gate[a] != Gate::Priority && std::isnan(t.priority[a])) {
      // Stopped before scoring: compute the priority for display.
      std::optional<double> num;
      if (auto e = b.actions()[a].priority_number) num = b.expressions().reference_number(b.population(), *e, row);
      t.priority[a] = b.priority(a, num, t.churn);
    }
  }
  auto key = [&](std::size_t a) { return t.gate[a] ? (std::isnan(t.priority[a]) ? 1 : 0) : 2; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (key(x) != key(y)) return key(x) < key(y);
    if (key(x) == 0 && t.priority[x] != t.priority[y]) return t.priority[x] > t.priority[y];
    return x < y;
  });
  for (std::size_t a : order) {
    TraceEntry e;
    e.action = a;
    e.trigger = b.expressions().reference_predicate(b.population(), b.trigger_predicate(a), row);
    e.priority = t.priority[a];
    e.cost = b.actions()[a].cost;
    e.gate = t.gate[a];
    e.budget_left = t.budget_left[a];
    if (e.gate == Gate::Kept) {
      const std::size_t ch = c.actions[a].channel;
      Decision d{
          e.priority, m.customer_id, e.budget_left, m.churn, static_cast<uint32_t>(row), static_cast<uint16_t>(a), 0};
      if (c.channels[ch].capacity &&
          (*c.channels[ch].capacity == 0 || (r.capacity_cutoff[ch] && ranks_before(*r.capacity_cutoff[ch], d))))
        e.gate = Gate::ChannelCapacity;
    }
    if (e.gate) e.detail = trace_detail(b, row, a, *e.gate, m.budget, m.entries, t);
    m.entries.push_back(std::move(e));
  }
  return m;
}

}  // namespace nudge::decide
