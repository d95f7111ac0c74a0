// The sweep (engine/decide/sweep.h) against the plain reference
// (tests/oracles/decide_reference.h) on generated RS-1 populations: exact equality of
// every ranked decision and every funnel counter, for 1 and 2 threads, every
// instruction set, and adversarial mixes (everyone / nobody triggered, zero
// budget, capacity ties, NULLs in trigger, consent and basket columns, sizes
// that are not whole batches).
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <map>
#include <random>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "io/gen/rs1_generator.h"
#include "tests/oracles/decide_reference.h"
#include "tests/support/campaign_files.h"
#include "tests/support/funnel_compare.h"
#include "tests/support/test_isas.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

using test::campaign_from;
using test::campaign_text;
using test::replace;

SweepResult sweep(const BoundCampaign& b, int threads, SweepOptions opt = {}) {
  tbb::task_arena arena(threads);
  SweepResult r;
  arena.execute([&] { r = run_sweep(b, opt); });
  return r;
}

// Runs the sweep with 1 and 2 threads and compares both with the reference.
void expect_matches_reference(const Campaign& c, const Population& pop, std::optional<std::size_t> top_k = {},
                              std::vector<int> threads = {1, 2}) {
  BoundCampaign b = BoundCampaign::bind(c, pop);
  std::optional<std::size_t> k = top_k ? top_k : c.top_k;
  test::RefResult ref = test::reference_sweep(c, pop, b.model(), k);
  for (int t : threads) {
    SCOPED_TRACE("threads " + std::to_string(t));
    SweepOptions opt;
    opt.top_k = top_k;
    SweepResult r = sweep(b, t, opt);
    EXPECT_EQ(r.members, pop.rows());
    EXPECT_EQ(r.members_with_candidates, ref.members_with_candidates);
    ASSERT_EQ(r.ranked.size(), ref.ranked.size());
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const Decision& d = r.ranked[i];
      const test::RefDecision& e = ref.ranked[i];
      ASSERT_TRUE(d.customer_id == e.customer_id && d.action == e.action && d.priority == e.priority &&
                  d.budget_left == e.budget_left && d.row == e.row && bool(d.control) == e.control &&
                  (d.churn == e.churn || (std::isnan(d.churn) && std::isnan(e.churn))))
          << "rank " << i + 1 << ": sweep (" << d.customer_id << ", " << c.actions[d.action].name << ", " << d.priority
          << ", " << d.budget_left << ") reference (" << e.customer_id << ", " << c.actions[e.action].name << ", "
          << e.priority << ", " << e.budget_left << ")";
    }
    uint64_t kept = 0;
    for (std::size_t a = 0; a < c.actions.size(); ++a) {
      SCOPED_TRACE(c.actions[a].name);
      const ActionFunnel& f = r.funnel[a];
      const test::RefFunnel& g = ref.funnel[a];
      test::expect_same_gates(f, g);
      EXPECT_EQ(f.fired, f.consent + f.suppression + f.frequency_cap + f.priority + f.budget + f.member_max +
                             f.capacity + f.kept);
      kept += f.kept;
    }
    EXPECT_EQ(r.decisions, kept);
  }
}

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kLarge = 200'000;  // sanitizer build with tiny batches: keep the run short
#else
constexpr std::size_t kLarge = 1'000'000;
#endif

}  // namespace

TEST(Sweep, Rs1EqualsReferenceOnSeveralSeeds) {
  Campaign c = campaign_from(campaign_text("rs1.toml"));
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Population pop = generate_rs1(100'000, seed);
    expect_matches_reference(c, pop);
  }
}

TEST(Sweep, Rs1EqualsReferenceOnAMillionMembers) {
  Campaign c = campaign_from(campaign_text("rs1.toml"));
  Population pop = generate_rs1(kLarge, 42);
  // K smaller than the number of decisions, so the cut itself is compared too.
  expect_matches_reference(c, pop, 20'000);
}

TEST(Sweep, Rs1IsTheSameForEveryInstructionSet) {
  Campaign c = campaign_from(campaign_text("rs1.toml"));
  Population pop = generate_rs1(50'000, 9);
  for (auto isa : test::test_isas()) {
    SCOPED_TRACE(std::string(simd::isa_name(isa)));
    simd::ScopedIsa scoped(isa);
    expect_matches_reference(c, pop, std::nullopt, {2});
  }
}

// Holdouts (sweep.h): global, campaign and action levels; the call capacity is
// exceeded, so control decisions on it meet the treated cut.
TEST(Sweep, HoldoutsEqualReferenceAndLeaveTheWalkAsIfContacted) {
  const std::string holdout = "\n[holdout]\nglobal = 0.02\ncampaign = 0.05\n";
  const std::string everyone = replace(campaign_text("rs1.toml"), "trigger = \".*\"", "trigger = \"flights_3m >= 0\"");
  auto with_action_holdouts = [](std::string t) {
    t = replace(t, "name = \"defection_call\"", "name = \"defection_call\"\nholdout = 0.1");
    return replace(t, "name = \"birthday\"", "name = \"birthday\"\nholdout = 0.5");
  };
  const std::string text = with_action_holdouts(everyone);
  Campaign c = campaign_from(text + holdout);
  Population pop = generate_rs1(60'000, 11);
  expect_matches_reference(c, pop, 20'000);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepResult r = sweep(b, 2);
  EXPECT_GT(r.funnel[0].control, 0u);
  EXPECT_GT(r.funnel[0].capacity, 0u);
  EXPECT_EQ(r.funnel[0].kept - r.funnel[0].control + r.funnel[7].kept - r.funnel[7].control, 5000u);
  // Birthday: held out by any level: 1 - 0.98 * 0.95 * 0.5, within 5 sigma.
  const double kept = static_cast<double>(r.funnel[3].kept), p = 1 - 0.98 * 0.95 * 0.5;
  EXPECT_NEAR(static_cast<double>(r.funnel[3].control) / kept, p, 5 * std::sqrt(p * (1 - p) / kept));

  // Without a capacity, holdouts change nothing but the control flags.
  const std::string free_text = replace(everyone, "capacity = 5000", "");
  Campaign with = campaign_from(with_action_holdouts(free_text) + holdout), without = campaign_from(free_text);
  SweepOptions all;
  all.top_k = SIZE_MAX;
  BoundCampaign bw = BoundCampaign::bind(with, pop), bo = BoundCampaign::bind(without, pop);
  SweepResult rw = sweep(bw, 2, all), ro = sweep(bo, 2, all);
  ASSERT_EQ(rw.ranked.size(), ro.ranked.size());
  std::size_t controls = 0;
  for (std::size_t i = 0; i < rw.ranked.size(); ++i) {
    ASSERT_EQ(rw.ranked[i].customer_id, ro.ranked[i].customer_id);
    ASSERT_EQ(rw.ranked[i].action, ro.ranked[i].action);
    ASSERT_EQ(rw.ranked[i].budget_left, ro.ranked[i].budget_left);
    EXPECT_EQ(ro.ranked[i].control, 0);
    controls += rw.ranked[i].control;
  }
  EXPECT_GT(controls, 0u);
}

TEST(Sweep, HoldoutShareOutsideZeroOneIsRefused) {
  EXPECT_THROW(campaign_from(campaign_text("rs1.toml") + "\n[holdout]\nglobal = 1.5\n"), Error);
  std::string unnamed = replace(campaign_text("rs1.toml"), "name = \"RS-1\"", "");
  EXPECT_THROW(campaign_from(unnamed + "\n[holdout]\ncampaign = 0.1\n"), Error);
  EXPECT_NO_THROW(campaign_from(unnamed + "\n[holdout]\nglobal = 0.1\n"));
}

TEST(Sweep, EveryoneTriggeredHitsBudgetMaxAndCallCapacity) {
  Campaign c = campaign_from(replace(campaign_text("rs1.toml"), "trigger = \".*\"", "trigger = \"flights_3m >= 0\""));
  Population pop = generate_rs1(100'000, 5);
  expect_matches_reference(c, pop, 30'000);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepResult r = sweep(b, 2);
  EXPECT_EQ(r.funnel[0].fired, 100'000u);
  EXPECT_EQ(r.funnel[0].kept + r.funnel[7].kept, 5000u);  // both call actions share the capacity
  EXPECT_GT(r.funnel[0].capacity, 0u);
  EXPECT_GT(r.funnel[3].member_max, 0u);
}

TEST(Sweep, NobodyTriggeredDecidesNothing) {
  Campaign c = campaign_from(replace(campaign_text("rs1.toml"), "trigger = \".*\"", "trigger = \"flights_3m < 0\""));
  Population pop = generate_rs1(70'001, 6);
  expect_matches_reference(c, pop);
  SweepResult r = sweep(BoundCampaign::bind(c, pop), 2);
  EXPECT_TRUE(r.ranked.empty());
  EXPECT_EQ(r.members_with_candidates, 0u);
}

TEST(Sweep, ZeroBudgetMembersGetNothing) {
  Campaign c = campaign_from(campaign_text("rs1.toml"));
  Population pop = generate_rs1(100'000, 7);
  auto& used = pop.mutable_column(*pop.find("pressure_used"));
  float* u = used.mutable_values<float>();
  for (std::size_t i = 0; i < pop.rows(); i += 2) u[i] = i % 3 ? 25.0f : 31.5f;  // half the members: basket spent
  expect_matches_reference(c, pop);
  SweepResult r = sweep(BoundCampaign::bind(c, pop), 2);
  for (const Decision& d : r.ranked) EXPECT_NE(d.row % 2, 0u) << d.row;
}

TEST(Sweep, CapacityTiesAreBrokenByCustomerIdThenActionOrder) {
  // No churn factor: priorities are the ten constants weight*value, so nearly every decision ties.
  std::string t =
      replace(campaign_text("rs1.toml"), "priority = \"weight \\* value \\* churn\"", "priority = \"weight * value\"");
  t = replace(t, "capacity = 5000", "capacity = 700");
  Campaign c = campaign_from(t);
  Population pop = generate_rs1(100'000, 8);
  expect_matches_reference(c, pop, 4000);
}

namespace {

void set_nulls(Population& pop, std::initializer_list<const char*> names, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (const char* name : names) {
    Column& col = pop.mutable_column(*pop.find(name));
    for (std::size_t i = 0; i < pop.rows(); ++i)
      if (rng() % 10 == 0) col.set_null(i);
  }
}

}  // namespace

TEST(Sweep, NullsInTriggerConsentAndBasketColumns) {
  // The churn model refuses NULLs in the columns it reads (data/models/README.md), so
  // with the model: NULLs everywhere else (triggers, consent, basket, suppression).
  Campaign c = campaign_from(campaign_text("rs1.toml"));
  Population pop = generate_rs1(100'000, 11);
  set_nulls(pop,
            {"clv", "distance_12m", "points_to_next_tier", "points_balance", "days_to_birthday", "opens_90d",
             "flights_12m", "email_opt_in", "phone_opt_in", "pressure_used", "days_since_calamity"},
            3);
  expect_matches_reference(c, pop);
}

TEST(Sweep, NullsInEveryTriggerColumnWithoutAModel) {
  std::string t =
      replace(campaign_text("rs1.toml"), "priority = \"weight \\* value \\* churn\"", "priority = \"weight * value\"");
  t = replace(t, "model = .*\n", "");
  Campaign c = campaign_from(t);
  ASSERT_FALSE(c.model_path);
  Population pop = generate_rs1(100'000, 12);
  set_nulls(pop,
            {"flights_3m", "flights_prev_3m", "days_since_last_flight", "tier", "complaints_12m", "clv", "sms_opt_in",
             "mail_opt_in"},
            4);
  expect_matches_reference(c, pop, 50'000);
  SweepResult r = sweep(BoundCampaign::bind(c, pop), 2);
  ASSERT_FALSE(r.ranked.empty());
  EXPECT_TRUE(std::isnan(r.ranked[0].churn));
}

TEST(Sweep, ExampleCampaignWithCapsSuppressionsExclusiveAndExpressionPriorities) {
  Campaign c = campaign_from(campaign_text("example.toml"));
  for (uint64_t seed : {1u, 2u}) {
    Population pop = generate_rs1(100'000, seed);
    // Some NULL contact counts (unknown history = capped) and calamity days of 0.
    Column& cc = pop.mutable_column(*pop.find("contacts_30d"));
    for (std::size_t i = 0; i < pop.rows(); i += 37) cc.set_null(i);
    int32_t* cal = pop.mutable_column(*pop.find("days_since_calamity")).mutable_values<int32_t>();
    for (std::size_t i = 5; i < pop.rows(); i += 53) cal[i] = 0;
    expect_matches_reference(c, pop, 10'000);
    SweepResult r = sweep(BoundCampaign::bind(c, pop), 2);
    EXPECT_GT(r.funnel[0].kept, 0u);  // disruption notices go out
    uint64_t suppressed = 0, capped = 0;
    for (auto& f : r.funnel) suppressed += f.suppression, capped += f.frequency_cap;
    EXPECT_GT(suppressed, 0u);
    EXPECT_GT(capped, 0u);
  }
}

// Exclusive candidates suppress the member's non-exclusive ones but not each other
// (data/campaigns/README.md, step 5): a disruption notice by e-mail and by SMS both go out.
TEST(Sweep, ExclusiveCandidatesSuppressOthersButNotEachOther) {
  std::string t = campaign_text("example.toml");
  const std::string type = "calamity = { exclusive = true }";
  ASSERT_NE(t.find(type), std::string::npos);
  t.replace(t.find(type), type.size(), "calamity = { cost = 4, exclusive = true }");  // both fit a basket of 25
  const std::string quiet = "when = \"days_since_calamity < 7\"";  // off: only the exclusive rule stops the others
  ASSERT_NE(t.find(quiet), std::string::npos);
  t.replace(t.find(quiet), quiet.size(), "when = \"days_since_calamity < 0\"");
  const std::string notice = "[[action]]\nname = \"disruption_notice\"";
  ASSERT_NE(t.find(notice), std::string::npos);
  t.insert(t.find(notice),
           "[[action]]\nname = \"disruption_sms\"\ntrigger = \"days_since_calamity = 0\"\nmessage_type = "
           "\"calamity\"\nchannel = \"sms\"\nvalue = 900\npriority = \"weight * value\"\n\n");
  Campaign c = campaign_from(t);
  Population pop = generate_rs1(50'000, 3);
  int32_t* cal = pop.mutable_column(*pop.find("days_since_calamity")).mutable_values<int32_t>();
  for (std::size_t i = 0; i < pop.rows(); i += 11) cal[i] = 0;
  expect_matches_reference(c, pop, 50'000);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepResult r = sweep(b, 2);
  std::map<uint32_t, std::vector<std::string>> by_row;
  for (const Decision& d : r.ranked) by_row[d.row].push_back(c.actions[d.action].name);
  std::size_t both = 0;
  for (const auto& [row, names] : by_row) {
    const bool notice_sent =
        std::count(names.begin(), names.end(), "disruption_notice") + std::count(names.begin(), names.end(), "disruption_sms");
    if (!notice_sent) continue;
    ASSERT_EQ(cal[row], 0) << "row " << row;  // only the members with a calamity today
    for (const std::string& n : names)  // nothing else beside a calamity message
      EXPECT_TRUE(n == "disruption_notice" || n == "disruption_sms") << "row " << row << ": " << n;
    both += names.size() == 2;
  }
  EXPECT_GT(both, 100u);  // e-mail and SMS together where consent and budget allow
}

TEST(Sweep, SizesThatAreNotWholeBatches) {
  Campaign c = campaign_from(replace(campaign_text("rs1.toml"), "trigger = \"days_to_birthday <= 14\"",
                                     "trigger = \"days_to_birthday <= 200\""));
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{65}, expr::kBatchRows + 3,
                        3 * expr::kBatchRows - 1}) {
    SCOPED_TRACE("members " + std::to_string(n));
    Population pop = generate_rs1(n, 13);
    expect_matches_reference(c, pop);
  }
}
