// `nudge score`: CSV of customer_id,score for every member or the top N, equal
// to the library's scores; top_scores ordering; errors exit with status 1.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "engine/score/model.h"
#include "engine/score/top_scores.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::score;

namespace {

std::vector<std::pair<uint64_t, double>> read_scores_csv(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "customer_id,score");
  std::vector<std::pair<uint64_t, double>> out;
  while (std::getline(in, line)) {
    auto comma = line.find(',');
    out.emplace_back(std::stoull(line.substr(0, comma)), std::strtod(line.c_str() + comma + 1, nullptr));
  }
  return out;
}

}  // namespace

TEST(TopScores, OrdersByScoreThenCustomerIdWithNanLast) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> s{0.5, nan, 0.9, 0.5, 0.1, 0.9};
  const uint64_t ids[] = {40, 10, 30, 20, 50, 35};
  EXPECT_EQ(top_scores(s, ids, 6), (std::vector<uint32_t>{2, 5, 3, 0, 4, 1}));
  EXPECT_EQ(top_scores(s, ids, 3), (std::vector<uint32_t>{2, 5, 3}));
  EXPECT_EQ(top_scores(s, nullptr, 2), (std::vector<uint32_t>{2, 5}));
  EXPECT_TRUE(top_scores({}, nullptr, 5).empty());
}

TEST(ScoreCli, WritesEveryMembersScoreAndTopNEqualToLibrary) {
  auto dir = test::make_temp_dir("scorecli");
  const Population pop = generate_rs1(3000, 5);
  write_snapshot(pop, dir / "pop.snap");
  const auto model_path = test::source_dir() / "data/models/rs1_gbdt.json";
  auto bound = load_model(model_path)->bind(pop);
  const auto want = score_all(*bound, pop.rows());
  const uint64_t* ids = pop.column("customer_id").values<uint64_t>();

  std::string out;
  ASSERT_EQ(test::run_command(test::cli_path().string() + " score " + (dir / "pop.snap").string() + " --model " +
                                  model_path.string() + " -o " + (dir / "all.csv").string(),
                              &out),
            0)
      << out;
  auto all = read_scores_csv(dir / "all.csv");
  ASSERT_EQ(all.size(), pop.rows());
  for (std::size_t r = 0; r < pop.rows(); ++r) {
    ASSERT_EQ(all[r].first, ids[r]);
    ASSERT_EQ(all[r].second, want[r]) << "row " << r;  // shortest round-trip text: the same double
  }

  ASSERT_EQ(test::run_command(test::cli_path().string() + " --threads 2 score " + (dir / "pop.snap").string() +
                                  " --model " + model_path.string() + " --top 25 -o " + (dir / "top.csv").string(),
                              &out),
            0)
      << out;
  auto top = read_scores_csv(dir / "top.csv");
  auto rows = top_scores(want, ids, 25);
  ASSERT_EQ(top.size(), 25u);
  for (std::size_t i = 0; i < 25; ++i) {
    EXPECT_EQ(top[i].first, ids[rows[i]]);
    EXPECT_EQ(top[i].second, want[rows[i]]);
    if (i) { EXPECT_GE(top[i - 1].second, top[i].second); }
  }
}

TEST(ScoreCli, MissingFeatureExitsWithStatusOneAndNamesIt) {
  auto dir = test::make_temp_dir("scorecli");
  write_snapshot(generate_rs1(100, 1), dir / "pop.snap");
  std::string out;
  const int rc = test::run_command(test::cli_path().string() + " score " + (dir / "pop.snap").string() + " --model " +
                                       (test::source_dir() / "tests/data/xgboost/missing_feature.json").string() +
                                       " -o " + (dir / "x.csv").string(),
                                   &out);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("'loyalty_score'"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));
}
