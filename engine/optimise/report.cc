// The optimisation report as text and JSON (optimise.h).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/optimise/optimise.h"

namespace nudge::optimise {
namespace {

// Relative gap (b - a) / b in percent; 0 when b is 0.
double gap(double a, double b) { return b != 0 ? 100.0 * (b - a) / std::abs(b) : 0.0; }

}  // namespace

std::string format_optimise_report(const OptimiseReport& r) {
  std::string s =
      fmt::format("optimise: objective {:.4f}, greedy {:.4f} ({:+.3f}%), dual bound {:.4f} (gap {:.4f}%)\n",
                  r.objective, r.greedy_objective,
                  r.greedy_objective != 0 ? 100.0 * (r.objective - r.greedy_objective) / r.greedy_objective : 0.0,
                  r.dual_bound, gap(r.objective, r.dual_bound));
  if (r.fixed_prices) s += "optimise: fixed prices, no passes, no repair\n";
  else
    s += fmt::format(
        "optimise: {} passes{}, {} of {} members with candidates under a global constraint; repair "
        "dropped {}, refilled {}, min_volume added {}\n",
        r.passes,
        r.converged ? " (prices settled)"
        : r.stalled ? " (bound stalled)"
                    : " (pass limit)",
        r.active_members, r.members_with_candidates, r.repair_dropped, r.refilled, r.min_filled);
  std::size_t w = 10;
  for (const auto& c : r.constraints) w = std::max(w, c.name.size());
  s += fmt::format("{:<{}} {:>4} {:>14} {:>14} {:>14} {:>14}\n", "constraint", w, "", "limit", "price", "usage",
                   "greedy usage");
  for (const auto& c : r.constraints)
    s += fmt::format("{:<{}} {:>4} {:>14.2f} {:>14.6f} {:>14.2f} {:>14.2f}\n", c.name, w,
                     c.lower ? ">=" : "<=", c.limit, c.price, c.usage, c.greedy_usage);
  double per_pass = 0;
  for (double t : r.pass_seconds) per_pass += t;
  s += fmt::format(
      "time: sweep + collect {:.3f} s, greedy baseline {:.3f} s, prices {:.3f} s ({:.4f} s per pass), repair "
      "{:.3f} s, output {:.3f} s\n",
      r.sweep_seconds, r.greedy_seconds, r.price_seconds,
      r.pass_seconds.empty() ? 0.0 : per_pass / r.pass_seconds.size(), r.repair_seconds, r.output_seconds);
  return s;
}

std::string optimise_report_json(const OptimiseReport& r) {
  nlohmann::ordered_json j;
  j["objective"] = r.objective;
  j["greedy_objective"] = r.greedy_objective;
  j["dual_bound"] = r.dual_bound;
  j["gap_to_bound_percent"] = gap(r.objective, r.dual_bound);
  j["gain_over_greedy_percent"] =
      r.greedy_objective != 0 ? 100.0 * (r.objective - r.greedy_objective) / r.greedy_objective : 0.0;
  j["passes"] = r.passes;
  j["converged"] = r.converged;
  j["stalled"] = r.stalled;
  j["fixed_prices"] = r.fixed_prices;
  j["members_with_candidates"] = r.members_with_candidates;
  j["active_members"] = r.active_members;
  j["repair"] = {{"dropped", r.repair_dropped}, {"refilled", r.refilled}, {"min_volume_added", r.min_filled}};
  auto& cs = j["constraints"] = nlohmann::ordered_json::array();
  for (const auto& c : r.constraints)
    cs.push_back({{"name", c.name},
                  {"sense", c.lower ? ">=" : "<="},
                  {"limit", c.limit},
                  {"price", c.price},
                  {"usage", c.usage},
                  {"greedy_usage", c.greedy_usage}});
  j["pass_dual"] = r.pass_dual;
  j["pass_seconds"] = r.pass_seconds;
  j["seconds"] = {{"sweep", r.sweep_seconds},
                  {"greedy", r.greedy_seconds},
                  {"prices", r.price_seconds},
                  {"repair", r.repair_seconds},
                  {"output", r.output_seconds}};
  return j.dump(2) + "\n";
}

}  // namespace nudge::optimise
