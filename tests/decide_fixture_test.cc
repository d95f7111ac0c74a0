// A 20-member population whose decisions are worked out by hand below; it
// passes every gate of the sweep: consent (FALSE and NULL), suppression (a
// rule and an exclusive calamity message), frequency caps (before and during
// the sweep, NULL history), NULL priority, budget (too dear, zero, negative),
// per-member maximum, channel capacity (with a tie at the cut) and kept.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <fstream>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "tests/oracles/decide_reference.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

// Costs (base * factor): call_offer 4*2.5 = 10, sms_offer 4*2 = 8,
// email_news 1*1 = 1, email_bonus 4*1 = 4, alert 2*1 = 2.
// Priorities: call_offer 1*100*churn, sms_offer 1*50*churn, email_news
// 1*10 = 10, email_bonus = bonus * 2, alert 1*1000 = 1000.
// Budget = 10 - used. churn = risk (identity model).
const char* kCampaign = R"(
[campaign]
model = "MODEL"
max_decisions_per_member = 2
[basket]
points_per_period = 10
used_column = "used"
[message_types]
service = 1
commercial = 4
calamity = { cost = 2 }
[channels.email]
consent = "email"
[channels.sms]
factor = 2.0
consent = "sms"
[channels.call]
factor = 2.5
consent = "phone"
capacity = 3
[[suppression]]
name = "quiet"
when = "calamity < 7"
message_types = ["commercial"]
[[frequency_cap]]
name = "calls"
count_column = "contacts"
max = 3
channels = ["call", "sms"]
[[action]]
name = "call_offer"
trigger = "a >= 5"
message_type = "commercial"
channel = "call"
value = 100
priority = "weight * value * churn"
[[action]]
name = "sms_offer"
trigger = "a >= 3"
message_type = "commercial"
channel = "sms"
value = 50
priority = "weight * value * churn"
[[action]]
name = "email_news"
trigger = "b = 1"
message_type = "service"
channel = "email"
value = 10
priority = "weight * value"
[[action]]
name = "email_bonus"
trigger = "b >= 1"
message_type = "commercial"
channel = "email"
priority = "bonus * 2"
[[action]]
name = "alert"
trigger = "b = 9"
message_type = "calamity"
channel = "email"
value = 1000
priority = "weight * value"
)";

enum { kCall, kSms, kNews, kBonus, kAlert };

struct Member {
  std::optional<int32_t> a = 0;
  int32_t b = 0;
  std::optional<bool> email = true, sms = true, phone = true;
  float used = 0;
  int32_t calamity = 9999;
  std::optional<int32_t> contacts = 0;
  double risk = 0.5;
  std::optional<float> bonus = 1;
};

std::vector<Member> members() {
  std::vector<Member> m(20);
  m[0].a = 5;                                 // call 50 kept (left 0), sms budget; call dropped by capacity
  m[1].a = 5, m[1].risk = 0.9;                // call 90 kept (left 0); sms budget
  m[2].a = 5, m[2].phone = false;             // call: consent; sms 25 kept (10-8 = 2)
  m[3].a = 5, m[3].risk = 0.7;                // call 70 kept (left 0); sms budget
  m[4].a = 3, m[4].sms = std::nullopt;        // sms: consent NULL
  m[5].a = 3, m[5].calamity = 3, m[5].b = 1;  // sms, bonus: quiet rule; news 10 kept (10-1 = 9)
  m[6].a = 3, m[6].contacts = 3;              // sms: cap reached before the sweep (3 >= 3)
  m[7].a = 5, m[7].contacts = 2;              // call 50 kept (allowance 1 -> 0, left 0); sms: cap in the sweep
  m[8].a = 3, m[8].contacts = std::nullopt,
  m[8].b = 1;                                        // sms: NULL history = capped; news 10 (left 9), bonus 2 (9-4 = 5)
  m[9].b = 1, m[9].bonus = std::nullopt;             // bonus: NULL priority; news 10 kept (left 9)
  m[10].b = 1, m[10].bonus = 6;                      // bonus 12 (10-4 = 6), news 10 (6-1 = 5)
  m[11].b = 1, m[11].bonus = 6, m[11].used = 7;      // budget 3: bonus 4 > 3 skipped, news 1 kept (3-1 = 2)
  m[12].b = 1, m[12].bonus = 6, m[12].used = 10;     // budget 0: nothing fits
  m[13].b = 1, m[13].bonus = 6, m[13].used = 12.5f;  // budget -2.5: nothing fits
  m[14].a = 3, m[14].b = 1, m[14].bonus = 6;         // sms 25 (left 2), bonus 4 > 2 budget, news (2-1 = 1)
  m[15].a = 3, m[15].b = 1, m[15].bonus = 6, m[15].risk = 0.1, m[15].used = -10;
  // budget 20: bonus 12 (16), news 10 (15), sms 5: per-member max
  m[16].a = 5, m[16].b = 9;                       // alert 1000 (10-2 = 8); call, sms, bonus: exclusive alert
  m[17].a = 3, m[17].b = 9, m[17].email = false;  // alert, bonus: consent; sms 25 kept (left 2)
  m[18].a = std::nullopt;                         // no trigger TRUE (a NULL)
  m[19].a = 4, m[19].calamity = 7;                // sms 25 kept (left 2): quiet needs calamity < 7
  return m;
}

uint64_t id_of(std::size_t row) { return 1000 - 10 * row; }  // ids descend with the row

Population fixture_population() {
  auto ms = members();
  const std::size_t n = ms.size();
  Population pop(n, days_from_civil(2026, 11, 1));
  Column id("customer_id", DataType::UInt64, n), a("a", DataType::Int32, n), b("b", DataType::Int32, n),
      email("email", DataType::Bool, n), sms("sms", DataType::Bool, n), phone("phone", DataType::Bool, n),
      used("used", DataType::Float32, n), cal("calamity", DataType::Int32, n), contacts("contacts", DataType::Int32, n),
      risk("risk", DataType::Float64, n), bonus("bonus", DataType::Float32, n);
  auto set_bool = [](Column& c, std::size_t i, std::optional<bool> v) {
    if (v) c.mutable_values<uint8_t>()[i] = *v;
    else c.set_null(i);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Member& m = ms[i];
    id.mutable_values<uint64_t>()[i] = id_of(i);
    if (m.a) a.mutable_values<int32_t>()[i] = *m.a;
    else a.set_null(i);
    b.mutable_values<int32_t>()[i] = m.b;
    set_bool(email, i, m.email);
    set_bool(sms, i, m.sms);
    set_bool(phone, i, m.phone);
    used.mutable_values<float>()[i] = m.used;
    cal.mutable_values<int32_t>()[i] = m.calamity;
    if (m.contacts) contacts.mutable_values<int32_t>()[i] = *m.contacts;
    else contacts.set_null(i);
    risk.mutable_values<double>()[i] = m.risk;
    if (m.bonus) bonus.mutable_values<float>()[i] = *m.bonus;
    else bonus.set_null(i);
  }
  for (Column* c : {&id, &a, &b, &email, &sms, &phone, &used, &cal, &contacts, &risk, &bonus})
    pop.add_column(std::move(*c));
  return pop;
}

Campaign fixture_campaign(const std::filesystem::path& dir) {
  std::filesystem::path model = dir / "model.toml";
  std::ofstream(model) << "name = \"fixture\"\nlink = \"identity\"\nintercept = 0\n"
                          "[[numeric]]\ncolumn = \"risk\"\nweight = 1\n";
  std::string text = kCampaign;
  text.replace(text.find("MODEL"), 5, model.string());
  return parse_campaign(text, "fixture.toml", dir);
}

struct Expected {
  uint64_t id;
  int action;
  double priority, budget_left;
};

// Rank order: priority desc, then customer id, then action.
const std::vector<Expected> kExpected = {
    {840, kAlert, 1000, 8}, {990, kCall, 90, 0},  {970, kCall, 70, 0}, {930, kCall, 50, 0},  // 1000 (m0) lost the tie
                                                                                             // at the call cut
    {810, kSms, 25, 2},     {830, kSms, 25, 2},   {860, kSms, 25, 2},  {980, kSms, 25, 2},  {850, kBonus, 12, 16},
    {900, kBonus, 12, 6},   {850, kNews, 10, 15}, {860, kNews, 10, 1}, {890, kNews, 10, 2}, {900, kNews, 10, 5},
    {910, kNews, 10, 9},    {920, kNews, 10, 9},  {950, kNews, 10, 9}, {920, kBonus, 2, 5},
};

SweepResult sweep(const BoundCampaign& b, int threads, SweepOptions opt = {}) {
  tbb::task_arena arena(threads);
  SweepResult r;
  arena.execute([&] { r = run_sweep(b, opt); });
  return r;
}

}  // namespace

TEST(Fixture, DecisionsWorkedOutByHand) {
  auto dir = test::make_temp_dir("fixture");
  Population pop = fixture_population();
  Campaign c = fixture_campaign(dir);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  for (int threads : {1, 2}) {
    SweepResult r = sweep(b, threads);
    ASSERT_EQ(r.ranked.size(), kExpected.size());
    for (std::size_t i = 0; i < kExpected.size(); ++i) {
      SCOPED_TRACE("rank " + std::to_string(i + 1));
      EXPECT_EQ(r.ranked[i].customer_id, kExpected[i].id);
      EXPECT_EQ(r.ranked[i].action, kExpected[i].action);
      EXPECT_EQ(r.ranked[i].priority, kExpected[i].priority);
      EXPECT_EQ(r.ranked[i].budget_left, kExpected[i].budget_left);
      EXPECT_EQ(r.ranked[i].churn, members()[(1000 - kExpected[i].id) / 10].risk);
    }
    EXPECT_EQ(r.members_with_candidates, 17u);  // all but m4 (consent), m6 (cap) and m18 (no trigger)
  }
}

TEST(Fixture, FunnelCountsEveryGate) {
  auto dir = test::make_temp_dir("fixture");
  Population pop = fixture_population();
  Campaign c = fixture_campaign(dir);
  SweepResult r = sweep(BoundCampaign::bind(c, pop), 2);
  auto row = [&](int a) {
    const ActionFunnel& f = r.funnel[a];
    return std::vector<uint64_t>{f.fired,  f.consent,    f.suppression, f.frequency_cap, f.priority,
                                 f.budget, f.member_max, f.capacity,    f.kept};
  };
  //                         fired consent supp cap prio budget max capacity kept
  EXPECT_EQ(row(kCall), (std::vector<uint64_t>{6, 1, 1, 0, 0, 0, 0, 1, 3}));  // m2 | m16 | m0 | m1 m3 m7
  EXPECT_EQ(row(kSms), (std::vector<uint64_t>{14, 1, 2, 3, 0, 3, 1, 0, 4}));  // m4 | m5 m16 | m6 m7 m8 | m0 m1 m3 | m15
  EXPECT_EQ(row(kNews), (std::vector<uint64_t>{9, 0, 0, 0, 0, 2, 0, 0, 7}));  // m12 m13
  EXPECT_EQ(row(kBonus), (std::vector<uint64_t>{11, 1, 2, 0, 1, 4, 0, 0, 3}));  // m17 | m5 m16 | m9 | m11-m14
  EXPECT_EQ(row(kAlert), (std::vector<uint64_t>{2, 1, 0, 0, 0, 0, 0, 0, 1}));   // m17 | m16
  EXPECT_EQ(r.decisions, 18u);
}

TEST(Fixture, TopKKeepsTheFirstRanks) {
  auto dir = test::make_temp_dir("fixture");
  Population pop = fixture_population();
  Campaign c = fixture_campaign(dir);
  SweepOptions opt;
  opt.top_k = 5;
  SweepResult r = sweep(BoundCampaign::bind(c, pop), 2, opt);
  ASSERT_EQ(r.ranked.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(r.ranked[i].customer_id, kExpected[i].id);
  EXPECT_EQ(r.decisions, 18u);
  EXPECT_EQ(r.funnel[kSms].in_top_k, 1u);
}

TEST(Fixture, ReferenceAgreesWithTheHandWorkedDecisions) {
  auto dir = test::make_temp_dir("fixture");
  Population pop = fixture_population();
  Campaign c = fixture_campaign(dir);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  test::RefResult ref = test::reference_sweep(c, pop, b.model(), std::nullopt);
  ASSERT_EQ(ref.ranked.size(), kExpected.size());
  for (std::size_t i = 0; i < kExpected.size(); ++i) {
    EXPECT_EQ(ref.ranked[i].customer_id, kExpected[i].id);
    EXPECT_EQ(ref.ranked[i].action, std::size_t(kExpected[i].action));
  }
}

TEST(Fixture, TraceNamesTheFirstGateOfEachCandidate) {
  auto dir = test::make_temp_dir("fixture");
  Population pop = fixture_population();
  Campaign c = fixture_campaign(dir);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  auto trace_of = [&](std::size_t row) {
    SweepOptions opt;
    opt.trace_row = row;
    return *sweep(b, 2, opt).trace;
  };
  // m0: call 50 kept by the walk but dropped by capacity (lost the tie to id 930); sms 25: budget 0 left.
  MemberTrace t0 = trace_of(0);
  EXPECT_EQ(t0.customer_id, 1000u);
  EXPECT_EQ(t0.churn, 0.5);
  EXPECT_EQ(t0.budget, 10);
  ASSERT_EQ(t0.entries.size(), 5u);
  EXPECT_EQ(t0.entries[0].action, std::size_t(kCall));
  EXPECT_EQ(t0.entries[0].gate, Gate::ChannelCapacity);
  EXPECT_EQ(t0.entries[0].priority, 50);
  EXPECT_EQ(t0.entries[1].action, std::size_t(kSms));
  EXPECT_EQ(t0.entries[1].gate, Gate::Budget);
  EXPECT_EQ(t0.entries[1].detail, "cost 8 > remaining budget 0");
  EXPECT_FALSE(t0.entries[2].gate);  // the rest did not fire
  EXPECT_EQ(t0.entries[2].trigger, 0);
  // m16: the alert suppresses the others.
  MemberTrace t16 = trace_of(16);
  EXPECT_EQ(t16.entries[0].action, std::size_t(kAlert));
  EXPECT_EQ(t16.entries[0].gate, Gate::Kept);
  EXPECT_EQ(t16.entries[0].budget_left, 8);
  for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(t16.entries[i].gate, Gate::Suppression) << i;
  EXPECT_EQ(t16.entries[1].detail, "an exclusive (calamity) message is a candidate");
  // m7: the cap runs out during the walk; m18: a is NULL, so its triggers are NULL.
  MemberTrace t7 = trace_of(7);
  EXPECT_EQ(t7.entries[0].gate, Gate::Kept);
  EXPECT_EQ(t7.entries[1].gate, Gate::FrequencyCap);
  MemberTrace t18 = trace_of(18);
  for (const auto& e : t18.entries) {
    EXPECT_FALSE(e.gate);
    EXPECT_EQ(e.trigger, e.action <= kSms ? -1 : 0);
  }
  // m9: NULL bonus -> NULL priority; m5: the quiet rule.
  MemberTrace t9 = trace_of(9);
  EXPECT_EQ(t9.entries[0].action, std::size_t(kNews));
  EXPECT_EQ(t9.entries[1].gate, Gate::Priority);
  MemberTrace t5 = trace_of(5);
  EXPECT_EQ(t5.entries[0].action, std::size_t(kSms));  // sms 25 first in priority order
  EXPECT_EQ(t5.entries[0].gate, Gate::Suppression);
  EXPECT_EQ(t5.entries[0].detail, "rule quiet (calamity < 7)");
  EXPECT_EQ(t5.entries[1].gate, Gate::Kept);  // news 10
}
