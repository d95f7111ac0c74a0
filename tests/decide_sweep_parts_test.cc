// Sweeping in parts (engine/decide/sweep_parts.h): the parts of a population,
// each swept alone and merged, equal one sweep of the whole, decision for
// decision and counter for counter, with channel capacity and the top-K both
// binding, for uneven splits (empty parts, parts smaller than a batch), 1 and
// 2 threads, and duplicate customer ids across parts (the row tie-break).
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <cstring>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/decide/sweep_parts.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/funnel_compare.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

// Rows [begin, end) of pop as a population of its own (values and NULLs copied).
Population slice(const Population& pop, std::size_t begin, std::size_t end) {
  Population out(end - begin, pop.as_of());
  for (const Column& c : pop.columns()) {
    Column s(c.name(), c.type(), end - begin);
    const std::size_t w = type_width(c.type());
    if (end > begin) std::memcpy(s.mutable_values<std::byte>(), c.values<std::byte>() + begin * w, (end - begin) * w);
    for (std::size_t r = begin; r < end; ++r)
      if (c.is_null(r)) s.set_null(r - begin);
    s.set_dictionary(c.dictionary());
    out.add_column(std::move(s));
  }
  return out;
}

Campaign small_rs1() {
  Campaign c = load_campaign(test::source_dir() / "data/campaigns/rs1.toml");
  c.top_k = 700;  // both global steps bind on 30,000 members
  for (auto& ch : c.channels)
    if (ch.capacity) ch.capacity = 90;
  return c;
}

void expect_same(const SweepResult& a, const SweepResult& b) {
  ASSERT_EQ(a.ranked.size(), b.ranked.size());
  for (std::size_t i = 0; i < a.ranked.size(); ++i) {
    const Decision &x = a.ranked[i], &y = b.ranked[i];
    ASSERT_EQ(x.customer_id, y.customer_id) << "rank " << i + 1;
    ASSERT_EQ(x.action, y.action) << "rank " << i + 1;
    ASSERT_EQ(x.priority, y.priority) << "rank " << i + 1;
    ASSERT_EQ(x.budget_left, y.budget_left) << "rank " << i + 1;
    ASSERT_EQ(x.row, y.row) << "rank " << i + 1;
  }
  EXPECT_EQ(a.decisions, b.decisions);
  EXPECT_EQ(a.members, b.members);
  EXPECT_EQ(a.members_with_candidates, b.members_with_candidates);
  ASSERT_EQ(a.funnel.size(), b.funnel.size());
  for (std::size_t k = 0; k < a.funnel.size(); ++k) {
    const ActionFunnel &f = a.funnel[k], &g = b.funnel[k];
    test::expect_same_gates(f, g);
    EXPECT_EQ(f.in_top_k, g.in_top_k);
  }
}

SweepResult merged(const Campaign& c, const Population& whole, const std::vector<std::size_t>& cuts, int threads,
                   const SweepPartOptions& po = {}) {
  std::vector<SweepPart> parts;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    Population p = slice(whole, cuts[i], cuts[i + 1]);
    auto bound = BoundCampaign::bind(c, p);
    tbb::task_arena arena(threads);
    parts.push_back(arena.execute([&] { return run_sweep_part(bound, {}, po); }));
    const std::size_t limit = *c.top_k + 90;
    EXPECT_LE(parts.back().decisions.size(), limit) << "a part sends at most K + sum(C) decisions";
  }
  return merge_sweep_parts(c, parts, std::nullopt);
}

}  // namespace

TEST(SweepParts, MergedPartsEqualOneSweep) {
  const Campaign c = small_rs1();
  const Population pop = generate_rs1(30'000, 9);
  auto bound = BoundCampaign::bind(c, pop);
  const SweepResult whole = run_sweep(bound, {});
  ASSERT_GT(whole.decisions, *c.top_k);
  uint64_t dropped = 0;
  for (const auto& f : whole.funnel) dropped += f.capacity;
  ASSERT_GT(dropped, 0u) << "the call capacity must bind";
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    expect_same(merged(c, pop, {0, 30'000}, threads), whole);
    expect_same(merged(c, pop, {0, 10, 10, 4'097, 17'000, 29'999, 30'000}, threads), whole);
    expect_same(merged(c, pop, {0, 3'750, 7'500, 11'250, 15'000, 18'750, 22'500, 26'250, 30'000}, threads), whole);
  }
}

TEST(SweepParts, DuplicateIdsAcrossPartsBreakTiesByRow) {
  const Campaign c = small_rs1();
  const Population half = generate_rs1(5'000, 4);
  // The same members twice: every decision has a twin with equal priority and id.
  Population twice(10'000, half.as_of());
  for (const Column& col : half.columns()) {
    Column s(col.name(), col.type(), 10'000);
    const std::size_t w = type_width(col.type());
    std::memcpy(s.mutable_values<std::byte>(), col.values<std::byte>(), 5'000 * w);
    std::memcpy(s.mutable_values<std::byte>() + 5'000 * w, col.values<std::byte>(), 5'000 * w);
    for (std::size_t r = 0; r < 5'000; ++r)
      if (col.is_null(r)) s.set_null(r), s.set_null(r + 5'000);
    s.set_dictionary(col.dictionary());
    twice.add_column(std::move(s));
  }
  auto bound = BoundCampaign::bind(c, twice);
  expect_same(merged(c, twice, {0, 5'000, 10'000}, 2), run_sweep(bound, {}));
}

TEST(SweepParts, BadPartsAreRefused) {
  const Campaign c = small_rs1();
  SweepPart p;
  p.members = 1;
  EXPECT_THROW(merge_sweep_parts(c, {p}, std::nullopt), Error);  // no funnel
  p.funnel.resize(c.actions.size());
  EXPECT_NO_THROW(merge_sweep_parts(c, {p}, std::nullopt));
  p.decisions.push_back({1.0, 1, 0, 0, 5, 0, 0});  // row 5 of a 1-member part
  EXPECT_THROW(merge_sweep_parts(c, {p}, std::nullopt), Error);
  p.decisions.clear();
  Campaign shared = c;
  for (auto& ch : shared.channels)
    if (ch.capacity) ch.capacity.reset(), ch.capacity_share = 0.5;
  p.capacity_members = 2;  // its capacity shares were taken of another population
  try {
    merge_sweep_parts(shared, {p}, std::nullopt);
    ADD_FAILURE() << "a part with capacities for another population size was merged";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("part 0 computed its capacities for 2 members; the parts hold 1"),
              std::string::npos)
        << e.what();
  }
}

// A capacity_share is a share of the whole population: each part must know
// its size, and then the merge equals one sweep.
TEST(SweepParts, CapacitySharesAreOfTheWholePopulation) {
  Campaign c = small_rs1();
  for (auto& ch : c.channels)
    if (ch.capacity) ch.capacity.reset(), ch.capacity_share = 0.003;  // 90 of 30,000
  const Population pop = generate_rs1(30'000, 9);
  auto bound = BoundCampaign::bind(c, pop);
  const SweepResult whole = run_sweep(bound, {});
  uint64_t dropped = 0;
  for (const auto& f : whole.funnel) dropped += f.capacity;
  ASSERT_GT(dropped, 0u) << "the call capacity must bind";
  SweepPartOptions po;
  po.population_members = 30'000;
  expect_same(merged(c, pop, {0, 10'000, 20'000, 30'000}, 2, po), whole);
  const Population part = slice(pop, 0, 10'000);
  auto pb = BoundCampaign::bind(c, part);
  try {
    run_sweep_part(pb, {});
    ADD_FAILURE() << "a part of a campaign with a capacity share swept without the population's size";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("has a capacity_share of the population"), std::string::npos) << e.what();
  }
}

TEST(SweepParts, OptimiseModeIsNotSplit) {
  Campaign c = load_campaign(test::source_dir() / "data/campaigns/rs1_opt.toml");
  const Population pop = generate_rs1(1'000, 3);
  auto bound = BoundCampaign::bind(c, pop);
  try {
    run_sweep_part(bound, {});
    ADD_FAILURE() << "an optimise-mode campaign was swept in parts";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("whose prices are global"), std::string::npos) << e.what();
  }
}
