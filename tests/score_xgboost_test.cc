// XGBoost models against XGBoost's own predictions: the committed evidence in
// tests/data/xgboost/ (written by make_models.py with python3-xgboost 1.7).
// nudge must give XGBoost's numbers within 1e-6 on every model and every row,
// adversarial rows (values exactly on thresholds, missing values) included.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/score/model.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/test_isas.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::score;

namespace {

std::filesystem::path data_dir() { return test::source_dir() / "tests/data/xgboost"; }

// rows.csv -> Population: n_* int32, b_* bool, others float32; an empty field is NULL.
Population load_rows() {
  std::ifstream in(data_dir() / "rows.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  for (std::stringstream h(line); std::getline(h, line, ',');) names.push_back(line);
  std::vector<std::vector<std::string>> cells;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      row.push_back(line.substr(start, comma - start));
    row.push_back(line.substr(start));
    cells.push_back(row);
  }
  const std::size_t n = cells.size();
  Population p(n, 0);
  for (std::size_t c = 0; c < names.size(); ++c) {
    const DataType t = names[c].rfind("n_", 0) == 0   ? DataType::Int32
                       : names[c].rfind("b_", 0) == 0 ? DataType::Bool
                                                      : DataType::Float32;
    Column col(names[c], t, n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::string& s = cells[r].at(c);
      if (s.empty()) col.set_null(r);
      else if (t == DataType::Int32) col.mutable_values<int32_t>()[r] = std::stoi(s);
      else if (t == DataType::Bool) col.mutable_values<uint8_t>()[r] = uint8_t(std::stoi(s));
      else col.mutable_values<float>()[r] = std::strtof(s.c_str(), nullptr);
    }
    p.add_column(std::move(col));
  }
  return p;
}

std::vector<double> load_pred(const std::string& model) {
  std::ifstream in(data_dir() / (model + ".pred"));
  std::vector<double> v;
  for (std::string s; std::getline(in, s);) v.push_back(std::strtof(s.c_str(), nullptr));  // XGBoost's float32
  return v;
}

struct Golden {
  const char* model;
  const char* describe;
};

class XgboostGolden : public ::testing::TestWithParam<Golden> {};

}  // namespace

TEST_P(XgboostGolden, EqualsXgboostPredictionsOnEveryRowAndIsa) {
  const Golden g = GetParam();
  auto model = load_model(data_dir() / (std::string(g.model) + ".json"));
  EXPECT_EQ(model->describe(), g.describe);
  const Population pop = load_rows();
  const std::vector<double> want = load_pred(g.model);
  ASSERT_EQ(want.size(), pop.rows());
  ASSERT_EQ(pop.rows(), 1000u);
  auto bound = model->bind(pop);
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa s(isa);
    std::vector<double> got = score_all(*bound, pop.rows());
    std::size_t exact = 0;
    for (std::size_t r = 0; r < pop.rows(); ++r) {
      ASSERT_NEAR(got[r], want[r], 1e-6) << g.model << " row " << r << " isa " << simd::isa_name(isa);
      ASSERT_EQ(got[r], bound->reference_score(r)) << g.model << " row " << r << " isa " << simd::isa_name(isa);
      exact += got[r] == want[r];
    }
    // float32 arithmetic in XGBoost's order: the answers are not just close, they are XGBoost's floats.
    EXPECT_EQ(exact, pop.rows()) << g.model << " isa " << simd::isa_name(isa);
  }
  // A selection (every third row, the sweep's use) gives the same numbers.
  std::vector<uint32_t> rows;
  for (uint32_t r = 1; r < pop.rows(); r += 3) rows.push_back(r);
  std::vector<double> sel(rows.size());
  bound->score_rows(rows.data(), rows.size(), sel.data());
  for (std::size_t i = 0; i < rows.size(); ++i)
    ASSERT_NEAR(sel[i], want[rows[i]], 1e-6) << g.model << " row " << rows[i];
}

INSTANTIATE_TEST_SUITE_P(
    Models, XgboostGolden,
    ::testing::Values(Golden{"one_tree", "xgboost gbtree, 1 trees, binary:logistic, 6 features, max depth 3"},
                      Golden{"logistic_100x6", "xgboost gbtree, 100 trees, binary:logistic, 6 features, max depth 6"},
                      Golden{"reg_logistic", "xgboost gbtree, 20 trees, reg:logistic, 6 features, max depth 4"},
                      Golden{"logitraw", "xgboost gbtree, 20 trees, binary:logitraw, 6 features, max depth 4"},
                      Golden{"squarederror", "xgboost gbtree, 20 trees, reg:squarederror, 6 features, max depth 5"},
                      Golden{"squarederror_500",
                             "xgboost gbtree, 500 trees, reg:squarederror, 6 features, max depth 2"},
                      Golden{"deep_12", "xgboost gbtree, 3 trees, reg:squarederror, 6 features, max depth 12"}),
    [](const auto& info) { return std::string(info.param.model); });

TEST(XgboostModel, BindNamesTheFeatureThePopulationLacks) {
  auto model = load_model(data_dir() / "missing_feature.json");
  const Population pop = load_rows();
  try {
    model->bind(pop);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
    EXPECT_EQ(std::string(e.what()),
              "cannot bind model " + (data_dir() / "missing_feature.json").string() +
                  " to the population:\n  1 of its 6 features are not in the population: 'loyalty_score'");
  }
}

TEST(XgboostModel, ReadsOnlyTheModelsFeatureColumns) {
  auto model = load_model(data_dir() / "one_tree.json");
  const Population pop = load_rows();
  EXPECT_EQ(model->bind(pop)->columns_read(), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
}

TEST(XgboostModel, Rs1GbdtEqualsXgboostOnGeneratedRs1Members) {
  // data/models/rs1_gbdt.json and XGBoost's predictions for `nudge gen --members 2000 --seed 11`
  // (make_models.py --rs1): the same rows come back from generate_rs1(2000, 11).
  auto model = load_model(test::source_dir() / "data/models/rs1_gbdt.json");
  EXPECT_EQ(model->describe(), "xgboost gbtree, 100 trees, binary:logistic, 22 features, max depth 6");
  const Population pop = generate_rs1(2000, 11);
  ASSERT_GT(pop.column("salary").null_count(), 300u);  // missing salaries take the default direction
  const std::vector<double> want = load_pred("rs1_gbdt_check");
  ASSERT_EQ(want.size(), pop.rows());
  auto bound = model->bind(pop);
  EXPECT_EQ(bound->columns_read().size(), 22u);
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa s(isa);
    const std::vector<double> got = score_all(*bound, pop.rows());
    for (std::size_t r = 0; r < pop.rows(); ++r)
      ASSERT_NEAR(got[r], want[r], 1e-6) << "row " << r << " isa " << simd::isa_name(isa);
    EXPECT_EQ(got, want) << simd::isa_name(isa);  // XGBoost's own float32 results, exactly
  }
}
