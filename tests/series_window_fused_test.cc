// The fused window pass (Code::Window, engine/expr/window_plan.h and
// executor_window.inc) against the desugared trees it replaces: the same
// random windowed expressions compiled over a population whose series qualify
// for fusion and over an equal one whose series do not (a 25th bucket of
// another storage, never inside a window; tests/series_window_util.h) give
// the same bits (-0.0, NULLs; NaN for NaN) under every instruction
// set, for sizes that are not multiples of the batch; and hand-checked values
// where NULL buckets meet each kind of window.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "tests/expr_test_util.h"
#include "tests/series_window_util.h"

using namespace nudge;
using test::value_at;

namespace {

// Every predicate bit, number validity bit and number of `a` (over pop_a)
// equals that of `b` (over pop_b), batch by batch: bit for bit, -0.0 apart
// from 0.0, except that a NaN equals any NaN (the sign and payload of a NaN
// that arithmetic on two NaNs makes depend on the operand order the C++
// compiler picks, in the fused and unfused kernels alike; nudge does not
// promise them, see same_double in tests/expr_test_util.h).
void expect_same_bits(const Population& pop_a, const expr::CompiledSet& a, const Population& pop_b,
                      const expr::CompiledSet& b, const std::vector<expr::Source>& preds,
                      const std::vector<expr::Source>& nums, std::string_view isa) {
  expr::Workspace wa, wb;
  for (std::size_t begin = 0; begin < pop_a.rows(); begin += expr::kBatchRows) {
    const std::size_t count = std::min(expr::kBatchRows, pop_a.rows() - begin), words = (count + 63) / 64;
    a.evaluate(pop_a, begin, count, wa);
    b.evaluate(pop_b, begin, count, wb);
    for (std::size_t i = 0; i < preds.size(); ++i)
      for (std::size_t w = 0; w < words; ++w)
        ASSERT_EQ(wa.predicate_bits(i)[w], wb.predicate_bits(i)[w])
            << preds[i].text << " rows " << begin + w * 64 << ".. under " << isa;
    for (std::size_t i = 0; i < nums.size(); ++i) {
      for (std::size_t w = 0; w < words; ++w)
        ASSERT_EQ(wa.number_validity(i)[w], wb.number_validity(i)[w])
            << nums[i].text << " rows " << begin + w * 64 << ".. under " << isa;
      for (std::size_t r = 0; r < count; ++r) {
        const double x = wa.number_values(i)[r], y = wb.number_values(i)[r];
        ASSERT_TRUE(test::same_double(x, y))
            << nums[i].text << " row " << begin + r << ": " << x << " vs " << y << " under " << isa;
      }
    }
  }
}

}  // namespace

TEST(WindowFusion, FusedPassEqualsTheDesugaredTreesBitForBitForEveryIsaAndSize) {
  const std::size_t sizes[] = {1, 63, 65, expr::kBatchRows + 3, 3 * expr::kBatchRows + 17};
  std::size_t sets = 0;
  for (std::size_t rows : sizes) {
    std::mt19937_64 rng_a(rows), rng_b(rows);
    const Population fused = test::random_population(rng_a, rows);
    const Population plain = test::random_population(rng_b, rows, /*unfusable=*/true);
    ASSERT_EQ(plain.num_columns(), fused.num_columns() + 3);
    for (uint64_t seed = 0; seed < 10; ++seed) {
      test::WindowGen g(seed * 7919 + rows);
      std::vector<expr::Source> preds, nums;
      for (int i = 0; i < 8; ++i) preds.push_back({g.predicate(), "random"});
      for (int i = 0; i < 8; ++i) nums.push_back({i % 2 ? g.number() : g.aggregate(), "random"});
      const auto a = expr::CompiledSet::compile(fused, preds, nums);
      const auto b = expr::CompiledSet::compile(plain, preds, nums);
      for (auto isa : test::test_isas()) {
        simd::ScopedIsa scoped(isa);
        expect_same_bits(fused, a, plain, b, preds, nums, simd::isa_name(isa));
      }
      ++sets;
    }
  }
  EXPECT_EQ(sets, 50u);
}

TEST(WindowFusion, NullBucketsInEachKindOfWindow) {
  Population p(3, days_from_civil(2018, 12, 31));
  // Newest first: row 0 is 1, NULL, 3, 0, 5; row 1 all 0; row 2 NULL, 2, 0, 4, 0.
  const std::vector<std::vector<char>> nulls = {{0, 1, 0, 0, 0}, {0, 0, 0, 0, 0}, {1, 0, 0, 0, 0}};
  test::add_series<int32_t>(p, "v", DataType::Int32, {{1, 0, 3, 0, 5}, {0, 0, 0, 0, 0}, {0, 2, 0, 4, 0}}, 5,
                            BucketUnit::Month, &nulls);
  EXPECT_EQ(value_at(p, "sum(v, last 5 months)", 0), std::nullopt);
  EXPECT_EQ(value_at(p, "sum(v, months 3 to 5 ago)", 0), 8.0);
  EXPECT_EQ(value_at(p, "avg(v, months 3 to 5 ago)", 0), 8.0 / 3.0);
  EXPECT_EQ(value_at(p, "sum(v, last 5 months)", 1), 0.0);
  // The middle bucket of an odd window has coefficient 0 and is in no term: (2 * (1 - 3)) / 4.
  EXPECT_EQ(value_at(p, "trend(v, last 3 months)", 0), -1.0);
  EXPECT_EQ(value_at(p, "trend(v, last 4 months)", 0), std::nullopt);
  EXPECT_EQ(value_at(p, "count(v, last 5 months)", 0), 3.0);
  EXPECT_EQ(value_at(p, "count(v, last 5 months)", 2), 2.0);  // a NULL bucket is inactive
  EXPECT_EQ(value_at(p, "last_active(v, last 5 months)", 2), 1.0);
  EXPECT_EQ(value_at(p, "last_active(v, last 5 months)", 1), std::nullopt);
  EXPECT_EQ(value_at(p, "min(v, months 2 to 5 ago)", 2), 0.0);
  EXPECT_EQ(value_at(p, "max(v, last 5 months)", 0), std::nullopt);
  EXPECT_EQ(value_at(p, "max(v, months 3 to 5 ago)", 0), 5.0);
}

TEST(WindowFusion, LeastAndGreatestKeepTheFirstNaNAndTheFirstOfEqualZeros) {
  Population p(2, days_from_civil(2018, 12, 31));
  const double neg_nan = -std::nan(""), pos_nan = std::nan("");
  test::add_series<double>(p, "a", DataType::Float64, {{1.0, neg_nan, pos_nan, -5.0}, {0.0, -0.0, 0.0, 1.0}}, 4);
  const auto set = expr::CompiledSet::compile(
      p, {}, {{"max(a, last 4 months)", "t"}, {"min(a, months 3 to 4 ago)", "t"}, {"min(a, last 3 months)", "t"}});
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa scoped(isa);
    expr::Workspace ws;
    set.evaluate(p, 0, 2, ws);
    EXPECT_TRUE(std::isnan(ws.number_values(0)[0]) && std::signbit(ws.number_values(0)[0])) << simd::isa_name(isa);
    EXPECT_TRUE(std::isnan(ws.number_values(1)[0]) && !std::signbit(ws.number_values(1)[0])) << simd::isa_name(isa);
    EXPECT_EQ(ws.number_values(2)[1], 0.0);
    EXPECT_FALSE(std::signbit(ws.number_values(2)[1])) << simd::isa_name(isa);  // 0.0 came first
    EXPECT_EQ(ws.number_values(0)[1], 1.0);
  }
}
