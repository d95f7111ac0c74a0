// Row-by-row dialogue places from raw records (dialogue_reference.h).
#include "tests/oracles/dialogue_reference.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "engine/expr/program.h"

namespace nudge::test {

std::vector<std::vector<RefPlace>> reference_places(const decide::Campaign& c, const Population& pop,
                                                    const std::vector<history::ContactRecord>& contacts,
                                                    const std::vector<history::ResponseRecord>& responses,
                                                    int32_t as_of) {
  std::vector<expr::Source> preds;
  for (const auto& d : c.dialogues) {
    preds.push_back(d.entry);
    preds.push_back(d.goal ? *d.goal : expr::Source{"FALSE", "goal"});
  }
  auto set = expr::CompiledSet::compile(pop, preds, {});
  const uint64_t* ids = pop.column(*pop.id_column()).values<uint64_t>();
  std::multimap<uint64_t, const history::ContactRecord*> by_member;
  for (const auto& k : contacts) by_member.emplace(k.customer_id, &k);
  std::multimap<uint64_t, const history::ResponseRecord*> resp_by_member;
  for (const auto& r : responses) resp_by_member.emplace(r.customer_id, &r);

  std::vector<std::vector<RefPlace>> out(c.dialogues.size(), std::vector<RefPlace>(pop.rows()));
  for (std::size_t d = 0; d < c.dialogues.size(); ++d) {
    const dialogue::Dialogue& dl = c.dialogues[d];
    std::map<std::string, int> step_of;  // action name -> 1-based step
    for (std::size_t k = 0; k < dl.steps.size(); ++k) step_of[c.actions[dl.steps[k].action].name] = int(k) + 1;
    auto in = [](const std::vector<std::string>& v, const std::string& t) {
      return std::find(v.begin(), v.end(), t) != v.end();
    };
    for (std::size_t row = 0; row < pop.rows(); ++row) {
      const uint64_t id = ids[row];
      const bool entry = set.reference_predicate(pop, 2 * d, row) == 1;
      const bool goal = set.reference_predicate(pop, 2 * d + 1, row) == 1;
      // (sent_on, step, action) of the window's contacts, each once.
      std::set<std::pair<int32_t, std::string>> seen;
      struct K {
        int32_t sent_on;
        int step;
        std::string action;
      };
      std::vector<K> window;
      auto [b, e] = by_member.equal_range(id);
      for (auto it = b; it != e; ++it) {
        const auto& k = *it->second;
        if (k.control || !step_of.count(k.action)) continue;
        if (!(as_of - dl.reentry_days < k.sent_on && k.sent_on <= as_of)) continue;
        if (!seen.insert({k.sent_on, k.action}).second) continue;
        window.push_back({k.sent_on, step_of[k.action], k.action});
      }
      auto answered = [&](const K& k, const std::vector<std::string>& types) {
        auto [rb, re] = resp_by_member.equal_range(id);
        for (auto it = rb; it != re; ++it) {
          const auto& r = *it->second;
          if (r.action == k.action && r.sent_on == k.sent_on && r.responded_on <= as_of &&
              r.responded_on >= k.sent_on && in(types, r.type))
            return true;
        }
        return false;
      };
      RefPlace& p = out[d][row];
      if (window.empty()) {
        p.state = entry && !goal ? dialogue::State::Due : dialogue::State::Outside;
        p.step = 0;
        continue;
      }
      K latest = window[0];
      for (const auto& k : window)
        if (k.sent_on > latest.sent_on || (k.sent_on == latest.sent_on && k.step > latest.step)) latest = k;
      bool exited = false;
      for (const auto& k : window) exited = exited || answered(k, dl.exit_response_types);
      p.step = latest.step - 1;
      if (exited) p.state = dialogue::State::LeftExit;
      else if (answered(latest, dl.response_types)) p.state = dialogue::State::LeftResponse;
      else if (goal) p.state = dialogue::State::LeftGoal;
      else if (latest.step == int(dl.steps.size())) p.state = dialogue::State::LeftFinished;
      else {
        const dialogue::Step& next = dl.steps[std::size_t(latest.step)];  // 0-based index of step latest+1
        int64_t due = int64_t{latest.sent_on} + next.wait_days;
        if (!next.wait_until.empty()) {  // the member's date in that column plus the offset; NULL: never
          const Column& col = pop.column(next.wait_until);
          due = col.is_null(row) ? int64_t{1} << 40
                                 : std::max(due, int64_t{col.values<int32_t>()[row]} + next.wait_until_offset_days);
        }
        if (as_of < due) p.state = dialogue::State::Waiting, p.step = latest.step;
        else if (next.expire_days && as_of - due >= *next.expire_days) p.state = dialogue::State::LeftExpired;
        else p.state = dialogue::State::Due, p.step = latest.step;
      }
    }
  }
  return out;
}

}  // namespace nudge::test
