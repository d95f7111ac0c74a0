// Linear / logistic models: the TOML reader, binding rules (missing columns,
// NULL policy, category values), RS-1's churn model against WORKLOAD.md's
// formula, and the batch paths against the per-row reference.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/base/error.h"
#include "engine/score/linear_model.h"
#include "engine/score/model.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/error_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::score;

namespace {

// The RS-1 columns the churn model reads, random but RS-1-shaped; salary nullable.
Population churn_population(std::size_t n, uint64_t seed, bool with_null_salary = false) {
  std::mt19937_64 rng(seed);
  Population p(n, days_from_civil(2026, 11, 1));
  Column tier("tier", DataType::Category, n);
  tier.set_dictionary({"Star", "Nova", "Aurora"});
  auto int_col = [&](const char* name, int lo, int hi) {
    Column c(name, DataType::Int32, n);
    std::uniform_int_distribution<int> d(lo, hi);
    for (std::size_t i = 0; i < n; ++i) c.mutable_values<int32_t>()[i] = d(rng);
    return c;
  };
  for (std::size_t i = 0; i < n; ++i) tier.mutable_values<int32_t>()[i] = int32_t(rng() % 3);
  p.add_column(std::move(tier));
  p.add_column(int_col("enroll_days", 0, 9000));
  Column salary("salary", DataType::Float32, n);
  std::lognormal_distribution<float> ln(11.2f, 0.4f);
  for (std::size_t i = 0; i < n; ++i) {
    salary.mutable_values<float>()[i] = std::round(ln(rng) * 100) / 100;
    if (with_null_salary && rng() % 4 == 0) salary.set_null(i);
  }
  p.add_column(std::move(salary));
  p.add_column(int_col("flights_3m", 0, 20));
  p.add_column(int_col("flights_prev_3m", 0, 20));
  p.add_column(int_col("days_since_last_flight", 0, 900));
  p.add_column(int_col("clicks_90d", 0, 40));
  p.add_column(int_col("complaints_12m", 0, 5));
  return p;
}

std::unique_ptr<Model> model_from(std::string_view text) {
  return make_linear_model(parse_linear_model(text, "m.toml"));
}

std::string error_of(const std::function<void()>& f) {
  auto m = test::thrown_message(f);
  if (!m) ADD_FAILURE() << "expected nudge::Error";
  return m.value_or("");
}

// The message of binding the model in `text` to churn_population(rows, 2, with_null_salary).
std::string bind_error(std::string_view text, std::size_t rows, bool with_null_salary = false) {
  auto model = model_from(text);
  Population p = churn_population(rows, 2, with_null_salary);
  return error_of([&] { model->bind(p); });
}

// WORKLOAD.md, "Churn score", written out independently of the model file.
double workload_churn(const Population& p, std::size_t r) {
  auto v = [&](const char* c) { return double(p.column(c).values<int32_t>()[r]); };
  const int32_t tier = p.column("tier").values<int32_t>()[r];
  double z = -1.2 - 0.35 * v("flights_3m") + 0.20 * v("flights_prev_3m") + 0.004 * v("days_since_last_flight") +
             0.45 * v("complaints_12m") - 0.05 * v("clicks_90d") - 0.0002 * v("enroll_days") +
             (tier == 0   ? -0.6
              : tier == 1 ? -0.3
                          : 0.0);
  return 1.0 / (1.0 + std::exp(-z));
}

}  // namespace

TEST(LinearModel, Rs1ChurnModelEqualsWorkloadFormulaInDouble) {
  auto model = load_model(test::source_dir() / "data/models/rs1_churn.toml");
  EXPECT_EQ(model->describe(), "linear model rs1_churn (logistic), 6 numeric term(s), 1 category term(s)");
  Population p = churn_population(5000, 11);
  auto bound = model->bind(p);
  auto all = score_all(*bound, p.rows());
  for (std::size_t r = 0; r < p.rows(); ++r) {
    ASSERT_NEAR(all[r], workload_churn(p, r), 1e-12) << "row " << r;
    ASSERT_EQ(all[r], bound->reference_score(r)) << "row " << r;
  }
  // One member worked by hand: Star, 2 flights now, 6 before, 200 days, 1 complaint, 3 clicks, 1000 days enrolled.
  Population one = churn_population(1, 1);
  auto set = [&](const char* c, int32_t x) { one.mutable_column(*one.find(c)).mutable_values<int32_t>()[0] = x; };
  set("tier", 0), set("flights_3m", 2), set("flights_prev_3m", 6), set("days_since_last_flight", 200);
  set("complaints_12m", 1), set("clicks_90d", 3), set("enroll_days", 1000);
  // z = -1.2 - 0.7 + 1.2 + 0.8 + 0.45 - 0.15 - 0.2 - 0.6 = -0.4
  EXPECT_NEAR(model->bind(one)->reference_score(0), 1.0 / (1.0 + std::exp(0.4)), 1e-15);
}

TEST(LinearModel, StandardisesAndReplacesNullsBeforeStandardising) {
  auto model = model_from(R"(
link = "identity"
intercept = 0.5
[[numeric]]
column = "salary"
weight = 2.0
mean = 70000
std = 20000
null_value = 50000
[[numeric]]
column = "flights_3m"
weight = -1.5
)");
  Population p = churn_population(3000, 5, /*with_null_salary=*/true);
  ASSERT_GT(p.column("salary").null_count(), 500u);
  auto bound = model->bind(p);
  std::vector<double> got(p.rows());
  bound->score_range(0, p.rows(), got.data());
  const Column& sal = p.column("salary");
  for (std::size_t r = 0; r < p.rows(); ++r) {
    double s = sal.is_null(r) ? 50000.0 : double(sal.values<float>()[r]);
    double want = 0.5 + 2.0 * ((s - 70000) / 20000) - 1.5 * p.column("flights_3m").values<int32_t>()[r];
    ASSERT_NEAR(got[r], want, 1e-12) << "row " << r;
  }
}

TEST(LinearModel, BatchPathsEqualReferenceExactlyOnSelectionsOfAwkwardSizes) {
  auto model = model_from(R"(
link = "logistic"
intercept = -0.25
[[numeric]]
column = "salary"
weight = 0.00001
null_value = 72000.5
[[numeric]]
column = "enroll_days"
weight = -0.0003
mean = 3000
std = 1500
[[category]]
column = "tier"
weights = { Aurora = 0.7, Star = -0.2 }
)");
  Population p = churn_population(1000, 9, true);
  auto bound = model->bind(p);
  std::mt19937_64 rng(3);
  for (std::size_t n : {0ul, 1ul, 63ul, 64ul, 65ul, 255ul, 257ul, 1000ul}) {
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; r < p.rows() && rows.size() < n; ++r)
      if (n == 1000 || rng() % 2) rows.push_back(r);
    std::vector<double> got(rows.size(), -1);
    bound->score_rows(rows.data(), rows.size(), got.data());
    for (std::size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(got[i], bound->reference_score(rows[i])) << "n=" << n;
    std::vector<double> range(n, -1);
    bound->score_range(p.rows() - n, p.rows(), range.data());
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(range[i], bound->reference_score(p.rows() - n + i)) << "n=" << n;
  }
  EXPECT_EQ(bound->columns_read(),
            (std::vector<std::size_t>{*p.find("salary"), *p.find("enroll_days"), *p.find("tier")}));
}

TEST(LinearModel, BindNamesEveryMissingColumnAndEveryNullableTermWithoutReplacement) {
  const std::string msg = bind_error(R"(
link = "logistic"
intercept = 0
[[numeric]]
column = "flights_3n"
weight = 1
[[numeric]]
column = "salary"
weight = 1
[[numeric]]
column = "nope"
weight = 1
[[category]]
column = "tier"
weights = { Gold = 1.0 }
)",
                                     100, /*with_null_salary=*/true);
  EXPECT_NE(msg.find("m.toml:4:1: column 'flights_3n' is not in the population (did you mean 'flights_3m'?)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("column 'nope' is not in the population"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'salary' holds"), std::string::npos) << msg;
  EXPECT_NE(msg.find("and the term has no 'null_value'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("category 'tier' has no value 'Gold' (values: Star, Nova, Aurora)"), std::string::npos) << msg;
}

TEST(LinearModel, BindRejectsColumnsOfTheWrongKind) {
  const std::string msg = bind_error(
      "link = \"identity\"\nintercept = 0\n[[numeric]]\ncolumn = \"tier\"\nweight = 1\n"
      "[[category]]\ncolumn = \"flights_3m\"\nweights = { a = 1 }\n",
      10);
  EXPECT_NE(msg.find("column 'tier' is category, not a number (use a [[category]] term)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'flights_3m' is int32, not a category"), std::string::npos) << msg;
}

TEST(LinearModel, NullCategoryTakesNullWeight) {
  auto model = model_from(
      "link = \"identity\"\nintercept = 1\n[[category]]\ncolumn = \"tier\"\n"
      "weights = { Nova = 2.5 }\nnull_weight = -4\n");
  Population p = churn_population(4, 2);
  auto& tier = p.mutable_column(*p.find("tier"));
  for (int r = 0; r < 4; ++r) tier.mutable_values<int32_t>()[r] = r % 3;
  tier.set_null(3);
  std::vector<double> got(4);
  model->bind(p)->score_range(0, 4, got.data());
  EXPECT_EQ(got, (std::vector<double>{1.0, 3.5, 1.0, -3.0}));
}

TEST(LinearModelFile, ReportsLineAndColumnOfEachFault) {
  EXPECT_NE(error_of([] { model_from("link = \"logistic\"\nintercept = \n"); }).find("m.toml:2:"), std::string::npos);
  EXPECT_EQ(error_of([] { model_from("link = \"probit\"\nintercept = 0\n"); }),
            "m.toml:1:8: link must be \"logistic\" or \"identity\", not \"probit\"");
  EXPECT_EQ(error_of([] { model_from("link = \"identity\"\n"); }), "m.toml:1:1: the model lacks the key 'intercept'");
  EXPECT_EQ(error_of([] { model_from("link = \"identity\"\nintercept = \"x\"\n"); }),
            "m.toml:2:13: 'intercept' must be a number");
  EXPECT_EQ(
      error_of([] { model_from("link = \"identity\"\nintercept = 0\n[[numeric]]\ncolumn = \"a\"\nwieght = 1\n"); }),
      "m.toml:5:1: unknown key 'wieght' in a [[numeric]] term (did you mean 'weight'?) (allowed: column, weight, mean, "
      "std, null_value)");
  EXPECT_EQ(
      error_of([] {
        model_from("link = \"identity\"\nintercept = 0\n[[numeric]]\ncolumn = \"a\"\nweight = 1\nstd = 0\nmean = 1\n");
      }),
      "m.toml:6:7: 'std' of 'a' must be > 0");
  EXPECT_EQ(error_of([] {
              model_from("link = \"identity\"\nintercept = 0\n[[numeric]]\ncolumn = \"a\"\nweight = 1\nmean = 1\n");
            }),
            "m.toml:3:1: term 'a' needs both 'mean' and 'std' to be standardised");
  EXPECT_EQ(error_of([] { model_from("link = \"identity\"\nintercept = nan\n"); }),
            "m.toml:2:13: 'intercept' must be finite");
  EXPECT_EQ(error_of([] {
              model_from(
                  "link = \"identity\"\nintercept = 0\n[[numeric]]\ncolumn = \"a\"\nweight = 1\n"
                  "[[category]]\ncolumn = \"a\"\nweights = {}\n");
            }),
            "m.toml:7:10: column 'a' appears in two terms");
  EXPECT_EQ(error_of([] { model_from("link = \"identity\"\nintercept = 0\nnumeric = 3\n"); }),
            "m.toml:3:11: 'numeric' must be written as [[numeric]] tables");
}

TEST(LinearModelFile, LoadModelNamesMissingFileAndUnknownKind) {
  try {
    load_model("/nonexistent/churn.toml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/churn.toml"), std::string::npos);
  }
  EXPECT_NE(error_of([] { load_model("model.xml"); }).find("model.xml: unknown kind"), std::string::npos);
}

TEST(LinearModel, Rs1ChurnOnGeneratedPopulationEqualsWorkloadFormula) {
  const Population p = generate_rs1(20000, 3);
  auto bound = load_model(test::source_dir() / "data/models/rs1_churn.toml")->bind(p);
  const auto all = score_all(*bound, p.rows());
  for (std::size_t r = 0; r < p.rows(); ++r) ASSERT_NEAR(all[r], workload_churn(p, r), 1e-12) << "row " << r;
}
