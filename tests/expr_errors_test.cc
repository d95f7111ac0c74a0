// Error messages of the trigger-expression compiler: exact text with
// origin:line:col, the source line and a caret under the spot.
#include <gtest/gtest.h>

#include "engine/base/error.h"
#include "tests/expr_test_util.h"
#include "tests/support/error_text.h"

using namespace nudge;

namespace {

Population schema() {
  return test::PopBuilder(3)
      .i32("flights_3m", {1, 2, 3})
      .i32("flights_prev_3m", {1, 2, 3})
      .category("tier", {"Star", "Nova", "Aurora"}, {0, 1, 2})
      .boolean("email_opt_in", {1, 0, 1})
      .f32("clv", {1, 2, 3})
      .date("seen", {0, 1, 2})
      .build();
}

// The message of the nudge::Error that compiling `text` as a predicate (or a
// number) throws; fails the test if none or another kind is thrown.
std::string error_of(const std::string& text, const std::string& origin = "--expr", bool number = false) {
  auto pop = schema();
  auto m = test::thrown_message([&] {
    if (number) expr::CompiledSet::compile(pop, {}, {{text, origin}});
    else expr::CompiledSet::compile(pop, {{text, origin}});
  });
  if (!m) ADD_FAILURE() << "no error for " << text;
  return m.value_or("");
}

}  // namespace

TEST(ExprErrors, UnknownColumnSuggestsNearestName) {
  EXPECT_EQ(error_of("flights_3mm > 2"),
            "--expr:1:1: unknown column 'flights_3mm' (did you mean 'flights_3m'?)\n"
            "flights_3mm > 2\n"
            "^");
}

TEST(ExprErrors, PositionIsShiftedByTheOriginsLineAndColumn) {
  EXPECT_EQ(error_of("flights_3m > 2 AND tierr = 'Star'", "rs1.toml:14:11"),
            "rs1.toml:14:30: unknown column 'tierr' (did you mean 'tier'?)\n"
            "flights_3m > 2 AND tierr = 'Star'\n"
            "                   ^");
  EXPECT_EQ(error_of("flights_3m > 2\n  AND email_opt_in + 1 > 0", "c.toml:5:9"),
            "c.toml:6:20: operator '+' needs numbers (or a date and an integer), but the left operand is "
            "email_opt_in (bool) and the right operand 1 (integer)\n"
            "  AND email_opt_in + 1 > 0\n"
            "                   ^");
}

TEST(ExprErrors, SyntaxErrorsNameWhatWasExpected) {
  EXPECT_EQ(error_of("flights_3m > ", "x"),
            "x:1:14: expected a value, a column name or '(', found end of expression\n"
            "flights_3m > \n"
            "             ^");
  EXPECT_EQ(error_of("tier = 'Star"),
            "--expr:1:8: unterminated string literal\n"
            "tier = 'Star\n"
            "       ^");
  EXPECT_EQ(error_of("1 < flights_3m < 5"),
            "--expr:1:16: comparisons cannot be chained; write a < b AND b < c\n"
            "1 < flights_3m < 5\n"
            "               ^");
  EXPECT_EQ(error_of("(flights_3m > 2"),
            "--expr:1:16: expected ')', found end of expression\n"
            "(flights_3m > 2\n"
            "               ^");
  EXPECT_EQ(error_of("flights_3m > 2)"),
            "--expr:1:15: unbalanced ')'\n"
            "flights_3m > 2)\n"
            "              ^");
  EXPECT_EQ(error_of("flights_3m # 2"),
            "--expr:1:12: unexpected character '#'\n"
            "flights_3m # 2\n"
            "           ^");
  EXPECT_EQ(error_of(""), "--expr:1:1: empty expression\n\n^");
  EXPECT_EQ(error_of("flights_3m IS 2"),
            "--expr:1:15: expected NULL after IS (IS NULL or IS NOT NULL), found number 2\n"
            "flights_3m IS 2\n"
            "              ^");
  EXPECT_EQ(error_of("CASE flights_3m > 1 THEN 1 END = 1"),
            "--expr:1:21: expected WHEN in CASE, found THEN\n"
            "CASE flights_3m > 1 THEN 1 END = 1\n"
            "                    ^");
}

TEST(ExprErrors, TypeErrorsNameEachOperandsType) {
  EXPECT_EQ(error_of("tier > 'Star'"),
            "--expr:1:6: cannot compare tier (category) with 'Star' (string): categories only support =, <> and IN\n"
            "tier > 'Star'\n"
            "     ^");
  EXPECT_EQ(error_of("seen > '2026-01-01'"),
            "--expr:1:6: cannot compare seen (date) with '2026-01-01' (string): write a date as DATE 'YYYY-MM-DD'\n"
            "seen > '2026-01-01'\n"
            "     ^");
  EXPECT_EQ(error_of("email_opt_in = 1"),
            "--expr:1:14: cannot compare email_opt_in (bool) with 1 (integer): a bool compares only with a bool "
            "(TRUE, FALSE)\n"
            "email_opt_in = 1\n"
            "             ^");
  EXPECT_EQ(error_of("flights_3m + 1"),
            "--expr:1:1: a trigger condition must be bool, but flights_3m + 1 is integer\n"
            "flights_3m + 1\n"
            "^");
  EXPECT_EQ(error_of("flights_3m > 2 AND clv"),
            "--expr:1:20: AND needs bool operands, but the right operand clv is double\n"
            "flights_3m > 2 AND clv\n"
            "                   ^");
  EXPECT_EQ(error_of("flights_3m > 2", "p", true),
            "p:1:1: a number expression must be integer or double, but flights_3m > 2 is bool\n"
            "flights_3m > 2\n"
            "^");
  EXPECT_EQ(error_of("CASE WHEN email_opt_in THEN 1 ELSE seen END > 0"),
            "--expr:1:36: CASE results must share one type, but 1 (integer) differs from seen (date)\n"
            "CASE WHEN email_opt_in THEN 1 ELSE seen END > 0\n"
            "                                   ^");
  EXPECT_EQ(error_of("days_since(flights_3m) > 3"),
            "--expr:1:12: days_since needs a date (a date column or DATE 'YYYY-MM-DD'), but flights_3m is integer\n"
            "days_since(flights_3m) > 3\n"
            "           ^");
}

TEST(ExprErrors, NotAndWhenNeedBools) {
  EXPECT_EQ(error_of("NOT flights_3m"),
            "--expr:1:5: NOT needs bool operands, but its operand flights_3m is integer\n"
            "NOT flights_3m\n"
            "    ^");
  EXPECT_EQ(error_of("CASE WHEN clv THEN TRUE END"),
            "--expr:1:11: a WHEN condition must be bool, but clv is double\n"
            "CASE WHEN clv THEN TRUE END\n"
            "          ^");
}

TEST(ExprErrors, FunctionsAndLiterals) {
  EXPECT_EQ(error_of("sqr(clv) > 2"),
            "--expr:1:1: unknown function 'sqr' (did you mean 'sqrt'?)\n"
            "sqr(clv) > 2\n"
            "^");
  EXPECT_EQ(error_of("abs(1, 2) > 0"),
            "--expr:1:1: abs takes 1 argument, got 2 (abs(number))\n"
            "abs(1, 2) > 0\n"
            "^");
  EXPECT_EQ(error_of("seen = DATE '2026-02-30'"),
            "--expr:1:13: invalid date '2026-02-30' (expected a real day written YYYY-MM-DD)\n"
            "seen = DATE '2026-02-30'\n"
            "            ^");
  EXPECT_EQ(error_of("flights_3m > 99999999999999999999"),
            "--expr:1:14: integer 99999999999999999999 is out of range (at most 9223372036854775807; write it as a "
            "decimal, e.g. 99999999999999999999.0, for a double)\n"
            "flights_3m > 99999999999999999999\n"
            "             ^");
}

TEST(ExprErrors, CaretCountsCharactersNotBytes) {
  EXPECT_EQ(error_of("tier = 'Étoile' AND flights_3m > x"),
            "--expr:1:34: unknown column 'x'\n"
            "tier = 'Étoile' AND flights_3m > x\n"
            "                                 ^");
}

// A long flat chain builds a left-deep tree as tall as the chain: it must be
// refused with a message, not overflow the stack in a later stage.
TEST(ExprErrors, OverlongOperatorChainsAreRefusedNotACrash) {
  for (const std::string op : {" + 1", " * 1", " AND TRUE", " OR FALSE"}) {
    std::string text = op[1] == '+' || op[1] == '*' ? "flights_3m" : "TRUE";
    for (int i = 0; i < 20000; ++i) text += op;
    if (op[1] == '+' || op[1] == '*') text += " > 0";
    const std::string msg = error_of(text);
    EXPECT_NE(msg.find("expression too long: more than 256 operators chained or nested"), std::string::npos)
        << msg.substr(0, 200);
  }
  // 240 chained additions are still fine.
  std::string ok = "flights_3m";
  for (int i = 0; i < 240; ++i) ok += " + 1";
  auto pop = schema();
  EXPECT_NO_THROW(expr::CompiledSet::compile(pop, {{ok + " > 0", "--expr"}}));
}
