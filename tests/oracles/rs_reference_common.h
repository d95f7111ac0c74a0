// The pieces tests/oracles/rs2_reference.h and rs3_reference.h share, written
// out from shared/WORKLOAD.md ("RS-1", "RS-2"): the raw history per member
// (contacts deduplicated, responses attached, consent revoked), RS-1's ten
// actions and their triggers, the member's history summary at D, consent, the
// per-member budget walk and the rank-and-cap step. Like the oracles, it shares
// no code with the sweep, the campaign loader, the expression compiler, the
// history store or engine/dialogue: it reads only the population's columns and
// the generators' raw rows. Header-only, not thread-safe to share one
// RsHistory between threads while it is filled.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/store/population.h"
#include "engine/store/types.h"
#include "io/gen/rs2_generator.h"

namespace nudge::test {

// One decision of an RS oracle: priority in value units, cost and budget_left
// in points, churn the member's score (NaN when no candidate needed it).
struct RsDecision {
  uint64_t customer_id;
  std::string action;
  double priority, cost, budget_left, churn;
};

// An action of the campaign as WORKLOAD.md writes it.
struct RsAction {
  const char* name;
  const char* type;
  const char* channel;
  double value, weight;
  bool churn;  // priority scales with the churn score
};

// RS-1's ten actions, in RS-1's order (the tie-break order).
inline constexpr RsAction kRs1Actions[10] = {{"defection_call", "commercial", "call", 400, 1.0, true},
                                             {"defection_email", "commercial", "email", 150, 1.0, true},
                                             {"tier_nudge", "editorial", "email", 60, 1.0, false},
                                             {"birthday", "service", "email", 20, 1.0, false},
                                             {"winback_mail", "commercial", "mail", 250, 0.8, true},
                                             {"winback_sms", "commercial", "sms", 90, 0.9, true},
                                             {"points_expiry", "service", "email", 40, 1.0, false},
                                             {"complaint_followup", "service", "call", 120, 1.2, true},
                                             {"engagement_push", "editorial", "push", 30, 0.7, false},
                                             {"premium_upsell", "commercial", "email", 200, 0.6, false}};

// The raw history at D, per member: contacts deduplicated by (customer_id,
// action, sent_on); responses (a repeated row counts once) attached to an
// existing contact dated <= D and <= responded_on.
class RsHistory {
 public:
  struct Contact {
    int32_t sent_on;
    std::string action, channel, type;
    double cost;
  };
  using Contacts = std::map<std::pair<std::string, int32_t>, Contact>;

  explicit RsHistory(int32_t D) : D_(D) {}

  // A contact row; ignored when dated after D.
  void add_contact(uint64_t id, int32_t sent_on, const Rs2HistoryAction& a) {
    if (sent_on > D_) return;  // after as_of: ignored
    contacts_[id][{std::string(a.name), sent_on}] =
        Contact{sent_on, std::string(a.name), std::string(a.channel), std::string(a.message_type), a.cost};
  }
  // A response row; ignored when dated after D.
  void add_response(uint64_t id, std::string_view action, int32_t sent_on, int32_t responded_on, uint8_t type) {
    if (responded_on <= D_)
      responses_.insert({id, std::string(action), sent_on, responded_on, std::string(kRs2ResponseTypes[type])});
  }
  // All of RS-2's contact and response rows.
  void add_rs2(const Rs2Data& d) {
    for (const auto& c : d.contacts) add_contact(c.customer_id, c.sent_on, kRs2HistoryActions[c.action]);
    for (const auto& r : d.responses)
      add_response(r.customer_id, kRs2HistoryActions[r.action].name, r.sent_on, r.responded_on, r.type);
  }
  // Attaches the responses once all rows are in; returns the skipped count
  // (responses dated <= D that attach to no contact dated <= D).
  std::size_t attach() {
    std::size_t skipped = 0;
    for (const auto& [id, action, sent_on, responded_on, type] : responses_) {
      auto m = contacts_.find(id);
      const Contact* c = nullptr;
      if (m != contacts_.end()) {
        auto it = m->second.find({action, sent_on});
        if (it != m->second.end()) c = &it->second;
      }
      if (!c || responded_on < sent_on) {
        ++skipped;
        continue;
      }
      answered_[{id, action, sent_on}].insert(type);
      if (type == "unsubscribe") {
        revoked_[id].insert(c->channel);
        if (c->channel == "email") revoked_[id].insert("push");
      }
    }
    return skipped;
  }

  // The member's contacts (empty when none).
  const Contacts& contacts(uint64_t id) const {
    static const Contacts none;
    auto m = contacts_.find(id);
    return m == contacts_.end() ? none : m->second;
  }
  // Types of the responses attached to one contact.
  const std::set<std::string>& answered(uint64_t id, const std::string& action, int32_t sent_on) {
    return answered_[{id, action, sent_on}];
  }
  // Channels the member's unsubscribes revoked.
  const std::set<std::string>& revoked(uint64_t id) { return revoked_[id]; }

  // The member's history summary at D.
  struct Summary {
    double used = 0;  // points sent this calendar month
    int n30 = 0, calls14 = 0;
    bool calamity = false;  // a calamity message in the last 7 days
  };
  Summary summary(uint64_t id) const {
    int32_t y;
    unsigned mo, dd;
    civil_from_days(D_, y, mo, dd);
    const int32_t month_first = days_from_civil(y, mo, 1);
    Summary s;
    for (const auto& [key, c] : contacts(id)) {
      if (c.sent_on >= month_first && c.sent_on <= D_) s.used += c.cost;
      if (c.sent_on > D_ - 30 && c.sent_on <= D_) ++s.n30;
      if (c.sent_on > D_ - 14 && c.sent_on <= D_ && c.channel == "call") ++s.calls14;
      if (c.sent_on > D_ - 7 && c.sent_on <= D_ && c.type == "calamity") s.calamity = true;
    }
    return s;
  }

 private:
  int32_t D_;
  std::map<uint64_t, Contacts> contacts_;
  std::set<std::tuple<uint64_t, std::string, int32_t, int32_t, std::string>> responses_;
  std::map<std::tuple<uint64_t, std::string, int32_t>, std::set<std::string>> answered_;
  std::map<uint64_t, std::set<std::string>> revoked_;  // channels
};

// The RS-1 population's columns, read by name.
struct RsColumns {
  const Population& pop;
  const Column& col(const char* n) const { return pop.column(n); }
  double i32(const char* n, std::size_t r) const { return double(col(n).values<int32_t>()[r]); }
  double f32(const char* n, std::size_t r) const { return double(col(n).values<float>()[r]); }
  bool opt(const char* n, std::size_t r) const { return col(n).is_valid(r) && col(n).values<uint8_t>()[r] != 0; }
  std::string tier(std::size_t r) const {
    const Column& t = col("tier");
    return t.dictionary()[std::size_t(t.values<int32_t>()[r])];
  }
  double fp(std::size_t r) const { return i32("flights_prev_3m", r); }
  double f3(std::size_t r) const { return i32("flights_3m", r); }

  // RS-1's ten triggers on row r, in kRs1Actions' order.
  void rs1_fired(std::size_t r, bool fired[10]) const {
    const std::string t = tier(r);
    const double fp = this->fp(r), f3 = this->f3(r), dslf = i32("days_since_last_flight", r);
    const bool salary_ok = col("salary").is_valid(r) && f32("salary", r) > 90000;
    const bool f[10] = {
        fp >= 4 && f3 < 0.5 * fp && (t == "Star" || t == "Nova"),
        fp >= 2 && f3<0.5 * fp, f32("points_to_next_tier", r)> 0 && f32("points_to_next_tier", r) <= 2000,
        i32("days_to_birthday", r) <= 14,
        dslf > 180 && f32("clv", r) > 5000,
        dslf > 120 && dslf <= 180,
        f32("points_balance", r) > 10000 && dslf > 300,
        i32("complaints_12m", r) >= 2,
        i32("opens_90d", r) == 0 && i32("flights_12m", r) >= 6,
        t == "Star" && f32("distance_12m", r) > 50000 && salary_ok};
    std::copy(f, f + 10, fired);
  }

  // Consent on channel ch: the opt-in column, less the channels revoked.
  bool consent(std::size_t r, const std::string& ch, const std::set<std::string>& gone) const {
    const bool column = ch == "email" || ch == "push" ? opt("email_opt_in", r)
                        : ch == "sms"                 ? opt("sms_opt_in", r)
                        : ch == "call"                ? opt("phone_opt_in", r)
                                                      : opt("mail_opt_in", r);
    return column && !gone.count(ch);
  }
};

// Cost of sending action x, in points: base by message type times channel factor.
inline double rs_cost(const RsAction& x) {
  auto base = [](const std::string& t) {
    return t == "service" ? 2.0 : t == "editorial" ? 5.0 : t == "commercial" ? 10.0 : 20.0;
  };
  auto factor = [](const std::string& c) { return c == "sms" || c == "mail" ? 1.5 : c == "call" ? 2.0 : 1.0; };
  return base(x.type) * factor(x.channel);
}

// One member's candidates (fired, consented, not blocked by a calamity),
// ranked, then walked: 4 contacts in 30 days, 1 call in 14 days, the budget of
// 25 points a month, 2 per member. Appends the kept decisions to `all`.
// churn_of(r) is called at most once, when the first candidate needs a priority.
inline void rs_walk_member(std::span<const RsAction> acts, const bool* fired, const RsColumns& cols, std::size_t r,
                           const std::set<std::string>& gone, const RsHistory::Summary& h, uint64_t id,
                           const std::function<double(std::size_t row)>& churn_of, std::vector<RsDecision>& all) {
  struct Cand {
    double priority;
    int action;
  };
  std::vector<Cand> cands;
  double churn = std::nan("");
  bool scored = false;
  for (int a = 0; a < int(acts.size()); ++a) {
    const RsAction& x = acts[a];
    if (!fired[a] || !cols.consent(r, x.channel, gone)) continue;
    if (h.calamity && (std::string(x.type) == "editorial" || std::string(x.type) == "commercial")) continue;
    if (!scored) churn = churn_of(r), scored = true;
    cands.push_back({x.churn ? x.weight * x.value * churn : x.weight * x.value, a});
  }
  std::sort(cands.begin(), cands.end(), [](const Cand& p, const Cand& q) {
    return p.priority != q.priority ? p.priority > q.priority : p.action < q.action;
  });
  double left = 25 - h.used;
  int kept = 0, kept_calls = 0;
  for (const Cand& c : cands) {
    const RsAction& x = acts[c.action];
    const bool call = std::string(x.channel) == "call";
    const double cost = rs_cost(x);
    if (h.n30 + kept >= 4) continue;                    // 4 contacts in the last 30 days
    if (call && h.calls14 + kept_calls >= 1) continue;  // 1 call in the last 14 days
    if (left <= 0 || cost > left) continue;             // budget
    if (kept == 2) continue;                            // 2 per member
    left -= cost;
    ++kept;
    kept_calls += call;
    all.push_back({id, x.name, c.priority, cost, left, churn});
  }
}

// Ranks all decisions (priority, then customer_id, then action order in acts)
// and keeps the first top_k, the actions named in call_actions capped at the
// highest-ranked capacity_call.
inline std::vector<RsDecision> rs_rank_and_cap(std::vector<RsDecision> all, std::span<const RsAction> acts,
                                               std::initializer_list<std::string_view> call_actions,
                                               std::size_t capacity_call, std::size_t top_k) {
  auto before = [&](const RsDecision& p, const RsDecision& q) {
    if (p.priority != q.priority) return p.priority > q.priority;
    if (p.customer_id != q.customer_id) return p.customer_id < q.customer_id;
    int pa = 0, qa = 0;
    for (int a = 0; a < int(acts.size()); ++a)
      pa = p.action == acts[a].name ? a : pa, qa = q.action == acts[a].name ? a : qa;
    return pa < qa;
  };
  std::sort(all.begin(), all.end(), before);
  std::vector<RsDecision> ranked;
  std::size_t calls = 0;
  for (const auto& x : all) {
    if (std::find(call_actions.begin(), call_actions.end(), x.action) != call_actions.end()) {
      if (calls++ >= capacity_call) continue;  // call capacity: the highest-ranked 5000
    }
    if (ranked.size() < top_k) ranked.push_back(x);
  }
  return ranked;
}

// The whole oracle after the history is in: every member in row order,
// fired_of(r, id, fired) setting the acts.size() triggers of row r, then the
// member's walk, then rank and cap (call_actions: those under the call capacity).
inline std::vector<RsDecision> rs_decide(const Population& pop, RsHistory& history, std::span<const RsAction> acts,
                                         const std::function<void(std::size_t r, uint64_t id, bool* fired)>& fired_of,
                                         const std::function<double(std::size_t row)>& churn_of,
                                         std::initializer_list<std::string_view> call_actions,
                                         std::size_t capacity_call, std::size_t top_k) {
  const RsColumns cols{pop};
  const uint64_t* ids = cols.col("customer_id").values<uint64_t>();
  std::vector<RsDecision> all;
  const auto fired = std::make_unique<bool[]>(acts.size());
  for (std::size_t r = 0; r < pop.rows(); ++r) {
    fired_of(r, ids[r], fired.get());
    rs_walk_member(acts, fired.get(), cols, r, history.revoked(ids[r]), history.summary(ids[r]), ids[r], churn_of, all);
  }
  return rs_rank_and_cap(std::move(all), acts, call_actions, capacity_call, top_k);
}

}  // namespace nudge::test
