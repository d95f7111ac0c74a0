// XGBoost models with categorical splits (XGBoost 1.7, enable_categorical) on
// the real IBM Telco churn data, against XGBoost's own predictions
// (tests/data/xgboost/make_telco_model.py writes the models, the import
// schema and the predictions). Before the fix such models were refused, first
// with a misleading JSON parse error at the NaN tokens XGBoost writes.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/score/model.h"
#include "io/csv/csv_import.h"
#include "tests/support/test_isas.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::score;

namespace {

std::filesystem::path data_dir() { return test::source_dir() / "tests/data/xgboost"; }
std::filesystem::path telco_csv() { return test::shared_dir() / "data/real/ibm-telco-churn/Telco-Customer-Churn.csv"; }

std::vector<double> load_pred(const std::string& model) {
  std::ifstream in(data_dir() / (model + ".pred"));
  std::vector<double> v;
  for (std::string s; std::getline(in, s);) v.push_back(std::strtof(s.c_str(), nullptr));  // XGBoost's float32
  return v;
}

const Population& telco() {
  static const Population pop = [] {
    ImportOptions o;
    o.schema = load_import_schema(data_dir() / "telco_schema.toml");
    o.as_of = days_from_civil(2026, 11, 1);
    return import_csv(telco_csv(), o).population;
  }();
  return pop;
}

std::string bind_error(const std::string& model, const Population& pop) {
  try {
    load_model(data_dir() / (model + ".json"))->bind(pop);
  } catch (const Error& e) { return e.what(); }
  return "";
}

}  // namespace

TEST(XgboostCategorical, EqualsXgboostOnEveryTelcoCustomerAndIsa) {
  const Population& pop = telco();
  ASSERT_EQ(pop.rows(), 7043u);
  ASSERT_EQ(pop.column("TotalCharges").null_count(), 11u);  // blanks: missing values
  for (const char* name : {"telco_cat", "telco_onehot"}) {
    SCOPED_TRACE(name);
    auto model = load_model(data_dir() / (std::string(name) + ".json"));
    const std::vector<double> want = load_pred(name);
    ASSERT_EQ(want.size(), pop.rows());
    auto bound = model->bind(pop);
    for (std::size_t r = 0; r < pop.rows(); r += 97) EXPECT_EQ(bound->reference_score(r), want[r]) << "row " << r;
    for (auto isa : test::test_isas()) {
      simd::ScopedIsa s(isa);
      const std::vector<double> got = score_all(*bound, pop.rows());
      std::size_t exact = 0;
      for (std::size_t r = 0; r < pop.rows(); ++r) exact += got[r] == want[r];
      EXPECT_EQ(exact, pop.rows()) << simd::isa_name(isa);
    }
  }
}

TEST(XgboostCategorical, CategoryCodesMustBeTheTrainingsSortedOrder) {
  // Imported without the schema's category lists, the codes follow the file
  // order (Month-to-month, One year, Two year happens to be sorted; gender's
  // Female, Male too), so take a column whose first value is not the smallest.
  ImportOptions o;
  o.schema = load_import_schema(data_dir() / "telco_schema.toml");
  for (auto& c : o.schema->columns)
    if (c.name == "PaymentMethod")
      c.categories = {"Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"};
  o.as_of = 0;
  const Population pop = import_csv(telco_csv(), o).population;
  EXPECT_NE(bind_error("telco_cat", pop)
                .find("feature 'PaymentMethod' is categorical: the model splits on category "
                      "codes, numbered in sorted order as pandas does, but column "
                      "'PaymentMethod' has its categories in another order"),
            std::string::npos)
      << bind_error("telco_cat", pop);
  // Too few categories for the codes the model tests.
  for (auto& c : o.schema->columns)
    if (c.name == "PaymentMethod") c.categories = {"Bank transfer (automatic)", "Credit card (automatic)"};
  o.skip_bad_rows = true;
  const Population few = import_csv(telco_csv(), o).population;
  EXPECT_NE(bind_error("telco_cat", few).find("but column 'PaymentMethod' has 2 categories"), std::string::npos)
      << bind_error("telco_cat", few);
  // A numeric column where the model has a categorical feature.
  for (auto& c : o.schema->columns)
    if (c.name == "PaymentMethod") c.type = DataType::Int32, c.categories.clear(), c.skip = true;
  o.skip_bad_rows = false;
  Population numeric = import_csv(telco_csv(), o).population;
  numeric.add_column(Column("PaymentMethod", DataType::Int32, numeric.rows()));
  EXPECT_NE(bind_error("telco_cat", numeric)
                .find("feature 'PaymentMethod' is categorical in the model, but column 'PaymentMethod' is int32"),
            std::string::npos);
}

TEST(XgboostCategorical, NanTokensAreNumbersOnlyWhereXgboostWritesThem) {
  std::ifstream in(data_dir() / "telco_cat.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  ASSERT_NE(text.find("NaN"), std::string::npos);
  auto load_text = [&](const std::string& t) -> std::string {
    const auto p = test::make_temp_dir("xgbnan") / "m.json";
    std::ofstream(p) << t;
    try {
      load_model(p);
    } catch (const Error& e) { return e.what(); }
    return "";
  };
  EXPECT_EQ(load_text(text), "");
  // A NaN leaf value is still refused, an Infinity threshold too.
  const auto leaf = text.find("\"split_conditions\":[");
  std::string bad = text;
  const auto comma = bad.find(']', leaf);
  const auto last = bad.rfind(',', comma);
  bad.replace(last + 1, comma - last - 1, "NaN");
  EXPECT_NE(load_text(bad).find("leaf value is not finite"), std::string::npos) << load_text(bad);
}
