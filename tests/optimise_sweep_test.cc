// The population optimiser (engine/optimise) on generated RS-1/OPT
// populations: the optimised walk at fixed prices against the row-by-row
// reference (tests/oracles/optimise_reference.h), the same answer for 1 and 2
// threads and every instruction set, feasibility of every member and global
// constraint, the greedy baseline against the greedy sweep, volumes and a
// money budget, and the campaign-file errors.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>
#include <map>
#include <regex>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/optimise/optimise.h"
#include "io/gen/rs1_generator.h"
#include "tests/oracles/optimise_reference.h"
#include "tests/support/campaign_files.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;
using nudge::optimise::ArbitratedSweep;
using nudge::optimise::OptimiseOptions;

namespace {

using test::campaign_from;
using test::campaign_text;
using test::replace;

ArbitratedSweep run(const BoundCampaign& b, int threads, OptimiseOptions opt = {}, SweepOptions so = {}) {
  tbb::task_arena arena(threads);
  ArbitratedSweep r;
  arena.execute([&] { r = optimise::run_arbitrated_sweep(b, so, opt); });
  return r;
}

// Every member's rules and every global constraint hold in the output (all decisions).
void expect_feasible(const Campaign& c, const Population& pop, const ArbitratedSweep& r) {
  std::map<uint64_t, std::vector<const Decision*>> by_member;
  for (const auto& d : r.sweep.ranked) by_member[d.customer_id].push_back(&d);
  const auto* used = &pop.column(c.basket.used.name);
  std::vector<uint64_t> per_channel(c.channels.size(), 0), per_action(c.actions.size(), 0);
  double money = 0;
  for (auto& [id, ds] : by_member) {
    EXPECT_LE(ds.size(), c.max_decisions_per_member);
    double cost = 0;
    for (auto* d : ds) {
      cost += c.cost(c.actions[d->action]);
      ++per_channel[c.actions[d->action].channel];
      ++per_action[d->action];
      money += c.actions[d->action].money_cost;
    }
    auto u = test::ref_number(*used, ds[0]->row);
    ASSERT_TRUE(u.has_value());
    EXPECT_GT(c.basket.points_per_period - *u, 0);
    EXPECT_LE(cost, c.basket.points_per_period - *u) << "member " << id;
  }
  for (std::size_t ch = 0; ch < c.channels.size(); ++ch)
    if (auto cap = capacity_for(c.channels[ch], pop.rows())) EXPECT_LE(per_channel[ch], *cap) << c.channels[ch].name;
  for (std::size_t a = 0; a < c.actions.size(); ++a)
    if (c.actions[a].max_volume) EXPECT_LE(per_action[a], *c.actions[a].max_volume) << c.actions[a].name;
  if (c.arbitration.money_budget) EXPECT_LE(money, *c.arbitration.money_budget * (1 + 1e-12));
  ASSERT_TRUE(r.optimise);
  EXPECT_LE(r.optimise->objective, r.optimise->dual_bound * (1 + 1e-12));
  double total = 0;
  for (const auto& d : r.sweep.ranked) total += d.priority;
  EXPECT_NEAR(total, r.optimise->objective, 1e-9 * std::abs(total));
}

// The optimiser's decisions at fixed prices equal the reference's best set of every member.
void expect_matches_reference_at(const Campaign& c, const Population& pop, const std::vector<double>& prices) {
  BoundCampaign b = BoundCampaign::bind(c, pop);
  OptimiseOptions opt;
  opt.fixed_prices = prices;
  ArbitratedSweep r = run(b, 2, opt);
  std::map<uint64_t, std::vector<std::size_t>> got;
  for (const auto& d : r.sweep.ranked) got[d.customer_id].push_back(d.action);
  const auto charge = test::reference_charges(c, pop.rows(), prices);
  std::size_t compared = 0, unique = 0;
  for (const auto& m : test::reference_candidates(c, pop, b.model())) {
    const test::RefChoice best = test::reference_best(c, m, charge);
    auto g = got[m.customer_id];
    std::sort(g.begin(), g.end());
    // The value of the optimiser's set, by the reference's charges.
    double v = 0;
    for (auto a : g) {
      auto it = std::find_if(m.cands.begin(), m.cands.end(), [&](auto& x) { return x.action == a; });
      ASSERT_NE(it, m.cands.end()) << "member " << m.customer_id << " action " << a << " is not a candidate";
      v += it->priority - charge[a];
    }
    EXPECT_NEAR(v, best.value, 1e-9 * std::max(1.0, std::abs(best.value)))
        << "member " << m.customer_id << " budget " << m.budget << " candidates " << m.cands.size() << " caps "
        << (m.cap_left.empty() ? -1.0 : m.cap_left[0]);
    if (best.value - best.runner_up > 1e-9 * std::max(1.0, std::abs(best.value))) {
      EXPECT_EQ(g, best.actions) << "member " << m.customer_id;
      ++unique;
    }
    got.erase(m.customer_id);
    ++compared;
  }
  for (auto& [id, acts] : got) EXPECT_TRUE(acts.empty()) << "decisions for member " << id << " without candidates";
  EXPECT_GT(compared, 1000u);
  EXPECT_GT(unique, compared / 2);
}

}  // namespace

TEST(Optimise, OptimisedWalkAtFixedPricesEqualsRowByRowReference) {
  Campaign c = campaign_from(campaign_text("rs1_opt.toml"));
  Population pop = generate_rs1(20'000, 3);
  // Upper constraints: capacity call, email, sms (channel order: TOML keys sorted).
  expect_matches_reference_at(c, pop, {13.37, 71.3, 97.1});
  expect_matches_reference_at(c, pop, {0, 0, 0});
  expect_matches_reference_at(c, pop, {1e6, 1e6, 1e6});
}

TEST(Optimise, FixedPricesWithCapsExclusiveVolumesAndMoney) {
  std::string t = campaign_text("example.toml");
  t = replace(t, R"(\[basket\])", "[arbitration]\nmode = \"optimise\"\nmoney_budget = 900.5\n\n[basket]");
  t = replace(t, R"(name = "tier_nudge"\n)",
              "name = \"tier_nudge\"\nmax_volume = 700\nmin_volume = 10\nmoney_cost = 0.25\n");
  t = replace(t, R"(name = "defection_sms"\n)", "name = \"defection_sms\"\nmoney_cost = 1.5\n");
  Campaign c = campaign_from(t);
  Population pop = generate_rs1(20'001, 4);
  Column& cc = pop.mutable_column(*pop.find("contacts_30d"));
  for (std::size_t i = 0; i < pop.rows(); i += 37) cc.set_null(i);
  // capacity sms, capacity call, max_volume tier_nudge, money_budget, min_volume tier_nudge.
  expect_matches_reference_at(c, pop, {3.5, 41.25, 2.0, 7.75, 1.5});
}

TEST(Optimise, SameAnswerForEveryThreadCountAndInstructionSet) {
  Campaign c = campaign_from(campaign_text("rs1_opt.toml"));
  Population pop = generate_rs1(30'011, 5);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  ArbitratedSweep first = run(b, 1);
  ASSERT_TRUE(first.optimise);
  expect_feasible(c, pop, first);
  for (auto isa : simd::supported_isas()) {
    simd::ScopedIsa scoped(isa);
    for (int threads : {1, 2}) {
      SCOPED_TRACE(std::string(simd::isa_name(isa)) + " threads " + std::to_string(threads));
      ArbitratedSweep r = run(b, threads);
      ASSERT_EQ(r.sweep.ranked.size(), first.sweep.ranked.size());
      for (std::size_t i = 0; i < r.sweep.ranked.size(); ++i) {
        EXPECT_EQ(r.sweep.ranked[i].customer_id, first.sweep.ranked[i].customer_id) << i;
        EXPECT_EQ(r.sweep.ranked[i].action, first.sweep.ranked[i].action) << i;
        EXPECT_EQ(r.sweep.ranked[i].budget_left, first.sweep.ranked[i].budget_left) << i;
      }
      EXPECT_EQ(r.optimise->objective, first.optimise->objective);
      EXPECT_EQ(r.optimise->dual_bound, first.optimise->dual_bound);
      EXPECT_EQ(r.optimise->passes, first.optimise->passes);
      for (std::size_t k = 0; k < r.optimise->constraints.size(); ++k)
        EXPECT_EQ(r.optimise->constraints[k].price, first.optimise->constraints[k].price);
    }
  }
}

TEST(Optimise, GreedyBaselineIsTheGreedySweepAndOptimiseBeatsIt) {
  const std::string t = campaign_text("rs1_opt.toml");
  Campaign opt = campaign_from(t);
  Campaign greedy = campaign_from(replace(t, "\nmode = \"optimise\"", "\nmode = \"greedy\""));
  Population pop = generate_rs1(40'000, 6);
  ArbitratedSweep g = run(BoundCampaign::bind(greedy, pop), 2);
  EXPECT_FALSE(g.optimise);
  double total = 0;
  for (const auto& d : g.sweep.ranked) total += d.priority;
  ArbitratedSweep o = run(BoundCampaign::bind(opt, pop), 2);
  ASSERT_TRUE(o.optimise);
  EXPECT_NEAR(o.optimise->greedy_objective, total, 1e-9 * total);
  EXPECT_GT(o.optimise->objective, 1.03 * o.optimise->greedy_objective);  // RS-1/OPT: greedy ~6% below
  EXPECT_LT(o.optimise->objective, o.optimise->dual_bound);
  EXPECT_GT(o.optimise->objective, (1 - 1e-3) * o.optimise->dual_bound);
  expect_feasible(opt, pop, o);
  // The funnel still adds up: fired = every gate + kept.
  for (const auto& f : o.sweep.funnel)
    EXPECT_EQ(f.fired,
              f.consent + f.suppression + f.frequency_cap + f.priority + f.budget + f.member_max + f.capacity + f.kept);
}

TEST(Optimise, VolumesAndMoneyBudgetHold) {
  std::string t = campaign_text("rs1_opt.toml");
  t = replace(t, "\nmode = \"optimise\"", "\nmode = \"optimise\"\nmoney_budget = 1000");
  t = replace(t, R"(name = "engagement_push"\n)", "name = \"engagement_push\"\nmax_volume = 1500\n");
  t = replace(t, R"(name = "birthday"\n)", "name = \"birthday\"\nmin_volume = 900\n");
  t = replace(t, R"(name = "winback_mail"\n)", "name = \"winback_mail\"\nmoney_cost = 4.5\n");
  t = replace(t, R"(name = "premium_call"\n)", "name = \"premium_call\"\nmoney_cost = 12\n");
  Campaign c = campaign_from(t);
  Population pop = generate_rs1(50'000, 8);
  ArbitratedSweep r = run(BoundCampaign::bind(c, pop), 2);
  expect_feasible(c, pop, r);
  std::map<std::string, double> price, usage;
  for (auto& k : r.optimise->constraints) price[k.name] = k.price, usage[k.name] = k.usage;
  EXPECT_EQ(usage["max_volume engagement_push"], 1500);  // binding: about 6,000 want a push
  EXPECT_GT(price["max_volume engagement_push"], 0);
  EXPECT_GE(usage["min_volume birthday"], 900);  // birthday alone loses to the e-mail capacity's price
  EXPECT_LE(usage["money_budget"], 1000);
  EXPECT_GT(usage["money_budget"], 950);
  EXPECT_GT(price["money_budget"], 0);
}

TEST(Optimise, CampaignFileErrors) {
  const std::string t = campaign_text("rs1.toml");
  auto error_of = [](const std::string& text) {
    try {
      campaign_from(text);
    } catch (const Error& e) { return std::string(e.what()); }
    return std::string("no error");
  };
  const std::string min_err = error_of(replace(t, R"(name = "birthday"\n)", "name = \"birthday\"\nmin_volume = 5\n"));
  EXPECT_TRUE(
      std::regex_search(min_err, std::regex(R"(^campaign\.toml:\d+:\d+: 'min_volume' of action 'birthday' needs )"
                                            R"(\[arbitration\] mode = "optimise")")))
      << min_err;
  EXPECT_NE(error_of(t + "\n[arbitration]\nmode = \"best\"\n").find("must be \"greedy\" or \"optimise\""),
            std::string::npos);
  EXPECT_NE(error_of(t + "\n[arbitration]\nmoney_budget = 5\n").find("needs mode = \"optimise\""), std::string::npos);
  EXPECT_NE(error_of(replace(t, "capacity = 5000", "capacity = 5000\ncapacity_share = 0.1"))
                .find("has both 'capacity' and 'capacity_share'"),
            std::string::npos);
  EXPECT_NE(error_of(replace(t, "capacity = 5000", "capacity_share = -0.1")).find("must be >= 0"), std::string::npos);
  // A share above 1 (found by the campaign fuzzer: 1e113 overflowed the capacity's conversion).
  EXPECT_NE(error_of(replace(t, "capacity = 5000", "capacity_share = 1.5")).find("between 0 and 1, not 1.5"),
            std::string::npos);
  EXPECT_NE(error_of(replace(t, "capacity = 5000", "capacity_share = 3e113")).find("between 0 and 1"),
            std::string::npos);
  {
    decide::Channel ch;
    ch.capacity_share = 3e113;  // set in code, past the loader: saturates instead of an undefined conversion
    EXPECT_EQ(decide::capacity_for(ch, 1000), UINT64_MAX);
    ch.capacity_share = 1.0;
    EXPECT_EQ(decide::capacity_for(ch, 1000), 1000u);
    ch.capacity_share = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(decide::capacity_for(ch, 1000), 0u);
  }
  EXPECT_NE(error_of(t + "\n[arbitration]\nmode = \"optimise\"\npases = 3\n").find("unknown key 'pases'"),
            std::string::npos);
  // capacity_share: floor(share * N), exact for decimal shares.
  Campaign c = campaign_from(campaign_text("rs1_opt.toml"));
  std::map<std::string, std::optional<uint64_t>> cap;
  for (const auto& ch : c.channels) cap[ch.name] = capacity_for(ch, 50'000);
  EXPECT_EQ(cap["call"], std::optional<uint64_t>(100));
  EXPECT_EQ(cap["sms"], std::optional<uint64_t>(200));
  EXPECT_EQ(cap["email"], std::optional<uint64_t>(3000));
  EXPECT_EQ(cap["push"], std::nullopt);
  Channel ch;
  ch.capacity_share = 0.29;
  EXPECT_EQ(capacity_for(ch, 100), std::optional<uint64_t>(29));
}

TEST(Optimise, CliPrintsTheReportAndWritesItAsJson) {
  const auto dir = test::make_temp_dir("optimise_cli");
  const std::string nudge = test::cli_path().string();
  std::string out;
  ASSERT_EQ(test::run_command(nudge + " gen --members 20000 --seed 7 -o " + (dir / "p.snap").string(), &out), 0) << out;
  const std::string campaign = (test::source_dir() / "data/campaigns/rs1_opt.toml").string();
  ASSERT_EQ(test::run_command(nudge + " sweep " + (dir / "p.snap").string() + " -c " + campaign + " -o " +
                                  (dir / "d.csv").string() + " --report " + (dir / "r.json").string() + " 2>&1",
                              &out),
            0)
      << out;
  EXPECT_NE(out.find("optimise: objective "), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(capacity call +<= +40\.00 )"))) << out;  // floor(0.002 * 20000)
  std::ifstream in(dir / "r.json");
  const auto j = nlohmann::json::parse(in);
  // The exact optimum of this population (tests/data/optimise/milp_optimum.csv): 147875.7598.
  EXPECT_NEAR(j.at("objective").get<double>(), 147875.7598, 0.001 * 147875.7598);
  EXPECT_NEAR(j.at("greedy_objective").get<double>(), 138650.8596, 1e-3);
  EXPECT_GE(j.at("dual_bound").get<double>(), 147875.7597);
  EXPECT_EQ(j.at("constraints").size(), 3u);
  EXPECT_GE(j.at("passes").get<int>(), 1);
  // --report needs an optimise campaign.
  const std::string rs1 = (test::source_dir() / "data/campaigns/rs1.toml").string();
  EXPECT_NE(test::run_command(nudge + " sweep " + (dir / "p.snap").string() + " -c " + rs1 + " -o " +
                                  (dir / "g.csv").string() + " --report " + (dir / "g.json").string() + " 2>&1",
                              &out),
            0);
  EXPECT_NE(out.find("--report needs a campaign with [arbitration] mode = \"optimise\""), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}
