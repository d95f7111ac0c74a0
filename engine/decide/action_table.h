// Internal to the campaign loader: the keys an [[action]] table and a
// dialogue's [[dialogue.step]] table share (action_fields.cc, campaign_loader.cc,
// engine/dialogue/dialogue_loader.cc).
// Thread-safety: pure functions; errors as TomlReader ("file:line:col: ...").
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "engine/base/toml_reader.h"
#include "engine/decide/campaign.h"

namespace nudge::decide {

// The table's 'name': required, non-empty, not used by an earlier action of
// `c`; fails when `c` already holds kMaxActions actions. `where` names the
// table in messages ("action #3").
std::string read_action_name(const TomlReader& r, const toml::table& t, const Campaign& c, const std::string& where);

// message_type, channel, brand, priority, value and weight of an action
// table, resolved against `c` (whose message types, channels and model are
// already read). Sets name_origin; the caller sets name and trigger.
Action read_action_fields(const TomlReader& r, const toml::table& t, const Campaign& c, const std::string& where);

// An expression (trigger, goal) and where its text starts in the file, so
// compiler errors point inside it.
expr::Source read_expression(const TomlReader& r, const toml::node& n, std::string_view key, std::string_view where);

// A holdout share: a number in [0, 1] (fails otherwise, naming key and where).
double read_holdout_share(const TomlReader& r, const toml::node& n, std::string_view key, std::string_view where);

// The [holdout] table into c.holdout (holdout_table.cc), after the actions and
// dialogues are read; fails when a campaign, action or dialogue holdout is
// set but [campaign] has no name (the salts derive from it).
void read_holdout_table(const TomlReader& r, const toml::table& root, Campaign& c);

}  // namespace nudge::decide
