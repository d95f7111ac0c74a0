// RS-2 written out row by row from shared/WORKLOAD.md ("RS-1" and "RS-2"),
// straight from the raw history rows (io/gen/rs2_generator.h), sharing no
// code with the sweep, the campaign loader, the expression compiler or the
// history store: the oracle tests/policy_rs2_test.cc compares the sweep of
// data/campaigns/rs2.toml against.
//
// Only the churn score comes from outside (a callback: the model's own
// reference_score), so that priorities can be compared exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/store/population.h"
#include "engine/store/types.h"
#include "io/gen/rs2_generator.h"

namespace nudge::test {

struct Rs2Decision {
  uint64_t customer_id;
  std::string action;
  double priority, cost, budget_left, churn;
};

struct Rs2Reference {
  std::vector<Rs2Decision> ranked;    // first K in rank order
  std::size_t skipped_responses = 0;  // responses dated <= D that attach to no contact dated <= D
};

inline Rs2Reference rs2_reference(const Rs2Data& d, int32_t D, const std::function<double(std::size_t row)>& churn_of,
                                  std::size_t capacity_call = 5000, std::size_t top_k = 100000) {
  const Population& pop = d.population;
  // --- the history, per member: contacts deduplicated by (customer_id, action, sent_on).
  struct Contact {
    int32_t sent_on;
    std::string action, channel, type;
    double cost;
  };
  std::map<uint64_t, std::map<std::pair<std::string, int32_t>, Contact>> contacts;
  for (const auto& c : d.contacts) {
    const auto& a = kRs2HistoryActions[c.action];
    if (c.sent_on > D) continue;  // after as_of: ignored
    contacts[c.customer_id][{std::string(a.name), c.sent_on}] =
        Contact{c.sent_on, std::string(a.name), std::string(a.channel), std::string(a.message_type), a.cost};
  }
  // Responses: a repeated row counts once; attach to an existing contact dated <= D and <= responded_on.
  std::set<std::tuple<uint64_t, std::string, int32_t, int32_t, std::string>> responses;
  for (const auto& r : d.responses)
    if (r.responded_on <= D)
      responses.insert({r.customer_id, std::string(kRs2HistoryActions[r.action].name), r.sent_on, r.responded_on,
                        std::string(kRs2ResponseTypes[r.type])});
  Rs2Reference out;
  std::map<uint64_t, std::set<std::string>> revoked;  // channels
  for (const auto& [id, action, sent_on, responded_on, type] : responses) {
    auto m = contacts.find(id);
    const Contact* c = nullptr;
    if (m != contacts.end()) {
      auto it = m->second.find({action, sent_on});
      if (it != m->second.end()) c = &it->second;
    }
    if (!c || responded_on < sent_on) {
      ++out.skipped_responses;
      continue;
    }
    if (type == "unsubscribe") {
      revoked[id].insert(c->channel);
      if (c->channel == "email") revoked[id].insert("push");
    }
  }

  // --- RS-1's actions, written out.
  auto col = [&](const char* n) -> const Column& { return pop.column(n); };
  const uint64_t* ids = col("customer_id").values<uint64_t>();
  const Column& tier = col("tier");
  auto i32 = [&](const char* n, std::size_t r) { return double(col(n).values<int32_t>()[r]); };
  auto f32 = [&](const char* n, std::size_t r) { return double(col(n).values<float>()[r]); };
  auto opt = [&](const char* n, std::size_t r) { return col(n).is_valid(r) && col(n).values<uint8_t>()[r] != 0; };
  struct A {
    const char* name;
    const char* type;
    const char* channel;
    double value, weight;
    bool churn;
  };
  const A acts[10] = {{"defection_call", "commercial", "call", 400, 1.0, true},
                      {"defection_email", "commercial", "email", 150, 1.0, true},
                      {"tier_nudge", "editorial", "email", 60, 1.0, false},
                      {"birthday", "service", "email", 20, 1.0, false},
                      {"winback_mail", "commercial", "mail", 250, 0.8, true},
                      {"winback_sms", "commercial", "sms", 90, 0.9, true},
                      {"points_expiry", "service", "email", 40, 1.0, false},
                      {"complaint_followup", "service", "call", 120, 1.2, true},
                      {"engagement_push", "editorial", "push", 30, 0.7, false},
                      {"premium_upsell", "commercial", "email", 200, 0.6, false}};
  auto base = [](const std::string& t) {
    return t == "service" ? 2.0 : t == "editorial" ? 5.0 : t == "commercial" ? 10.0 : 20.0;
  };
  auto factor = [](const std::string& c) { return c == "sms" || c == "mail" ? 1.5 : c == "call" ? 2.0 : 1.0; };
  int32_t y;
  unsigned mo, dd;
  civil_from_days(D, y, mo, dd);
  const int32_t month_first = days_from_civil(y, mo, 1);

  std::vector<Rs2Decision> all;
  for (std::size_t r = 0; r < pop.rows(); ++r) {
    const std::string t = tier.dictionary()[std::size_t(tier.values<int32_t>()[r])];
    const double fp = i32("flights_prev_3m", r), f3 = i32("flights_3m", r), dslf = i32("days_since_last_flight", r);
    const bool salary_ok = col("salary").is_valid(r) && f32("salary", r) > 90000;
    const bool fired[10] = {
        fp >= 4 && f3 < 0.5 * fp && (t == "Star" || t == "Nova"),
        fp >= 2 && f3<0.5 * fp, f32("points_to_next_tier", r)> 0 && f32("points_to_next_tier", r) <= 2000,
        i32("days_to_birthday", r) <= 14,
        dslf > 180 && f32("clv", r) > 5000,
        dslf > 120 && dslf <= 180,
        f32("points_balance", r) > 10000 && dslf > 300,
        i32("complaints_12m", r) >= 2,
        i32("opens_90d", r) == 0 && i32("flights_12m", r) >= 6,
        t == "Star" && f32("distance_12m", r) > 50000 && salary_ok};
    // The member's history at D.
    double used = 0;
    int n30 = 0, calls14 = 0;
    bool calamity = false;
    if (auto m = contacts.find(ids[r]); m != contacts.end())
      for (const auto& [key, c] : m->second) {
        if (c.sent_on >= month_first && c.sent_on <= D) used += c.cost;
        if (c.sent_on > D - 30 && c.sent_on <= D) ++n30;
        if (c.sent_on > D - 14 && c.sent_on <= D && c.channel == "call") ++calls14;
        if (c.sent_on > D - 7 && c.sent_on <= D && c.type == "calamity") calamity = true;
      }
    const std::set<std::string>& gone = revoked[ids[r]];
    auto consent = [&](const std::string& ch) {
      const bool column = ch == "email" || ch == "push" ? opt("email_opt_in", r)
                          : ch == "sms"                 ? opt("sms_opt_in", r)
                          : ch == "call"                ? opt("phone_opt_in", r)
                                                        : opt("mail_opt_in", r);
      return column && !gone.count(ch);
    };
    struct Cand {
      double priority;
      int action;
    };
    std::vector<Cand> cands;
    double churn = std::nan("");
    bool scored = false;
    for (int a = 0; a < 10; ++a) {
      const A& x = acts[a];
      if (!fired[a] || !consent(x.channel)) continue;
      if (calamity && (std::string(x.type) == "editorial" || std::string(x.type) == "commercial")) continue;
      if (!scored) churn = churn_of(r), scored = true;
      cands.push_back({x.churn ? x.weight * x.value * churn : x.weight * x.value, a});
    }
    std::sort(cands.begin(), cands.end(), [](const Cand& p, const Cand& q) {
      return p.priority != q.priority ? p.priority > q.priority : p.action < q.action;
    });
    double left = 25 - used;
    int kept = 0, kept_calls = 0;
    for (const Cand& c : cands) {
      const A& x = acts[c.action];
      const bool call = std::string(x.channel) == "call";
      const double cost = base(x.type) * factor(x.channel);
      if (n30 + kept >= 4) continue;                    // 4 contacts in the last 30 days
      if (call && calls14 + kept_calls >= 1) continue;  // 1 call in the last 14 days
      if (left <= 0 || cost > left) continue;           // budget
      if (kept == 2) continue;                          // 2 per member
      left -= cost;
      ++kept;
      kept_calls += call;
      all.push_back({ids[r], x.name, c.priority, cost, left, churn});
    }
  }
  auto before = [&](const Rs2Decision& p, const Rs2Decision& q) {
    if (p.priority != q.priority) return p.priority > q.priority;
    if (p.customer_id != q.customer_id) return p.customer_id < q.customer_id;
    int pa = 0, qa = 0;
    for (int a = 0; a < 10; ++a) pa = p.action == acts[a].name ? a : pa, qa = q.action == acts[a].name ? a : qa;
    return pa < qa;
  };
  std::sort(all.begin(), all.end(), before);
  std::size_t calls = 0;
  for (const auto& x : all) {
    if (x.action == "defection_call" || x.action == "complaint_followup") {
      if (calls++ >= capacity_call) continue;  // call capacity: the highest-ranked 5000
    }
    if (out.ranked.size() < top_k) out.ranked.push_back(x);
  }
  return out;
}

}  // namespace nudge::test
