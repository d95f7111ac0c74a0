// Limits of campaign, dialogue, holdout and response-model files and of CSV
// imports (security review, findings 5, 6, 10 and 14): integers checked on
// their 64-bit value before narrowing, control characters in names, one
// merged warning for an IN list's unknown category strings, an unknown
// basket for a -inf `used` value, empty category lists, doubled byte-order
// marks, impossible dates in an inferred column, response rules that name
// nothing in the campaign.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/response_model.h"
#include "engine/expr/program.h"
#include "io/csv/csv_import.h"
#include "tests/expr_test_util.h"
#include "tests/oracles/decide_reference.h"
#include "tests/support/campaign_files.h"
#include "tests/support/error_text.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

// test::small_campaign with a blank line 15; `extra` from line 16 on.
std::string campaign(const std::string& extra) { return test::small_campaign("\n" + extra); }
std::string error_of(const std::string& text) { return test::campaign_error(text); }

const std::string kDialogue =
    "[[dialogue]]\n"                      // 16
    "name = \"d\"\n"                      // 17
    "entry = \"TRUE\"\n"                  // 18
    "reentry_days = R\n"                  // 19
    "[[dialogue.step]]\n"                 // 20
    "name = \"s1\"\n"                     // 21
    "message_type = \"service\"\n"        // 22
    "channel = \"email\"\n"               // 23
    "value = 1\n"                         // 24
    "priority = \"weight * value\"\n"     // 25
    "[[dialogue.step]]\n"                 // 26
    "name = \"s2\"\n"                     // 27
    "message_type = \"service\"\n"        // 28
    "channel = \"email\"\n"               // 29
    "value = 1\n"                         // 30
    "priority = \"weight * value\"\n"     // 31
    "wait_days = W\n"                     // 32
    "expire_days = E\n";                  // 33

std::string dialogue_text(const std::string& reentry, const std::string& wait, const std::string& expire) {
  std::string d = kDialogue;
  d.replace(d.find("= R"), 3, "= " + reentry);
  d.replace(d.find("= W"), 3, "= " + wait);
  d.replace(d.find("= E"), 3, "= " + expire);
  return d;
}

}  // namespace

// Finding 5: 4294967297 used to act as 1 (cut to 32 bits before the check).
TEST(CampaignLimits, DayCountsAreCheckedBeforeNarrowing) {
  const std::string cap = "[[frequency_cap]]\nname = \"w\"\nwindow_days = X\nmax = 1\n";
  auto with_window = [&](const std::string& v) {
    std::string t = cap;
    t.replace(t.find("X"), 1, v);
    return error_of(campaign(t));
  };
  EXPECT_EQ(with_window("4294967297"),
            "c.toml:18:15: 'window_days' of frequency cap 'w' must be at most 1000000, not 4294967297");
  EXPECT_EQ(with_window("9223372036854775807"),
            "c.toml:18:15: 'window_days' of frequency cap 'w' must be at most 1000000, not 9223372036854775807");
  EXPECT_EQ(with_window("0"), "c.toml:18:15: 'window_days' of frequency cap 'w' must be >= 1, not 0");
  EXPECT_EQ(parse_campaign(campaign("[[frequency_cap]]\nname = \"w\"\nwindow_days = 1000000\nmax = 1\n"), "c.toml",
                           "/base")
                .frequency_caps[0]
                .window_days,
            1000000);

  EXPECT_EQ(error_of(campaign("[holdout]\nattribution_days = 4294967296\n")),
            "c.toml:17:20: 'attribution_days' of [holdout] must be at most 2147483647, not 4294967296");
  EXPECT_EQ(error_of(campaign("[holdout]\nattribution_days = 9223372036854775807\n")),
            "c.toml:17:20: 'attribution_days' of [holdout] must be at most 2147483647, not 9223372036854775807");
  EXPECT_EQ(parse_campaign(campaign("[holdout]\nattribution_days = 2147483647\n"), "c.toml", "/base")
                .holdout.attribution_days,
            2147483647);

  EXPECT_EQ(error_of(campaign(dialogue_text("4294967306", "2", "3"))),
            "c.toml:19:16: 'reentry_days' of dialogue 'd' must be at most 3660, not 4294967306");
  EXPECT_EQ(error_of(campaign(dialogue_text("3661", "2", "3"))),
            "c.toml:19:16: 'reentry_days' of dialogue 'd' must be at most 3660, not 3661");
  EXPECT_EQ(error_of(campaign(dialogue_text("90", "4294967297", "3"))),
            "c.toml:32:13: step 's2' of dialogue 'd' waits 4294967297 days, but the dialogue reads only the last 90 "
            "days (reentry_days): the step could never become due");
  EXPECT_EQ(error_of(campaign(dialogue_text("90", "2", "4294967297"))),
            "c.toml:33:15: 'expire_days' of step 's2' of dialogue 'd' must be at most 2147483647, not 4294967297");
  const Campaign ok = parse_campaign(campaign(dialogue_text("3660", "2", "2147483647")), "c.toml", "/base");
  EXPECT_EQ(ok.dialogues[0].reentry_days, 3660);
  EXPECT_EQ(*ok.dialogues[0].steps[1].expire_days, 2147483647);

  // Counts that are size_t / uint64 keep their whole int64 range; negative ones are refused.
  EXPECT_EQ(error_of(campaign("[[frequency_cap]]\nname = \"w\"\nwindow_days = 7\nmax = -4294967296\n")),
            "c.toml:19:7: 'max' of frequency cap 'w' must be >= 0, not -4294967296");
  const std::string big = "[campaign]\nname = \"C\"\nmax_decisions_per_member = 4294967297\ntop_k = 4294967297\n";
  const Campaign c = parse_campaign(big + campaign("").substr(std::string("[campaign]\nname = \"C\"\n").size()),
                                    "c.toml", "/base");
  EXPECT_EQ(c.max_decisions_per_member, 4294967297u);
  EXPECT_EQ(*c.top_k, 4294967297u);
}

TEST(CampaignLimits, ResponseModelDelaysAreCheckedBeforeNarrowing) {
  auto err = [](const std::string& delays) {
    return test::thrown_message([&] {
             dialogue::parse_response_model("[[response]]\ntype = \"open\"\nprobability = 0.5\ndelay_days = " + delays +
                                                "\n",
                                            "r.toml");
           })
        .value_or("(no error)");
  };
  EXPECT_EQ(err("[4294967297, 4294967297]"),
            "r.toml:4:15: 'delay_days' of response rule #1 must be at most 365, not 4294967297");
  EXPECT_EQ(err("[1, 4294967297]"), "r.toml:4:18: 'delay_days' of response rule #1 must be at most 365, not 4294967297");
  EXPECT_EQ(err("[3, 2]"), "r.toml:4:18: 'delay_days' of response rule #1 must be >= 3, not 2");
  EXPECT_EQ(err("[0, 365]"), "(no error)");
}

// Finding 6: a NUL (or another control character) in a name cut every text output short.
TEST(CampaignLimits, NamesWithControlCharactersAreRefused) {
  std::string t = campaign("");
  auto swap = [&](const std::string& from, const std::string& to) {
    std::string s = t;
    s.replace(s.find(from), from.size(), to);
    return error_of(s);
  };
  EXPECT_EQ(swap("name = \"a\"", "name = \"a\\u0000b\""),
            "c.toml:9:8: 'name' of action #1 holds the control character U+0000: names must be printable");
  EXPECT_EQ(swap("name = \"C\"", "name = \"C\\u001f\""),
            "c.toml:2:8: 'name' of [campaign] holds the control character U+001F: names must be printable");
  EXPECT_EQ(swap("[channels.email]", "[channels.\"e\\u007f\"]"),
            "c.toml:6:11: the channel name holds the control character U+007F: names must be printable");
  EXPECT_EQ(swap("value = 1\n", "value = 1\nbrand = \"b\\tx\"\n"),
            "c.toml:14:9: 'brand' of action 'a' holds the control character U+0009: names must be printable");
  EXPECT_EQ(error_of(campaign("[[suppression]]\nname = \"s\\u0000\"\nwhen = \"TRUE\"\n")),
            "c.toml:17:8: 'name' of suppression rule #1 holds the control character U+0000: names must be printable");
  EXPECT_EQ(error_of(campaign("[[frequency_cap]]\nname = \"x\\n\"\nwindow_days = 7\nmax = 1\n")),
            "c.toml:17:8: 'name' of frequency cap #1 holds the control character U+000A: names must be printable");
  EXPECT_EQ(error_of(campaign("[message_types]\n\"t\\u0001\" = 3\n")),
            "c.toml:17:1: the message type name holds the control character U+0001: names must be printable");
  std::string d = dialogue_text("90", "2", "3");
  d.replace(d.find("name = \"d\""), 10, "name = \"d\\u0000\"");
  EXPECT_EQ(error_of(campaign(d)),
            "c.toml:17:8: 'name' of dialogue #1 holds the control character U+0000: names must be printable");
  d = dialogue_text("90", "2", "3");
  d.replace(d.find("name = \"s1\""), 11, "name = \"s\\u0000\"");
  EXPECT_EQ(error_of(campaign(d)),
            "c.toml:21:8: 'name' of step 1 of dialogue 'd' holds the control character U+0000: names must be printable");
  // UTF-8 beyond ASCII is fine.
  EXPECT_EQ(swap("name = \"a\"", "name = \"caf\\u00e9\""), "(no error)");
}

// Finding 10: one warning per IN list, not one per unknown string.
TEST(CampaignLimits, UnknownCategoryStringsOfAnInListShareOneWarning) {
  const Population pop = test::PopBuilder(3).category("tier", {"Star", "Nova"}, {0, 1, std::nullopt}).build();
  std::string list;
  for (int i = 1; i <= 7; ++i) list += "'v" + std::to_string(i) + "', ";
  const auto set = expr::CompiledSet::compile(pop, {{"tier IN (" + list + "'Star')", "EXPR"}});
  ASSERT_EQ(set.warnings().size(), 1u);
  EXPECT_EQ(set.warnings()[0],
            "EXPR:1:10: 7 of the listed values are not values of category column tier (Star, Nova); they never "
            "match: 'v1', 'v2', 'v3', 'v4', 'v5', ...");
  EXPECT_EQ(test::reference_rows(pop, set, 0), (std::vector<std::size_t>{0}));
  // One unknown string keeps the single-value wording; NOT IN too.
  const auto one = expr::CompiledSet::compile(pop, {{"tier NOT IN ('Star', 'Sun')", "EXPR"}});
  ASSERT_EQ(one.warnings().size(), 1u);
  EXPECT_EQ(one.warnings()[0],
            "EXPR:1:22: 'Sun' is not a value of category column tier (Star, Nova); it never matches");
  // 40,000 unknown strings: still one warning, with the count.
  std::string big;
  for (int i = 1; i <= 40000; ++i) big += (i > 1 ? ", 'v" : "'v") + std::to_string(i) + "'";
  const auto many = expr::CompiledSet::compile(pop, {{"tier IN (" + big + ")", "EXPR"}});
  ASSERT_EQ(many.warnings().size(), 1u);
  EXPECT_EQ(many.warnings()[0].substr(0, 80),
            "EXPR:1:10: 40000 of the listed values are not values of category column tier (St");
}

// Finding 14: a -inf `used` value is an unknown basket (fits nothing), like NULL and NaN.
TEST(CampaignLimits, MinusInfinityUsedIsAnUnknownBasket) {
  const double inf = std::numeric_limits<double>::infinity();
  Population p = test::PopBuilder(5)
                     .u64("customer_id", {1, 2, 3, 4, 5})
                     .f64("used", {0.0, -inf, std::nullopt, std::nan(""), 30.0})
                     .boolean("email_opt_in", {1, 1, 1, 1, 1})
                     .build();
  p.set_id_column(0);
  const Campaign c = parse_campaign(campaign(""), "c.toml", "/base");
  const BoundCampaign b = BoundCampaign::bind(c, p);
  const SweepResult r = run_sweep(b, SweepOptions{});
  ASSERT_EQ(r.ranked.size(), 1u);  // member 1 only: 2 (-inf), 3 (NULL), 4 (NaN) unknown, 5 over budget
  EXPECT_EQ(r.ranked[0].customer_id, 1u);
  EXPECT_EQ(r.ranked[0].budget_left, 23.0);
  const test::RefResult ref = test::reference_sweep(c, p, nullptr, std::nullopt);
  ASSERT_EQ(ref.ranked.size(), 1u);
  EXPECT_EQ(ref.ranked[0].customer_id, 1u);
  EXPECT_EQ(r.funnel[0].budget, ref.funnel[0].budget);
  EXPECT_EQ(r.funnel[0].budget, 4u);
}

// Finding 14: response rules naming an action or channel the campaign lacks never match: warned.
TEST(CampaignLimits, ResponseRulesNamingNothingAreWarned) {
  const Campaign c = parse_campaign(campaign(""), "c.toml", "/base");
  const auto m = dialogue::parse_response_model(
      "[[response]]\naction = \"a\"\ntype = \"open\"\nprobability = 0.5\n"
      "[[response]]\naction = \"b\"\nchannel = \"emial\"\ntype = \"open\"\nprobability = 0.5\n",
      "r.toml");
  const auto w = dialogue::response_model_warnings(m, c);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], "r.toml:6:10: response rule #2: 'b' is not an action of the campaign (did you mean 'a'?); the rule never "
            "matches");
  EXPECT_EQ(w[1],
            "r.toml:7:11: response rule #2: 'emial' is not a channel of the campaign (did you mean 'email'?); the rule "
            "never matches");
}

// Finding 14: an empty category list, a doubled byte-order mark, an impossible date.
TEST(CampaignLimits, CsvImportRefusesOrWarnsAboutDoubtfulInput) {
  EXPECT_EQ(test::thrown_message([] {
              parse_import_schema("[[column]]\nname = \"b\"\ntype = \"category\"\ncategories = []\n", "s.toml");
            }).value_or("(no error)"),
            "s.toml:4:14: [[column]] #1: 'categories' is empty: list every category, or leave the key out to take them "
            "in first-seen order");
  EXPECT_EQ(test::thrown_message([] {
              import_csv_text("\xEF\xBB\xBF\xEF\xBB\xBF" "customer_id,x\n1,2\n", "t.csv", ImportOptions{});
            }).value_or("(no error)"),
            "t.csv:1:1: the file starts with two UTF-8 byte-order marks; remove the second, e.g. sed -i "
            "'1s/^\\xEF\\xBB\\xBF//' FILE");
  EXPECT_EQ(import_csv_text("\xEF\xBB\xBF" "customer_id,x\n1,2\n", "t.csv", ImportOptions{}).population.id_column(),
            std::optional<std::size_t>(0));
  const auto r = import_csv_text("customer_id,d\n1,2026-02-28\n2,2026-02-29\n3,2026-03-01\n", "t.csv", ImportOptions{});
  EXPECT_EQ(r.population.column(1).type(), DataType::Category);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "t.csv: column 'd': inferred category, but 3 of 3 sampled values look like dates (YYYY-MM-DD); not valid dates: "
            "line 3 '2026-02-29' (clean these rows or declare the type in a schema)");
}
