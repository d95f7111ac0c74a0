// Treated vs control per group from the history (uplift.h).
#include "engine/report/uplift.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>

#include "engine/base/error.h"

namespace nudge::report {
namespace {

constexpr int kKinds = 4;
constexpr const char* kKindNames[kKinds] = {"action", "campaign", "channel", "dialogue_step"};

struct Side {
  uint64_t members = 0, contacts = 0;
  std::vector<uint64_t> responders;  // per response type code
  Moments value;
};

}  // namespace

UpliftReport compute_uplift(const history::History& h, const UpliftOptions& o) {
  h.check_events();  // every contact and response is read, their codes used as indexes
  if (o.attribution_days < 0) throw_usage("the attribution window must be 0 days or more");
  const auto& types = h.response_types();
  if (types.size() > 64) throw_usage("at most 64 response types in a report");

  // Groups: per kind, the names in dictionary order; per profile, its group in each kind.
  std::vector<std::pair<int, std::string>> groups;
  std::array<std::vector<int32_t>, kKinds> code_group;
  auto add_dictionary = [&](int kind, const history::Dictionary& d) {
    for (std::size_t i = 0; i < d.size(); ++i) {
      code_group[kind].push_back(static_cast<int32_t>(groups.size()));
      groups.emplace_back(kind, d.names()[i]);
    }
  };
  add_dictionary(0, h.actions());
  add_dictionary(1, h.campaigns());
  add_dictionary(2, h.channels());
  std::map<std::pair<int32_t, int32_t>, int32_t> steps;
  for (const auto& p : h.profiles())
    if (p.dialogue >= 0) steps.emplace(std::pair{p.dialogue, p.step}, 0);
  for (auto& [key, gid] : steps) {
    gid = static_cast<int32_t>(groups.size());
    groups.emplace_back(3, fmt::format("{}#{}", h.dialogues().name(key.first), key.second));
  }
  std::vector<std::array<int32_t, kKinds>> profile_groups;
  for (const auto& p : h.profiles()) {
    std::array<int32_t, kKinds> g{code_group[0].at(static_cast<std::size_t>(p.action)), -1,
                                  code_group[2].at(static_cast<std::size_t>(p.channel)), -1};
    if (p.campaign >= 0) g[1] = code_group[1].at(static_cast<std::size_t>(p.campaign));
    if (p.dialogue >= 0) g[3] = steps.at({p.dialogue, p.step});
    profile_groups.push_back(g);
  }

  const std::size_t G = groups.size(), T = types.size();
  std::vector<std::array<Side, 2>> acc(G);  // [0] control, [1] treated
  for (auto& a : acc)
    for (auto& s : a) s.responders.assign(T, 0);
  std::vector<uint8_t> state(G, 0);  // 0 untouched, 1 control only, 2 treated
  std::vector<uint64_t> bits(G, 0);
  std::vector<double> value(G, 0);
  std::vector<double> cost(G, 0);
  std::vector<int32_t> touched;
  struct Valued {  // an attributed response with a value, per group (deduplicated per member)
    int32_t group, day;
    uint16_t type;
    double value;
    bool operator<(const Valued& o) const noexcept {
      if (group != o.group) return group < o.group;
      if (day != o.day) return day < o.day;
      if (type != o.type) return type < o.type;
      return value < o.value;
    }
    bool operator==(const Valued& o) const noexcept = default;
  };
  std::vector<Valued> valued;
  std::vector<uint64_t> type_seen(T, 0);

  const auto sent_on = h.sent_on();
  const auto responded_on = h.responded_on();
  const auto response_contact = h.response_contact();
  const auto response_type = h.response_type();
  const auto response_value = h.response_value();
  for (uint32_t m = 0; m < h.members(); ++m) {
    touched.clear();
    for (uint32_t c : h.contacts_of(m)) {
      if (sent_on[c] > o.as_of) continue;
      const auto& prof = h.profile_of(c);
      for (int32_t g : profile_groups[h.contact_profile()[c]]) {
        if (g < 0) continue;
        if (!state[g]) touched.push_back(g), state[g] = 1;
        if (!prof.control) state[g] = 2, cost[g] += prof.cost;
        ++acc[g][prof.control ? 0 : 1].contacts;
      }
    }
    valued.clear();
    for (uint32_t r : h.responses_of(m)) {
      const uint32_t c = response_contact[r];
      if (responded_on[r] > o.as_of || sent_on[c] > o.as_of) continue;
      if (static_cast<int64_t>(responded_on[r]) - sent_on[c] > o.attribution_days) continue;
      ++type_seen[response_type[r]];
      for (int32_t g : profile_groups[h.contact_profile()[c]]) {
        if (g < 0) continue;
        bits[g] |= uint64_t{1} << response_type[r];
        if (!std::isnan(response_value[r])) valued.push_back({g, responded_on[r], response_type[r], response_value[r]});
      }
    }
    // One response event answering several contacts of one group (e.g. a
    // control member's purchase recorded against both held-out e-mails) adds
    // its value to that group once.
    std::sort(valued.begin(), valued.end());
    valued.erase(std::unique(valued.begin(), valued.end()), valued.end());
    for (const Valued& v : valued) value[v.group] += v.value;
    for (int32_t g : touched) {
      Side& s = acc[g][state[g] == 2 ? 1 : 0];
      ++s.members;
      for (uint64_t b = bits[g]; b; b &= b - 1) ++s.responders[static_cast<std::size_t>(__builtin_ctzll(b))];
      ++s.value.n, s.value.sum += value[g], s.value.sum_sq += value[g] * value[g];
      state[g] = 0, bits[g] = 0, value[g] = 0;
    }
  }

  UpliftReport rep;
  rep.options = o;
  std::vector<std::size_t> listed;
  for (std::size_t t = 0; t < T; ++t)
    if (type_seen[t]) listed.push_back(t), rep.response_types.push_back(types.name(static_cast<int32_t>(t)));
  for (std::size_t g = 0; g < G; ++g) {
    const Side &ctl = acc[g][0], &trt = acc[g][1];
    if (!ctl.members && !trt.members) continue;
    GroupUplift u;
    u.kind = kKindNames[groups[g].first];
    u.name = groups[g].second;
    u.treated = trt.members, u.control = ctl.members;
    u.treated_contacts = trt.contacts, u.control_contacts = ctl.contacts;
    u.cost_points = cost[g];
    const double nt = static_cast<double>(trt.members), nc = static_cast<double>(ctl.members);
    for (std::size_t t : listed) {
      RateUplift ru;
      ru.type = types.name(static_cast<int32_t>(t));
      ru.treated_responders = trt.responders[t], ru.control_responders = ctl.responders[t];
      ru.treated_rate = nt ? static_cast<double>(ru.treated_responders) / nt : std::nan("");
      ru.control_rate = nc ? static_cast<double>(ru.control_responders) / nc : std::nan("");
      ru.uplift = ru.treated_rate - ru.control_rate;
      ru.ci = newcombe_difference(ru.treated_responders, trt.members, ru.control_responders, ctl.members);
      ru.incremental = ru.uplift * nt;
      u.rates.push_back(std::move(ru));
    }
    u.treated_value = trt.value, u.control_value = ctl.value;
    u.value_uplift = trt.value.mean() - ctl.value.mean();
    u.value_ci = welch_difference(trt.value, ctl.value);
    u.incremental_value = u.value_uplift * nt;
    rep.groups.push_back(std::move(u));
  }
  return rep;
}

}  // namespace nudge::report
