// Campaign file reader: TOML text -> validated Campaign.
//
// Layout of a campaign file (data/campaigns/README.md has every key):
//
//   [campaign]            name, description, model, max_decisions_per_member, top_k
//   [basket]              points_per_period, used_column (leave out: from the history), period
//   [message_types]       <name> = cost  |  <name> = { cost, exclusive }
//   [channels.<name>]     factor, consent, capacity, revoked_by
//   [[suppression]]       name, when, message_types, channels
//   [[frequency_cap]]     name, count_column | window_days, max, channels, message_types, actions,
//                         brands, campaigns
//   [[action]]            name, trigger, message_type, channel, value, weight, brand, priority, holdout
//   [[dialogue]]          engine/dialogue/dialogue_loader.h (steps are actions after the plain ones)
//   [holdout]             global, global_salt, campaign, campaign_salt, attribution_days
//
// Every error is "file:line:col: message" at the key or value at fault.
#include "engine/decide/campaign_loader.h"
#include "engine/decide/action_table.h"
#include "engine/dialogue/dialogue_loader.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "engine/base/toml_reader.h"
#include "engine/decide/arbitration.h"
#include "engine/decide/campaign_arbitration.h"
#include "engine/expr/parser.h"
#include "engine/expr/source_error.h"
#include "engine/store/population.h"

namespace nudge::decide {
namespace {

// Default base costs (points) of the four usual message types (WORKLOAD.md).
const std::map<std::string, double> kDefaultCosts = {
    {"service", 2}, {"editorial", 5}, {"commercial", 10}, {"calamity", 20}};

// A column name and where the file names it.
ColumnRef column(const TomlReader& r, const toml::node& n, std::string_view key, std::string_view where) {
  return {r.nonempty_string(n, key, where), r.pos(n)};
}

// An expression and where its text starts, so compiler errors point inside it.
expr::Source expression(const TomlReader& r, const toml::node& n, std::string_view key, std::string_view where) {
  return {r.nonempty_string(n, key, where), r.text_pos(n)};
}

void read_campaign_table(const TomlReader& r, const toml::table& root, Campaign& c, const std::filesystem::path& base) {
  const toml::node* n = root.get("campaign");
  if (!n) return;
  const toml::table& t = r.table(*n, "campaign", "");
  const std::string w = "[campaign]";
  r.check_keys(t, {"name", "description", "model", "max_decisions_per_member", "top_k"}, w);
  if (auto* v = t.get("name")) c.name = r.name(*v, "name", w);
  if (auto* v = t.get("description")) c.description = r.string(*v, "description", w);
  if (auto* v = t.get("model")) {
    std::filesystem::path p = r.nonempty_string(*v, "model", w);
    c.model_path = p.is_absolute() ? p : base / p;
  }
  if (auto* v = t.get("max_decisions_per_member"))
    c.max_decisions_per_member = r.integer_as<std::size_t>(*v, "max_decisions_per_member", w, 1);
  if (auto* v = t.get("top_k")) c.top_k = r.integer_as<std::size_t>(*v, "top_k", w, 1);
}

void read_basket(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::node* n = r.require(root, "basket", "the campaign");
  const toml::table& t = r.table(*n, "basket", "");
  const std::string w = "[basket]";
  r.check_keys(t, {"points_per_period", "used_column", "period"}, w);
  c.basket.points_per_period = r.number(*r.require(t, "points_per_period", w), "points_per_period", w);
  // Without used_column the points used come from the history in the calendar period.
  if (auto* v = t.get("used_column")) c.basket.used = column(r, *v, "used_column", w);
  if (auto* v = t.get("period")) c.basket.period = r.nonempty_string(*v, "period", w);
  if (c.basket.from_history() && c.basket.period != "month" && c.basket.period != "week" && c.basket.period != "day")
    r.fail(*t.get("period"), fmt::format("[basket] without used_column takes its points from the history per "
                                         "calendar period: period must be month, week or day, not '{}'",
                                         c.basket.period));
}

// An array of strings (names kept as written).
std::vector<std::string> strings(const TomlReader& r, const toml::node& n, std::string_view key, const std::string& w) {
  std::vector<std::string> out;
  for (const toml::node& e : r.array(n, key, w)) out.push_back(r.name(e, key, w));
  if (out.empty()) r.fail(n, fmt::format("'{}' of {} is empty (leave the key out to mean any)", key, w));
  return out;
}

void read_message_types(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::node* n = root.get("message_types");
  if (!n) {  // the four usual types with their default costs
    for (auto& [name, cost] : kDefaultCosts) c.message_types.push_back({name, cost, name == "calamity"});
    return;
  }
  const toml::table& t = r.table(*n, "message_types", "");
  if (t.empty()) r.fail(t, "[message_types] declares no message type");
  for (auto&& [k, v] : t) {
    MessageType m;
    r.check_name_key(k, "message type");
    m.name = std::string(k.str());
    m.exclusive = m.name == "calamity";
    const std::string w = fmt::format("message type '{}'", m.name);
    auto def = kDefaultCosts.find(m.name);
    if (v.is_table()) {
      const toml::table& mt = *v.as_table();
      r.check_keys(mt, {"cost", "exclusive"}, w);
      if (auto* cost = mt.get("cost")) m.base_cost = r.nonnegative(*cost, "cost", w);
      else if (def != kDefaultCosts.end()) m.base_cost = def->second;
      else r.fail(mt, w + " has no 'cost' (only service, editorial, commercial and calamity have defaults)");
      if (auto* ex = mt.get("exclusive")) m.exclusive = r.boolean(*ex, "exclusive", w);
    } else {
      m.base_cost = r.nonnegative(v, "cost", w);
    }
    c.message_types.push_back(std::move(m));
  }
}

void read_channels(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::node* n = r.require(root, "channels", "the campaign");
  const toml::table& t = r.table(*n, "channels", "");
  if (t.empty()) r.fail(t, "[channels] declares no channel");
  if (t.size() > kMaxChannels) r.fail(t, fmt::format("at most {} channels per campaign, not {}", kMaxChannels, t.size()));
  for (auto&& [k, v] : t) {
    Channel ch;
    r.check_name_key(k, "channel");
    ch.name = std::string(k.str());
    const std::string w = fmt::format("channel '{}'", ch.name);
    const toml::table& ct = r.table(v, ch.name, "in [channels]");
    r.check_keys(ct, {"factor", "consent", "capacity", "capacity_share", "revoked_by"}, w);
    if (auto* f = ct.get("factor")) ch.factor = r.nonnegative(*f, "factor", w);
    if (auto* rb = ct.get("revoked_by")) ch.revoked_by = strings(r, *rb, "revoked_by", w);
    ch.consent = column(r, *r.require(ct, "consent", w), "consent", w);
    if (auto* cap = ct.get("capacity")) ch.capacity = r.integer_as<uint64_t>(*cap, "capacity", w, 0);
    if (auto* share = ct.get("capacity_share")) {
      if (ch.capacity) r.fail(*share, fmt::format("{} has both 'capacity' and 'capacity_share'", w));
      ch.capacity_share = r.nonnegative(*share, "capacity_share", w);
      if (*ch.capacity_share > 1)
        r.fail(*share, fmt::format("'capacity_share' of {} is a share of the population swept: between 0 and 1, not {}",
                                   w, *ch.capacity_share));
    }
    c.channels.push_back(std::move(ch));
  }
}

std::map<std::string, std::size_t> index_of_types(const Campaign& c) {
  std::map<std::string, std::size_t> m;
  for (std::size_t i = 0; i < c.message_types.size(); ++i) m[c.message_types[i].name] = i;
  return m;
}
std::map<std::string, std::size_t> index_of_channels(const Campaign& c) {
  std::map<std::string, std::size_t> m;
  for (std::size_t i = 0; i < c.channels.size(); ++i) m[c.channels[i].name] = i;
  return m;
}

// Arrays of tables: [[suppression]], [[frequency_cap]], [[action]].
const toml::array* array_of_tables(const TomlReader& r, const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  const toml::array& a = r.array(*n, key, "");
  for (const toml::node& e : a)
    if (!e.is_table())
      r.fail(e, fmt::format("each '{}' must be a table ([[{}]]), not {}", key, key, TomlReader::type_of(e)));
  return &a;
}

// The required name of entry #number of an array of tables, and how messages
// call the entry ("<kind> '<name>'"); its keys checked against `keys`.
std::pair<std::string, std::string> named_entry(const TomlReader& r, const toml::table& t, std::string_view kind,
                                                std::size_t number, std::initializer_list<std::string_view> keys) {
  const std::string unnamed = fmt::format("{} #{}", kind, number);
  std::string name = r.name(*r.require(t, "name", unnamed), "name", unnamed);
  std::string where = fmt::format("{} '{}'", kind, name);
  r.check_keys(t, keys, where);
  return {std::move(name), std::move(where)};
}

void read_suppressions(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::array* a = array_of_tables(r, root, "suppression");
  if (!a) return;
  auto types = index_of_types(c);
  auto chans = index_of_channels(c);
  for (const toml::node& e : *a) {
    const toml::table& t = *e.as_table();
    SuppressionRule s;
    std::string w;
    std::tie(s.name, w) =
        named_entry(r, t, "suppression rule", c.suppressions.size() + 1, {"name", "when", "message_types", "channels"});
    s.when = expression(r, *r.require(t, "when", w), "when", w);
    if (auto* v = t.get("message_types")) s.message_types = r.names(*v, "message_types", w, types, "message type");
    if (auto* v = t.get("channels")) s.channels = r.names(*v, "channels", w, chans, "channel");
    c.suppressions.push_back(std::move(s));
  }
}

void read_caps(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::array* a = array_of_tables(r, root, "frequency_cap");
  if (!a) return;
  auto chans = index_of_channels(c);
  auto types = index_of_types(c);
  for (const toml::node& e : *a) {
    const toml::table& t = *e.as_table();
    FrequencyCap f;
    std::string w;
    std::tie(f.name, w) = named_entry(
        r, t, "frequency cap", c.frequency_caps.size() + 1,
        {"name", "count_column", "max", "channels", "window_days", "message_types", "actions", "brands", "campaigns"});
    const toml::node* count = t.get("count_column");
    const toml::node* window = t.get("window_days");
    if (count && window)
      r.fail(*window, fmt::format("{} has both count_column and window_days: a cap counts either a column or the "
                                  "history's last N days",
                                  w));
    if (!count && !window)
      r.fail(t, fmt::format("{} needs count_column (a column of contacts made) or window_days (count the "
                            "history's contacts in the last N days)",
                            w));
    if (count) {
      f.count_column = column(r, *count, "count_column", w);
      for (const char* k : {"message_types", "actions", "brands", "campaigns"})
        if (auto* v = t.get(k))
          r.fail(*v, fmt::format("'{}' of {} filters the history's contacts; a count_column cap takes channels only", k,
                                 w));
    } else {
      f.window_days = r.integer(*window, "window_days", w, 1, kMaxWindowDays);
      if (auto* v = t.get("message_types")) f.message_types = r.names(*v, "message_types", w, types, "message type");
      if (auto* v = t.get("actions")) f.actions = strings(r, *v, "actions", w);
      if (auto* v = t.get("brands")) f.brands = strings(r, *v, "brands", w);
      if (auto* v = t.get("campaigns")) f.campaigns = strings(r, *v, "campaigns", w);
    }
    f.max = r.integer(*r.require(t, "max", w), "max", w, 0);
    if (auto* v = t.get("channels")) f.channels = r.names(*v, "channels", w, chans, "channel");
    if (c.frequency_caps.size() == kMaxFrequencyCaps)
      r.fail(t, fmt::format("at most {} frequency caps per campaign", kMaxFrequencyCaps));
    c.frequency_caps.push_back(std::move(f));
  }
}

void read_actions(const TomlReader& r, const toml::table& root, Campaign& c) {
  const toml::array* arr = array_of_tables(r, root, "action");
  if ((!arr || arr->empty()) && !root.get("dialogue")) r.fail(root, "the campaign declares no [[action]]");
  if (!arr) return;
  for (const toml::node& e : *arr) {
    const toml::table& t = *e.as_table();
    std::string w = fmt::format("action #{}", c.actions.size() + 1);
    const std::string name = read_action_name(r, t, c, w);
    w = fmt::format("action '{}'", name);
    r.check_keys(t,
                 {"name", "trigger", "message_type", "channel", "value", "weight", "brand", "priority", "min_volume",
                  "max_volume", "money_cost", "holdout"},
                 w);
    Action a = read_action_fields(r, t, c, w);
    a.name = name;
    read_action_limits(r, t, a, w, c.arbitration);
    if (auto* h = t.get("holdout")) a.holdout = read_holdout_share(r, *h, "holdout", w);
    a.trigger = expression(r, *r.require(t, "trigger", w), "trigger", w);
    c.actions.push_back(std::move(a));
  }
}

}  // namespace

expr::Source read_expression(const TomlReader& r, const toml::node& n, std::string_view key, std::string_view where) {
  return expression(r, n, key, where);
}

Campaign parse_campaign(std::string_view text, const std::string& source_name, const std::filesystem::path& base_dir) {
  TomlReader r(text, source_name);
  const toml::table& root = r.root();
  r.check_keys(root,
               {"campaign", "basket", "message_types", "channels", "suppression", "frequency_cap", "action", "dialogue",
                "arbitration", "holdout"},
               "the campaign file");
  Campaign c;
  c.name = source_name;
  read_campaign_table(r, root, c, base_dir);
  read_basket(r, root, c);
  read_message_types(r, root, c);
  read_channels(r, root, c);
  read_suppressions(r, root, c);
  read_caps(r, root, c);
  read_arbitration(r, root, c);
  read_actions(r, root, c);
  dialogue::read_dialogues(r, root, c);
  read_holdout_table(r, root, c);
  return c;
}

Campaign load_campaign(const std::filesystem::path& path) {
  std::string text = read_file(path, "campaign");
  Campaign c = parse_campaign(text, path.string(), path.parent_path());
  c.source_path = path;
  return c;
}

}  // namespace nudge::decide
