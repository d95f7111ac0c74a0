// RS-2 population and adversarial contact history (rs2_generator.h).
#include "io/gen/rs2_generator.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string>

#include "io/csv/csv_writer.h"
#include "io/file/atomic_file.h"
#include "io/gen/gen_rng.h"
#include "io/gen/rs1_generator.h"

namespace nudge {

const Rs2HistoryAction kRs2HistoryActions[15] = {
    {"defection_call", "call", "commercial", 20}, {"defection_email", "email", "commercial", 10},
    {"tier_nudge", "email", "editorial", 5},      {"birthday", "email", "service", 2},
    {"winback_mail", "mail", "commercial", 15},   {"winback_sms", "sms", "commercial", 15},
    {"points_expiry", "email", "service", 2},     {"complaint_followup", "call", "service", 4},
    {"engagement_push", "push", "editorial", 5},  {"premium_upsell", "email", "commercial", 10},
    {"newsletter", "email", "editorial", 5},      {"partner_offer", "sms", "commercial", 15},
    {"service_push", "push", "service", 2},       {"flight_disruption", "sms", "calamity", 30},
    {"safety_notice", "email", "calamity", 20},
};

namespace {

constexpr uint8_t kNewsletter = 10, kFlightDisruption = 13, kSafetyNotice = 14;

using Rng = gen::SplitMix;

// Everyday mix of actions (weights): newsletters and service messages dominate.
uint8_t everyday_action(Rng& r) {
  static constexpr std::array<int, 15> w = {2, 6, 6, 4, 3, 4, 3, 2, 8, 3, 30, 8, 10, 1, 1};
  int x = static_cast<int>(r.below(92));
  for (uint8_t a = 0; a < 15; ++a) {
    if (x < w[a]) return a;
    x -= w[a];
  }
  return kNewsletter;
}

// Poisson-like count with the given mean (sum of uniform draws; deterministic, cheap).
int count_around(Rng& r, double mean) {
  const int n = static_cast<int>(r.below(static_cast<int64_t>(2 * mean) + 1));
  return n;
}

}  // namespace

Rs2Data generate_rs2(std::size_t members, uint64_t seed, int32_t as_of, double contacts_per_member) {
  Rs2Data d;
  Population full = generate_rs1(members, seed, as_of);
  d.population = Population(full.rows(), as_of);
  for (const Column& c : full.columns()) {
    const std::string& n = c.name();
    if (n == "pressure_used" || n == "contacts_30d" || n == "days_since_last_contact" || n == "days_since_calamity")
      continue;
    d.population.add_column(c);
  }
  const uint64_t* ids = d.population.column("customer_id").values<uint64_t>();
  int y;
  unsigned m, day;
  civil_from_days(as_of, y, m, day);
  const int32_t month_first = days_from_civil(y, m, 1);
  const int32_t edges[] = {as_of,      as_of - 6,  as_of - 7,   as_of - 13,      as_of - 14,
                           as_of - 29, as_of - 30, month_first, month_first - 1, as_of + 1};
  d.contacts.reserve(static_cast<std::size_t>(static_cast<double>(members) * (contacts_per_member + 1)));
  d.responses.reserve(static_cast<std::size_t>(static_cast<double>(members) * contacts_per_member * 0.4));
  std::vector<Rs2ContactRow> mine;
  for (std::size_t row = 0; row < members; ++row) {
    Rng r{seed * 0x9E3779B97F4A7C15ULL ^ (row + 1) * 0xD1B54A32D192ED03ULL};
    const uint64_t id = ids[row];
    mine.clear();
    if (r.chance(0.10)) continue;  // no history at all
    const int n = count_around(r, contacts_per_member);
    for (int k = 0; k < n; ++k) {
      int32_t t = static_cast<int32_t>(as_of - r.below(365));
      if (r.chance(0.03)) t = static_cast<int32_t>(as_of + 1 + r.below(10));  // after as_of: ignored
      mine.push_back({id, t, everyday_action(r)});
    }
    // Window edges, some with calamity messages (suppression edge at D-6 / D-7).
    for (int32_t e : edges)
      if (r.chance(0.04)) mine.push_back({id, e, everyday_action(r)});
    if (r.chance(0.03)) mine.push_back({id, static_cast<int32_t>(as_of - r.below(7)), kFlightDisruption});
    if (r.chance(0.02)) mine.push_back({id, as_of - 7 + static_cast<int32_t>(r.below(2)), kSafetyNotice});
    if (r.chance(0.01)) mine.push_back({id, as_of - 13 - static_cast<int32_t>(r.below(2)), 0});  // defection_call
    if (r.chance(0.01)) mine.push_back({id, as_of + 1, kFlightDisruption});                      // calamity after as_of
    const std::size_t distinct = mine.size();
    if (r.chance(0.01) && distinct) mine.push_back(mine[static_cast<std::size_t>(r.below(distinct))]);  // repeat row
    for (const auto& c : mine) d.contacts.push_back(c);
    // Responses: every type to every channel's contacts.
    for (std::size_t k = 0; k < distinct; ++k) {
      const Rs2ContactRow& c = mine[k];
      const std::string_view ch = kRs2HistoryActions[c.action].channel;
      const bool digital = ch == "email" || ch == "push";
      auto respond = [&](uint8_t type) {
        const int32_t lag = static_cast<int32_t>(r.below(4) == 0 ? r.below(13) : r.below(3));
        d.responses.push_back({id, c.sent_on, c.sent_on + lag, c.action, type});
        if (r.chance(0.02)) d.responses.push_back(d.responses.back());  // repeated response row
      };
      if (r.chance(digital ? 0.30 : 0.05)) respond(0);  // open
      if (r.chance(digital ? 0.08 : 0.02)) respond(1);  // click
      if (r.chance(0.02)) respond(2);                   // convert
      if (r.chance(0.012)) respond(3);                  // unsubscribe
      if (r.chance(0.005)) respond(4);                  // complaint
    }
    if (distinct && r.chance(0.02)) {  // orphan: a contact that does not exist (another day)
      const Rs2ContactRow& c = mine[static_cast<std::size_t>(r.below(distinct))];
      d.responses.push_back({id, c.sent_on - 400, c.sent_on - 399, c.action, static_cast<uint8_t>(r.below(5))});
    }
    if (distinct && r.chance(0.02)) {  // dated before its contact
      const Rs2ContactRow& c = mine[static_cast<std::size_t>(r.below(distinct))];
      d.responses.push_back({id, c.sent_on, c.sent_on - 1 - static_cast<int32_t>(r.below(3)), c.action,
                             static_cast<uint8_t>(r.below(5))});
    }
  }
  return d;
}

void write_rs2_csv(const Rs2Data& d, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  write_csv(d.population, dir / "population.csv");
  {
    AtomicFile f(dir / "contacts.csv");
    std::string buf = "customer_id,sent_on,action,channel,message_type,cost\n";
    for (const auto& c : d.contacts) {
      const auto& a = kRs2HistoryActions[c.action];
      fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{}\n", c.customer_id, format_iso_date(c.sent_on), a.name,
                     a.channel, a.message_type, a.cost);
      if (buf.size() > (1 << 20)) f.write(buf), buf.clear();
    }
    f.write(buf);
    f.commit();
  }
  AtomicFile f(dir / "responses.csv");
  std::string buf = "customer_id,action,sent_on,responded_on,type\n";
  for (const auto& x : d.responses) {
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{}\n", x.customer_id, kRs2HistoryActions[x.action].name,
                   format_iso_date(x.sent_on), format_iso_date(x.responded_on), kRs2ResponseTypes[x.type]);
    if (buf.size() > (1 << 20)) f.write(buf), buf.clear();
  }
  f.write(buf);
  f.commit();
}

void rs2_records(const Rs2Data& d, std::vector<history::ContactRecord>& contacts,
                 std::vector<history::ResponseRecord>& responses) {
  for (const auto& c : d.contacts) rs2_add_contact(c.customer_id, c.sent_on, kRs2HistoryActions[c.action], contacts);
  for (const auto& x : d.responses)
    rs2_add_response(x.customer_id, kRs2HistoryActions[x.action], x.sent_on, x.responded_on, x.type, responses);
}

void rs2_add_contact(uint64_t id, int32_t sent_on, const Rs2HistoryAction& a,
                     std::vector<history::ContactRecord>& contacts) {
  history::ContactRecord r;
  r.customer_id = id, r.sent_on = sent_on, r.action = a.name, r.channel = a.channel, r.message_type = a.message_type;
  r.cost = a.cost;
  contacts.push_back(std::move(r));
}

void rs2_add_response(uint64_t id, const Rs2HistoryAction& a, int32_t sent_on, int32_t responded_on, uint8_t type,
                      std::vector<history::ResponseRecord>& responses) {
  history::ResponseRecord r;
  r.customer_id = id, r.action = a.name, r.sent_on = sent_on, r.responded_on = responded_on,
  r.type = kRs2ResponseTypes[type];
  responses.push_back(std::move(r));
}

}  // namespace nudge
