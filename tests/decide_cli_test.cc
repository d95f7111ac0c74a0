// `nudge sweep` and `nudge explain` end to end: generated snapshot in, ranked
// decisions out (equal to the library's), errors with file positions.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::filesystem::path rs1() { return test::source_dir() / "data/campaigns/rs1.toml"; }

// A copy of rs1.toml in `dir` with `from` replaced by `to` (first occurrence) and an absolute model path.
std::filesystem::path rs1_variant(const std::filesystem::path& dir, const std::string& from, const std::string& to) {
  std::string t = slurp(rs1());
  t.replace(t.find("../models/rs1_churn.toml"), 24, (test::source_dir() / "data/models/rs1_churn.toml").string());
  if (!from.empty()) t.replace(t.find(from), from.size(), to);
  auto p = dir / "c.toml";
  std::ofstream(p) << t;
  return p;
}

class SweepCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(test::make_temp_dir("sweep_cli"));
    std::string out;
    ASSERT_EQ(test::run_command(test::cli_path().string() + " gen -n 30000 --seed 3 -o " + snap().string(), &out), 0)
        << out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::filesystem::path snap() { return *dir_ / "m.snap"; }
  static std::filesystem::path* dir_;
};
std::filesystem::path* SweepCli::dir_ = nullptr;

}  // namespace

TEST_F(SweepCli, WritesRankedCsvEqualToTheLibrarySweep) {
  auto csv = *dir_ / "d.csv";
  std::string out;
  ASSERT_EQ(test::run_command(test::cli_path().string() + " --threads 2 sweep " + snap().string() + " --campaign " +
                                  rs1().string() + " -o " + csv.string() + " --top 200",
                              &out),
            0)
      << out;
  EXPECT_NE(out.find("swept 30000 members"), std::string::npos) << out;
  EXPECT_NE(out.find("defection_call"), std::string::npos) << out;
  auto lines = lines_of(slurp(csv));
  ASSERT_EQ(lines.size(), 201u);
  EXPECT_EQ(lines[0],
            "rank,customer_id,action,channel,message_type,priority,cost,budget_left,churn,trigger,brand,control");

  Population pop = open_snapshot(snap());
  auto campaign = decide::load_campaign(rs1());
  auto bound = decide::BoundCampaign::bind(campaign, pop);
  decide::SweepOptions opt;
  opt.top_k = 200;
  auto r = decide::run_sweep(bound, opt);
  ASSERT_EQ(r.ranked.size(), 200u);
  for (std::size_t i = 0; i < 200; ++i) {
    const auto& d = r.ranked[i];
    std::string prefix =
        std::to_string(i + 1) + "," + std::to_string(d.customer_id) + "," + campaign.actions[d.action].name + ",";
    EXPECT_EQ(lines[i + 1].rfind(prefix, 0), 0u) << lines[i + 1] << " vs " << prefix;
  }
}

TEST_F(SweepCli, JsonLinesHasTheSameDecisions) {
  std::string out;
  ASSERT_EQ(test::run_command(test::cli_path().string() + " sweep " + snap().string() + " --campaign " +
                                  rs1().string() + " --format jsonl --top 3 -o " + (*dir_ / "d.jsonl").string(),
                              &out),
            0)
      << out;
  auto lines = lines_of(slurp(*dir_ / "d.jsonl"));
  ASSERT_EQ(lines.size(), 3u);
  // The same sweep as CSV, written here: ctest runs every test in its own process.
  ASSERT_EQ(test::run_command(test::cli_path().string() + " sweep " + snap().string() + " --campaign " +
                                  rs1().string() + " --top 3 -o " + (*dir_ / "d3.csv").string(),
                              &out),
            0)
      << out;
  auto csv = lines_of(slurp(*dir_ / "d3.csv"));
  ASSERT_EQ(csv.size(), 4u);  // header + 3 decisions
  for (std::size_t i = 0; i < 3; ++i) {
    auto j = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(j["rank"], i + 1);
    std::string prefix = std::to_string(i + 1) + "," + std::to_string(j["customer_id"].get<uint64_t>()) + "," +
                         j["action"].get<std::string>() + ",";
    EXPECT_EQ(csv[i + 1].rfind(prefix, 0), 0u);
  }
}

TEST_F(SweepCli, UnknownConsentColumnNamesTheCampaignPosition) {
  auto dir = test::make_temp_dir("sweep_cli_bad");
  auto c = rs1_variant(dir, "consent = \"email_opt_in\"", "consent = \"emial_opt_in\"");
  std::string out;
  EXPECT_EQ(test::run_command(test::cli_path().string() + " sweep " + snap().string() + " --campaign " + c.string() +
                                  " -o " + (dir / "x.csv").string(),
                              &out),
            1);
  EXPECT_EQ(out, "nudge: error: " + c.string() +
                     ":24:11: channel 'email': consent column 'emial_opt_in' is not in "
                     "the population (did you mean 'email_opt_in'?)\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));  // nothing half-written
}

TEST_F(SweepCli, TriggerTypoPointsInsideTheExpression) {
  auto dir = test::make_temp_dir("sweep_cli_typo");
  auto c = rs1_variant(dir, "AND flights_3m <", "AND flihgts_3m <");
  std::string out;
  EXPECT_EQ(
      test::run_command(test::cli_path().string() + " sweep " + snap().string() + " --campaign " + c.string(), &out),
      1);
  // line 50: trigger = "flights_prev_3m >= 4 AND flihgts_3m ...": text from column 12, the name 25 characters in.
  EXPECT_EQ(lines_of(out).at(0),
            "nudge: error: " + c.string() + ":50:37: unknown column 'flihgts_3m' (did you mean 'flights_3m'?)");
}

TEST_F(SweepCli, ExplainShowsTriggersScoreAndTheGateOfEachCandidate) {
  Population pop = open_snapshot(snap());
  auto campaign = decide::load_campaign(rs1());
  auto bound = decide::BoundCampaign::bind(campaign, pop);
  auto r = decide::run_sweep(bound, {});
  const auto& top = r.ranked.at(0);
  std::string out;
  ASSERT_EQ(test::run_command(test::cli_path().string() + " explain " + snap().string() + " --campaign " +
                                  rs1().string() + " --customer " + std::to_string(top.customer_id),
                              &out),
            0)
      << out;
  EXPECT_NE(out.find("member " + std::to_string(top.customer_id)), std::string::npos) << out;
  EXPECT_NE(out.find(fmt::format("churn score: {}", top.churn)), std::string::npos) << out;
  EXPECT_NE(out.find(campaign.actions[top.action].name), std::string::npos);
  EXPECT_NE(out.find("kept (budget left " + fmt::format("{}", top.budget_left) + ")"), std::string::npos) << out;
  EXPECT_NE(out.find("TRUE"), std::string::npos);
  EXPECT_EQ(test::run_command(test::cli_path().string() + " explain " + snap().string() + " --campaign " +
                                  rs1().string() + " --customer 1",
                              &out),
            1);
  EXPECT_EQ(out, "nudge: error: customer 1 is not in " + snap().string() + "\n");
}
