// [arbitration] and the per-action optimiser limits (campaign_arbitration.h).
#include "engine/decide/campaign_arbitration.h"

#include <fmt/format.h>

namespace nudge::decide {

void read_action_limits(const TomlReader& r, const toml::table& t, Action& a, const std::string& w,
                        const Arbitration& arb) {
  for (const char* key : {"min_volume", "max_volume", "money_cost"})
    if (auto* v = t.get(key); v && arb.mode == ArbitrationMode::Greedy)
      r.fail(*v, fmt::format("'{}' of {} needs [arbitration] mode = \"optimise\" (greedy arbitration cannot "
                             "honour it)",
                             key, w));
  if (auto* v = t.get("min_volume")) a.min_volume = r.integer_as<uint64_t>(*v, "min_volume", w, 0);
  if (auto* v = t.get("max_volume")) a.max_volume = r.integer_as<uint64_t>(*v, "max_volume", w, 0);
  if (a.min_volume && a.max_volume && *a.min_volume > *a.max_volume)
    r.fail(*t.get("min_volume"),
           fmt::format("'min_volume' of {} ({}) is above its 'max_volume' ({})", w, *a.min_volume, *a.max_volume));
  if (auto* v = t.get("money_cost")) a.money_cost = r.nonnegative(*v, "money_cost", w);
}

void read_arbitration(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::node* n = root.get("arbitration");
  const toml::table* t = nullptr;
  if (n) {
    t = &r.table(*n, "arbitration", "");
    const std::string w = "[arbitration]";
    r.check_keys(*t, {"mode", "money_budget", "passes"}, w);
    if (auto* v = t->get("mode")) {
      const std::string mode = r.string(*v, "mode", w);
      if (mode == "greedy") c.arbitration.mode = ArbitrationMode::Greedy;
      else if (mode == "optimise" || mode == "optimize") c.arbitration.mode = ArbitrationMode::Optimise;
      else r.fail(*v, fmt::format("'mode' of {} must be \"greedy\" or \"optimise\", not \"{}\"", w, mode));
    }
    if (auto* v = t->get("money_budget")) c.arbitration.money_budget = r.nonnegative(*v, "money_budget", w);
    if (auto* v = t->get("passes")) c.arbitration.max_passes = r.integer_as<std::size_t>(*v, "passes", w, 1);
  }
  if (t && c.arbitration.mode == ArbitrationMode::Greedy && t->get("money_budget"))
    r.fail(*t->get("money_budget"),
           "'money_budget' of [arbitration] needs mode = \"optimise\" (greedy arbitration cannot honour it)");
}

}  // namespace nudge::decide
