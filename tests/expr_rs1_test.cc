// RS-1's ten triggers (../shared/WORKLOAD.md) compiled as one set over a
// generated population equal plain hand-written loops; and the `nudge select`
// command counts and lists the same members.
#include <gtest/gtest.h>

#include <sstream>

#include "engine/expr/program.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

const std::vector<expr::Source> kTriggers = {
    {"flights_prev_3m >= 4 AND flights_3m < 0.5 * flights_prev_3m AND tier IN ('Star', 'Nova')", "t0"},
    {"flights_prev_3m >= 2 AND flights_3m < 0.5 * flights_prev_3m", "t1"},
    {"points_to_next_tier > 0 AND points_to_next_tier <= 2000", "t2"},
    {"days_to_birthday <= 14", "t3"},
    {"days_since_last_flight > 180 AND clv > 5000", "t4"},
    {"days_since_last_flight > 120 AND days_since_last_flight <= 180", "t5"},
    {"points_balance > 10000 AND days_since_last_flight > 300", "t6"},
    {"complaints_12m >= 2", "t7"},
    {"opens_90d = 0 AND flights_12m >= 6", "t8"},
    {"tier = 'Star' AND distance_12m > 50000 AND salary > 90000", "t9"},
};

// The triggers written out by hand, row by row (float columns against float
// constants, a missing salary never above 90000).
bool by_hand(const Population& p, std::size_t t, std::size_t r) {
  auto i = [&](const char* c) { return p.column(c).values<int32_t>()[r]; };
  auto f = [&](const char* c) { return p.column(c).values<float>()[r]; };
  const int32_t tier = i("tier");  // 0 Star, 1 Nova, 2 Aurora
  switch (t) {
    case 0: return i("flights_prev_3m") >= 4 && i("flights_3m") < 0.5 * i("flights_prev_3m") && tier <= 1;
    case 1: return i("flights_prev_3m") >= 2 && i("flights_3m") < 0.5 * i("flights_prev_3m");
    case 2: return f("points_to_next_tier") > 0.0f && f("points_to_next_tier") <= 2000.0f;
    case 3: return i("days_to_birthday") <= 14;
    case 4: return i("days_since_last_flight") > 180 && f("clv") > 5000.0f;
    case 5: return i("days_since_last_flight") > 120 && i("days_since_last_flight") <= 180;
    case 6: return f("points_balance") > 10000.0f && i("days_since_last_flight") > 300;
    case 7: return i("complaints_12m") >= 2;
    case 8: return i("opens_90d") == 0 && i("flights_12m") >= 6;
    default:
      return tier == 0 && f("distance_12m") > 50000.0f && p.column("salary").is_valid(r) && f("salary") > 90000.0f;
  }
}

}  // namespace

TEST(ExprRs1, TenTriggersInOnePassEqualHandWrittenLoops) {
  const Population pop = generate_rs1(50'000, 7);
  auto set = expr::CompiledSet::compile(pop, kTriggers);
  EXPECT_TRUE(set.warnings().empty());
  auto bits = expr::select_all(pop, set);
  for (std::size_t t = 0; t < kTriggers.size(); ++t) {
    std::size_t fast = 0, hand = 0;
    for (std::size_t r = 0; r < pop.rows(); ++r) {
      bool b = (bits[t][r / 64] >> (r % 64)) & 1;
      ASSERT_EQ(b, by_hand(pop, t, r)) << kTriggers[t].text << " row " << r;
      fast += b;
      hand += by_hand(pop, t, r);
    }
    EXPECT_EQ(fast, hand);
    EXPECT_GT(hand, 0u) << kTriggers[t].text << " selects nobody: the check would be empty";
  }
}

TEST(ExprCli, SelectPrintsCountAndIdsOfMatchingMembers) {
  const Population pop = generate_rs1(3'000, 11);
  const auto dir = test::make_temp_dir("expr_select");
  const auto snap = dir / "pop.snap";
  write_snapshot(pop, snap);
  std::vector<uint64_t> want;
  for (std::size_t r = 0; r < pop.rows(); ++r)
    if (by_hand(pop, 3, r)) want.push_back(pop.column("customer_id").values<uint64_t>()[r]);
  ASSERT_GT(want.size(), 0u);

  std::string out;
  const std::string cmd = test::cli_path().string() + " select " + snap.string() + " \"days_to_birthday <= 14\"";
  ASSERT_EQ(test::run_command(cmd, &out), 0) << out;
  EXPECT_EQ(out, std::to_string(want.size()) + "\n");

  ASSERT_EQ(test::run_command(cmd + " --ids", &out), 0) << out;
  std::ostringstream expect;
  expect << want.size() << "\n";
  for (auto id : want) expect << id << "\n";
  EXPECT_EQ(out, expect.str());
}

TEST(ExprCli, SelectReportsABadExpressionWithCaretAndExitCode1) {
  const auto dir = test::make_temp_dir("expr_select_bad");
  const auto snap = dir / "pop.snap";
  write_snapshot(generate_rs1(100, 1), snap);
  std::string out;
  const std::string cmd = test::cli_path().string() + " select " + snap.string() + " \"flights_3mm > 2\" 2>&1";
  EXPECT_EQ(test::run_command(cmd, &out), 1);
  EXPECT_EQ(out,
            "nudge: error: EXPR:1:1: unknown column 'flights_3mm' (did you mean 'flights_3m'?)\n"
            "flights_3mm > 2\n"
            "^\n");
  const std::string warn = test::cli_path().string() + " select " + snap.string() + " \"tier = 'Gold'\" 2>&1";
  EXPECT_EQ(test::run_command(warn, &out), 0);
  EXPECT_EQ(out,
            "nudge: warning: EXPR:1:8: 'Gold' is not a value of category column tier (Star, Nova, Aurora); it never "
            "matches\n0\n");
}
