// Campaigns of one run_sweeps pass evaluating their common expressions once
// (engine/decide/shared_expressions.h): which expressions count as the same
// (expr::CompiledSet::same_predicate_as), the copied results
// (expr::Workspace::assign_results), and run_sweeps equal to run_sweep of
// each campaign alone, decision for decision, on 1 and 2 threads, with all,
// some and none of B's expressions shared, with and without a history
// (independent policies; B's policy sharing A's population).
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/shared_expressions.h"
#include "engine/decide/sweep.h"
#include "engine/expr/history_calls.h"
#include "engine/expr/program.h"
#include "engine/policy/history_policy.h"
#include "engine/report/diff.h"
#include "io/gen/rs1_generator.h"
#include "io/gen/rs2_generator.h"
#include "tests/support/rs_fixture.h"
#include "tests/support/sweep_compare.h"
#include "tests/support/test_paths.h"

namespace nudge {
namespace {

using decide::BoundCampaign;

decide::Campaign load(const char* name) { return decide::load_campaign(test::source_dir() / "data/campaigns" / name); }

// Populations of several batches and a part, also in the 64-row test build.
std::size_t members() { return 3 * expr::kBatchRows + 77 > 12'000 ? 3 * expr::kBatchRows + 77 : 12'003; }

// run_sweeps({a, b}) against run_sweep of each alone, on 1 and 2 threads;
// returns run_sweeps' results (of the last thread count).
std::vector<decide::SweepResult> expect_equal_to_alone(const BoundCampaign& a, const BoundCampaign& b,
                                                       decide::SweepOptions oa, decide::SweepOptions ob) {
  std::vector<decide::SweepResult> both;
  for (int threads : {1, 2}) {
    tbb::task_arena(threads).execute([&] {
      both = decide::run_sweeps({&a, &b}, {oa, ob});
      const std::string t = ", " + std::to_string(threads) + " threads";
      test::expect_same_sweep(both[0], decide::run_sweep(a, oa), "A" + t);
      test::expect_same_sweep(both[1], decide::run_sweep(b, ob), "B" + t);
    });
  }
  return both;
}

TEST(SharedExpressions, SameExpressionWhateverTheSpelling) {
  const Population pop = generate_rs1(300, 3);
  const auto set = expr::CompiledSet::compile(pop,
                                              {{"flights_3m < 2", "p0"},
                                               {"flights_3m<2", "p1"},
                                               {"2 > flights_3m", "p2"},
                                               {"flights_3m < 2 and tier = 'Star'", "p3"},
                                               {"(flights_3m < 2)  AND  tier = 'Star'", "p4"},
                                               {"flights_3m < 3", "p5"},
                                               {"tier = 'Star' AND flights_3m < 2", "p6"}},
                                              {{"clv * 0.01", "n0"}, {"clv*0.01", "n1"}, {"clv * 0.02", "n2"}});
  const std::vector<std::size_t> preds = {0, 0, 0, 3, 3, 5, 6}, nums = {0, 0, 2};
  for (std::size_t i = 0; i < preds.size(); ++i) EXPECT_EQ(set.same_predicate_as(i), preds[i]) << i;
  for (std::size_t i = 0; i < nums.size(); ++i) EXPECT_EQ(set.same_number_as(i), nums[i]) << i;
  EXPECT_THROW((void)set.same_predicate_as(7), std::out_of_range);

  // assign_results: another workspace reads predicates 5, 3 and number 2 as its 0, 1 and 0.
  expr::Workspace ws, copy;
  set.evaluate(pop, 0, pop.rows() < expr::kBatchRows ? pop.rows() : expr::kBatchRows, ws);
  copy.assign_results(ws, {5, 3}, {2});
  const std::size_t count = pop.rows() < expr::kBatchRows ? pop.rows() : expr::kBatchRows;
  uint64_t fired = 0;
  for (std::size_t r = 0; r < count; ++r) {
    const bool p5 = ws.predicate_bits(5)[r / 64] >> (r % 64) & 1, p3 = ws.predicate_bits(3)[r / 64] >> (r % 64) & 1;
    EXPECT_EQ(p5, set.reference_predicate(pop, 5, r) == 1) << r;
    EXPECT_EQ(copy.predicate_bits(0)[r / 64] >> (r % 64) & 1, p5) << r;
    EXPECT_EQ(copy.predicate_bits(1)[r / 64] >> (r % 64) & 1, p3) << r;
    EXPECT_EQ(copy.number_values(0)[r], ws.number_values(2)[r]) << r;
    EXPECT_EQ(copy.number_validity(0)[r / 64] >> (r % 64) & 1, ws.number_validity(2)[r / 64] >> (r % 64) & 1);
    fired += p5;
  }
  EXPECT_GT(fired, 0u);
  EXPECT_THROW(copy.assign_results(ws, {7}, {}), Error);
}

// The usual what-if: B = A with a bigger basket and other capacities, so
// every trigger and suppression condition is the same: all of B's are shared.
TEST(SharedExpressions, IdenticalTriggersAllSharedAndSweepsEqualAlone) {
  const Population pop = generate_rs1(members(), 11);
  auto ca = load("rs1.toml"), cb = load("rs1.toml");
  cb.basket.points_per_period = 30;
  for (auto& ch : cb.channels)
    if (ch.capacity) *ch.capacity = *ch.capacity / 100 + 7;  // binding at this population size
  const auto a = BoundCampaign::bind(ca, pop), b = BoundCampaign::bind(cb, pop);
  const std::size_t n = ca.actions.size() + ca.suppressions.size();
  ASSERT_EQ(n, 11u);  // RS-1: ten triggers and the calamity suppression
  decide::SweepOptions oa, ob;
  oa.top_k = SIZE_MAX;
  ob.trace_row = 5;
  const auto both = expect_equal_to_alone(a, b, oa, ob);
  EXPECT_EQ(both[0].expressions, n);
  EXPECT_EQ(both[0].expressions_shared, 0u);
  EXPECT_EQ(both[1].expressions, n);
  EXPECT_EQ(both[1].expressions_shared, n);
  EXPECT_NE(both[0].decisions, both[1].decisions);  // the campaigns do differ
  // run_sweep shares nothing; the diff reports B's count.
  EXPECT_EQ(decide::run_sweep(b, ob).expressions_shared, 0u);
  const auto d = report::diff_campaigns(a, b, {});
  EXPECT_EQ(d.b_expressions, n);
  EXPECT_EQ(d.b_expressions_shared, n);
}

// B: one trigger changed, one action added (its trigger A's birthday trigger
// spelt differently, its priority a new expression), A and B with the same
// priority expression on one action. Shared: all but the changed trigger and
// the new priority expression; results still equal each campaign alone.
TEST(SharedExpressions, ChangedTriggerNotSharedAddedActionSharedWhereEqual) {
  const Population pop = generate_rs1(members(), 12);
  auto ca = load("rs1.toml");
  ca.actions[4].priority_kind = decide::PriorityKind::Expression;
  ca.actions[4].priority_expression = {"clv * 0.01", "test"};
  ca.actions[4].priority_times_churn = true;
  auto cb = ca;
  ASSERT_EQ(cb.actions[2].trigger.text, "points_to_next_tier > 0 AND points_to_next_tier <= 2000");
  cb.actions[2].trigger.text = "points_to_next_tier > 0 AND points_to_next_tier <= 2600";
  cb.actions.push_back(cb.actions[3]);
  cb.actions.back().name = "birthday_again";
  cb.actions.back().trigger.text = "DAYS_TO_BIRTHDAY<=14";  // = action 3's "days_to_birthday <= 14"
  cb.actions.back().priority_kind = decide::PriorityKind::Expression;
  cb.actions.back().priority_expression = {"clv * 0.01 + 5", "test"};
  const auto a = BoundCampaign::bind(ca, pop), b = BoundCampaign::bind(cb, pop);
  decide::SweepOptions oa, ob;
  oa.trace_row = 100, ob.trace_row = 100;
  const auto both = expect_equal_to_alone(a, b, oa, ob);
  // B: 11 triggers + 1 suppression, 2 priority expressions; not shared: action 2's trigger, the new priority.
  EXPECT_EQ(both[1].expressions, 14u);
  EXPECT_EQ(both[1].expressions_shared, 12u);
  EXPECT_EQ(both[0].expressions, 12u);
  EXPECT_GT(both[1].funnel[2].fired, both[0].funnel[2].fired);  // the changed trigger fires more often
  EXPECT_EQ(both[1].funnel.back().fired, both[1].funnel[3].fired);
  EXPECT_GT(both[1].funnel.back().fired, 0u);
}

// Each campaign with its own history policy (as `nudge diff --history`): the
// populations differ, nothing is shared, and both sweeps equal their sweeps
// alone. Both bound to one policy's population and swept with that policy:
// shared, history aggregates (the calamity suppression) included.
TEST(SharedExpressions, WithHistoryOwnPoliciesShareNothingOnePolicySharesAll) {
  const int32_t D = rs2_as_of();
  const Rs2Data data = generate_rs2(members(), 13, D);
  const history::History h = test::history_of(data);
  auto ca = load("rs2.toml"), cb = load("rs2.toml");
  for (auto& c : {&ca, &cb})
    for (auto& ch : c->channels)
      if (ch.capacity) *ch.capacity = 60;
  cb.basket.points_per_period = 30;
  policy::HistoryPolicy ha(ca, data.population, h, D), hb(cb, data.population, h, D);
  {
    const auto a = BoundCampaign::bind(ca, ha.population()), b = BoundCampaign::bind(cb, hb.population());
    decide::SweepOptions oa, ob;
    oa.inputs = &ha, ob.inputs = &hb;
    ob.trace_row = 9;
    const auto both = expect_equal_to_alone(a, b, oa, ob);
    EXPECT_EQ(both[1].expressions, 11u);
    EXPECT_EQ(both[1].expressions_shared, 0u);
    uint64_t suppressed = 0;
    for (const auto& f : both[1].funnel) suppressed += f.suppression;
    EXPECT_GT(suppressed, 0u);  // the history's calamity contacts suppress someone
    // As the diff's mover traces: A, B, A, B traced at other rows. Each policy's
    // jobs share its expressions and its prepare() summary.
    std::vector<decide::SweepOptions> opts = {oa, ob, oa, ob};
    opts[0].trace_row = 3, opts[1].trace_row = 3, opts[2].trace_row = members() - 1, opts[3].trace_row = 70;
    const auto four = decide::run_sweeps({&a, &b, &a, &b}, opts);
    const std::vector<std::size_t> shared = {0, 0, 11, 11};
    for (std::size_t j = 0; j < 4; ++j) {
      EXPECT_EQ(four[j].expressions_shared, shared[j]) << j;
      test::expect_same_sweep(four[j], decide::run_sweep(j % 2 ? b : a, opts[j]), "job " + std::to_string(j));
    }
  }
  {
    const auto a = BoundCampaign::bind(ca, ha.population()), b = BoundCampaign::bind(cb, ha.population());
    decide::SweepOptions oa, ob;
    oa.inputs = &ha, ob.inputs = &ha;
    const auto both = expect_equal_to_alone(a, b, oa, ob);
    EXPECT_EQ(both[1].expressions_shared, 11u);
    EXPECT_NE(both[0].decisions, both[1].decisions);
    // Another history source for B: not shared.
    ob.inputs = &hb;
    const auto other = decide::run_sweeps({&a, &b}, {oa, ob});
    EXPECT_EQ(other[1].expressions_shared, 0u);
  }
}

// `nudge diff --history`: A's policy with B's aggregates among its columns, B's
// policy sharing A's population (history_policy.h "Two campaigns"). B = RS-2
// with a bigger basket and one more action whose trigger reads a history
// aggregate A does not use. Every expression of A's is shared (B's twelfth,
// the new trigger, is not); each sweep equals its campaign's sweep alone with
// its own independent policy, on 1 and 2 threads; the aggregate columns hold
// what the independent policies compute, B's extra one included.
TEST(SharedExpressions, WithHistorySharedPopulationSharesCommonExpressions) {
  const int32_t D = rs2_as_of();
  const Rs2Data data = generate_rs2(members(), 16, D);
  const history::History h = test::history_of(data);
  auto ca = load("rs2.toml");
  for (auto& ch : ca.channels)
    if (ch.capacity) *ch.capacity = 60;
  auto cb = ca;
  cb.basket.points_per_period = 30;
  ASSERT_EQ(cb.actions[1].name, "defection_email");
  cb.actions.push_back(cb.actions[1]);
  cb.actions.back().name = "email_regulars";
  cb.actions.back().trigger.text = "contacts(last 60 days, channel = 'email') >= 2 AND flights_3m < 3";
  policy::HistoryPolicy ha(ca, data.population, h, D, {&cb});
  policy::HistoryPolicy hb(cb, ha);
  ASSERT_EQ(&ha.population(), &hb.population());
  EXPECT_EQ(ha.columns_key(), hb.columns_key());
  ASSERT_EQ(ha.aggregates().size(), 2u);  // A's calamity count first, then B's e-mail count
  EXPECT_EQ(ha.aggregates()[0].key(), expr::collect_history_calls({ca.suppressions[0].when})[0].key());
  EXPECT_EQ(&ha.member_map(), &hb.member_map());
  // The independent policies of each campaign alone (as before issue 15's change).
  policy::HistoryPolicy ia(ca, data.population, h, D), ib(cb, data.population, h, D);
  EXPECT_NE(ia.columns_key(), ib.columns_key());
  const auto a = BoundCampaign::bind(ca, ha.population()), b = BoundCampaign::bind(cb, hb.population());
  const auto a_alone = BoundCampaign::bind(ca, ia.population()), b_alone = BoundCampaign::bind(cb, ib.population());
  decide::SweepOptions oa, ob, oia, oib;
  oa.inputs = &ha, ob.inputs = &hb, oia.inputs = &ia, oib.inputs = &ib;
  ob.trace_row = 9, oib.trace_row = 9;
  for (int threads : {1, 2}) {
    tbb::task_arena(threads).execute([&] {
      const auto both = decide::run_sweeps({&a, &b}, {oa, ob});
      const std::string t = ", " + std::to_string(threads) + " threads";
      test::expect_same_sweep(both[0], decide::run_sweep(a_alone, oia), "A" + t);
      test::expect_same_sweep(both[1], decide::run_sweep(b_alone, oib), "B" + t);
      // The sharing policies swept alone too (B's fill writes the union's columns itself).
      test::expect_same_sweep(decide::run_sweep(b, ob), decide::run_sweep(b_alone, oib), "B alone" + t);
      EXPECT_EQ(both[0].expressions, 11u);
      EXPECT_EQ(both[0].expressions_shared, 0u);
      EXPECT_EQ(both[1].expressions, 12u);
      EXPECT_EQ(both[1].expressions_shared, 11u);
      EXPECT_GT(both[1].funnel.back().fired, 0u) << t;  // the e-mail count lets the new action fire
      EXPECT_LT(both[1].funnel.back().fired, members()) << t;
      EXPECT_NE(both[0].decisions, both[1].decisions);
    });
  }
  // After the sweeps every row's aggregate columns hold the independent policies' values.
  const Population& pop = ha.population();
  const std::size_t calamity = *pop.find(expr::history_column_name(ha.aggregates()[0]));
  const std::size_t email = *pop.find(expr::history_column_name(ha.aggregates()[1]));
  const int64_t* own_email = ib.population().column(*ib.population().find(pop.column(email).name())).values<int64_t>();
  const int64_t* own_calamity =
      ia.population().column(*ia.population().find(pop.column(calamity).name())).values<int64_t>();
  std::size_t with_email = 0;
  for (std::size_t r = 0; r < pop.rows(); ++r) {
    ASSERT_EQ(pop.column(email).values<int64_t>()[r], own_email[r]) << r;
    ASSERT_EQ(pop.column(calamity).values<int64_t>()[r], own_calamity[r]) << r;
    with_email += own_email[r] >= 2;
  }
  EXPECT_GT(with_email, 0u);
  // The diff: the same comparison as with the independent policies, B's 11 of 12 shared.
  report::DiffOptions dopt, dind;
  dopt.movers = dind.movers = 2;
  dopt.a_sweep.inputs = &ha, dopt.b_sweep.inputs = &hb;
  dind.a_sweep.inputs = &ia, dind.b_sweep.inputs = &ib;
  const auto d = report::diff_campaigns(a, b, dopt), di = report::diff_campaigns(a_alone, b_alone, dind);
  EXPECT_EQ(d.b_expressions_shared, 11u);
  EXPECT_EQ(di.b_expressions_shared, 0u);
  EXPECT_EQ(report::format_diff(d), report::format_diff(di));
  // A policy without B's e-mail aggregate cannot be shared by B; with a sharing
  // policy, the plan groups A and B (one combined set, B copying).
  EXPECT_THROW(policy::HistoryPolicy(cb, ia), Error);
  const auto plan = decide::share_expressions({&a, &b}, {&ha, &hb});
  ASSERT_EQ(plan.combined.size(), 1u);
  EXPECT_EQ(plan.jobs[1].evaluate, nullptr);
  EXPECT_EQ(plan.jobs[1].shared, 11u);
  EXPECT_EQ(decide::share_expressions({&a, &b}, {&ha, &ia}).combined.size(), 0u);

  // At most 64 aggregates in the union: A with 40 more, B with 40 others (each fine alone).
  auto many = [](int from) {
    std::string t = "contacts(last " + std::to_string(from) + " days)";
    for (int d = from + 1; d < from + 40; ++d) t += " + contacts(last " + std::to_string(d) + " days)";
    return t + " > 1000";
  };
  auto ma = ca, mb = cb;
  mb.name = "RS-2 bigger";
  ma.suppressions[0].when.text = many(1), mb.suppressions[0].when.text = many(41);
  EXPECT_NO_THROW(policy::HistoryPolicy(ma, data.population, h, D, {&ma}));
  EXPECT_NO_THROW(policy::HistoryPolicy(mb, data.population, h, D));
  try {
    policy::HistoryPolicy(ma, data.population, h, D, {&mb});
    ADD_FAILURE() << "80 aggregates accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("campaigns RS-2 and RS-2 bigger use 81 distinct history aggregates"),
              std::string::npos)
        << e.what();
  }
}

// A and B traced at several rows in one pass (six sweeps of two campaigns):
// every sweep equal to its sweep alone, trace included.
TEST(SharedExpressions, TracedSweepsInOnePassEqualAlone) {
  const Population pop = generate_rs1(members(), 15);
  auto ca = load("rs1.toml"), cb = load("rs1.toml");
  cb.basket.points_per_period = 30;
  const auto a = BoundCampaign::bind(ca, pop), b = BoundCampaign::bind(cb, pop);
  std::vector<decide::SweepOptions> opts(6);
  const std::vector<std::size_t> rows = {0, 1, 64, 65, members() - 1, 2000};
  for (std::size_t j = 0; j < 6; ++j) opts[j].top_k = SIZE_MAX, opts[j].trace_row = rows[j];
  for (int threads : {1, 2}) {
    tbb::task_arena(threads).execute([&] {
      const auto all = decide::run_sweeps({&a, &b, &a, &b, &a, &b}, opts);
      for (std::size_t j = 0; j < 6; ++j) {
        EXPECT_EQ(all[j].expressions_shared, j == 0 ? 0u : 11u) << j;
        ASSERT_TRUE(all[j].trace.has_value());
        EXPECT_EQ(all[j].trace->row, rows[j]);
        test::expect_same_sweep(all[j], decide::run_sweep(j % 2 ? b : a, opts[j]), "job " + std::to_string(j));
      }
    });
  }
}

// The plan itself: three campaigns, the third on another population object.
TEST(SharedExpressions, GroupsByPopulationAndHistorySource) {
  const Population pop = generate_rs1(500, 14), other = generate_rs1(500, 14);
  const auto c = load("rs1.toml");
  const auto a = BoundCampaign::bind(c, pop), b = BoundCampaign::bind(c, pop), x = BoundCampaign::bind(c, other);
  const auto s = decide::share_expressions({&a, &x, &b}, {nullptr, nullptr, nullptr});
  ASSERT_EQ(s.jobs.size(), 3u);
  ASSERT_EQ(s.combined.size(), 1u);
  EXPECT_EQ(s.jobs[0].evaluate, s.combined[0].get());
  EXPECT_EQ(s.jobs[1].evaluate, &x.expressions());
  EXPECT_EQ(s.jobs[2].evaluate, nullptr);
  EXPECT_EQ(s.jobs[2].leader, 0u);
  EXPECT_EQ(s.jobs[2].shared, 11u);
  EXPECT_EQ(s.jobs[0].shared + s.jobs[1].shared, 0u);
  ASSERT_EQ(s.jobs[2].predicates.size(), 11u);
  EXPECT_EQ(s.jobs[2].predicates[0], 11u);  // after the leader's 11
}

}  // namespace
}  // namespace nudge
