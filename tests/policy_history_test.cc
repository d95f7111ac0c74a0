// History policies (engine/policy/history_policy.h) on hand-made histories:
// window edges (D - N < sent_on <= D), the calendar month / week / day basket,
// events after as_of, control contacts, unsubscribes (e-mail also push),
// orphan responses, every history aggregate of the expression language, and
// the errors of campaigns that need a history.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <random>
#include <set>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/explain.h"
#include "engine/decide/sweep.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"

namespace nudge {
namespace {

const int32_t D = days_from_civil(2026, 11, 15);  // a Sunday
int32_t day(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d); }

// Three members: 1 and 2 have history, 3 has none; every consent column TRUE.
Population population() {
  Population p(3, D);
  Column id("customer_id", DataType::UInt64, 3);
  id.mutable_values<uint64_t>()[0] = 1, id.mutable_values<uint64_t>()[1] = 2, id.mutable_values<uint64_t>()[2] = 3;
  p.add_column(std::move(id));
  for (const char* n : {"email_opt_in", "sms_opt_in", "phone_opt_in"}) {
    Column c(n, DataType::Bool, 3);
    for (int r = 0; r < 3; ++r) c.mutable_values<uint8_t>()[r] = 1;
    p.add_column(std::move(c));
  }
  return p;
}

history::ContactRecord contact(uint64_t id, int32_t t, std::string action, std::string channel, std::string type,
                               double cost, bool control = false) {
  history::ContactRecord c;
  c.customer_id = id, c.sent_on = t, c.action = std::move(action), c.channel = std::move(channel);
  c.message_type = std::move(type), c.cost = cost, c.control = control;
  return c;
}
history::ResponseRecord response(uint64_t id, std::string action, int32_t sent, int32_t on, std::string type) {
  history::ResponseRecord r;
  r.customer_id = id, r.action = std::move(action), r.sent_on = sent, r.responded_on = on, r.type = std::move(type);
  return r;
}

history::History sample_history() {
  std::vector<history::ContactRecord> cs = {
      contact(1, D - 30, "newsletter", "email", "editorial", 5),            // outside the 30-day window
      contact(1, D - 29, "newsletter", "email", "editorial", 5),            // inside it
      contact(1, day(2026, 10, 31), "partner", "sms", "commercial", 15),    // last month
      contact(1, day(2026, 11, 1), "tier_nudge", "email", "editorial", 5),  // first day of the month (D-14)
      contact(1, D, "birthday", "email", "service", 2),                     // as_of itself
      contact(1, D + 1, "late", "email", "commercial", 10),                 // after as_of: ignored
      contact(1, D - 5, "held_out", "email", "commercial", 10, true),       // control: ignored
      contact(1, D - 14, "winback_call", "call", "commercial", 20),         // outside the 14-day call window
      contact(2, D - 13, "winback_call", "call", "commercial", 20),         // inside it
      contact(2, D - 6, "disruption", "sms", "calamity", 30),               // calamity inside 7 days
      contact(2, D - 7, "safety", "email", "calamity", 20),                 // calamity outside 7 days
      contact(2, D - 3, "newsletter", "email", "editorial", 5),
  };
  std::vector<history::ResponseRecord> rs = {
      response(1, "newsletter", D - 29, D - 27, "open"),
      response(1, "newsletter", D - 29, D - 26, "click"),
      response(1, "tier_nudge", day(2026, 11, 1), D + 1, "unsubscribe"),  // after as_of: no effect
      response(1, "held_out", D - 5, D - 4, "unsubscribe"),               // control: no effect
      response(1, "partner", day(2026, 10, 31), D - 2, "unsubscribe"),    // sms revoked
      response(1, "nothing", D - 2, D - 1, "open"),                       // orphan
      response(2, "newsletter", D - 3, D - 2, "unsubscribe"),             // email (and push) revoked
      response(2, "newsletter", D - 3, D - 4, "open"),                    // before its contact: skipped
  };
  return history::build_history(std::move(cs), std::move(rs));
}

constexpr const char* kCampaign = R"(
[campaign]
name = "t"
max_decisions_per_member = 3
[basket]
points_per_period = 25
period = "month"
[channels.email]
consent = "email_opt_in"
[channels.push]
consent = "email_opt_in"
revoked_by = ["email"]
[channels.sms]
consent = "sms_opt_in"
factor = 1.5
[channels.call]
consent = "phone_opt_in"
factor = 2.0
[[suppression]]
name = "calamity"
when = "contacts(last 7 days, message_type = 'calamity') > 0"
message_types = ["editorial", "commercial"]
[[frequency_cap]]
name = "c30"
window_days = 30
max = 4
[[frequency_cap]]
name = "call14"
window_days = 14
max = 1
channels = ["call"]
[[action]]
name = "a"
trigger = "contacts(last 30 days) >= 0 AND points(last 1 month) >= 0 AND points(last 30 days, channel IN ('sms', 'email')) >= 0"
message_type = "service"
channel = "email"
value = 1
priority = "weight * value"
[[action]]
name = "b"
trigger = "coalesce(days_since_contact(action = 'newsletter'), -1) >= 0 OR responses(last 30 days, type = 'open') > 0"
message_type = "service"
channel = "push"
priority = "answered(last 30 days, within = 2) + answered(last 30 days, type = 'click', within = 2) + 1"
)";

decide::Campaign campaign(std::string text = kCampaign) { return decide::parse_campaign(text, "t.toml", "."); }

struct Filled {
  decide::MemberInputs in;
  std::unique_ptr<policy::HistoryPolicy> hp;
  int64_t agg(const std::string& key, std::size_t row) const {
    const Population& p = hp->population();
    const Column& c = p.column(*p.find("@history " + key));
    return c.is_null(row) ? -999 : c.values<int64_t>()[row];
  }
  double points(const std::string& key, std::size_t row) const {
    const Population& p = hp->population();
    return p.column(*p.find("@history " + key)).values<double>()[row];
  }
  bool revoked(std::size_t ch, std::size_t row) const { return in.revoked[ch * (expr::kBatchRows / 64)] >> row & 1; }
};

Filled fill(const decide::Campaign& c, const Population& pop, const history::History& h) {
  Filled f;
  f.hp = std::make_unique<policy::HistoryPolicy>(c, pop, h, D);
  f.hp->fill(0, 3, f.in);
  return f;
}

TEST(PolicyHistory, WindowsIncludeAsOfAndReachBackNDays) {
  const auto c = campaign();
  const Population pop = population();
  const auto f = fill(c, pop, sample_history());
  const std::size_t B = expr::kBatchRows;
  // Member 1: D-29, Oct 31, Nov 1, D count; D-30, D+1 and the control do not; D-14 call counts for 30 days.
  EXPECT_EQ(f.in.cap_counts[0 * B + 0], 5);
  EXPECT_EQ(f.in.cap_counts[1 * B + 0], 0);  // the call at D-14 is outside "the last 14 days"
  EXPECT_EQ(f.in.cap_counts[1 * B + 1], 1);  // the call at D-13 is inside
  EXPECT_EQ(f.in.cap_counts[0 * B + 2], 0);  // no history
  // Basket: November 1 (5) + D (2) + the call on Nov 1 = D-14 (20); Oct 31 and D+1 and the control do not count.
  EXPECT_EQ(f.in.basket_used[0], 27);
  EXPECT_EQ(f.in.basket_used[1], 75);
  EXPECT_EQ(f.in.basket_used[2], 0);
  // Calamity at D-6 counts, at D-7 does not.
  EXPECT_EQ(f.agg("contacts(days 1 to 7 ago, message_type IN ('calamity'))", 1), 1);
  EXPECT_EQ(f.agg("contacts(days 1 to 7 ago, message_type IN ('calamity'))", 0), 0);
  EXPECT_EQ(f.agg("contacts(days 1 to 30 ago)", 0), 5);
  EXPECT_EQ(f.points("points(months 1 to 1 ago)", 0), 27);
  EXPECT_EQ(f.points("points(days 1 to 30 ago, channel IN ('email', 'sms'))", 0), 5 + 15 + 5 + 2);
  EXPECT_EQ(f.agg("days_since_contact(action IN ('newsletter'))", 0), 29);
  EXPECT_EQ(f.agg("days_since_contact(action IN ('newsletter'))", 1), 3);
  EXPECT_EQ(f.agg("days_since_contact(action IN ('newsletter'))", 2), -999);  // NULL: no history
  EXPECT_EQ(f.agg("responses(days 1 to 30 ago, type IN ('open'))", 0), 1);    // the orphan open is skipped
  EXPECT_EQ(f.agg("responses(days 1 to 30 ago, type IN ('open'))", 1), 0);    // dated before its contact
  EXPECT_EQ(f.agg("answered(days 1 to 30 ago, within = 2)", 0), 1);           // newsletter D-29 opened at D-27
  EXPECT_EQ(f.agg("answered(days 1 to 30 ago, type IN ('click'), within = 2)", 0), 0);  // clicked 3 days later
  EXPECT_EQ(f.agg("answered(days 1 to 30 ago, within = 2)", 1), 1);                     // unsubscribe after 1 day
}

TEST(PolicyHistory, UnsubscribeRevokesItsChannelAndEmailAlsoPush) {
  const auto c = campaign();
  const Population pop = population();
  const auto f = fill(c, pop, sample_history());
  auto ch = [&](const char* name) {
    for (std::size_t i = 0; i < c.channels.size(); ++i)
      if (c.channels[i].name == name) return i;
    return std::size_t{99};
  };
  const std::size_t email = ch("email"), push = ch("push"), sms = ch("sms");
  EXPECT_FALSE(f.revoked(email, 0));  // member 1: the e-mail unsubscribe is after as_of, the other a control's
  EXPECT_FALSE(f.revoked(push, 0));
  EXPECT_TRUE(f.revoked(sms, 0));    // sms unsubscribe
  EXPECT_TRUE(f.revoked(email, 1));  // member 2: e-mail, and push with it
  EXPECT_TRUE(f.revoked(push, 1));
  EXPECT_FALSE(f.revoked(sms, 1));
  EXPECT_FALSE(f.revoked(email, 2));
}

TEST(PolicyHistory, WeekAndDayBaskets) {
  std::string text = kCampaign;
  const Population pop = population();
  auto week = campaign(text.replace(text.find("period = \"month\""), 16, "period = \"week\" "));
  // ISO week of Sunday D: Monday D-6 .. D. Member 2: calamity D-6 (30), newsletter D-3 (5).
  EXPECT_EQ(fill(week, pop, sample_history()).in.basket_used[1], 35);
  text = kCampaign;
  auto today = campaign(text.replace(text.find("period = \"month\""), 16, "period = \"day\"  "));
  EXPECT_EQ(fill(today, pop, sample_history()).in.basket_used[0], 2);
  EXPECT_EQ(policy::period_start(D, "week"), D - 6);
  EXPECT_EQ(policy::period_start(day(2026, 11, 16), "week"), day(2026, 11, 16));  // a Monday
}

TEST(PolicyHistory, SweepAppliesHistoryGatesAndExplainShowsTheEvents) {
  const auto c = campaign();
  const Population pop = population();
  policy::HistoryPolicy hp(c, pop, sample_history(), D);
  const auto bound = decide::BoundCampaign::bind(c, hp.population());
  decide::SweepOptions opt;
  opt.inputs = &hp;
  opt.trace_row = 1;
  const auto r = decide::run_sweep(bound, opt);
  // Member 1: 5 contacts in 30 days: capped. Member 2: e-mail and push revoked. Member 3: no history, so
  // b's trigger (a newsletter contact or an open) is FALSE and a is kept.
  ASSERT_EQ(r.ranked.size(), 1u);
  EXPECT_EQ(r.ranked[0].customer_id, 3u);
  EXPECT_EQ(r.ranked[0].action, 0u);
  EXPECT_EQ(r.funnel[1].fired, 2u);
  EXPECT_EQ(r.funnel[1].frequency_cap, 1u);
  EXPECT_EQ(r.funnel[1].consent, 1u);
  EXPECT_EQ(r.funnel[0].frequency_cap, 1u);
  EXPECT_EQ(r.funnel[0].consent, 1u);
  const std::string text = decide::format_explanation(bound, r, &hp);
  EXPECT_NE(text.find("revoked by an unsubscribe"), std::string::npos) << text;
  EXPECT_NE(text.find("unsubscribe 2026-11-13 to 2026-11-12 newsletter email/editorial"), std::string::npos) << text;
  EXPECT_NE(text.find("cap call14: 1 of max 1 contacts in the last 14 days (2026-11-02 to 2026-11-15)"),
            std::string::npos)
      << text;
}

TEST(PolicyHistory, CampaignsThatNeedAHistorySayHowToGiveIt) {
  const auto c = campaign();
  const Population pop = population();
  try {
    decide::BoundCampaign::bind(c, pop);
    FAIL() << "bound without a history";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("reads the contact history"), std::string::npos) << e.what();
  }
  std::string text = kCampaign;
  text.replace(text.find("window_days = 30"), 16, "window_days = 30\ncount_column = \"n\"");
  EXPECT_THROW(campaign(text), Error);
  text = kCampaign;
  text.replace(text.find("period = \"month\""), 16, "period = \"year\" ");
  EXPECT_THROW(campaign(text), Error);
  text = kCampaign;
  text.replace(text.find("within = 2) + 1"), 15, "within = 2, type = 1) + 1");
  const auto bad = campaign(text);
  policy::HistoryPolicy hp(bad, pop, sample_history(), D);
  EXPECT_THROW(decide::BoundCampaign::bind(bad, hp.population()), Error);
}

// prepare()'s member summary (history_policy.h "Method") against the direct
// walk per row: a random history (every aggregate kind of kCampaign, control
// contacts, responses before/after as_of, unsubscribes), population ids
// shuffled, some absent from the history, history members absent from the
// population, a row count not a multiple of the batch; 1 and 2 threads.
void expect_prepared_equals_direct(const std::string& text, std::size_t aggregates, bool fast) {
  const auto c = campaign(text);
  std::mt19937_64 rng(11);
  const std::size_t N = 2 * expr::kBatchRows + 37;
  struct A {
    const char *action, *channel, *type;
    double cost;
  };
  const A acts[] = {{"newsletter", "email", "editorial", 5},    {"partner", "sms", "commercial", 15},
                    {"winback_call", "call", "commercial", 20}, {"disruption", "sms", "calamity", 30},
                    {"safety", "email", "calamity", 20},        {"birthday", "email", "service", 2.5}};
  const char* types[] = {"open", "click", "convert", "unsubscribe", "complaint"};
  std::vector<history::ContactRecord> cs;
  std::vector<history::ResponseRecord> rs;
  std::set<std::tuple<uint64_t, int, int32_t>> seen;
  for (uint64_t id = 1; id <= N + 200; ++id) {
    if (id % 7 == 0) continue;  // members without history
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) {
      const int a = static_cast<int>(rng() % 6);
      const int32_t t = D - static_cast<int32_t>(rng() % 70) + 3;
      if (!seen.insert({id, a, t}).second) continue;
      const bool control = (id * 31 + static_cast<uint64_t>(a) * 7 + static_cast<uint64_t>(t)) % 10 == 0;
      cs.push_back(contact(id, t, acts[a].action, acts[a].channel, acts[a].type, acts[a].cost, control));
      if (rng() % 3 == 0)
        rs.push_back(response(id, acts[a].action, t, t + static_cast<int32_t>(rng() % 5), types[rng() % 5]));
    }
  }
  const history::History h = history::build_history(cs, rs);
  Population pop(N, D);
  Column id("customer_id", DataType::UInt64, N);
  std::vector<uint64_t> ids(N);
  for (std::size_t i = 0; i < N; ++i) ids[i] = i + 1;
  std::shuffle(ids.begin(), ids.end(), rng);
  std::copy(ids.begin(), ids.end(), id.mutable_values<uint64_t>());
  pop.add_column(std::move(id));
  pop.set_id_column(0);
  for (const char* name : {"email_opt_in", "sms_opt_in", "phone_opt_in"}) {
    Column col(name, DataType::Bool, N);
    for (std::size_t r = 0; r < N; ++r) col.mutable_values<uint8_t>()[r] = 1;
    pop.add_column(std::move(col));
  }
  policy::HistoryPolicy hp(c, pop, h, D);
  ASSERT_EQ(hp.aggregates().size(), aggregates);
  ASSERT_EQ(hp.fast_walk(), fast);
  const Population& hpop = hp.population();
  // Every value a batch hands on: inputs, and the aggregate columns' values and validity for its rows.
  auto snapshot = [&](const decide::MemberInputs& in, std::size_t begin, std::size_t count) {
    std::vector<double> v(in.basket_used.begin(), in.basket_used.end());
    for (int64_t x : in.cap_counts) v.push_back(static_cast<double>(x));
    for (uint64_t x : in.revoked)
      v.push_back(static_cast<double>(x >> 32)), v.push_back(static_cast<double>(x & 0xFFFFFFFF));
    for (std::size_t col = 4; col < hpop.columns().size(); ++col) {
      const Column& cl = hpop.column(col);
      for (std::size_t r = begin; r < begin + count; ++r) {
        v.push_back(cl.is_null(r)                    ? -1e300
                    : cl.type() == DataType::Float64 ? cl.values<double>()[r]
                                                     : static_cast<double>(cl.values<int64_t>()[r]));
      }
    }
    return v;
  };
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    std::unique_ptr<decide::PreparedInputs> prep;
    arena.execute([&] { prep = hp.prepare(); });
    ASSERT_NE(prep, nullptr);
    for (std::size_t begin = 0; begin < N; begin += expr::kBatchRows) {
      const std::size_t count = std::min(expr::kBatchRows, N - begin);
      decide::MemberInputs a, b;
      hp.fill(begin, count, a);
      const auto direct = snapshot(a, begin, count);
      hp.fill(begin, count, b, prep.get());
      const auto gathered = snapshot(b, begin, count);
      ASSERT_EQ(direct.size(), gathered.size());
      for (std::size_t i = 0; i < direct.size(); ++i)
        ASSERT_TRUE(direct[i] == gathered[i] || (std::isnan(direct[i]) && std::isnan(gathered[i])))
            << "threads " << threads << " batch " << begin << " value " << i << ": " << direct[i] << " vs "
            << gathered[i];
    }
  }
}


// kCampaign has every aggregate kind: prepare() uses the general walk.
TEST(PolicyHistory, PreparedSummaryEqualsDirectWalkOnRandomHistories) {
  expect_prepared_equals_direct(kCampaign, 8, false);
}

// Only windowed contacts() counts, caps and the basket (RS-2's shape): prepare() uses the fast walk
// (history_policy.h "Method"), which must give the general walk's records exactly: windows that end
// before as_of, channel and message-type filters, control contacts, costs of 2.5, unsubscribes.
TEST(PolicyHistory, FastWalkEqualsGeneralWalkOnRandomHistories) {
  std::string text = kCampaign;
  const std::string a_trigger =
      "contacts(last 30 days) >= 0 AND points(last 1 month) >= 0 AND points(last 30 days, channel IN ('sms', "
      "'email')) >= 0";
  text.replace(text.find(a_trigger), a_trigger.size(),
               "contacts(last 30 days) >= 0 AND contacts(days 3 to 20 ago, channel IN ('sms', 'email')) >= 0");
  const std::string b_trigger =
      "coalesce(days_since_contact(action = 'newsletter'), -1) >= 0 OR responses(last 30 days, type = 'open') > 0";
  text.replace(text.find(b_trigger), b_trigger.size(), "contacts(last 45 days, action = 'newsletter') >= 0");
  const std::string b_priority =
      "answered(last 30 days, within = 2) + answered(last 30 days, type = 'click', within = 2) + 1";
  text.replace(text.find(b_priority), b_priority.size(), "1");
  expect_prepared_equals_direct(text, 4, true);
}

}  // namespace
}  // namespace nudge
