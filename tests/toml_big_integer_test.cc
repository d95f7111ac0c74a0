// TOML integers above 2^53 where a number (double) is meant (third attack,
// finding 4): toml++ has no double for them, and nudge used to read an empty
// optional (garbage such as 4.66e-310, different on every run). Now an
// integer a double holds exactly is taken exactly (1e17, 2^62, -2^63), any
// other is refused at file:line:column naming the key, and the range checks
// (holdout share, negative cost/factor, probability, capacity_share) see the
// real value.
#include <gtest/gtest.h>

#include <string>

#include "engine/decide/campaign_loader.h"
#include "engine/dialogue/response_model.h"
#include "engine/score/linear_model.h"
#include "tests/support/campaign_files.h"
#include "tests/support/error_text.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

// test::small_campaign with the basket's points first; `extra` from line 15 on.
std::string campaign(const std::string& points, const std::string& extra) { return test::small_campaign(extra, points); }
std::string error_of(const std::string& text) { return test::campaign_error(text); }

std::string model_error(const std::string& text) {
  return test::thrown_message([&] { score::parse_linear_model(text, "m.toml"); }).value_or("(no error)");
}

const std::string kTooBig =
    "is the integer 9007199254740993, which a number (double) cannot hold exactly (integers are exact up to 2^53 = "
    "9007199254740992); write it with a decimal point (9007199254740992.0) to mean the nearest double";

}  // namespace

TEST(TomlBigInteger, ExactIntegersAboveTwoToThe53AreReadExactly) {
  const Campaign c = parse_campaign(campaign("9007199254740992", "[message_types]\ncommercial = 100000000000000000\n"
                                                                 "service = -0\n[channels.sms]\nconsent = \"s\"\n"
                                                                 "factor = 4611686018427387904\n"),
                                    "c.toml", "/base");
  EXPECT_EQ(c.basket.points_per_period, 9007199254740992.0);
  bool seen = false;
  for (const MessageType& m : c.message_types)
    if (m.name == "commercial") {
      seen = true;
      EXPECT_EQ(m.base_cost, 1e17);
    }
  EXPECT_TRUE(seen);
  ASSERT_EQ(c.channels.size(), 2u);
  EXPECT_EQ(c.channels[1].factor, 4611686018427387904.0);
}

TEST(TomlBigInteger, InexactIntegersAreRefusedAtTheValue) {
  EXPECT_EQ(error_of(campaign("9007199254740993", "")), "c.toml:4:21: 'points_per_period' of [basket] " + kTooBig);
  EXPECT_EQ(error_of(campaign("25", "[message_types]\ncommercial = 9007199254740993\n")),
            "c.toml:16:14: 'cost' of message type 'commercial' " + kTooBig);
  EXPECT_EQ(error_of(campaign("25", "[message_types]\ncommercial = 9223372036854775807\n")),
            "c.toml:16:14: 'cost' of message type 'commercial' is the integer 9223372036854775807, which a number "
            "(double) cannot hold exactly (integers are exact up to 2^53 = 9007199254740992); write it with a decimal "
            "point (9223372036854775808.0) to mean the nearest double");
}

TEST(TomlBigInteger, RangeChecksSeeTheRealValue) {
  EXPECT_EQ(error_of(campaign("25", "[holdout]\nglobal = 9007199254740993\n")),
            "c.toml:16:10: 'global' of [holdout] " + kTooBig);
  EXPECT_EQ(error_of(campaign("25", "[holdout]\nglobal = 4611686018427387904\n")),
            "c.toml:16:10: 'global' of [holdout] is a share and must be in [0, 1], not 4.611686018427388e+18");
  EXPECT_EQ(error_of(campaign("25", "[channels.sms]\nconsent = \"s\"\nfactor = -4611686018427387904\n")),
            "c.toml:17:10: 'factor' of channel 'sms' must be >= 0, not -4.611686018427388e+18");
  EXPECT_EQ(error_of(campaign("25", "[channels.sms]\nconsent = \"s\"\nfactor = -9007199254740993\n")),
            "c.toml:17:10: 'factor' of channel 'sms' is the integer -9007199254740993, which a number (double) cannot "
            "hold exactly (integers are exact up to 2^53 = 9007199254740992); write it with a decimal point "
            "(-9007199254740992.0) to mean the nearest double");
  EXPECT_EQ(error_of(campaign("25", "[message_types]\ncommercial = -4611686018427387904\n")),
            "c.toml:16:14: 'cost' of message type 'commercial' must be >= 0, not -4.611686018427388e+18");
  EXPECT_EQ(error_of(campaign("25", "[channels.sms]\nconsent = \"s\"\ncapacity_share = 4611686018427387904\n")),
            "c.toml:17:18: 'capacity_share' of channel 'sms' is a share of the population swept: between 0 and 1, "
            "not 4.611686018427388e+18");
  auto response_error = [](const std::string& p) {
    return test::thrown_message([&] {
             dialogue::parse_response_model("[[response]]\ntype = \"open\"\nprobability = " + p + "\n", "r.toml");
           })
        .value_or("(no error)");
  };
  EXPECT_EQ(response_error("9007199254740993"), "r.toml:3:15: 'probability' of response rule #1 " + kTooBig);
  EXPECT_EQ(response_error("4611686018427387904"),
            "r.toml:3:15: 'probability' of response rule #1 must be in [0, 1], not 4.611686018427388e+18");
}

TEST(TomlBigInteger, ModelNumbersFollowTheSameRule) {
  const std::string head = "link = \"logistic\"\nintercept = ";
  const score::LinearSpec s = score::parse_linear_model(
      head + "-9223372036854775808\n[[numeric]]\ncolumn = \"x\"\nweight = 100000000000000000\n"
             "[[category]]\ncolumn = \"t\"\nweights = { A = 4611686018427387904 }\n",
      "m.toml");
  EXPECT_EQ(s.intercept, -9223372036854775808.0);
  ASSERT_EQ(s.numeric.size(), 1u);
  EXPECT_EQ(s.numeric[0].weight, 1e17);
  ASSERT_EQ(s.category.size(), 1u);
  EXPECT_EQ(s.category[0].weights[0].second, 4611686018427387904.0);
  EXPECT_EQ(model_error(head + "9007199254740993\n"), "m.toml:2:13: 'intercept' " + kTooBig);
  EXPECT_EQ(model_error(head + "0\n[[numeric]]\ncolumn = \"x\"\nweight = 1\nmean = 9007199254740993\nstd = 1\n"),
            "m.toml:6:8: 'mean' " + kTooBig);
  EXPECT_EQ(model_error(head + "0\n[[category]]\ncolumn = \"t\"\nweights = { A = 9007199254740993 }\n"),
            "m.toml:5:17: weight of 'A' " + kTooBig);
}
