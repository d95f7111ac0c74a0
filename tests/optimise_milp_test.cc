// The population optimiser against the exact optimum: the MILP optima of
// RS-1/OPT and RS-1 computed by tests/data/optimise/milp_optimum.py (scipy
// milp / HiGHS over an independent Python reading of WORKLOAD.md) and
// committed in tests/data/optimise/milp_optimum.csv. For each row: nudge's
// optimised objective is within 0.1% of the optimum and never above it, the
// dual bound is never below it (it is a proven upper bound), and nudge's
// greedy baseline equals the script's greedy objective.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/optimise/optimise.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

struct Row {
  std::string workload;
  std::size_t members = 0;
  uint64_t seed = 0;
  double optimum = 0, greedy = 0;
};

std::vector<Row> rows() {
  std::ifstream in(test::source_dir() / "tests/data/optimise/milp_optimum.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<Row> out;
  while (std::getline(in, line)) {
    std::stringstream s(line);
    Row r;
    std::string f;
    std::getline(s, r.workload, ',');
    std::getline(s, f, ','), r.members = std::stoull(f);
    std::getline(s, f, ','), r.seed = std::stoull(f);
    std::getline(s, f, ','), r.optimum = std::stod(f);
    std::getline(s, f, ','), r.greedy = std::stod(f);
    out.push_back(r);
  }
  return out;
}

decide::Campaign campaign(const std::string& workload) {
  std::ifstream in(test::source_dir() / "data/campaigns" / (workload + ".toml"));
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (workload == "rs1") text += "\n[arbitration]\nmode = \"optimise\"\n";  // RS-1's rules, optimised
  return decide::parse_campaign(text, workload + ".toml", test::source_dir() / "data/campaigns");
}

}  // namespace

TEST(OptimiseMilp, WithinATenthOfAPercentOfTheExactOptimumAndBelowTheDualBound) {
  const auto all = rows();
  ASSERT_GE(all.size(), 4u);
  for (const Row& r : all) {
    // RS-1/OPT at 1M is the recorded gain figure (engine/optimise/README.md), checked by hand with
    // `nudge gen --members 1000000 --seed 7` and `nudge sweep -c data/campaigns/rs1_opt.toml`: too long for CI.
    if (r.workload == "rs1_opt" && r.members >= 1'000'000) continue;
#if NUDGE_BATCH_ROWS < 256
    if (r.members > 100'000) continue;  // sanitizer build with tiny batches: keep the run short
#endif
    SCOPED_TRACE(r.workload + " " + std::to_string(r.members) + " members, seed " + std::to_string(r.seed));
    const decide::Campaign c = campaign(r.workload);
    const Population pop = generate_rs1(r.members, r.seed);
    const auto b = decide::BoundCampaign::bind(c, pop);
    const auto res = optimise::run_arbitrated_sweep(b, {});
    ASSERT_TRUE(res.optimise);
    const auto& o = *res.optimise;
    EXPECT_GE(o.objective, (1 - 1e-3) * r.optimum);
    EXPECT_LE(o.objective, r.optimum * (1 + 1e-12));
    EXPECT_GE(o.dual_bound, r.optimum * (1 - 1e-12));
    EXPECT_LE(o.objective, o.dual_bound);
    EXPECT_NEAR(o.greedy_objective, r.greedy, 1e-9 * r.greedy);
    EXPECT_GT(o.objective, o.greedy_objective);
  }
}
