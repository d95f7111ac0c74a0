// Dialogues in campaign files (engine/dialogue/dialogue_loader.h) and the
// state machine's rules on their edges (engine/dialogue/dialogue.h): waits
// that run out exactly on D, the re-entry window's edges, ties on one day,
// the order of the reasons for leaving, expiry.
#include <gtest/gtest.h>

#include <string>

#include "engine/base/error.h"
#include "engine/decide/campaign_loader.h"
#include "engine/dialogue/dialogue.h"

using namespace nudge;
using namespace nudge::dialogue;

namespace {

const char* kHead = R"(
[basket]
points_per_period = 25
used_column = "pressure_used"
[channels.email]
consent = "email_opt_in"
[channels.call]
consent = "phone_opt_in"
factor = 2.0
)";

const char* kPlain = R"(
[[action]]
name = "birthday"
value = 20
trigger = "days_to_birthday <= 14"
message_type = "service"
channel = "email"
priority = "weight * value"
)";

const char* kDialogue = R"(
[[dialogue]]
name = "rescue"
entry = "flights_prev_3m >= 2 AND flights_3m < 0.5 * flights_prev_3m"
goal = "flights_3m >= flights_prev_3m"
[[dialogue.step]]
name = "rescue_email"
message_type = "commercial"
channel = "email"
value = 150
priority = "weight * value"
[[dialogue.step]]
name = "rescue_call"
message_type = "service"
channel = "call"
value = 400
priority = "weight * value"
wait_days = 7
[[dialogue.step]]
name = "rescue_reminder"
message_type = "service"
channel = "email"
value = 40
priority = "weight * value"
wait_days = 7
expire_days = 5
)";

decide::Campaign parse(const std::string& text) { return decide::parse_campaign(text, "c.toml", "."); }

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const Error& e) { return e.what(); }
  return "(no error)";
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  auto p = text.find(from);
  if (p == std::string::npos) return "pattern not found: " + from;
  return text.replace(p, from.size(), to);
}

}  // namespace

TEST(DialogueCampaign, StepsAreActionsAfterThePlainOnes) {
  decide::Campaign c = parse(std::string(kHead) + kDialogue + kPlain);  // [[action]] after the dialogue in the file
  ASSERT_EQ(c.actions.size(), 4u);
  EXPECT_EQ(c.actions[0].name, "birthday");
  EXPECT_FALSE(c.actions[0].dialogue);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(*c.actions[1 + k].dialogue, 0u);
    EXPECT_EQ(c.actions[1 + k].step, k);
    EXPECT_EQ(c.actions[1 + k].trigger.text, c.dialogues[0].entry.text);
  }
  ASSERT_EQ(c.dialogues.size(), 1u);
  const Dialogue& d = c.dialogues[0];
  EXPECT_EQ(d.name, "rescue");
  EXPECT_EQ(d.reentry_days, 90);
  EXPECT_EQ(d.response_types, (std::vector<std::string>{"open", "click", "convert"}));
  EXPECT_EQ(d.exit_response_types, (std::vector<std::string>{"convert"}));
  ASSERT_EQ(d.steps.size(), 3u);
  EXPECT_EQ(d.steps[0].action, 1u);
  EXPECT_EQ(d.steps[1].wait_days, 7);
  EXPECT_FALSE(d.steps[1].expire_days);
  EXPECT_EQ(*d.steps[2].expire_days, 5);
  EXPECT_EQ(c.channels[c.actions[2].channel].name, "call");
  EXPECT_EQ(c.cost(c.actions[2]), 4.0);  // service 2 x call 2
}

TEST(DialogueCampaign, ACampaignMayHoldOnlyDialogues) {
  decide::Campaign c = parse(std::string(kHead) + kDialogue);
  EXPECT_EQ(c.actions.size(), 3u);
  EXPECT_EQ(error_of(kHead), "c.toml:1:1: the campaign declares no [[action]]");
}

TEST(DialogueCampaign, ErrorsNameFileLineAndColumn) {
  const std::string base = std::string(kHead) + kDialogue;
  EXPECT_EQ(error_of(with(base, "wait_days = 7\nexpire", "wait_days = 0\nexpire")),
            "c.toml:34:13: 'wait_days' of step 'rescue_reminder' of dialogue 'rescue' must be >= 1, not 0");
  EXPECT_EQ(error_of(with(base, "priority = \"weight * value\"\n[[dialogue.step]]\nname = \"rescue_call\"",
                          "priority = \"weight * value\"\nwait_days = 3\n[[dialogue.step]]\nname = \"rescue_call\"")),
            "c.toml:21:13: the first step (step 'rescue_email' of dialogue 'rescue') has no wait: it is due when the "
            "member enters");
  EXPECT_EQ(error_of(with(base, "wait_days = 7\nexpire", "expire")),
            "c.toml:28:1: step 'rescue_reminder' of dialogue 'rescue' has no 'wait_days' (days after the previous "
            "step's contact) and no 'wait_until' (a date column)");
  EXPECT_EQ(error_of(with(base, "goal =", "reentry_days = 7\ngoal =")),
            "c.toml:28:13: step 'rescue_call' of dialogue 'rescue' waits 7 days, but the dialogue reads only the last "
            "7 days (reentry_days): the step could never become due");
  EXPECT_EQ(error_of(with(base, "name = \"rescue_call\"", "name = \"rescue_email\"")),
            "c.toml:22:8: action name 'rescue_email' is already used at c.toml:16:8");
  EXPECT_EQ(error_of(with(base, "goal =", "gaol =")),
            "c.toml:14:1: unknown key 'gaol' in dialogue 'rescue' (did you mean 'goal'?) (allowed: name, entry, goal, "
            "reentry_days, response_types, exit_response_types, step, holdout)");
  EXPECT_EQ(error_of(with(base, "channel = \"call\"", "channel = \"cal\"")),
            "c.toml:24:11: unknown channel 'cal' (did you mean 'call'?) (declared: call, email)");
  EXPECT_EQ(error_of(with(base, "name = \"rescue_email\"\n", "name = \"rescue_email\"\ntrigger = \"TRUE\"\n")),
            "c.toml:17:1: unknown key 'trigger' in step 'rescue_email' of dialogue 'rescue' (allowed: name, "
            "message_type, channel, value, weight, brand, priority, wait_days, expire_days, holdout, wait_until, "
            "wait_until_offset_days)");
  EXPECT_EQ(error_of(std::string(kHead) + "[[dialogue]]\nname = \"x\"\nentry = \"TRUE\"\n"),
            "c.toml:10:1: dialogue 'x' has no 'step'");
}

namespace {

Dialogue rs3_like() {
  Dialogue d;
  d.name = "rescue";
  d.steps = {{0, 0, std::nullopt}, {1, 7, std::nullopt}, {2, 7, std::nullopt}};
  return d;
}

Place at(const Dialogue& d, int32_t D, std::vector<StepContact> cs, bool entry = false, bool goal = false) {
  return place_of(d, D, cs.data(), cs.size(), entry, goal);
}

}  // namespace

TEST(DialogueState, WaitsRunOutExactlyOnTheDueDay) {
  const Dialogue d = rs3_like();
  const int32_t D = 20000;
  // Step 1 sent on D - 7: step 2 due; on D - 6: waiting, due tomorrow.
  Place p = at(d, D, {{D - 7, 0}});
  EXPECT_EQ(p.state, State::Due);
  EXPECT_EQ(p.step, 1);
  EXPECT_EQ(p.due_on, D);
  p = at(d, D, {{D - 6, 0}});
  EXPECT_EQ(p.state, State::Waiting);
  EXPECT_EQ(p.due_on, D + 1);
  // Due whether or not the entry condition still holds; the goal ends it.
  EXPECT_EQ(at(d, D, {{D - 30, 0}}, false).state, State::Due);
  EXPECT_EQ(at(d, D, {{D - 30, 0}}, true, true).state, State::LeftGoal);
}

TEST(DialogueState, TheReentryWindowExcludesDMinus90AndIncludesD) {
  const Dialogue d = rs3_like();
  const int32_t D = 20000;
  EXPECT_EQ(at(d, D, {{D - 90, 2}}, true).state, State::Due);  // out of the window: outside, enters again
  EXPECT_EQ(at(d, D, {{D - 90, 2}}, true).step, 0);
  EXPECT_EQ(at(d, D, {{D - 90, 2}}, false).state, State::Outside);
  EXPECT_EQ(at(d, D, {{D - 89, 2}}, true).state, State::LeftFinished);
  EXPECT_EQ(at(d, D, {{D - 91, 0}}, false).state, State::Outside);
  EXPECT_EQ(at(d, D, {{D + 1, 0}}, true).state, State::Due);  // a contact after D is not read
  EXPECT_EQ(at(d, D, {{D, 0}}).state, State::Waiting);
  // A step due since day 7 that is never sent stays due until its predecessor leaves the window.
  EXPECT_EQ(at(d, D, {{D - 89, 0}}).state, State::Due);
  // An entering member whose goal holds does not enter.
  EXPECT_EQ(at(d, D, {}, true, true).state, State::Outside);
}

TEST(DialogueState, TiesOnOneDayReadTheHigherStep) {
  const Dialogue d = rs3_like();
  const int32_t D = 20000;
  Place p = at(d, D, {{D - 10, 1}, {D - 10, 0}});
  EXPECT_EQ(p.state, State::Due);
  EXPECT_EQ(p.step, 2);
  // A response to an earlier step does not count; to the latest it does.
  EXPECT_EQ(at(d, D, {{D - 20, 0, true}, {D - 10, 1}}).state, State::Due);
  EXPECT_EQ(at(d, D, {{D - 20, 0}, {D - 10, 1, true}}).state, State::LeftResponse);
  // An exit response to any window contact wins over every other reason.
  Place q = at(d, D, {{D - 20, 0, false, true}, {D - 10, 2, true}}, false, true);
  EXPECT_EQ(q.state, State::LeftExit);
  EXPECT_EQ(q.step, 2);
}

TEST(DialogueState, ExpiryEndsADueStep) {
  Dialogue d = rs3_like();
  d.steps[1].expire_days = 3;
  const int32_t D = 20000;
  EXPECT_EQ(at(d, D, {{D - 9, 0}}).state, State::Due);  // due since D - 2: third day
  Place p = at(d, D, {{D - 10, 0}});
  EXPECT_EQ(p.state, State::LeftExpired);
  EXPECT_EQ(p.step, 0);
}
