// Windowed aggregates over activity series (engine/expr/window_functions.h):
// exact values of every aggregate by hand (trend slopes included), the
// defection trigger, compile-time errors with exact text, and random
// windowed expressions over random series (zeros, extremes, NaN/inf in the
// float series; NULL-free) where the vectorised program must equal the
// reference evaluator for every instruction set, thread count and size.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <cmath>
#include <random>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "tests/expr_test_util.h"
#include "tests/support/error_text.h"

using namespace nudge;
using test::rows_where;
using test::value_at;

namespace {

// Adds a series of `buckets` columns "<name>@<k>" with values[row][k] (k = 0: as_of's bucket).
template <class T>
void add_series(Population& p, const std::string& name, DataType t, const std::vector<std::vector<T>>& values,
                std::size_t buckets, BucketUnit unit = BucketUnit::Month) {
  Series s;
  s.name = name;
  s.unit = unit;
  for (std::size_t k = 0; k < buckets; ++k) {
    Column c(name + "@" + std::to_string(k), t, p.rows());
    for (std::size_t r = 0; r < p.rows(); ++r) c.mutable_values<T>()[r] = values[r][k];
    s.bucket_columns.push_back(p.add_column(std::move(c)));
  }
  p.add_series(std::move(s));
}

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

TEST(WindowAggregates, ArgumentErrorsSayWhatIsExpected) {
  Population p = hand_population();
  EXPECT_EQ(error_of(p, "sum(flights, last 3 weeks) > 0"),
            "--expr:1:14: series 'flights' has monthly buckets; write the window in months, not weeks\n"
            "sum(flights, last 3 weeks) > 0\n"
            "             ^");
  EXPECT_EQ(error_of(p, "sum(flights_3m, last 3 months) > 0"),
            "--expr:1:5: sum needs an activity series as first argument, but 'flights_3m' is a column (series: "
            "flights, spend)\n"
            "sum(flights_3m, last 3 months) > 0\n"
            "    ^");
  EXPECT_EQ(error_of(p, "sum(flightz, last 3 months) > 0"),
            "--expr:1:5: unknown series 'flightz' (did you mean 'flights'?) (series: flights, spend)\n"
            "sum(flightz, last 3 months) > 0\n"
            "    ^");
  EXPECT_EQ(error_of(p, "sum(flights, 3) > 0"),
            "--expr:1:14: sum needs a window as second argument ('last 3 months' or 'months 4 to 6 ago'), but "
            "found '3'\n"
            "sum(flights, 3) > 0\n"
            "             ^");
  EXPECT_EQ(error_of(p, "abs(last 3 months) > 0"),
            "--expr:1:5: a window ('last 3 months') can only be the second argument of sum, avg, min, max, count, "
            "last_active or trend, e.g. sum(flights, last 3 months)\n"
            "abs(last 3 months) > 0\n"
            "    ^");
  EXPECT_EQ(error_of(p, "sum(flights, months 0 to 2 ago) > 0"),
            "--expr:1:21: months in a window are counted from 1 (months 1 ago is the one that contains as_of), so "
            "'months 0 to 2 ago' has no bucket 0\n"
            "sum(flights, months 0 to 2 ago) > 0\n"
            "                    ^");
  EXPECT_EQ(error_of(p, "sum(flights, months 6 to 4 ago) > 0"),
            "--expr:1:14: window 'months 6 to 4 ago' runs backwards; write months 4 to 6 ago\n"
            "sum(flights, months 6 to 4 ago) > 0\n"
            "             ^");
  EXPECT_EQ(error_of(p, "trend(flights, last 1 month) > 0"),
            "--expr:1:16: trend needs a window of at least 2 buckets, but 'last 1 month' has 1\n"
            "trend(flights, last 1 month) > 0\n"
            "               ^");
  EXPECT_EQ(error_of(p, "sum(flights, last 3 monts) > 0"),
            "--expr:1:21: expected days, weeks or months after 'last 3', found name 'monts'\n"
            "sum(flights, last 3 monts) > 0\n"
            "                    ^");
  EXPECT_EQ(error_of(p, "sum(flights, months 4 6 ago) > 0"),
            "--expr:1:23: expected 'to' in the window 'months 4 to N ago', found number 6\n"
            "sum(flights, months 4 6 ago) > 0\n"
            "                      ^");
  EXPECT_EQ(error_of(p, "sum(flights) > 0"),
            "--expr:1:1: sum takes 2 arguments, got 1 (sum(series, last N months | months A to B ago))\n"
            "sum(flights) > 0\n"
            "^");
}

// ---- differential ----------------------------------------------------------

namespace {

constexpr std::size_t kBuckets = 24;

Population random_population(std::mt19937_64& rng, std::size_t rows) {
  Population p(rows, days_from_civil(2018, 12, 31));
  std::vector<std::vector<int32_t>> f(rows, std::vector<int32_t>(kBuckets));
  std::vector<std::vector<float>> s(rows, std::vector<float>(kBuckets));
  for (std::size_t r = 0; r < rows; ++r) {
    const int mode = static_cast<int>(rng() % 4);  // 0: inactive member, 1: sparse, 2: busy, 3: extremes
    for (std::size_t k = 0; k < kBuckets; ++k) {
      int32_t v = 0;
      if (mode == 1 && rng() % 4 == 0) v = static_cast<int32_t>(rng() % 5);
      if (mode == 2) v = static_cast<int32_t>(rng() % 12);
      if (mode == 3) {
        const int32_t ext[] = {0, 1, -1, INT32_MAX, INT32_MIN, 0};
        v = ext[rng() % 6];
      }
      f[r][k] = v;
      float x = v == 0 ? 0.0f : static_cast<float>(rng() % 100000) / 100.0f;
      if (mode == 3 && rng() % 5 == 0) {
        const float fx[] = {INFINITY, -INFINITY, NAN, -0.0f, 3.4e38f};
        x = fx[rng() % 5];
      }
      s[r][k] = x;
    }
  }
  add_series<int32_t>(p, "flights", DataType::Int32, f, kBuckets);
  add_series<float>(p, "spend", DataType::Float32, s, kBuckets);
  return p;
}

class WindowGen {
 public:
  explicit WindowGen(uint64_t seed) : rng_(seed) {}
  std::string window() {
    const int a = 1 + pick(kBuckets);
    if (pick(2)) return "last " + std::to_string(a) + (a == 1 ? " month" : " months");
    const int b = a + pick(static_cast<int>(kBuckets) - a + 1);
    return "months " + std::to_string(a) + " to " + std::to_string(b) + " ago";
  }
  std::string aggregate() {
    const char* fn[] = {"sum", "avg", "min", "max", "count", "last_active", "trend"};
    std::string f = fn[pick(7)];
    std::string w = window();
    if (f == "trend" && w.find(" 1 month") != std::string::npos) w = "last 2 months";
    if (f == "trend" && w.rfind("months", 0) == 0) {  // need >= 2 buckets
      const int a = 1 + pick(kBuckets - 1);
      w = "months " + std::to_string(a) + " to " + std::to_string(a + 1 + pick(static_cast<int>(kBuckets) - a)) +
          " ago";
    }
    return f + "(" + (pick(2) ? "flights" : "spend") + ", " + w + ")";
  }
  std::string number() {
    switch (pick(4)) {
      case 0: return aggregate();
      case 1: return aggregate() + " - " + aggregate();
      case 2: return "0.5 * " + aggregate();
      default: return "coalesce(" + aggregate() + ", -1)";
    }
  }
  std::string predicate() {
    const char* cmp[] = {"<", "<=", ">", ">=", "=", "<>"};
    switch (pick(4)) {
      case 0: return number() + " " + cmp[pick(6)] + " " + number();
      case 1: return aggregate() + " " + cmp[pick(6)] + " " + std::to_string(pick(10));
      case 2: return aggregate() + " IS NULL";
      default: return "(" + predicate() + ") " + (pick(2) ? "AND" : "OR") + " NOT (" + predicate() + ")";
    }
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  std::mt19937_64 rng_;
};

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
    Population pop = random_population(rng, rows);
    for (uint64_t seed = 0; seed < 12; ++seed) {
      WindowGen g(seed * 977 + rows);
      std::vector<expr::Source> preds, nums;
      for (int i = 0; i < 8; ++i) preds.push_back({g.predicate(), "random"});
      for (int i = 0; i < 4; ++i) nums.push_back({g.number(), "random"});
      check_against_reference(pop, preds, nums);
      ++sets;
    }
  }
  EXPECT_EQ(sets, 72u);
}
