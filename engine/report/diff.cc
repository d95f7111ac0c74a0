// Campaign A against campaign B over one population (diff.h).
#include "engine/report/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/base/error.h"
#include "engine/decide/decision.h"
#include "engine/report/basket_used.h"

namespace nudge::report {
namespace {

using decide::BoundCampaign;
using decide::Campaign;
using decide::Decision;
using decide::SweepResult;

// A sweep with no top-K cut, tracing trace_row (if any).
decide::SweepOptions sweep_all(const decide::SweepOptions& base, std::optional<std::size_t> trace_row = {}) {
  decide::SweepOptions o = base;
  o.top_k = SIZE_MAX;
  o.trace_row = trace_row;
  return o;
}

// Per row: the decisions of a sweep (indexes into ranked), rows ascending.
std::vector<std::vector<uint32_t>> by_row(const SweepResult& r, std::size_t rows) {
  std::vector<std::vector<uint32_t>> out(rows);
  for (uint32_t i = 0; i < r.ranked.size(); ++i) out[r.ranked[i].row].push_back(i);
  return out;
}

std::vector<double> remaining(const BoundCampaign& b, const SweepResult& r, const decide::MemberInputSource* in) {
  const Campaign& c = b.campaign();
  std::vector<double> v = basket_used(b, in);
  for (double& x : v) x = c.basket.points_per_period - x;  // NaN (unknown basket) stays NaN
  for (const Decision& d : r.ranked)
    if (!d.control) v[d.row] -= c.cost(c.actions[d.action]);
  return v;
}

BudgetStats stats(const std::vector<double>& v) {
  std::vector<double> s;
  for (double x : v)
    if (std::isfinite(x)) s.push_back(x);
  BudgetStats b;
  b.members = s.size();
  if (s.empty()) return b;
  std::sort(s.begin(), s.end());
  double sum = 0;
  for (double x : s) sum += x;
  b.mean = sum / static_cast<double>(s.size());
  const double ps[5] = {0, 0.1, 0.5, 0.9, 1.0};
  for (int i = 0; i < 5; ++i) {
    // nearest rank: the ceil(p n)-th value (1-based), the first for p = 0
    std::size_t k = static_cast<std::size_t>(std::ceil(ps[i] * static_cast<double>(s.size())));
    b.q[i] = s[k == 0 ? 0 : k - 1];
  }
  return b;
}

std::string reason(const BoundCampaign& b, const SweepResult& traced) {
  const Campaign& c = b.campaign();
  std::string s;
  for (const auto& e : traced.trace->entries) {
    if (!e.gate) continue;
    if (!s.empty()) s += "; ";
    s += c.actions[e.action].name + ": " +
         (*e.gate == decide::Gate::Kept ? fmt::format("kept (budget left {})", e.budget_left)
                                        : fmt::format("{} ({})", decide::gate_name(*e.gate), e.detail));
  }
  return s.empty() ? "no trigger fired" : s;
}

}  // namespace

CampaignDiff diff_campaigns(const BoundCampaign& a, const BoundCampaign& b, const DiffOptions& o) {
  if (a.population().rows() != b.population().rows() ||
      !std::equal(a.customer_ids(), a.customer_ids() + a.population().rows(), b.customer_ids()))
    throw_usage("diff: both campaigns must be bound to the same population");
  const Campaign &ca = a.campaign(), &cb = b.campaign();
  const std::size_t rows = a.population().rows();
  // Both campaigns in one pass over the population (run_sweeps, sweep.h: what is shared).
  const std::vector<decide::SweepOptions> so = {sweep_all(o.a_sweep), sweep_all(o.b_sweep)};
  std::vector<SweepResult> both = decide::run_sweeps({&a, &b}, so);
  const SweepResult ra = std::move(both[0]), rb = std::move(both[1]);
  CampaignDiff d;
  d.a_name = ca.name, d.b_name = cb.name, d.members = rows;
  d.b_expressions = rb.expressions, d.b_expressions_shared = rb.expressions_shared;

  // Per action and channel name.
  std::map<std::string, std::size_t> action_at, channel_at;
  auto slot = [](std::map<std::string, std::size_t>& at, std::vector<DiffCount>& v,
                 const std::string& n) -> DiffCount& {
    auto [it, fresh] = at.emplace(n, v.size());
    if (fresh) v.push_back({n});
    return v[it->second];
  };
  for (const auto& x : ca.actions) slot(action_at, d.actions, x.name);
  for (const auto& x : cb.actions) slot(action_at, d.actions, x.name);
  // capacity or capacity_share of the members swept (capacity_for, campaign.h)
  for (const auto& ch : ca.channels) slot(channel_at, d.channels, ch.name).a_capacity = decide::capacity_for(ch, rows);
  for (const auto& ch : cb.channels) slot(channel_at, d.channels, ch.name).b_capacity = decide::capacity_for(ch, rows);
  for (std::size_t i = 0; i < ca.actions.size(); ++i) {
    const auto& f = ra.funnel[i];
    DiffCount& x = slot(action_at, d.actions, ca.actions[i].name);
    DiffCount& y = slot(channel_at, d.channels, ca.channels[ca.actions[i].channel].name);
    x.a += f.kept, x.a_control += f.control, y.a += f.kept, y.a_control += f.control;
  }
  for (std::size_t i = 0; i < cb.actions.size(); ++i) {
    const auto& f = rb.funnel[i];
    DiffCount& x = slot(action_at, d.actions, cb.actions[i].name);
    DiffCount& y = slot(channel_at, d.channels, cb.channels[cb.actions[i].channel].name);
    x.b += f.kept, x.b_control += f.control, y.b += f.kept, y.b_control += f.control;
  }
  for (const Decision& x : ra.ranked)
    if (!x.control) d.a_points += ca.cost(ca.actions[x.action]);
  for (const Decision& x : rb.ranked)
    if (!x.control) d.b_points += cb.cost(cb.actions[x.action]);

  // Members: gain, lose, change, same; movers by the largest priority that moved.
  const auto pa = by_row(ra, rows), pb = by_row(rb, rows);
  std::vector<Mover> movers;
  for (std::size_t row = 0; row < rows; ++row) {
    if (pa[row].empty() && pb[row].empty()) continue;
    std::vector<std::pair<std::string, double>> sa, sb;
    for (uint32_t i : pa[row]) sa.emplace_back(ca.actions[ra.ranked[i].action].name, ra.ranked[i].priority);
    for (uint32_t i : pb[row]) sb.emplace_back(cb.actions[rb.ranked[i].action].name, rb.ranked[i].priority);
    auto names = [](const auto& v) {
      std::vector<std::string> n;
      for (const auto& [s, p] : v) n.push_back(s);
      return n;
    };
    std::vector<std::string> na = names(sa), nb = names(sb);
    std::vector<std::string> sorted_a = na, sorted_b = nb;
    std::sort(sorted_a.begin(), sorted_a.end());
    std::sort(sorted_b.begin(), sorted_b.end());
    if (sorted_a == sorted_b) {
      ++d.same;
      continue;
    }
    if (na.empty()) ++d.gain;
    else if (nb.empty()) ++d.lose;
    else ++d.change;
    double key = -INFINITY;
    for (const auto& [s, p] : sa)
      if (!std::binary_search(sorted_b.begin(), sorted_b.end(), s)) key = std::max(key, p);
    for (const auto& [s, p] : sb)
      if (!std::binary_search(sorted_a.begin(), sorted_a.end(), s)) key = std::max(key, p);
    movers.push_back({a.customer_ids()[row], row, na, nb, key, "", ""});
  }
  std::sort(movers.begin(), movers.end(), [](const Mover& x, const Mover& y) {
    return x.key != y.key ? x.key > y.key : x.customer_id < y.customer_id;
  });
  if (movers.size() > o.movers) movers.resize(o.movers);
  for (Mover& m : movers) {
    m.a_reason = reason(a, decide::run_sweep(a, sweep_all(o.a_sweep, m.row)));
    m.b_reason = reason(b, decide::run_sweep(b, sweep_all(o.b_sweep, m.row)));
  }
  d.movers = std::move(movers);
  d.a_remaining = remaining(a, ra, o.a_sweep.inputs), d.b_remaining = remaining(b, rb, o.b_sweep.inputs);
  d.a_budget = stats(d.a_remaining), d.b_budget = stats(d.b_remaining);
  return d;
}

nlohmann::json diff_json(const CampaignDiff& d) {
  auto counts = [](const std::vector<DiffCount>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const DiffCount& x : v) {
      nlohmann::json o = {
          {"name", x.name}, {"a", x.a}, {"b", x.b}, {"a_control", x.a_control}, {"b_control", x.b_control}};
      if (x.a_capacity || x.b_capacity) {
        o["a_capacity"] = x.a_capacity ? nlohmann::json(*x.a_capacity) : nlohmann::json(nullptr);
        o["b_capacity"] = x.b_capacity ? nlohmann::json(*x.b_capacity) : nlohmann::json(nullptr);
      }
      a.push_back(o);
    }
    return a;
  };
  auto budget = [](const BudgetStats& b) {
    return nlohmann::json{{"members", b.members}, {"mean", b.mean}, {"min", b.q[0]}, {"p10", b.q[1]},
                          {"p50", b.q[2]},        {"p90", b.q[3]},  {"max", b.q[4]}};
  };
  nlohmann::json movers = nlohmann::json::array();
  for (const Mover& m : d.movers)
    movers.push_back({{"customer_id", m.customer_id},
                      {"a", m.a_actions},
                      {"b", m.b_actions},
                      {"a_reason", m.a_reason},
                      {"b_reason", m.b_reason}});
  return {{"a", d.a_name},
          {"b", d.b_name},
          {"members", d.members},
          {"actions", counts(d.actions)},
          {"channels", counts(d.channels)},
          {"members_gain", d.gain},
          {"members_lose", d.lose},
          {"members_change", d.change},
          {"members_same", d.same},
          {"points", {{"a", d.a_points}, {"b", d.b_points}}},
          {"remaining_budget", {{"a", budget(d.a_budget)}, {"b", budget(d.b_budget)}}},
          {"movers", movers}};
}

std::string format_diff(const CampaignDiff& d) {
  std::string s = fmt::format("A = {}, B = {}, {} members\n\n{:<24} {:>10} {:>10} {:>10}\n", d.a_name, d.b_name,
                              d.members, "action", "A", "B", "B - A");
  for (const DiffCount& x : d.actions)
    s += fmt::format("{:<24} {:>10} {:>10} {:>+10}\n", x.name, x.a, x.b, int64_t(x.b) - int64_t(x.a));
  s += fmt::format("\n{:<24} {:>10} {:>10} {:>10} {:>12} {:>12}\n", "channel", "A", "B", "B - A", "capacity A",
                   "capacity B");
  auto cap = [](const std::optional<uint64_t>& c) { return c ? std::to_string(*c) : std::string("-"); };
  for (const DiffCount& x : d.channels)
    s += fmt::format("{:<24} {:>10} {:>10} {:>+10} {:>12} {:>12}\n", x.name, x.a, x.b, int64_t(x.b) - int64_t(x.a),
                     cap(x.a_capacity), cap(x.b_capacity));
  s += fmt::format("\nmembers: {} gain a contact, {} lose all, {} change, {} keep the same decisions\n", d.gain, d.lose,
                   d.change, d.same);
  s += fmt::format("points spent: A {} B {} ({:+})\n", d.a_points, d.b_points, d.b_points - d.a_points);
  s += "remaining budget   mean      min      p10      p50      p90      max\n";
  for (auto [n, b] : {std::pair{"A", &d.a_budget}, std::pair{"B", &d.b_budget}})
    s += fmt::format("  {}             {:>8.3f} {:>8g} {:>8g} {:>8g} {:>8g} {:>8g}\n", n, b->mean, b->q[0], b->q[1],
                     b->q[2], b->q[3], b->q[4]);
  if (!d.movers.empty()) s += "\ntop movers:\n";
  for (const Mover& m : d.movers) {
    auto join = [](const std::vector<std::string>& v) {
      std::string o;
      for (const auto& x : v) o += (o.empty() ? "" : ", ") + x;
      return o.empty() ? std::string("(none)") : o;
    };
    s += fmt::format("  {}: A [{}] -> B [{}]\n    A: {}\n    B: {}\n", m.customer_id, join(m.a_actions),
                     join(m.b_actions), m.a_reason, m.b_reason);
  }
  return s;
}

}  // namespace nudge::report
