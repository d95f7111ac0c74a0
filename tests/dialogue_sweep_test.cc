// Dialogue places and decisions of the sweep (engine/dialogue/dialogue_pass.h
// through engine/decide/sweep.h) against the row-by-row reference of the
// rules (tests/oracles/dialogue_reference.h) feeding the plain decision
// reference (tests/oracles/decide_reference.h), on generated populations with
// random, adversarial histories: contacts on every window edge (D - 90,
// D - 89, D - 7, D - 6, D, D + 1), ties on one day, responses of every type
// before, on and after D, control contacts, repeated records, members without
// history and history without members. 1 and 2 threads, every instruction
// set; the batch size is the build's (2048, or 64 in the sanitizer build).
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <random>
#include <regex>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "io/gen/rs1_generator.h"
#include "tests/oracles/decide_reference.h"
#include "tests/oracles/dialogue_reference.h"
#include "tests/support/campaign_files.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

const int32_t kAsOf = days_from_civil(2026, 11, 15);

// RS-1 with actions 0 and 1 replaced by RS-3's dialogue (basket and caps from
// columns, so that only the dialogue reads the history), plus a second
// dialogue with an expiry and a user-defined response type.
std::string campaign_text() {
  std::string t = test::campaign_text("rs1.toml");
  const auto a = t.find("[[action]]\nname = \"defection_call\"");
  const auto b = t.find("[[action]]\nname = \"tier_nudge\"");
  t.erase(a, b - a);
  t += R"(
[[dialogue]]
name = "defection_rescue"
entry = "flights_prev_3m >= 2 AND flights_3m < 0.5 * flights_prev_3m"
goal = "flights_3m >= flights_prev_3m"
reentry_days = 90
[[dialogue.step]]
name = "rescue_email"
message_type = "commercial"
channel = "email"
value = 150
priority = "weight * value * churn"
[[dialogue.step]]
name = "rescue_call"
message_type = "service"
channel = "call"
value = 400
priority = "weight * value * churn"
wait_days = 7
[[dialogue.step]]
name = "rescue_reminder"
message_type = "service"
channel = "email"
value = 40
priority = "weight * value"
wait_days = 7

[[dialogue]]
name = "tier_push"
entry = "points_to_next_tier > 0 AND points_to_next_tier <= 4000"
goal = "points_to_next_tier <= 0"
reentry_days = 30
response_types = ["click", "visit"]
exit_response_types = ["convert", "visit"]
[[dialogue.step]]
name = "tier_email"
message_type = "editorial"
channel = "email"
value = 50
priority = "weight * value"
[[dialogue.step]]
name = "tier_sms"
message_type = "editorial"
channel = "sms"
value = 45
priority = "weight * value"
wait_days = 3
expire_days = 4
)";
  return t;
}

struct Records {
  std::vector<history::ContactRecord> contacts;
  std::vector<history::ResponseRecord> responses;
};

// A random history around kAsOf for a share of the population's members (and
// some ids that are not members).
Records random_history(const Population& pop, uint64_t seed, double share) {
  std::mt19937_64 rng(seed);
  const uint64_t* ids = pop.column(*pop.id_column()).values<uint64_t>();
  const char* steps[] = {"rescue_email", "rescue_call", "rescue_reminder", "tier_email", "tier_sms", "newsletter"};
  const char* chans[] = {"email", "call", "email", "email", "sms", "email"};
  const char* types[] = {"open", "click", "convert", "unsubscribe", "complaint", "visit"};
  const int32_t edges[] = {-91, -90, -89, -31, -30, -29, -14, -8, -7, -6, -4, -3, -2, -1, 0, 1};
  Records r;
  auto day = [&] { return kAsOf + (rng() % 3 ? edges[rng() % std::size(edges)] : -static_cast<int32_t>(rng() % 120)); };
  auto add_member = [&](uint64_t id) {
    const std::size_t mine = r.contacts.size();  // this member's contacts start here
    const int n = 1 + static_cast<int>(rng() % 5);
    for (int k = 0; k < n; ++k) {
      const std::size_t s = rng() % std::size(steps);
      history::ContactRecord c;
      c.customer_id = id;
      c.sent_on = day();
      c.action = steps[s];
      c.channel = chans[s];
      c.message_type = "service";
      c.cost = 2;
      c.control = rng() % 12 == 0;
      bool dup = false;
      for (std::size_t o = mine; o < r.contacts.size(); ++o)
        dup = dup || (r.contacts[o].action == c.action && r.contacts[o].sent_on == c.sent_on);
      if (dup) continue;
      r.contacts.push_back(c);
      if (rng() % 7 == 0) r.contacts.push_back(c);  // the same contact again: counts once
      const int m = static_cast<int>(rng() % 3);
      for (int j = 0; j < m; ++j) {
        history::ResponseRecord x;
        x.customer_id = id;
        x.action = c.action;
        x.sent_on = c.sent_on;
        x.responded_on = c.sent_on + static_cast<int32_t>(rng() % 12) - 1;  // some before the contact: skipped
        x.type = types[rng() % std::size(types)];
        r.responses.push_back(x);
      }
    }
    if (rng() % 10 == 0) {  // a response to a contact that does not exist
      history::ResponseRecord x{id, "rescue_call", kAsOf - 3, kAsOf - 1, "open", 0, ""};
      r.responses.push_back(x);
    }
  };
  for (std::size_t row = 0; row < pop.rows(); ++row)
    if (std::uniform_real_distribution<double>(0, 1)(rng) < share) add_member(ids[row]);
  for (int k = 0; k < 50; ++k) add_member(5'000'000'000ULL + static_cast<uint64_t>(k));  // not in the population
  return r;
}

SweepResult sweep(const BoundCampaign& b, int threads, const dialogue::BoundDialogues& dlg) {
  tbb::task_arena arena(threads);
  SweepResult r;
  SweepOptions opt;
  opt.dialogues = &dlg;
  arena.execute([&] { r = run_sweep(b, opt); });
  return r;
}

void expect_matches_reference(const Campaign& c, const Population& pop, const Records& rec,
                              std::vector<int> threads = {1, 2}) {
  const history::History h = history::build_history(rec.contacts, rec.responses);
  const std::vector<uint32_t> members = h.map_population(pop);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  const auto dlg = dialogue::BoundDialogues::bind(b, &h, members.data(), kAsOf);
  const auto places = test::reference_places(c, pop, rec.contacts, rec.responses, kAsOf);
  // The reference funnel per dialogue, and the fired override for the decision reference.
  std::vector<dialogue::DialogueFunnel> ref_funnel(c.dialogues.size());
  for (std::size_t d = 0; d < c.dialogues.size(); ++d)
    for (const auto& p : places[d]) ++ref_funnel[d].members[static_cast<std::size_t>(p.state)][p.step];
  auto fired = [&](std::size_t a, std::size_t row) {
    const Action& act = c.actions[a];
    const test::RefPlace& p = places[*act.dialogue][row];
    return p.state == dialogue::State::Due && std::size_t(p.step) == act.step;
  };
  test::RefResult ref = test::reference_sweep(c, pop, b.model(), c.top_k, [&](std::size_t a, std::size_t row) {
    return c.actions[a].dialogue ? fired(a, row) : b.expressions().reference_predicate(pop, a, row) == 1;
  });
  // One member at a time through explain() (forward scan of the events) equals the reference too.
  for (std::size_t d = 0; d < c.dialogues.size(); ++d)
    for (std::size_t row = 0; row < pop.rows(); ++row) {
      const bool entry =
          b.expressions().reference_predicate(pop, b.trigger_predicate(c.dialogues[d].steps[0].action), row) == 1;
      const bool goal = b.expressions().reference_predicate(pop, *b.goal_predicate(d), row) == 1;
      const dialogue::Place p = dlg.explain(row, d, entry, goal, nullptr);
      ASSERT_EQ((test::RefPlace{p.state, p.step}), places[d][row])
          << "dialogue " << d << " row " << row << ": " << dialogue::state_name(p.state) << " " << int(p.step) << " vs "
          << dialogue::state_name(places[d][row].state) << " " << places[d][row].step;
    }
  // The per-sweep summary (BoundDialogues::prepare, 1 and 2 threads) against the direct scan per row, batch by batch.
  for (int t : threads) {
    tbb::task_arena arena(t);
    std::unique_ptr<dialogue::PreparedDialogues> prep;
    arena.execute([&] { prep = dlg.prepare(); });
    ASSERT_EQ(prep == nullptr, dlg.history() == nullptr);  // no history (or an empty one): nothing to summarise
    dialogue::DialogueScratch direct, gathered;
    dlg.init(direct), dlg.init(gathered);
    expr::Workspace ws;
    for (std::size_t begin = 0; begin < pop.rows(); begin += expr::kBatchRows) {
      const std::size_t count = std::min(expr::kBatchRows, pop.rows() - begin);
      b.expressions().evaluate(pop, begin, count, ws);
      dlg.batch(begin, count, ws, direct);
      dlg.batch(begin, count, ws, gathered, prep.get());
      ASSERT_EQ(direct.fired, gathered.fired) << "threads " << t << " batch " << begin;
    }
    for (std::size_t d = 0; d < c.dialogues.size(); ++d)
      ASSERT_EQ(direct.funnel[d].members, gathered.funnel[d].members) << "dialogue " << d;
  }
  // The same summary inside HistoryPolicy's pre-pass (prepare_with_dialogues: one walk and one
  // record a member for the policies and the places) gives the same places and the same policy inputs.
  {
    // A frequency cap from the history (never binding) so that the policy takes its fast walk,
    // which then also tells which members have a dialogue contact in the window.
    Campaign hc = c;
    FrequencyCap cap;
    cap.name = "any_contact_7d", cap.max = 1000000, cap.window_days = 7;
    hc.frequency_caps.push_back(cap);
    policy::HistoryPolicy hp(hc, pop, h, kAsOf);
    ASSERT_TRUE(hp.fast_walk());
    const BoundCampaign hb = BoundCampaign::bind(hc, hp.population());
    const auto hdlg = dialogue::BoundDialogues::bind(hb, &h, hp.member_map().data(), kAsOf);
    const auto other_day = dialogue::BoundDialogues::bind(hb, &h, hp.member_map().data(), kAsOf - 1);
    ASSERT_EQ(hp.prepare_with_dialogues(other_day)->dialogues(), nullptr);  // another day: not fused
    for (int t : threads) {
      tbb::task_arena arena(t);
      std::unique_ptr<decide::PreparedInputs> fused, plain;
      arena.execute([&] { fused = hp.prepare_with_dialogues(hdlg), plain = hp.prepare(); });
      ASSERT_EQ(plain->dialogues(), nullptr);
      if (!hdlg.summary_usable()) {
        ASSERT_EQ(fused->dialogues(), nullptr);
        continue;
      }
      ASSERT_NE(fused->dialogues(), nullptr);
      ASSERT_EQ(fused->dialogues()->owner, &hdlg);
      dialogue::DialogueScratch direct, gathered;
      hdlg.init(direct), hdlg.init(gathered);
      expr::Workspace ws;
      decide::MemberInputs in_fused, in_plain;
      for (std::size_t begin = 0; begin < pop.rows(); begin += expr::kBatchRows) {
        const std::size_t count = std::min(expr::kBatchRows, pop.rows() - begin);
        hp.fill(begin, count, in_plain, plain.get());
        hp.fill(begin, count, in_fused, fused.get());
        ASSERT_EQ(in_fused.basket_used, in_plain.basket_used) << "batch " << begin;
        ASSERT_EQ(in_fused.cap_counts, in_plain.cap_counts) << "batch " << begin;
        ASSERT_EQ(in_fused.revoked, in_plain.revoked) << "batch " << begin;
        hb.expressions().evaluate(hp.population(), begin, count, ws);
        hdlg.batch(begin, count, ws, direct);
        hdlg.batch(begin, count, ws, gathered, fused->dialogues());
        ASSERT_EQ(direct.fired, gathered.fired) << "threads " << t << " batch " << begin;
      }
      for (std::size_t d = 0; d < c.dialogues.size(); ++d)
        ASSERT_EQ(direct.funnel[d].members, gathered.funnel[d].members) << "dialogue " << d;
    }
  }
  for (int t : threads) {
    SCOPED_TRACE("threads " + std::to_string(t));
    SweepResult r = sweep(b, t, dlg);
    for (std::size_t d = 0; d < c.dialogues.size(); ++d)
      for (std::size_t s = 0; s < dialogue::kStateCount; ++s)
        for (std::size_t k = 0; k < dialogue::kMaxSteps; ++k)
          EXPECT_EQ(r.dialogues[d].members[s][k], ref_funnel[d].members[s][k])
              << c.dialogues[d].name << " " << dialogue::state_name(dialogue::State(s)) << " step " << k + 1;
    ASSERT_EQ(r.ranked.size(), ref.ranked.size());
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const Decision& x = r.ranked[i];
      const test::RefDecision& e = ref.ranked[i];
      ASSERT_TRUE(x.customer_id == e.customer_id && x.action == e.action && x.priority == e.priority &&
                  x.budget_left == e.budget_left && bool(x.control) == e.control)
          << "rank " << i + 1 << ": " << x.customer_id << " " << c.actions[x.action].name << " vs " << e.customer_id
          << " " << c.actions[e.action].name;
    }
    for (std::size_t a = 0; a < c.actions.size(); ++a) {
      SCOPED_TRACE(c.actions[a].name);
      EXPECT_EQ(r.funnel[a].fired, ref.funnel[a].fired);
      EXPECT_EQ(r.funnel[a].consent, ref.funnel[a].consent);
      EXPECT_EQ(r.funnel[a].suppression, ref.funnel[a].suppression);
      EXPECT_EQ(r.funnel[a].budget, ref.funnel[a].budget);
      EXPECT_EQ(r.funnel[a].member_max, ref.funnel[a].member_max);
      EXPECT_EQ(r.funnel[a].capacity, ref.funnel[a].capacity);
      EXPECT_EQ(r.funnel[a].kept, ref.funnel[a].kept);
      EXPECT_EQ(r.funnel[a].control, ref.funnel[a].control);
    }
  }
}

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kMembers = 6'000;
#else
constexpr std::size_t kMembers = 30'000;
#endif

}  // namespace

TEST(DialogueSweep, EqualsTheRowByRowReference) {
  const Campaign c = parse_campaign(campaign_text(), "dialogues.toml", test::source_dir() / "data/campaigns");
  for (uint64_t seed : {1u, 2u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Population pop = generate_rs1(kMembers + 37 * seed, seed, kAsOf);
    expect_matches_reference(c, pop, random_history(pop, seed, 0.4));
  }
}

TEST(DialogueSweep, EveryStateOccurs) {
  const Campaign c = parse_campaign(campaign_text(), "dialogues.toml", test::source_dir() / "data/campaigns");
  Population pop = generate_rs1(kMembers, 3, kAsOf);
  const Records rec = random_history(pop, 3, 0.5);
  const auto places = test::reference_places(c, pop, rec.contacts, rec.responses, kAsOf);
  std::vector<int> seen(dialogue::kStateCount, 0);
  for (const auto& p : places[0]) seen[static_cast<std::size_t>(p.state)] = 1;
  for (const auto& p : places[1]) seen[static_cast<std::size_t>(p.state)] = 1;
  for (std::size_t s = 0; s < dialogue::kStateCount; ++s)
    EXPECT_TRUE(seen[s]) << dialogue::state_name(dialogue::State(s));
}

TEST(DialogueSweep, IsTheSameForEveryInstructionSet) {
  const Campaign c = parse_campaign(campaign_text(), "dialogues.toml", test::source_dir() / "data/campaigns");
  Population pop = generate_rs1(kMembers / 3, 4, kAsOf);
  const Records rec = random_history(pop, 4, 0.4);
  for (auto isa : simd::supported_isas()) {
    SCOPED_TRACE(std::string(simd::isa_name(isa)));
    simd::ScopedIsa scoped(isa);
    expect_matches_reference(c, pop, rec, {2});
  }
}

TEST(DialogueSweep, WithoutAHistoryEveryoneIsOutside) {
  const Campaign c = parse_campaign(campaign_text(), "dialogues.toml", test::source_dir() / "data/campaigns");
  Population pop = generate_rs1(5'000, 5, kAsOf);
  expect_matches_reference(c, pop, Records{});
  BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepResult r = run_sweep(b, {});  // no SweepOptions::dialogues at all
  EXPECT_EQ(r.dialogues[0].in(dialogue::State::Outside) + r.dialogues[0].at(dialogue::State::Due, 0), 5'000u);
  EXPECT_GT(r.dialogues[0].at(dialogue::State::Due, 0), 0u);
}

// Holdouts on dialogues (data/campaigns/README.md "[holdout]"): a share of the
// first dialogue held out of all its steps, one step's own share, and the
// campaign level; the held-out step decisions are control decisions exactly
// where the reference's hash says so, through every gate and capacity.
TEST(DialogueSweep, HoldoutsOfDialoguesAndStepsEqualTheReference) {
  std::string t = campaign_text();
  t = std::regex_replace(t, std::regex("reentry_days = 90\n"), "reentry_days = 90\nholdout = 0.3\n");
  t = std::regex_replace(t, std::regex("(name = \"tier_sms\"\n)"), "$1holdout = 0.5\n");
  t += "\n[holdout]\ncampaign = 0.05\n";
  const Campaign c = parse_campaign(t, "dialogues.toml", test::source_dir() / "data/campaigns");
  ASSERT_EQ(c.dialogues[0].holdout, 0.3);
  Population pop = generate_rs1(kMembers, 6, kAsOf);
  const Records rec = random_history(pop, 6, 0.5);
  expect_matches_reference(c, pop, rec);
  // Real values: controls among the steps of both dialogues.
  const history::History h = history::build_history(rec.contacts, rec.responses);
  const std::vector<uint32_t> members = h.map_population(pop);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  const auto dlg = dialogue::BoundDialogues::bind(b, &h, members.data(), kAsOf);
  const SweepResult r = sweep(b, 2, dlg);
  const std::size_t first_step = c.dialogues[0].steps[0].action, sms = c.dialogues[1].steps[1].action;
  EXPECT_GT(r.funnel[first_step].control, r.funnel[first_step].kept / 5);  // at least the dialogue's 30%
  EXPECT_GT(r.funnel[sms].control, 0u);
}

// Steps that wait until a date column (renewal_date: NULL for some members,
// dates on every edge around the due day, far past and far future, the type's
// extremes), with an offset and an expiry, against the row-by-row reference,
// and the campaign errors of wait_until.
TEST(DialogueSweep, WaitUntilADateColumnEqualsTheReference) {
  std::string t = campaign_text();
  const std::string sms = "wait_days = 3\nexpire_days = 4\n";
  ASSERT_NE(t.find(sms), std::string::npos);
  t.replace(t.find(sms), sms.size(),
            "wait_until = \"renewal_date\"\nwait_until_offset_days = -7\nwait_days = 2\nexpire_days = 4\n");
  const std::string call = "value = 400\npriority = \"weight * value * churn\"\nwait_days = 7\n";
  ASSERT_NE(t.find(call), std::string::npos);
  t.replace(t.find(call), call.size(),
            "value = 400\npriority = \"weight * value * churn\"\nwait_until = \"renewal_date\"\n");
  const Campaign c = parse_campaign(t, "dialogues.toml", test::source_dir() / "data/campaigns");
  ASSERT_EQ(c.dialogues[1].steps[1].wait_until, "renewal_date");
  ASSERT_EQ(c.dialogues[1].steps[1].wait_until_offset_days, -7);
  ASSERT_EQ(c.dialogues[0].steps[1].wait_days, 1);  // no wait_days with wait_until: one day
  for (uint64_t seed : {3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Population pop = generate_rs1(kMembers + 11 * seed, seed, kAsOf);
    Column renewal("renewal_date", DataType::Date, pop.rows());
    std::mt19937_64 rng(seed);
    const int32_t offsets[] = {-9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 5, 8, 40};
    int32_t* v = renewal.mutable_values<int32_t>();
    for (std::size_t row = 0; row < pop.rows(); ++row) {
      const uint64_t k = rng() % 40;
      v[row] = k == 0   ? std::numeric_limits<int32_t>::min()
               : k == 1 ? std::numeric_limits<int32_t>::max()
               : k < 4  ? kAsOf - 400
                        : kAsOf + 7 + offsets[rng() % std::size(offsets)];
      if (k == 5 || k == 6) renewal.set_null(row);
    }
    pop.add_column(std::move(renewal));
    expect_matches_reference(c, pop, random_history(pop, seed, 0.5));
  }
}

TEST(DialogueSweep, WaitUntilErrorsNameTheStepAndTheColumn) {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      const Campaign c = parse_campaign(text, "dialogues.toml", test::source_dir() / "data/campaigns");
      Population pop = generate_rs1(100, 1, kAsOf);
      BoundCampaign b = BoundCampaign::bind(c, pop);
      (void)dialogue::BoundDialogues::bind(b, nullptr, nullptr, kAsOf);
    } catch (const Error& e) { return e.what(); }
    return "";
  };
  const std::string sms = "wait_days = 3\nexpire_days = 4\n";
  std::string t = campaign_text();
  t.replace(t.find(sms), sms.size(), "wait_until = \"tier\"\n");
  EXPECT_NE(error_of(t).find("wait_until column 'tier' is category, not a date"), std::string::npos) << error_of(t);
  t = campaign_text();
  t.replace(t.find(sms), sms.size(), "wait_until = \"renewl_date\"\n");
  EXPECT_NE(error_of(t).find("renewl_date"), std::string::npos) << error_of(t);
  t = campaign_text();
  t.replace(t.find(sms), sms.size(), "wait_until_offset_days = 3\n");
  EXPECT_NE(error_of(t).find("has 'wait_until_offset_days' but no 'wait_until'"), std::string::npos) << error_of(t);
  t = campaign_text();
  t.replace(t.find(sms), sms.size(), "");
  EXPECT_NE(error_of(t).find("no 'wait_days' (days after the previous step's contact) and no 'wait_until'"),
            std::string::npos)
      << error_of(t);
}
