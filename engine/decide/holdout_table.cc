// The campaign file's holdout shares: [holdout], an action's or dialogue
// step's `holdout`, a dialogue's `holdout` (action_table.h).
#include <fmt/format.h>

#include "engine/decide/action_table.h"

namespace nudge::decide {

double read_holdout_share(const TomlReader& r, const toml::node& n, std::string_view key, std::string_view where) {
  const double v = r.number(n, key, where);
  if (!(v >= 0 && v <= 1)) r.fail(n, fmt::format("'{}' of {} is a share and must be in [0, 1], not {}", key, where, v));
  return v;
}

void read_holdout_table(const TomlReader& r, const toml::table& root, Campaign& c) {
  if (const toml::node* n = root.get("holdout")) {
    const toml::table& t = r.table(*n, "holdout", "");
    const std::string w = "[holdout]";
    r.check_keys(t, {"global", "global_salt", "campaign", "campaign_salt", "attribution_days"}, w);
    if (auto* v = t.get("attribution_days")) c.holdout.attribution_days = r.integer_as<int32_t>(*v, "attribution_days", w, 0);
    if (auto* v = t.get("global")) c.holdout.global = read_holdout_share(r, *v, "global", w);
    if (auto* v = t.get("global_salt")) c.holdout.global_salt = r.nonempty_string(*v, "global_salt", w);
    if (auto* v = t.get("campaign")) c.holdout.campaign = read_holdout_share(r, *v, "campaign", w);
    if (auto* v = t.get("campaign_salt")) c.holdout.campaign_salt = r.nonempty_string(*v, "campaign_salt", w);
  }
  // Holdout salts derive from the campaign's name, so a campaign with a
  // campaign, action or dialogue holdout must name itself (the file path
  // would change the control group when the file moves).
  bool any = c.holdout.campaign > 0 && c.holdout.campaign_salt.empty();
  for (const auto& a : c.actions) any = any || a.holdout > 0;
  for (const auto& d : c.dialogues) any = any || d.holdout > 0;
  const toml::table* ct = root.get("campaign") ? root.get("campaign")->as_table() : nullptr;
  if (any && !(ct && ct->get("name")))
    r.fail(root,
           "a campaign with a campaign, action or dialogue holdout needs [campaign] name: the holdout salts derive "
           "from it");
}

}  // namespace nudge::decide
