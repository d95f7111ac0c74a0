// Response model file and draws (response_model.h).
#include "engine/dialogue/response_model.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "engine/base/error.h"
#include "engine/base/names.h"
#include "engine/base/read_file.h"
#include "engine/base/toml_reader.h"
#include "engine/decide/campaign.h"

namespace nudge::dialogue {

uint64_t fnv1a64(std::string_view s) noexcept {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : s) h = (h ^ ch) * 0x100000001b3ULL;
  return h;
}

uint64_t splitmix64_finalise(uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

void ResponseModel::draw(uint64_t seed, uint64_t customer_id, std::string_view action, std::string_view channel,
                         int32_t sent_on, std::vector<DrawnResponse>& out) const {
  const auto m = splitmix64_finalise;
  const uint64_t base = m(m(m(seed) ^ customer_id) ^ fnv1a64(action)) ^ uint64_t { static_cast<uint32_t>(sent_on) };
  const uint64_t mb = m(base);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const ResponseRule& r = rules[i];
    if ((r.action && *r.action != action) || (r.channel && *r.channel != channel)) continue;
    bool earlier = false;  // the first matching rule of a type decides
    for (std::size_t j = 0; j < i && !earlier; ++j) {
      const ResponseRule& e = rules[j];
      earlier = e.type == r.type && (!e.action || *e.action == action) && (!e.channel || *e.channel == channel);
    }
    if (earlier) continue;
    const uint64_t h = m(mb ^ i);
    if (static_cast<double>(h >> 11) * 0x1.0p-53 >= r.probability) continue;
    const uint64_t span = static_cast<uint64_t>(r.delay_max - r.delay_min) + 1;
    out.push_back({i, sent_on + r.delay_min + static_cast<int32_t>(m(h) % span)});
  }
}

ResponseModel parse_response_model(std::string_view text, const std::string& source_name) {
  TomlReader r(text, source_name);
  const toml::table& root = r.root();
  r.check_keys(root, {"seed", "response"}, "the response model");
  ResponseModel m;
  if (auto* s = root.get("seed")) m.seed = r.integer_as<uint64_t>(*s, "seed", "the response model", 0);
  const toml::node* n = r.require(root, "response", "the response model");
  for (const toml::node& e : r.array(*n, "response", "")) {
    if (!e.is_table()) r.fail(e, "each 'response' must be a table ([[response]])");
    const toml::table& t = *e.as_table();
    const std::string w = fmt::format("response rule #{}", m.rules.size() + 1);
    r.check_keys(t, {"action", "channel", "type", "probability", "delay_days"}, w);
    ResponseRule rule;
    if (auto* v = t.get("action")) {
      rule.action = r.name(*v, "action", w);
      rule.action_origin = r.pos(*v);
    }
    if (auto* v = t.get("channel")) {
      rule.channel = r.name(*v, "channel", w);
      rule.channel_origin = r.pos(*v);
    }
    rule.type = r.name(*r.require(t, "type", w), "type", w);
    const toml::node& p = *r.require(t, "probability", w);
    rule.probability = r.number(p, "probability", w);
    if (rule.probability < 0 || rule.probability > 1)
      r.fail(p, fmt::format("'probability' of {} must be in [0, 1], not {}", w, rule.probability));
    if (auto* v = t.get("delay_days")) {
      const toml::array& a = r.array(*v, "delay_days", w);
      if (a.size() != 2) r.fail(*v, fmt::format("'delay_days' of {} must be [min, max]", w));
      rule.delay_min = r.integer_as<int32_t>(*a.get(0), "delay_days", w, 0, 365);
      rule.delay_max = r.integer_as<int32_t>(*a.get(1), "delay_days", w, rule.delay_min, 365);
    }
    m.rules.push_back(std::move(rule));
  }
  if (m.rules.empty()) r.fail(*n, "the response model has no [[response]] rule");
  return m;
}

ResponseModel load_response_model(const std::filesystem::path& path) {
  const std::string text = read_file(path, "response model");
  return parse_response_model(text, path.string());
}

}  // namespace nudge::dialogue

namespace nudge::dialogue {

std::vector<std::string> response_model_warnings(const ResponseModel& m, const decide::Campaign& c) {
  std::vector<std::string> out;
  auto check = [&](std::size_t i, const std::optional<std::string>& name, const std::string& origin,
                   std::string_view kind, auto&& names) {
    if (!name) return;
    NearestName near(*name);
    for (const auto& x : names) {
      if (x.name == *name) return;
      near.consider(x.name);
    }
    out.push_back(fmt::format("{}: response rule #{}: '{}' is not {} of the campaign{}; the rule never matches",
                              origin, i + 1, *name, kind, near.hint()));
  };
  for (std::size_t i = 0; i < m.rules.size(); ++i) {
    check(i, m.rules[i].action, m.rules[i].action_origin, "an action", c.actions);
    check(i, m.rules[i].channel, m.rules[i].channel_origin, "a channel", c.channels);
  }
  return out;
}

}  // namespace nudge::dialogue
