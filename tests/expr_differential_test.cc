// Differential tests: random trigger expressions (every operator and function,
// nested, over NULL-able columns of every type) over random data holding
// NULLs, NaN, +-inf, -0.0, INT32_MIN/MAX, INT64_MIN/MAX and uint64 beyond
// int64, for population sizes that are not whole batches. The vectorised
// program (select_all with 1 and 2 threads, evaluate per batch) must equal the
// row-at-a-time reference evaluator for every supported instruction set.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <limits>
#include <random>

#include "tests/expr_test_util.h"

using namespace nudge;

namespace {

using Rng = std::mt19937_64;

// A population of `rows` members with one column of every type.
Population random_population(std::size_t rows, uint64_t seed) {
  Rng rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto null_or = [&](auto v, int null_pct) -> std::optional<decltype(v)> {
    if (pick(100) < null_pct) return std::nullopt;
    return v;
  };
  std::vector<std::optional<int32_t>> i1, i2, c1, d1;
  std::vector<std::optional<int64_t>> l1;
  std::vector<std::optional<uint64_t>> u1;
  std::vector<std::optional<float>> f1, f2;
  std::vector<std::optional<double>> g1;
  std::vector<std::optional<uint8_t>> b1, b2;
  const float fnan = std::numeric_limits<float>::quiet_NaN(), finf = std::numeric_limits<float>::infinity();
  for (std::size_t r = 0; r < rows; ++r) {
    int32_t small = pick(21) - 10;
    const int32_t i32s[] = {
        small, small, small, 0, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), 1000, -1};
    i1.push_back(null_or(i32s[pick(8)], 20));
    i2.push_back(pick(8) - 3);
    const int64_t i64s[] = {small,
                            small,
                            3,
                            std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(),
                            int64_t{1} << 40,
                            -(int64_t{1} << 33)};
    l1.push_back(null_or(i64s[pick(7)], 15));
    const uint64_t u64s[] = {static_cast<uint64_t>(pick(10)), uint64_t{1} << 63, ~uint64_t{0}, 6000000000ull};
    u1.push_back(null_or(u64s[pick(4)], 10));
    float dec = static_cast<float>(pick(2001) - 1000) / 100.0f;  // two decimals
    const float f32s[] = {dec, dec, dec, 0.0f, -0.0f, fnan, finf, -finf, 5.5f, 10.0f};
    f1.push_back(null_or(f32s[pick(10)], 20));
    f2.push_back(static_cast<float>(pick(41) - 20) / 4.0f);
    const double f64s[] = {dec, dec * 3.0, 0.0, std::nan(""), -std::numeric_limits<double>::infinity(), 1e300, 2.5};
    g1.push_back(null_or(f64s[pick(7)], 15));
    b1.push_back(null_or(static_cast<uint8_t>(pick(2)), 25));
    b2.push_back(static_cast<uint8_t>(pick(2)));
    c1.push_back(null_or(pick(3), 15));
    d1.push_back(null_or(days_from_civil(2026, 11, 1) - pick(800) + 30, 15));
  }
  return test::PopBuilder(rows)
      .i32("i1", i1)
      .i32("i2", i2)
      .i64("l1", l1)
      .u64("u1", u1)
      .f32("f1", f1)
      .f32("f2", f2)
      .f64("g1", g1)
      .boolean("b1", b1)
      .boolean("b2", b2)
      .category("c1", {"A", "B", "C"}, c1)
      .date("d1", d1)
      .build();
}

// Random well-typed expressions as text (so the parser is exercised too).
class ExprGen {
 public:
  explicit ExprGen(uint64_t seed) : rng_(seed) {}

  std::string boolean(int depth) {
    int k = depth <= 0 ? pick(4) : pick(16);
    switch (k) {
      case 0: return pick(2) ? "b1" : "b2";
      case 1: {
        const char* v[] = {"TRUE", "FALSE", "NULL"};
        return v[pick(3)];
      }
      case 2:
      case 3:
      case 4: return number(depth - 1) + " " + cmp() + " " + number(depth - 1);
      case 5: return "(" + boolean(depth - 1) + (pick(2) ? " AND " : " OR ") + boolean(depth - 1) + ")";
      case 6: return "NOT (" + boolean(depth - 1) + ")";
      case 7: return "(" + any(depth - 1) + (pick(2) ? " IS NULL)" : " IS NOT NULL)");
      case 8: {
        std::string s = number(depth - 1) + (pick(3) == 0 ? " NOT IN (" : " IN (");
        int n = 1 + pick(4);
        for (int i = 0; i < n; ++i) s += (i ? ", " : "") + (pick(6) == 0 ? std::string("NULL") : number(depth - 2));
        return s + ")";
      }
      case 9:
        return number(depth - 1) + (pick(3) == 0 ? " NOT BETWEEN " : " BETWEEN ") + number(depth - 2) + " AND " +
               number(depth - 2);
      case 10:
        return "CASE WHEN " + boolean(depth - 1) + " THEN " + boolean(depth - 1) +
               (pick(2) ? " ELSE " + boolean(depth - 1) : "") + " END";
      case 11: return "coalesce(" + boolean(depth - 1) + ", " + boolean(depth - 1) + ")";
      case 12: {
        const char* v[] = {"'A'", "'B'", "'C'", "'Z'", "NULL"};
        return std::string("c1 ") + (pick(2) ? "= " : "<> ") + v[pick(5)];
      }
      case 13: return std::string("c1") + (pick(2) ? " IN ('A', 'C')" : " NOT IN ('B', NULL)");
      case 14: return date(depth - 1) + " " + cmp() + " " + date(depth - 1);
      default: return "(" + boolean(depth - 1) + ") " + (pick(2) ? "=" : "<>") + " (" + boolean(depth - 1) + ")";
    }
  }

  std::string number(int depth) {
    int k = depth <= 0 ? pick(5) : pick(19);
    switch (k) {
      case 0: {
        const char* c[] = {"i1", "i2", "l1", "u1"};
        return c[pick(4)];
      }
      case 1: {
        const char* c[] = {"f1", "f2", "g1", "f1"};
        return c[pick(4)];
      }
      case 2: {
        const char* v[] = {"0",          "1",   "-1", "3", "2147483647", "-2147483648", "9223372036854775807",
                           "5000000000", "NULL"};
        return v[pick(9)];
      }
      case 3: {
        const char* v[] = {"0.5", "2.25", "-0.0", "1e308", "5.5", "0.1", "10.0"};
        return v[pick(7)];
      }
      case 4: return pick(2) ? "i1" : "f1";
      case 5:
      case 6:
      case 7: {
        const char* ops[] = {" + ", " - ", " * ", " / ", " % "};
        return "(" + number(depth - 1) + ops[pick(5)] + number(depth - 1) + ")";
      }
      case 8: return "-" + number(depth - 1);
      case 9: return "abs(" + number(depth - 1) + ")";
      case 10: {
        const char* f[] = {"ln", "exp", "sqrt"};
        return std::string(f[pick(3)]) + "(" + number(depth - 1) + ")";
      }
      case 11:
        return std::string(pick(2) ? "least(" : "greatest(") + number(depth - 1) + ", " + number(depth - 1) +
               (pick(2) ? ", " + number(depth - 2) : "") + ")";
      case 12: return "coalesce(" + number(depth - 1) + ", " + number(depth - 1) + ")";
      case 13: return "days_since(" + date(depth - 1) + ")";
      case 14:
        return "CASE WHEN " + boolean(depth - 1) + " THEN " + number(depth - 1) +
               (pick(2) ? " ELSE " + number(depth - 1) : "") + " END";
      case 15: return "CASE c1 WHEN 'A' THEN " + number(depth - 1) + " WHEN 'B' THEN " + number(depth - 1) + " END";
      case 16: return "(" + date(depth - 1) + " - " + date(depth - 1) + ")";
      default: return number(depth - 1);
    }
  }

  std::string date(int depth) {
    switch (depth <= 0 ? pick(2) : pick(4)) {
      case 0: return "d1";
      case 1: return "DATE '2026-0" + std::to_string(1 + pick(9)) + "-15'";
      case 2: return "(d1 + " + integer(depth - 1) + ")";
      default: return "(d1 - " + std::to_string(pick(100)) + ")";
    }
  }

  // Integer-typed only (date arithmetic needs integers).
  std::string integer(int depth) {
    switch (depth <= 0 ? pick(3) : pick(9)) {
      case 0: {
        const char* c[] = {"i1", "i2", "l1", "u1"};
        return c[pick(4)];
      }
      case 1: {
        const char* v[] = {"0", "7", "-1", "2147483647", "9223372036854775807", "NULL"};
        return v[pick(6)];
      }
      case 2: return "i2";
      case 3:
      case 4: {
        const char* ops[] = {" + ", " - ", " * ", " % "};
        return "(" + integer(depth - 1) + ops[pick(4)] + integer(depth - 1) + ")";
      }
      case 5: return "abs(" + integer(depth - 1) + ")";
      case 6: return "days_since(" + date(depth - 1) + ")";
      case 7: return "least(" + integer(depth - 1) + ", " + integer(depth - 1) + ")";
      default: return "CASE WHEN " + boolean(depth - 1) + " THEN " + integer(depth - 1) + " END";
    }
  }

  std::string any(int depth) {
    switch (pick(3)) {
      case 0: return boolean(depth);
      case 1: return number(depth);
      default: return pick(2) ? "c1" : date(depth);
    }
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  std::string cmp() {
    const char* c[] = {"=", "<>", "<", "<=", ">", ">=", "!="};
    return c[pick(7)];
  }
  Rng rng_;
};

constexpr uint64_t kSets = 40;  // random sets of 12 expressions per population size
const std::size_t kSizes[] = {0, 1, 63, 64, 65, expr::kBatchRows - 1, expr::kBatchRows + 3, 3 * expr::kBatchRows + 17};

}  // namespace

TEST(ExprDifferential, RandomExpressionSetsMatchReferenceForEverySizeIsaAndThreadCount) {
  std::size_t total = 0;
  for (std::size_t size : kSizes) {
    Population pop = random_population(size, 1000 + size);
    for (uint64_t seed = 0; seed < kSets; ++seed) {
      ExprGen gen(seed * 7919 + size);
      std::vector<expr::Source> preds, nums;
      for (int i = 0; i < 8; ++i) preds.push_back({gen.boolean(4), "p" + std::to_string(i)});
      preds.push_back(preds[0]);  // duplicates share one program node
      for (int i = 0; i < 3; ++i) nums.push_back({gen.number(4), "n" + std::to_string(i)});
      auto set = expr::CompiledSet::compile(pop, preds, nums);
      test::check_set(pop, set, preds, nums);
      if (HasFatalFailure()) return;
      total += preds.size() + nums.size();
    }
  }
  EXPECT_EQ(total, std::size(kSizes) * kSets * 12);
}

TEST(ExprDifferential, DeepRandomPredicatesMatchReference) {
  Population pop = random_population(expr::kBatchRows + 3, 77);
  for (uint64_t seed = 0; seed < 150; ++seed) {
    ExprGen gen(seed);
    std::vector<expr::Source> preds{{gen.boolean(7), "deep"}};
    auto set = expr::CompiledSet::compile(pop, preds);
    test::check_set(pop, set, preds, {});
    if (HasFatalFailure()) return;
  }
}

TEST(ExprDifferential, SelectionsDoNotDependOnBatchBoundaries) {
  // The same expressions over the same data, once whole and once as the first
  // rows of a larger population: the shared rows must select identically.
  Population small = random_population(expr::kBatchRows + 3, 5);
  ExprGen gen(99);
  std::vector<expr::Source> preds;
  for (int i = 0; i < 6; ++i) preds.push_back({gen.boolean(3), "p"});
  auto a = expr::select_all(small, expr::CompiledSet::compile(small, preds));
  std::size_t ones = 0;
  for (auto& v : a)
    for (auto w : v) ones += static_cast<std::size_t>(__builtin_popcountll(w));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t r = small.rows(); r < padded_rows(small.rows()); ++r)
      EXPECT_EQ((a[i][r / 64] >> (r % 64)) & 1, 0u) << "bit set past the last row";
  EXPECT_GT(ones, 0u);
}
