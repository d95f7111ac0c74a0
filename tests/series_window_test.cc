// Windowed aggregates over activity series (engine/expr/window_functions.h):
// exact values of every aggregate by hand (trend slopes included), the
// defection trigger, compile-time errors with exact text, and random
// windowed expressions over random series (zeros, extremes, NaN/inf in the
// float series, NULL cells; tests/series_window_util.h) where the vectorised
// program must equal the reference evaluator for every instruction set,
// thread count and size.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <cmath>
#include <random>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "tests/expr_test_util.h"
#include "tests/series_window_util.h"
#include "tests/support/error_text.h"

using namespace nudge;
using test::add_series;
using test::rows_where;
using test::value_at;

namespace {

// Four members, 6 monthly buckets (newest first).
Population hand_population() {
  Population p(4, days_from_civil(2018, 12, 31));
  Column f("flights_3m", DataType::Int32, 4);
  p.add_column(std::move(f));
  add_series<int32_t>(p, "flights", DataType::Int32,
                      {{3, 2, 1, 6, 6, 0}, {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 7}, {1, 0, 0, 2, 2, 2}}, 6);
  add_series<float>(p, "spend", DataType::Float32,
                    {{1.25f, 2.5f, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}, {0, 0, 4, 0, 0, 0}, {0, 0, 0, 0, 0, 0.1f}}, 6);
  p.mutable_column(*p.find("spend@2")).set_null(1);
  return p;
}

std::string error_of(const Population& p, const std::string& text) {
  auto m = test::thrown_message([&] { expr::CompiledSet::compile(p, {{text, "--expr"}}); });
  if (!m) ADD_FAILURE() << "no error for " << text;
  return m.value_or("");
}

}  // namespace

TEST(WindowAggregates, SumAvgMinMaxOverLastAndAgoWindows) {
  Population p = hand_population();
  EXPECT_EQ(value_at(p, "sum(flights, last 3 months)", 0), 6.0);
  EXPECT_EQ(value_at(p, "sum(flights, months 4 to 6 ago)", 0), 12.0);
  EXPECT_EQ(value_at(p, "SUM(flights, Months 2 to 2 ago)", 0), 2.0);
  EXPECT_EQ(value_at(p, "avg(flights, last 3 months)", 0), 2.0);
  EXPECT_EQ(value_at(p, "avg(flights, last 4 months)", 0), 3.0);
  EXPECT_EQ(value_at(p, "avg(flights, last 6 months)", 2), 7.0 / 6.0);
  EXPECT_EQ(value_at(p, "min(flights, last 6 months)", 0), 0.0);
  EXPECT_EQ(value_at(p, "min(flights, last 5 months)", 0), 1.0);
  EXPECT_EQ(value_at(p, "max(flights, months 2 to 6 ago)", 0), 6.0);
  EXPECT_EQ(value_at(p, "sum(spend, last 2 months)", 0), 3.75);
  EXPECT_EQ(value_at(p, "avg(spend, last 2 months)", 0), 1.875);
  EXPECT_EQ(value_at(p, "sum(spend, last 6 months)", 3), static_cast<double>(0.1f));
  EXPECT_EQ(value_at(p, "sum(spend, last 3 months)", 1), std::nullopt);  // a NULL bucket propagates
}

TEST(WindowAggregates, CountIsBucketsWithActivityAndLastActiveIsBucketsSinceTheNewestOne) {
  Population p = hand_population();
  EXPECT_EQ(value_at(p, "count(flights, last 6 months)", 0), 5.0);
  EXPECT_EQ(value_at(p, "count(flights, last 6 months)", 1), 0.0);
  EXPECT_EQ(value_at(p, "count(flights, months 2 to 5 ago)", 3), 2.0);
  EXPECT_EQ(value_at(p, "count(spend, last 3 months)", 1), 0.0);  // NULL bucket: inactive
  EXPECT_EQ(value_at(p, "last_active(flights, last 6 months)", 0), 0.0);
  EXPECT_EQ(value_at(p, "last_active(flights, months 4 to 6 ago)", 0), 3.0);
  EXPECT_EQ(value_at(p, "last_active(flights, last 6 months)", 2), 5.0);
  EXPECT_EQ(value_at(p, "last_active(flights, last 6 months)", 1), std::nullopt);  // never active
  EXPECT_EQ(value_at(p, "last_active(spend, last 6 months)", 2), 2.0);
}

TEST(WindowAggregates, TrendIsTheExactLeastSquaresSlopeTowardsAsOf) {
  Population p = hand_population();
  // oldest -> newest 1, 2, 3: slope exactly 1 per month.
  EXPECT_EQ(value_at(p, "trend(flights, last 3 months)", 0), 1.0);
  // oldest -> newest 0, 6, 6, 1, 2, 3: sum((t - 2.5)(y - 3)) / sum((t - 2.5)^2) = -1 / 17.5.
  EXPECT_EQ(value_at(p, "trend(flights, last 6 months)", 0), -2.0 / 35.0);
  // oldest -> newest 6, 6, 1: slope -2.5.
  EXPECT_EQ(value_at(p, "trend(flights, months 3 to 5 ago)", 0), -2.5);
  EXPECT_EQ(value_at(p, "trend(flights, last 6 months)", 1), 0.0);
  // float series, two buckets: newest - oldest = 1.25 - 2.5.
  EXPECT_EQ(value_at(p, "trend(spend, last 2 months)", 0), -1.25);
  // 7 six months back then nothing: (-5 * 7) / 35 = -1.
  EXPECT_EQ(value_at(p, "trend(flights, last 6 months)", 2), -1.0);
}

TEST(WindowAggregates, DefectionTriggerComposesWithTheRestOfTheLanguage) {
  Population p = hand_population();
  EXPECT_EQ(rows_where(p, "sum(flights, last 3 months) < 0.5 * sum(flights, months 4 to 6 ago)"), (test::Rows{2, 3}));
  EXPECT_EQ(rows_where(p,
                       "sum(flights, last 3 months) = 0 AND count(flights, last 6 months) > 0 "
                       "AND last_active(flights, last 6 months) >= 3"),
            (test::Rows{2}));
  EXPECT_EQ(rows_where(p, "last_active(flights, last 6 months) IS NULL OR trend(flights, last 3 months) > 0"),
            (test::Rows{0, 1, 3}));  // row 3: 0, 0, 1 rises
  EXPECT_EQ(rows_where(p, "sum(spend, last 3 months) > 3.7"), (test::Rows{0, 2}));
}

TEST(WindowAggregates, WindowLongerThanTheSeriesIsACompileErrorNamingSeriesAndLength) {
  Population p = hand_population();
  EXPECT_EQ(error_of(p, "sum(flights, last 30 months) > 0"),
            "--expr:1:14: window 'last 30 months' reaches back 30 months, but series 'flights' has 6 monthly "
            "buckets\n"
            "sum(flights, last 30 months) > 0\n"
            "             ^");
  EXPECT_EQ(error_of(p, "avg(spend, months 4 to 7 ago) > 0"),
            "--expr:1:12: window 'months 4 to 7 ago' reaches back 7 months, but series 'spend' has 6 monthly "
            "buckets\n"
            "avg(spend, months 4 to 7 ago) > 0\n"
            "           ^");
}

// The error of `expr` is "--expr:1:<col>: <message>", the expression, and a
// caret under column <col>.
void expect_window_error(const Population& p, const std::string& expr, int col, const std::string& message) {
  EXPECT_EQ(error_of(p, expr),
            "--expr:1:" + std::to_string(col) + ": " + message + "\n" + expr + "\n" + std::string(col - 1, ' ') + "^")
      << expr;
}

TEST(WindowAggregates, ArgumentErrorsSayWhatIsExpected) {
  Population p = hand_population();
  expect_window_error(p, "sum(flights, last 3 weeks) > 0", 14,
                      "series 'flights' has monthly buckets; write the window in months, not weeks");
  expect_window_error(
      p, "sum(flights_3m, last 3 months) > 0", 5,
      "sum needs an activity series as first argument, but 'flights_3m' is a column (series: flights, spend)");
  expect_window_error(p, "sum(flightz, last 3 months) > 0", 5,
                      "unknown series 'flightz' (did you mean 'flights'?) (series: flights, spend)");
  expect_window_error(p, "sum(flights, 3) > 0", 14,
                      "sum needs a window as second argument ('last 3 months' or 'months 4 to 6 ago'), but found '3'");
  expect_window_error(p, "abs(last 3 months) > 0", 5,
                      "a window ('last 3 months') can only be the second argument of sum, avg, min, max, count, "
                      "last_active or trend, e.g. sum(flights, last 3 months)");
  expect_window_error(p, "sum(flights, months 0 to 2 ago) > 0", 21,
                      "months in a window are counted from 1 (months 1 ago is the one that contains as_of), so 'months "
                      "0 to 2 ago' has no bucket 0");
  expect_window_error(p, "sum(flights, months 6 to 4 ago) > 0", 14,
                      "window 'months 6 to 4 ago' runs backwards; write months 4 to 6 ago");
  // Third attack, finding 13: 'last 0 months' suggested 'months 0 to 1 ago', itself an error.
  expect_window_error(p, "sum(flights, last 0 months) > 0", 14,
                      "window 'last 0 months' holds no bucket; a window holds at least one (last 1 months)");
  expect_window_error(p, "trend(flights, last 1 month) > 0", 16,
                      "trend needs a window of at least 2 buckets, but 'last 1 month' has 1");
  expect_window_error(p, "sum(flights, last 3 monts) > 0", 21,
                      "expected days, weeks or months after 'last 3', found name 'monts'");
  expect_window_error(p, "sum(flights, months 4 6 ago) > 0", 23,
                      "expected 'to' in the window 'months 4 to N ago', found number 6");
  expect_window_error(p, "sum(flights) > 0", 1,
                      "sum takes 2 arguments, got 1 (sum(series, last N months | months A to B ago))");
}

// ---- differential ----------------------------------------------------------

namespace {

void check_against_reference(const Population& pop, const std::vector<expr::Source>& preds,
                             const std::vector<expr::Source>& nums) {
  auto set = expr::CompiledSet::compile(pop, preds, nums);
  test::check_set(pop, set, preds, nums);
}

}  // namespace

TEST(WindowAggregates, RandomWindowedExpressionsMatchReferenceForEverySizeIsaAndThreadCount) {
  std::mt19937_64 rng(2018);
  const std::size_t sizes[] = {0, 1, 63, 65, expr::kBatchRows + 3, 3 * expr::kBatchRows + 17};
  std::size_t sets = 0;
  for (std::size_t rows : sizes) {
    Population pop = test::random_population(rng, rows);
    for (uint64_t seed = 0; seed < 12; ++seed) {
      test::WindowGen g(seed * 977 + rows);
      std::vector<expr::Source> preds, nums;
      for (int i = 0; i < 8; ++i) preds.push_back({g.predicate(), "random"});
      for (int i = 0; i < 4; ++i) nums.push_back({g.number(), "random"});
      check_against_reference(pop, preds, nums);
      ++sets;
    }
  }
  EXPECT_EQ(sets, 72u);
}

// A 50,000-bucket window (nudge activity makes such series) overflowed the
// simplifier's stack; int32 sums, counts, min and max are now balanced trees
// and a float sum longer than 1024 buckets is refused before any recursion.
// The vectorised program answers them too: the fused Code::Window pass keeps
// no register per bucket (it used to keep a batch-sized one, about 16 KB each).
TEST(WindowAggregates, FiftyThousandBucketWindowsDoNotOverflowTheStack) {
  constexpr std::size_t kBuckets = 50'000;
  Population p(2, days_from_civil(2026, 11, 1));
  std::vector<std::vector<int32_t>> v(2, std::vector<int32_t>(kBuckets, 0));
  std::vector<std::vector<float>> f(2, std::vector<float>(kBuckets, 0));
  int64_t sum = 0;
  for (std::size_t k = 0; k < kBuckets; ++k) {
    v[0][k] = static_cast<int32_t>(k % 7 == 0 ? 2147483647 - k : k % 5);
    sum += v[0][k];
  }
  v[1][kBuckets - 1] = 1;
  add_series<int32_t>(p, "visits", DataType::Int32, v, kBuckets, BucketUnit::Day);
  add_series<float>(p, "spend", DataType::Float32, f, kBuckets, BucketUnit::Day);
  // value_at: the reference, and the vectorised program under every instruction set, bit for bit.
  EXPECT_EQ(value_at(p, "sum(visits, last 50000 days)", 0), static_cast<double>(sum));
  EXPECT_EQ(value_at(p, "count(visits, last 50000 days)", 1), 1.0);
  EXPECT_EQ(value_at(p, "max(visits, last 50000 days)", 0), 2147483647.0);
  EXPECT_EQ(value_at(p, "min(visits, last 50000 days)", 1), 0.0);
  EXPECT_EQ(value_at(p, "last_active(visits, last 50000 days)", 1), 49999.0);
  EXPECT_EQ(value_at(p, "avg(visits, last 50000 days)", 1), 1.0 / 50000.0);
  EXPECT_TRUE(value_at(p, "trend(visits, last 16384 days)", 0).has_value());
  int64_t sum2000 = 0;
  for (std::size_t k = 0; k < 2000; ++k) sum2000 += v[0][k];
  EXPECT_EQ(value_at(p, "sum(visits, last 2000 days)", 0), static_cast<double>(sum2000));
  EXPECT_EQ(rows_where(p, "count(visits, last 2000 days) > 0 AND max(visits, last 2000 days) > 0"),
            (std::vector<std::size_t>{0}));
  EXPECT_EQ(value_at(p, "sum(spend, last 1024 days)", 0), 0.0);
  EXPECT_NE(error_of(p, "sum(spend, last 2000 days) > 0")
                .find("--expr:1:12: window 'last 2000 days' spans 2000 buckets; a float or int64 series is summed "
                      "in order, at most 1024 buckets (int32 series: any length)"),
            std::string::npos);
  EXPECT_NE(error_of(p, "trend(visits, last 20000 days) > 0").find("spans 20000 buckets"), std::string::npos);
}
