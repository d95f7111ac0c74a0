// Campaign files (engine/decide/campaign_loader.h): RS-1 as shipped, the
// format's defaults, and the exact error for each kind of bad file.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "engine/base/error.h"
#include "engine/decide/campaign_loader.h"
#include "tests/support/error_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

// A small valid campaign; line numbers matter to the tests below.
const std::string kBase =
    "[campaign]\n"                              // 1
    "model = \"m.toml\"\n"                      // 2
    "max_decisions_per_member = 2\n"            // 3
    "\n"                                        // 4
    "[basket]\n"                                // 5
    "points_per_period = 25\n"                  // 6
    "used_column = \"pressure_used\"\n"         // 7
    "\n"                                        // 8
    "[channels.email]\n"                        // 9
    "consent = \"email_opt_in\"\n"              // 10
    "\n"                                        // 11
    "[channels.call]\n"                         // 12
    "factor = 2.0\n"                            // 13
    "consent = \"phone_opt_in\"\n"              // 14
    "capacity = 5\n"                            // 15
    "\n"                                        // 16
    "[[action]]\n"                              // 17
    "name = \"a\"\n"                            // 18
    "trigger = \"flights_3m < 2\"\n"            // 19
    "message_type = \"commercial\"\n"           // 20
    "channel = \"email\"\n"                     // 21
    "value = 10\n"                              // 22
    "priority = \"weight * value * churn\"\n";  // 23

// kBase with line `line` (1-based) replaced by `text` (may hold several lines or none).
std::string with_line(int line, const std::string& text) {
  std::string out;
  int n = 1;
  std::size_t start = 0;
  while (start < kBase.size()) {
    std::size_t end = kBase.find('\n', start);
    std::string l = kBase.substr(start, end - start + 1);
    out += n == line ? text : l;
    start = end + 1;
    ++n;
  }
  return out;
}

std::string error_of(const std::string& text) {
  return test::thrown_message([&] { parse_campaign(text, "c.toml", "/base"); }).value_or("(no error)");
}

}  // namespace

TEST(CampaignFile, Rs1HoldsTheWorkloadNumbers) {
  Campaign c = load_campaign(test::source_dir() / "data/campaigns/rs1.toml");
  EXPECT_EQ(c.name, "RS-1");
  EXPECT_EQ(c.max_decisions_per_member, 2u);
  ASSERT_TRUE(c.top_k);
  EXPECT_EQ(*c.top_k, 100000u);
  EXPECT_EQ(c.basket.points_per_period, 25);
  EXPECT_EQ(c.basket.used.name, "pressure_used");
  ASSERT_TRUE(c.model_path);
  EXPECT_EQ(*c.model_path, test::source_dir() / "data/campaigns" / "../models/rs1_churn.toml");
  ASSERT_EQ(c.actions.size(), 10u);
  const char* names[] = {"defection_call",  "defection_email", "tier_nudge",    "birthday",
                         "winback_mail",    "winback_sms",     "points_expiry", "complaint_followup",
                         "engagement_push", "premium_upsell"};
  // cost = base(type) * factor(channel): WORKLOAD.md's two tables.
  const double costs[] = {10 * 2.0, 10 * 1.0, 5 * 1.0, 2 * 1.0, 10 * 1.5,
                          10 * 1.5, 2 * 1.0,  2 * 2.0, 5 * 1.0, 10 * 1.0};
  const double values[] = {400, 150, 60, 20, 250, 90, 40, 120, 30, 200};
  const double weights[] = {1.0, 1.0, 1.0, 1.0, 0.8, 0.9, 1.0, 1.2, 0.7, 0.6};
  const bool churn[] = {true, true, false, false, true, true, false, true, false, false};
  for (std::size_t i = 0; i < 10; ++i) {
    SCOPED_TRACE(names[i]);
    EXPECT_EQ(c.actions[i].name, names[i]);
    EXPECT_EQ(c.cost(c.actions[i]), costs[i]);
    EXPECT_EQ(c.actions[i].value, values[i]);
    EXPECT_EQ(c.actions[i].weight, weights[i]);
    EXPECT_EQ(c.actions[i].uses_churn(), churn[i]);
  }
  EXPECT_EQ(c.actions[0].trigger.text,
            "flights_prev_3m >= 4 AND flights_3m < 0.5 * flights_prev_3m AND tier IN ('Star', 'Nova')");
  EXPECT_EQ(c.channels[c.actions[8].channel].name, "push");
  EXPECT_EQ(c.channels[c.actions[8].channel].consent.name, "email_opt_in");
  EXPECT_EQ(c.channels[c.actions[0].channel].capacity, std::optional<uint64_t>(5000));
  ASSERT_EQ(c.suppressions.size(), 1u);
  EXPECT_EQ(c.suppressions[0].when.text, "days_since_calamity < 7");
  ASSERT_EQ(c.suppressions[0].message_types.size(), 2u);
  EXPECT_EQ(c.message_types[c.suppressions[0].message_types[0]].name, "editorial");
  EXPECT_EQ(c.message_types[c.suppressions[0].message_types[1]].name, "commercial");
  EXPECT_TRUE(c.suppressions[0].channels.empty());
  for (const auto& m : c.message_types) EXPECT_EQ(m.exclusive, m.name == "calamity") << m.name;
}

TEST(CampaignFile, ExampleCampaignLoads) {
  Campaign c = load_campaign(test::source_dir() / "data/campaigns/example.toml");
  EXPECT_GE(c.actions.size(), 5u);
  EXPECT_FALSE(c.frequency_caps.empty());
  EXPECT_FALSE(c.suppressions.empty());
}

TEST(CampaignFile, ExpressionOriginIsTheFirstCharacterOfTheExpression) {
  Campaign c = parse_campaign(kBase, "c.toml", "/base");
  // line 19: trigger = "flights_3m < 2"  -> the quote is column 11, the text starts at 12.
  EXPECT_EQ(c.actions[0].trigger.origin, "c.toml:19:12");
  Campaign m = parse_campaign(with_line(19, "trigger = \"\"\"\nflights_3m < 2\"\"\"\n"), "c.toml", "/base");
  EXPECT_EQ(m.actions[0].trigger.text, "flights_3m < 2");
  EXPECT_EQ(m.actions[0].trigger.origin, "c.toml:20:1");  // TOML trims the newline after """
  Campaign l = parse_campaign(with_line(19, "trigger   =   'flights_3m < 2'\n"), "c.toml", "/base");
  EXPECT_EQ(l.actions[0].trigger.origin, "c.toml:19:16");
}

TEST(CampaignFile, DefaultsFillMessageTypesWeightAndModelPath) {
  Campaign c = parse_campaign(kBase, "c.toml", "/base");
  ASSERT_EQ(c.message_types.size(), 4u);
  for (const auto& m : c.message_types) {
    double expected = m.name == "service" ? 2 : m.name == "editorial" ? 5 : m.name == "commercial" ? 10 : 20;
    EXPECT_EQ(m.base_cost, expected) << m.name;
  }
  EXPECT_EQ(c.actions[0].weight, 1.0);
  EXPECT_EQ(c.cost(c.actions[0]), 10.0);
  EXPECT_EQ(*c.model_path, std::filesystem::path("/base/m.toml"));
  EXPECT_FALSE(c.top_k);
  EXPECT_EQ(c.channels[0].name, "call");  // TOML tables are read in key order
  EXPECT_EQ(c.channels[1].factor, 1.0);
}

TEST(CampaignFile, ExpressionPriorityWithTrailingChurnFactor) {
  std::string text = with_line(23, "priority = \"0.002 * clv  *  churn\"\n");
  text = text.replace(text.find("value = 10\n"), 11, "");
  Campaign e = parse_campaign(text, "c.toml", "/base");
  EXPECT_EQ(e.actions[0].priority_kind, PriorityKind::Expression);
  EXPECT_EQ(e.actions[0].priority_expression.text, "0.002 * clv");
  EXPECT_TRUE(e.actions[0].priority_times_churn);
  EXPECT_EQ(e.actions[0].priority_expression.origin, "c.toml:22:13");
  std::string plain = with_line(23, "priority = \"clv / 100\"\n");
  plain = plain.replace(plain.find("value = 10\n"), 11, "");
  Campaign p = parse_campaign(plain, "c.toml", "/base");
  EXPECT_EQ(p.actions[0].priority_expression.text, "clv / 100");
  EXPECT_FALSE(p.actions[0].priority_times_churn);
  EXPECT_FALSE(p.actions[0].uses_churn());
}

TEST(CampaignFile, UnknownKeyIsAnErrorWithItsPositionAndAHint) {
  EXPECT_EQ(error_of(with_line(13, "factr = 2.0\n")),
            "c.toml:13:1: unknown key 'factr' in channel 'call' (did you mean 'factor'?) "
            "(allowed: factor, consent, capacity, capacity_share, revoked_by)");
  EXPECT_EQ(error_of(kBase + "wieght = 2\n"),
            "c.toml:24:1: unknown key 'wieght' in action 'a' (did you mean 'weight'?) "
            "(allowed: name, trigger, message_type, channel, value, weight, brand, priority, min_volume, max_volume, "
            "money_cost, holdout)");
  EXPECT_EQ(
      error_of("[actions]\n" + kBase),
      "c.toml:1:2: unknown key 'actions' in the campaign file (did you mean 'action'?) "
      "(allowed: campaign, basket, message_types, channels, suppression, frequency_cap, action, dialogue, arbitration, "
      "holdout)");
}

TEST(CampaignFile, WrongTypeNamesKeyAndType) {
  EXPECT_EQ(error_of(with_line(22, "value = \"ten\"\n")),
            "c.toml:22:9: 'value' of action 'a' must be a number, not a string");
  EXPECT_EQ(error_of(with_line(15, "capacity = 2.5\n")),
            "c.toml:15:12: 'capacity' of channel 'call' must be an integer, not a number");
  EXPECT_EQ(error_of(with_line(3, "max_decisions_per_member = 0\n")),
            "c.toml:3:28: 'max_decisions_per_member' of [campaign] must be >= 1, not 0");
  EXPECT_EQ(error_of(with_line(13, "factor = -1\n")), "c.toml:13:10: 'factor' of channel 'call' must be >= 0, not -1");
  EXPECT_EQ(error_of(with_line(13, "factor = nan\n")),
            "c.toml:13:10: 'factor' of channel 'call' must be finite, not nan");
}

TEST(CampaignFile, MissingKeysAreNamed) {
  EXPECT_EQ(error_of(with_line(19, "")), "c.toml:17:1: action 'a' has no 'trigger'");
  EXPECT_EQ(error_of(with_line(14, "")), "c.toml:12:1: channel 'call' has no 'consent'");
  EXPECT_EQ(error_of(with_line(22, "")),
            "c.toml:17:1: action 'a' has no 'value' (its priority is 'weight * value * churn')");
  std::string no_actions = kBase.substr(0, kBase.find("[[action]]"));
  EXPECT_EQ(error_of(no_actions), "c.toml:1:1: the campaign declares no [[action]]");
}

TEST(CampaignFile, UnknownChannelOrMessageTypeSuggestsTheNearest) {
  EXPECT_EQ(error_of(with_line(21, "channel = \"emial\"\n")),
            "c.toml:21:11: unknown channel 'emial' (did you mean 'email'?) (declared: call, email)");
  EXPECT_EQ(error_of(with_line(20, "message_type = \"promo\"\n")),
            "c.toml:20:16: unknown message type 'promo' (declared: calamity, commercial, editorial, service)");
}

TEST(CampaignFile, DuplicateActionNameNamesTheFirstOne) {
  std::string dup = kBase + "\n[[action]]\nname = \"a\"\n";
  EXPECT_EQ(error_of(dup), "c.toml:26:8: action name 'a' is already used at c.toml:18:8");
}

TEST(CampaignFile, ChurnPriorityWithoutModelIsAnError) {
  EXPECT_EQ(error_of(with_line(2, "")),
            "c.toml:22:12: action 'a' weighs its priority by churn, but [campaign] names no 'model'");
}

TEST(CampaignFile, ExpressionPriorityRejectsUnusedValue) {
  EXPECT_EQ(error_of(with_line(23, "priority = \"clv / 100\"\n")),
            "c.toml:22:9: 'value' of action 'a' is not used when 'priority' is an expression; write it into the "
            "expression");
}

// Attack 2, finding 9: `priority = "value"` names `value`, yet the key `value` was "not used": say why.
TEST(CampaignFile, ExpressionPriorityNamingValueSaysItIsAColumn) {
  const std::string why =
      " (inside a priority expression `value` is read as a column of the population, not as this key; the key "
      "'value' is used only by the fixed forms priority = \"weight * value\" and \"weight * value * churn\")";
  const std::string head =
      "c.toml:22:9: 'value' of action 'a' is not used when 'priority' is an expression; write it into the expression";
  EXPECT_EQ(error_of(with_line(23, "priority = \"value\"\n")), head + why);
  EXPECT_EQ(error_of(with_line(23, "priority = \"weight * VALUE / 0\"\n")), head + why);
  // An expression that does not name `value`: the message as before.
  EXPECT_EQ(error_of(with_line(23, "priority = \"clv / 100\"\n")), head);
}

TEST(CampaignFile, SuppressionAndCapListsAreChecked) {
  std::string s = kBase + "[[suppression]]\nname = \"quiet\"\nwhen = \"days_since_calamity < 7\"\nmessage_types = []\n";
  EXPECT_EQ(error_of(s),
            "c.toml:27:17: 'message_types' of suppression rule 'quiet' is empty (leave the key out to "
            "mean every message type)");
  std::string f = kBase + "[[frequency_cap]]\nname = \"calls\"\ncount_column = \"contacts_30d\"\nmax = -1\n";
  EXPECT_EQ(error_of(f), "c.toml:27:7: 'max' of frequency cap 'calls' must be >= 0, not -1");
  std::string g = kBase +
                  "[[frequency_cap]]\nname = \"calls\"\ncount_column = \"contacts_30d\"\nmax = 3\n"
                  "channels = [\"call\", \"sms\"]\n";
  EXPECT_EQ(error_of(g), "c.toml:28:21: unknown channel 'sms' (declared: call, email)");
  Campaign ok = parse_campaign(kBase +
                                   "[[frequency_cap]]\nname = \"calls\"\ncount_column = \"contacts_30d\"\n"
                                   "max = 3\nchannels = [\"call\"]\n",
                               "c.toml", "/base");
  ASSERT_EQ(ok.frequency_caps.size(), 1u);
  EXPECT_EQ(ok.frequency_caps[0].max, 3);
  EXPECT_EQ(ok.channels[ok.frequency_caps[0].channels[0]].name, "call");
  EXPECT_EQ(ok.frequency_caps[0].count_column.origin, "c.toml:26:16");
}

TEST(CampaignFile, MessageTypeWithoutDefaultNeedsACost) {
  std::string t = "[message_types]\nnewsletter = { exclusive = false }\n" + kBase;
  EXPECT_EQ(error_of(t),
            "c.toml:2:14: message type 'newsletter' has no 'cost' (only service, editorial, commercial "
            "and calamity have defaults)");
}

TEST(CampaignFile, TomlSyntaxErrorKeepsTomlPlusPlusPosition) {
  EXPECT_EQ(error_of(with_line(22, "value = \n")),
            "c.toml:22:9: Error while parsing key-value pair: expected value, saw '\\n'");
}

TEST(CampaignFile, UnreadableFileIsAnIoError) {
  EXPECT_EQ(test::thrown_message([] { load_campaign("/nonexistent/campaign.toml"); }, ErrorKind::Io),
            "cannot open campaign file /nonexistent/campaign.toml: No such file or directory");
}

// Channels are bits of one word where a history's unsubscribes revoke them (history_policy.h).
TEST(CampaignFile, AtMost64Channels) {
  std::size_t have = 0;
  for (std::size_t at = kBase.find("[channels."); at != std::string::npos; at = kBase.find("[channels.", at + 1)) ++have;
  std::string t = kBase;
  for (std::size_t i = have; i < 64; ++i) t += "[channels.c" + std::to_string(i) + "]\nconsent = \"email_opt_in\"\n";
  EXPECT_NO_THROW(parse_campaign(t, "c.toml", "/base"));
  t += "[channels.c64]\nconsent = \"email_opt_in\"\n";
  EXPECT_EQ(error_of(t), "c.toml:9:1: at most 64 channels per campaign, not 65");
}

TEST(CampaignFile, AtMost64Actions) {
  std::string t = kBase;
  for (int i = 1; i < 65; ++i)
    t += "[[action]]\nname = \"a" + std::to_string(i) +
         "\"\ntrigger = \"x > 1\"\nmessage_type = \"service\"\n"
         "channel = \"email\"\nvalue = 1\npriority = \"weight * value\"\n";
  EXPECT_NO_THROW(parse_campaign(t.substr(0, t.rfind("[[action]]")), "c.toml", "/base"));
  // The 65th [[action]] starts on line 23 + 63 * 7 + 1.
  EXPECT_EQ(error_of(t), "c.toml:465:1: at most 64 actions per campaign");
}
