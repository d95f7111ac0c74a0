// [[dialogue]] tables -> Campaign::dialogues and step actions (dialogue_loader.h).
#include "engine/dialogue/dialogue_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "engine/decide/action_table.h"

namespace nudge::dialogue {
namespace {

std::vector<std::string> type_names(const TomlReader& r, const toml::node& n, std::string_view key,
                                    const std::string& w) {
  std::vector<std::string> out;
  for (const toml::node& e : r.array(n, key, w)) out.push_back(r.name(e, key, w));
  return out;
}

void read_steps(const TomlReader& r, const toml::table& t, decide::Campaign& c, Dialogue& d, std::size_t index,
                const std::string& w) {
  const toml::node* sn = r.require(t, "step", w);
  const toml::array& steps = r.array(*sn, "step", w);
  if (steps.empty()) r.fail(*sn, fmt::format("{} has no step", w));
  for (const toml::node& e : steps) {
    if (!e.is_table()) r.fail(e, fmt::format("each step of {} must be a table ([[dialogue.step]])", w));
    const toml::table& st = *e.as_table();
    if (d.steps.size() == kMaxSteps) r.fail(st, fmt::format("at most {} steps per dialogue", kMaxSteps));
    std::string sw = fmt::format("step {} of {}", d.steps.size() + 1, w);
    const std::string name = decide::read_action_name(r, st, c, sw);
    sw = fmt::format("step '{}' of {}", name, w);
    r.check_keys(st,
                 {"name", "message_type", "channel", "value", "weight", "brand", "priority", "wait_days", "expire_days",
                  "holdout", "wait_until", "wait_until_offset_days"},
                 sw);
    decide::Action a = decide::read_action_fields(r, st, c, sw);
    if (auto* h = st.get("holdout")) a.holdout = decide::read_holdout_share(r, *h, "holdout", sw);
    a.name = name;
    a.trigger = d.entry;
    a.dialogue = index;
    a.step = d.steps.size();
    Step s;
    s.action = c.actions.size();
    const toml::node* wait = st.get("wait_days");
    const toml::node* until = st.get("wait_until");
    const toml::node* offset = st.get("wait_until_offset_days");
    if (offset && !until) r.fail(*offset, fmt::format("{} has 'wait_until_offset_days' but no 'wait_until'", sw));
    if (d.steps.empty()) {
      if (wait) r.fail(*wait, fmt::format("the first step ({}) has no wait: it is due when the member enters", sw));
      if (until)
        r.fail(*until, fmt::format("the first step ({}) has no wait: it is due when the member enters (put a date "
                                   "condition in the dialogue's entry instead)",
                                   sw));
      if (auto* x = st.get("expire_days"))
        r.fail(*x, fmt::format("the first step ({}) does not expire: it is due while the entry condition holds", sw));
    } else {
      if (until) {
        s.wait_until = r.nonempty_string(*until, "wait_until", sw);
        if (offset) {
          s.wait_until_offset_days = r.integer_as<int32_t>(*offset, "wait_until_offset_days", sw, -36500, 36500);
        }
      }
      if (!wait && !until)
        r.fail(st, fmt::format("{} has no 'wait_days' (days after the previous step's contact) and no 'wait_until' "
                               "(a date column)",
                               sw));
      const int64_t wd = wait ? r.integer(*wait, "wait_days", sw, 1) : 1;
      s.wait_days = static_cast<int32_t>(std::min<int64_t>(wd, d.reentry_days));
      if (wd >= d.reentry_days)
        r.fail(wait ? *wait : static_cast<const toml::node&>(st),
               fmt::format("{} waits {} days, but the dialogue reads only the last {} days (reentry_days): "
                           "the step could never become due",
                           sw, wd, d.reentry_days));
      if (auto* x = st.get("expire_days"))
        s.expire_days = r.integer_as<int32_t>(*x, "expire_days", sw, 1);
    }
    d.steps.push_back(s);
    c.actions.push_back(std::move(a));
  }
}

}  // namespace

void read_dialogues(const TomlReader& r, const toml::table& root, decide::Campaign& c) {
  const toml::node* n = root.get("dialogue");
  if (!n) return;
  const toml::array& arr = r.array(*n, "dialogue", "");
  for (const toml::node& e : arr) {
    if (!e.is_table()) r.fail(e, "each 'dialogue' must be a table ([[dialogue]])");
    const toml::table& t = *e.as_table();
    if (c.dialogues.size() == kMaxDialogues) r.fail(t, fmt::format("at most {} dialogues per campaign", kMaxDialogues));
    Dialogue d;
    std::string w = fmt::format("dialogue #{}", c.dialogues.size() + 1);
    const toml::node& name = *r.require(t, "name", w);
    d.name = r.name(name, "name", w);
    for (const auto& o : c.dialogues)
      if (o.name == d.name) r.fail(name, fmt::format("dialogue name '{}' is already used", d.name));
    w = fmt::format("dialogue '{}'", d.name);
    r.check_keys(
        t, {"name", "entry", "goal", "reentry_days", "response_types", "exit_response_types", "step", "holdout"}, w);
    if (auto* h = t.get("holdout")) d.holdout = decide::read_holdout_share(r, *h, "holdout", w);
    d.entry = decide::read_expression(r, *r.require(t, "entry", w), "entry", w);
    if (auto* g = t.get("goal")) d.goal = decide::read_expression(r, *g, "goal", w);
    if (auto* x = t.get("reentry_days")) d.reentry_days = r.integer_as<int32_t>(*x, "reentry_days", w, 1, 3660);
    if (auto* x = t.get("response_types")) d.response_types = type_names(r, *x, "response_types", w);
    if (auto* x = t.get("exit_response_types")) d.exit_response_types = type_names(r, *x, "exit_response_types", w);
    read_steps(r, t, c, d, c.dialogues.size(), w);
    c.dialogues.push_back(std::move(d));
  }
}

}  // namespace nudge::dialogue
