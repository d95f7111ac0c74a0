// The trigger-expression language, rule by rule, with exact expected rows.
// Every answer is also checked against the reference evaluator and every
// supported instruction set (tests/expr_test_util.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "engine/base/error.h"
#include "tests/expr_test_util.h"

using namespace nudge;
using nudge::test::Rows;
using nudge::test::rows_where;
using nudge::test::value_at;

namespace {

constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

// Eight members; row r of every column is the r-th value below (nullopt = NULL).
Population sample() {
  return test::PopBuilder(8)
      .i32("n", {1, 2, std::nullopt, -5, 0, kI32Max, kI32Min, 7})
      .f32("x", {1.5f, kNaN, std::nullopt, -kInf, kInf, 5000.0f, 5000.1f, 0.0f})
      .boolean("b", {1, 0, std::nullopt, 1, 0, 1, 0, std::nullopt})
      .category("tier", {"Star", "Nova", "Aurora"}, {0, 1, 2, std::nullopt, 0, 1, 2, 0})
      .i64("big", {kI64Max, kI64Min, 0, std::nullopt, 1, -1, 5, 100})
      .u64("id", {1, std::numeric_limits<uint64_t>::max(), uint64_t{1} << 63, (uint64_t{1} << 63) - 1, std::nullopt, 0,
                  6000000000ull, 42})
      .date("seen",
            {days_from_civil(2026, 10, 1), days_from_civil(2026, 11, 1), std::nullopt, 0, days_from_civil(2026, 11, 2),
             days_from_civil(2025, 11, 1), days_from_civil(2026, 10, 31), std::nullopt})
      .f64("Points Balance", {10.5, -0.0, 0.0, std::nullopt, 1e300, -1e300, 20, 3})
      .build();
}

}  // namespace

TEST(ExprLogic, NullAndFalseIsFalseAndNullOrTrueIsTrue) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "b AND NULL"), Rows{});
  EXPECT_EQ(rows_where(pop, "NOT (b AND NULL)"), (Rows{1, 4, 6}));
  EXPECT_EQ(rows_where(pop, "b OR NULL"), (Rows{0, 3, 5}));
  EXPECT_EQ(rows_where(pop, "(b AND NULL) IS NULL"), (Rows{0, 2, 3, 5, 7}));
  EXPECT_EQ(rows_where(pop, "(b OR NULL) IS NULL"), (Rows{1, 2, 4, 6, 7}));
  EXPECT_EQ(rows_where(pop, "NULL OR TRUE"), (Rows{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "NOT (NULL AND FALSE)"), (Rows{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(ExprLogic, NotOfNullIsNullAndTriggersFireOnlyOnTrue) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "b"), (Rows{0, 3, 5}));
  EXPECT_EQ(rows_where(pop, "NOT b"), (Rows{1, 4, 6}));
  EXPECT_EQ(rows_where(pop, "NOT NOT b"), (Rows{0, 3, 5}));
  EXPECT_EQ(rows_where(pop, "(NOT b) IS NULL"), (Rows{2, 7}));
  EXPECT_EQ(rows_where(pop, "b IS NOT NULL"), (Rows{0, 1, 3, 4, 5, 6}));
  EXPECT_EQ(rows_where(pop, "b = TRUE"), (Rows{0, 3, 5}));
  EXPECT_EQ(rows_where(pop, "b <> TRUE"), (Rows{1, 4, 6}));
  EXPECT_EQ(rows_where(pop, "NULL"), Rows{});
}

TEST(ExprIn, InWithNullIsNullUnlessAMemberMatches) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "n IN (1, NULL)"), (Rows{0}));
  EXPECT_EQ(rows_where(pop, "n NOT IN (1, NULL)"), Rows{});
  EXPECT_EQ(rows_where(pop, "(n IN (1, NULL)) IS NULL"), (Rows{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n IN (1, 2, 7)"), (Rows{0, 1, 7}));
  EXPECT_EQ(rows_where(pop, "n NOT IN (1, 2, 7)"), (Rows{3, 4, 5, 6}));
}

TEST(ExprBetween, IsInclusiveAndEmptyWhenBoundsAreReversed) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "n BETWEEN 0 AND 2"), (Rows{0, 1, 4}));
  EXPECT_EQ(rows_where(pop, "n NOT BETWEEN 0 AND 2"), (Rows{3, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n BETWEEN 2 AND 0"), Rows{});
  EXPECT_EQ(rows_where(pop, "n between -5 and null"), Rows{});  // >= -5 AND NULL: never TRUE
  EXPECT_EQ(rows_where(pop, "n NOT BETWEEN 3 AND NULL"),
            (Rows{0, 1, 3, 4, 6}));  // < 3 makes it FALSE AND ..., so NOT is TRUE
}

TEST(ExprCompare, IntegerColumnAgainstConstantsOutsideInt32) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "n > 0"), (Rows{0, 1, 5, 7}));
  EXPECT_EQ(rows_where(pop, "n <> 0"), (Rows{0, 1, 3, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n != 0"), (Rows{0, 1, 3, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n >= 2147483647"), (Rows{5}));
  EXPECT_EQ(rows_where(pop, "n <= -2147483648"), (Rows{6}));
  EXPECT_EQ(rows_where(pop, "n > 3000000000"), Rows{});
  EXPECT_EQ(rows_where(pop, "n < 3000000000"), (Rows{0, 1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n > -3000000000"), (Rows{0, 1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n = 3000000000"), Rows{});
  EXPECT_EQ(rows_where(pop, "n <> 3000000000"), (Rows{0, 1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "3 > n"), (Rows{0, 1, 3, 4, 6}));
  EXPECT_EQ(rows_where(pop, "n < 1.5"), (Rows{0, 3, 4, 6}));
}

TEST(ExprFloat32, BareColumnComparesAgainstConstantRoundedToFloat32) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "x > 5000"), (Rows{4, 6}));
  EXPECT_EQ(rows_where(pop, "x >= 5000"), (Rows{4, 5, 6}));
  // 5000.1 stored as float32 is 5000.10009765625; as decimals 5000.1 > 5000.1 is false.
  EXPECT_EQ(rows_where(pop, "x > 5000.1"), (Rows{4}));
  EXPECT_EQ(rows_where(pop, "x = 5000.1"), (Rows{6}));
  EXPECT_EQ(rows_where(pop, "5000.1 < x"), (Rows{4}));
  EXPECT_EQ(rows_where(pop, "x > 5000 + 0.1"), (Rows{4}));  // constant expressions too
  // Not a bare column: compared in double.
  EXPECT_EQ(rows_where(pop, "x + 0 > 5000.1"), (Rows{4, 6}));
  // A constant that float32 would round to zero is compared in double.
  EXPECT_EQ(rows_where(pop, "x = 1e-50"), Rows{});
  EXPECT_EQ(rows_where(pop, "x < 1e-50"), (Rows{3, 7}));
}

// Before the fix only the bare column had the float32 rule: inside coalesce,
// CASE, least/greatest, abs or unary minus, row 6 (a stored 5000.10, the
// float32 5000.10009765625) was not `= 5000.1` and was `> 5000.1`.
TEST(ExprFloat32, FloatValuedExpressionsKeepTheRule) {
  auto pop = sample();
  auto has6 = [](const Rows& r) { return std::find(r.begin(), r.end(), 6u) != r.end(); };
  for (std::string f :
       {"coalesce(x, 0)", "coalesce(x, 1.5, 0)", "CASE WHEN b THEN x ELSE x END", "CASE WHEN n > 100 THEN 0 ELSE x END",
        "CASE n WHEN 7 THEN NULL ELSE x END", "greatest(x, 0)", "least(x, 1000000)", "abs(x)", "-(-x)"}) {
    SCOPED_TRACE(f);
    EXPECT_TRUE(has6(rows_where(pop, f + " = 5000.1")));
    EXPECT_FALSE(has6(rows_where(pop, f + " > 5000.1")));
    EXPECT_TRUE(has6(rows_where(pop, f + " <= 5000.1")));
    EXPECT_TRUE(has6(rows_where(pop, "5000.1 = " + f)));
    EXPECT_TRUE(has6(rows_where(pop, f + " BETWEEN 5000.1 AND 5000.1")));
    EXPECT_TRUE(has6(rows_where(pop, f + " IN (1, 5000.1)")));
  }
  EXPECT_TRUE(has6(rows_where(pop, "-x = -5000.1")));
  EXPECT_EQ(rows_where(pop, "coalesce(x, 0) = 0"), (Rows{2, 7}));
  // A value float32 cannot hold exactly, or arithmetic, is compared in double (the stated rule).
  EXPECT_FALSE(has6(rows_where(pop, "coalesce(x, 0.1) = 5000.1")));
  EXPECT_FALSE(has6(rows_where(pop, "coalesce(x, 0) + 0 = 5000.1")));
  EXPECT_FALSE(has6(rows_where(pop, "x * 1 = 5000.1")));
}

TEST(ExprNaN, ComparisonsWithNaNAreFalseExceptNotEqual) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "x <> 1.5"), (Rows{1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "x = x"), (Rows{0, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "x <> x"), (Rows{1}));
  EXPECT_EQ(rows_where(pop, "NOT (x > 0)"), (Rows{1, 3, 7}));
  EXPECT_EQ(rows_where(pop, "x IS NULL"), (Rows{2}));  // NaN is a value, not NULL
  EXPECT_EQ(rows_where(pop, "least(x, 0) < 0"), (Rows{3}));
  EXPECT_EQ(rows_where(pop, "greatest(x, 0) <> greatest(x, 0)"), (Rows{1}));  // NaN wins
  EXPECT_TRUE(std::isnan(*value_at(pop, "x * 0", 4)));                        // inf * 0
  EXPECT_EQ(*value_at(pop, "x - 1", 3), -std::numeric_limits<double>::infinity());
}

TEST(ExprCategory, ComparesByDictionaryCodeAndWarnsOnUnknownString) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "tier = 'Star'"), (Rows{0, 4, 7}));
  EXPECT_EQ(rows_where(pop, "tier IN ('Star', 'Nova')"), (Rows{0, 1, 4, 5, 7}));
  EXPECT_EQ(rows_where(pop, "tier <> 'Aurora'"), (Rows{0, 1, 4, 5, 7}));
  EXPECT_EQ(rows_where(pop, "tier NOT IN ('Star')"), (Rows{1, 2, 5, 6}));
  EXPECT_EQ(rows_where(pop, "'Nova' = tier"), (Rows{1, 5}));
  EXPECT_EQ(rows_where(pop, "tier IS NULL"), (Rows{3}));
  EXPECT_EQ(rows_where(pop, "tier = 'Platinum'"), Rows{});
  EXPECT_EQ(rows_where(pop, "tier <> 'Platinum'"), (Rows{0, 1, 2, 4, 5, 6, 7}));
  auto set = expr::CompiledSet::compile(pop, {{"tier IN ('Star', 'star')", "campaign.toml:3:12"}});
  ASSERT_EQ(set.warnings().size(), 1u);
  EXPECT_EQ(set.warnings()[0],
            "campaign.toml:3:29: 'star' is not a value of category column tier (Star, Nova, Aurora); it never matches");
}

TEST(ExprArithmetic, DivisionAndModuloByZeroAreNull) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "(n / 0) IS NULL"), (Rows{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "(n % 0) IS NULL"), (Rows{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "(x / 0.0) IS NULL"), (Rows{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "n / 2 = 0.5"), (Rows{0}));    // '/' always divides in double
  EXPECT_EQ(rows_where(pop, "n % 3 = -2"), (Rows{3, 6}));  // sign of the dividend
  EXPECT_EQ(rows_where(pop, "n % -1 = 0"), (Rows{0, 1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(*value_at(pop, "10 / 4", 0), 2.5);
  EXPECT_EQ(*value_at(pop, "-7 % 3", 0), -1.0);
  EXPECT_EQ(*value_at(pop, "7.5 % 2", 0), 1.5);
  EXPECT_FALSE(value_at(pop, "0.0 / 0", 0));
  EXPECT_FALSE(value_at(pop, "big % 0", 0));
  EXPECT_EQ(*value_at(pop, "big % -1", 1), 0.0);  // INT64_MIN % -1 is 0, not a trap
}

TEST(ExprArithmetic, IntegerOverflowIsNull) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "(big + 1) IS NULL"), (Rows{0, 3}));
  EXPECT_EQ(rows_where(pop, "(big - 1) IS NULL"), (Rows{1, 3}));
  EXPECT_EQ(rows_where(pop, "(big * 2) IS NULL"), (Rows{0, 1, 3}));
  EXPECT_EQ(rows_where(pop, "(-big) IS NULL"), (Rows{1, 3}));
  EXPECT_EQ(rows_where(pop, "abs(big) IS NULL"), (Rows{1, 3}));
  EXPECT_EQ(rows_where(pop, "n * 2 > 10"), (Rows{5, 7}));  // int32 values compute in int64: no overflow
  EXPECT_EQ(*value_at(pop, "n * n", 6), 4611686018427387904.0);
  EXPECT_FALSE(value_at(pop, "9223372036854775807 + 1", 0));
}

TEST(ExprArithmetic, Uint64BeyondInt64IsNull) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "id IS NULL"), (Rows{1, 2, 4}));
  EXPECT_EQ(rows_where(pop, "id = 6000000000"), (Rows{6}));
  EXPECT_EQ(rows_where(pop, "id > 1"), (Rows{3, 6, 7}));
  EXPECT_EQ(*value_at(pop, "id + 0.5", 6), 6000000000.5);
}

TEST(ExprFunctions, MathFunctionsGiveNullOutsideTheirDomain) {
  auto pop = sample();
  EXPECT_FALSE(value_at(pop, "ln(0)", 0));
  EXPECT_FALSE(value_at(pop, "ln(-1)", 0));
  EXPECT_FALSE(value_at(pop, "sqrt(-4)", 0));
  EXPECT_EQ(*value_at(pop, "sqrt(16)", 0), 4.0);
  EXPECT_EQ(*value_at(pop, "exp(0)", 0), 1.0);
  EXPECT_EQ(*value_at(pop, "abs(-3)", 0), 3.0);
  EXPECT_EQ(*value_at(pop, "abs(n)", 3), 5.0);
  EXPECT_EQ(*value_at(pop, "ln(x)", 5), std::log(5000.0));
  EXPECT_FALSE(value_at(pop, "ln(x)", 3));  // ln(-inf)
  EXPECT_EQ(*value_at(pop, "sqrt(x)", 4), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*value_at(pop, "exp(x)", 3), 0.0);
  EXPECT_TRUE(std::isnan(*value_at(pop, "sqrt(x)", 1)));
}

TEST(ExprFunctions, LeastGreatestAreNullIfAnyArgumentIsNullCoalesceTakesFirstValue) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "least(n, 3) = 3"), (Rows{5, 7}));
  EXPECT_EQ(rows_where(pop, "greatest(n, 0, -1) = 0"), (Rows{3, 4, 6}));
  EXPECT_EQ(rows_where(pop, "greatest(n, NULL) IS NULL"), (Rows{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows_where(pop, "coalesce(n, 100) = 100"), (Rows{2}));
  EXPECT_EQ(rows_where(pop, "coalesce(NULL, n, 5) = 5"), (Rows{2}));
  EXPECT_EQ(rows_where(pop, "coalesce(b, TRUE)"), (Rows{0, 2, 3, 5, 7}));
  EXPECT_EQ(*value_at(pop, "least(n, 2.5)", 7), 2.5);
  EXPECT_EQ(*value_at(pop, "coalesce(x, n, 9)", 2), 9.0);
}

TEST(ExprCase, FirstTrueBranchWinsAndNullConditionsAreNotTrue) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "CASE WHEN n > 1 THEN TRUE WHEN n IS NULL THEN TRUE ELSE FALSE END"), (Rows{1, 2, 5, 7}));
  EXPECT_EQ(rows_where(pop, "CASE WHEN b THEN 1 ELSE 2 END = 2"), (Rows{1, 2, 4, 6, 7}));
  EXPECT_EQ(rows_where(pop, "(CASE WHEN b THEN 1 END) IS NULL"), (Rows{1, 2, 4, 6, 7}));
  EXPECT_EQ(rows_where(pop, "CASE tier WHEN 'Star' THEN 1 WHEN 'Nova' THEN 2 ELSE 3 END = 3"), (Rows{2, 3, 6}));
  EXPECT_EQ(rows_where(pop, "CASE WHEN n > 0 THEN n WHEN n > -10 THEN 0.5 END = 0.5"), (Rows{3, 4}));
  EXPECT_EQ(*value_at(pop, "CASE WHEN FALSE THEN 1 WHEN TRUE THEN 2 ELSE 3 END", 0), 2.0);
}

TEST(ExprDates, DateLiteralsArithmeticAndDaysSince) {
  auto pop = sample();  // as_of 2026-11-01
  EXPECT_EQ(rows_where(pop, "days_since(seen) = 31"), (Rows{0}));
  EXPECT_EQ(rows_where(pop, "days_since(seen) < 0"), (Rows{4}));
  EXPECT_EQ(rows_where(pop, "seen < DATE '2026-11-01'"), (Rows{0, 3, 5, 6}));
  EXPECT_EQ(rows_where(pop, "seen BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"), (Rows{0, 6}));
  EXPECT_EQ(rows_where(pop, "seen + 31 = DATE '2026-11-01'"), (Rows{0}));
  EXPECT_EQ(rows_where(pop, "DATE '2026-11-01' - seen = 365"), (Rows{5}));
  EXPECT_EQ(*value_at(pop, "days_since(DATE '2026-10-30')", 0), 2.0);
}

TEST(ExprSyntax, KeywordsAreCaseInsensitiveAndNamesMayBeQuoted) {
  auto pop = sample();
  EXPECT_EQ(rows_where(pop, "n > 0 and NoT (n > 1)"), (Rows{0}));
  EXPECT_EQ(rows_where(pop, "\"n\" = 1"), (Rows{0}));
  EXPECT_EQ(rows_where(pop, "\"Points Balance\" > 10"), (Rows{0, 4, 6}));
  EXPECT_EQ(rows_where(pop, "points_balance > 10"), (Rows{0, 4, 6}));
  EXPECT_EQ(rows_where(pop, "N = 1 Or n = 2"), (Rows{0, 1}));
  EXPECT_EQ(rows_where(pop, "1e3 = 1000 AND .5 = 0.5 AND n = 7"), (Rows{7}));
  EXPECT_EQ(rows_where(pop, "-n = 5 AND +n = -5"), (Rows{3}));
  EXPECT_EQ(rows_where(pop, "1 + 2 * 3 = 7 AND (1 + 2) * 3 = 9 AND 7 - 2 - 1 = 4 AND n = 0"), (Rows{4}));
}

TEST(ExprSet, SharedSubexpressionsAndSeveralOutputsInOnePass) {
  auto pop = sample();
  auto set = expr::CompiledSet::compile(pop, {{"n > 0 AND b", "t0"}, {"n > 0 AND NOT b", "t1"}, {"n > 0 AND b", "t2"}},
                                        {{"n * 2", "p0"}, {"x", "p1"}});
  ASSERT_EQ(set.num_predicates(), 3u);
  ASSERT_EQ(set.num_numbers(), 2u);
  EXPECT_EQ(set.columns_read(), (std::vector<std::size_t>{0, 1, 2}));
  expr::Workspace ws;
  set.evaluate(pop, 0, 8, ws);
  EXPECT_EQ(ws.predicate_bits(0)[0], 0b00100001u);
  EXPECT_EQ(ws.predicate_bits(1)[0], 0b00000010u);
  EXPECT_EQ(ws.predicate_bits(2)[0], 0b00100001u);
  EXPECT_EQ(ws.number_validity(0)[0], 0b11111011u);
  EXPECT_EQ(ws.number_values(0)[7], 14.0);
  EXPECT_EQ(ws.number_values(0)[2], 0.0);  // NULL rows hold 0
  EXPECT_EQ(ws.number_values(1)[0], 1.5);
  EXPECT_EQ(ws.number_validity(1)[0], 0b11111011u);
}

TEST(ExprSet, EvaluateRejectsRowsThatAreNotABatch) {
  auto pop = sample();
  auto set = expr::CompiledSet::compile(pop, {{"n > 0", "t"}});
  expr::Workspace ws;
  EXPECT_THROW(set.evaluate(pop, 1, 4, ws), Error);
  EXPECT_THROW(set.evaluate(pop, 0, 9, ws), Error);
}

// `x IN (40,000 values)` and NOT IN overflowed the simplifier's stack (a
// left-deep OR chain); the list is now a balanced tree.
TEST(ExprLimits, FortyThousandValueInListsCompileAndAnswer) {
  auto pop = sample();
  std::string list;
  for (int k = 0; k < 40'000; ++k) list += (k ? ", " : "") + std::to_string(k * 3 - 5);
  EXPECT_EQ(rows_where(pop, "n IN (" + list + ")"), (Rows{0, 3, 7}));  // 1 = 2*3-5, -5, 7 = 4*3-5
  EXPECT_EQ(rows_where(pop, "n NOT IN (" + list + ")"), (Rows{1, 4, 5, 6}));

}

namespace {
std::string compile_error(const Population& pop, const std::string& text) {
  try {
    expr::CompiledSet::compile(pop, {{text, "--expr"}});
  } catch (const Error& e) { return e.what(); }
  return "";
}
}  // namespace

// Clearer errors (issue 14): a megabyte expression was pasted whole into the
// message, a NUL byte cut it short, and `churn` (the model's score) read as an
// unknown column.
TEST(ExprErrors, LongLinesNulBytesEmptyNamesAndChurn) {
  auto pop = sample();
  const std::string big = "n > 1 AND" + std::string(1'000'000, ' ') + "nn > 1 AND n > 1" + std::string(100'000, ' ');
  const std::string e = compile_error(pop, big);
  ASSERT_NE(e.find("unknown column 'nn'"), std::string::npos) << e.substr(0, 300);
  EXPECT_LT(e.size(), 400u);
  const auto lines = e.substr(e.find('\n') + 1);
  const std::string shown = lines.substr(0, lines.find('\n')), caret = lines.substr(lines.find('\n') + 1);
  EXPECT_EQ(shown.substr(0, 3), "...");
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
  EXPECT_EQ(shown.substr(caret.size() - 1, 2), "nn");  // the caret stands under the fault
  EXPECT_NE(compile_error(pop, std::string("n > 1 AND \"a\0b\" > 1", 19)).find("a\\0b"), std::string::npos)
      << compile_error(pop, std::string("n > 1 AND \"a\0b\" > 1", 19));
  EXPECT_NE(compile_error(pop, "\"\" > 1").find("empty quoted name"), std::string::npos);
  EXPECT_NE(compile_error(pop, "churn > 0.5").find("unknown column 'churn' (the model's churn score is no column"),
            std::string::npos);
}
