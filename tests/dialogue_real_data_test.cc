// The seed's dialogue examples on real data, imported through the CLI
// (`nudge activity`) and checked against plain counts over the raw files:
//   - CDNOW "first purchases" (data/campaigns/cdnow_first_purchases.toml): the
//     welcome e-mail went out the day after each first purchase; at as_of
//     1997-03-31 the members who have left by the goal (a fourth order day)
//     and those due / waiting for the second step equal a count of each
//     customer's order days in CDNOW_master.txt;
//   - Maven airline "one flight short of Star" (data/campaigns/airline_top_tier.toml):
//     the members who enter equal a count over the raw CSVs; with a history
//     of the e-mail a week ago they are all due for the call.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/history/history.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/raw_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;
namespace fs = std::filesystem;
using test::lines_of;
using test::split;

namespace {

void run(const std::string& cmd) {
  std::string out;
  ASSERT_EQ(test::run_command(cmd, &out), 0) << cmd << "\n" << out;
}

decide::SweepResult sweep(const decide::Campaign& c, const Population& pop, const history::History& h, int32_t as_of) {
  const auto bound = decide::BoundCampaign::bind(c, pop);
  const auto members = h.map_population(pop);
  const auto dlg = dialogue::BoundDialogues::bind(bound, &h, members.data(), as_of);
  decide::SweepOptions opt;
  opt.dialogues = &dlg;
  return decide::run_sweep(bound, opt);
}

}  // namespace

TEST(DialogueRealData, CdnowFirstPurchasesLeaveByTheGoalAfterTheFourthOrder) {
  const fs::path dir = test::make_temp_dir("cdnow-dialogue");
  const fs::path log = test::shared_dir() / "data/real/cdnow/CDNOW_master.txt";
  run("'" + test::cli_path().string() + "' activity --activity '" + log.string() + "' --activity-schema '" +
      (test::source_dir() / "data/schemas/cdnow_daily.toml").string() +
      "' --as-of 1997-03-31 --default email_opt_in=true --default pressure_used=0 -o '" + (dir / "q1.snap").string() +
      "' 2>/dev/null");
  const int32_t D = days_from_civil(1997, 3, 31);
  // Plain count over the raw log: each customer's order days up to D.
  std::map<uint64_t, std::set<int32_t>> days;
  const auto lines = lines_of(log);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream w(lines[i]);
    std::string id, date;
    if (!(w >> id >> date)) continue;
    const int32_t day = days_from_civil(std::stoi(date.substr(0, 4)), unsigned(std::stoi(date.substr(4, 2))),
                                        unsigned(std::stoi(date.substr(6, 2))));
    auto& s = days[std::stoull(id)];
    if (day <= D) s.insert(day);
  }
  // The history: the welcome e-mail the day after each first purchase.
  std::vector<history::ContactRecord> contacts;
  uint64_t goal = 0, due2 = 0, waiting = 0, entering = 0, outside = 0;
  for (const auto& [id, s] : days) {
    if (s.empty()) {
      ++outside;
      continue;
    }
    const int32_t sent = *s.begin() + 1;
    if (sent <= D) {
      history::ContactRecord c;
      c.customer_id = id, c.sent_on = sent, c.action = "welcome_offer", c.channel = "email";
      c.message_type = "commercial", c.cost = 10;
      contacts.push_back(c);
      if (s.size() >= 4) ++goal;
      else if (sent <= D - 14) ++due2;
      else ++waiting;
    } else {
      s.size() >= 4 ? ++outside : ++entering;  // first order on D itself: the e-mail is not out yet
    }
  }
  const Population pop = open_snapshot(dir / "q1.snap");
  ASSERT_EQ(pop.rows(), 23570u);
  const auto c = decide::load_campaign(test::source_dir() / "data/campaigns/cdnow_first_purchases.toml");
  const auto r = sweep(c, pop, history::build_history(contacts, {}), D);
  const auto& f = r.dialogues[0];
  using dialogue::State;
  EXPECT_EQ(f.in(State::LeftGoal), goal);
  EXPECT_EQ(f.at(State::Due, 1), due2);
  EXPECT_EQ(f.at(State::Waiting, 1), waiting);
  EXPECT_EQ(f.at(State::Due, 0), entering);
  EXPECT_EQ(f.in(State::Outside), outside);
  EXPECT_GT(goal, 500u);  // 587 customers of the cohort order on four days in its first quarter
  EXPECT_GT(due2, 1000u);
  // Budget 30, one decision a member, no caps: every due step is sent.
  EXPECT_EQ(r.funnel[1].kept, due2);
  EXPECT_EQ(r.funnel[0].kept, entering);
}

TEST(DialogueRealData, AirlineMembersOneFlightShortOfStar) {
  const fs::path dir = test::make_temp_dir("airline-dialogue");
  const fs::path zip = test::shared_dir() / "data/real/airline-loyalty-program/Airline+Loyalty+Program.zip";
  run("unzip -q -o '" + zip.string() + "' -x '__MACOSX/*' -d '" + dir.string() + "'");
  run("'" + test::cli_path().string() + "' activity '" + (dir / "Customer Loyalty History.csv").string() +
      "' --schema '" + (test::source_dir() / "data/schemas/airline_members.toml").string() + "' --activity '" +
      (dir / "Customer Flight Activity.csv").string() + "' --activity-schema '" +
      (test::source_dir() / "data/schemas/airline_activity.toml").string() +
      "' --as-of 2018-12-31 --default email_opt_in=true --default phone_opt_in=true --default pressure_used=0 "
      "--default contacts_30d=0 -o '" +
      (dir / "air.snap").string() + "' 2>/dev/null");
  // Plain count over the raw CSVs: active Nova members with 99 flights in 2018.
  std::map<std::string, std::pair<std::string, bool>> card;  // id -> (card, cancelled)
  const auto members = lines_of(dir / "Customer Loyalty History.csv");
  for (std::size_t i = 1; i < members.size(); ++i) {
    const auto f = split(members[i], ',');
    card[f[0]] = {f[9], !f[14].empty()};
  }
  std::map<std::string, long> flights;
  const auto activity = lines_of(dir / "Customer Flight Activity.csv");
  for (std::size_t i = 1; i < activity.size(); ++i) {
    const auto f = split(activity[i], ',');
    if (f[1] == "2018") flights[f[0]] += std::stol(f[5]);
  }
  std::vector<uint64_t> short_of_star;
  for (const auto& [id, x] : card)
    if (x.first == "Nova" && !x.second && flights[id] == 99) short_of_star.push_back(std::stoull(id));
  ASSERT_EQ(short_of_star.size(), 52u);

  const Population pop = open_snapshot(dir / "air.snap");
  const auto c = decide::load_campaign(test::source_dir() / "data/campaigns/airline_top_tier.toml");
  const int32_t D = days_from_civil(2018, 12, 31);
  const auto first = sweep(c, pop, history::History(), D);
  EXPECT_EQ(first.dialogues[0].at(dialogue::State::Due, 0), short_of_star.size());
  EXPECT_EQ(first.funnel[0].kept, short_of_star.size());
  // A week after the e-mail, without an answer: the call is due for every one of them.
  std::vector<history::ContactRecord> contacts;
  for (uint64_t id : short_of_star) {
    history::ContactRecord k;
    k.customer_id = id, k.sent_on = D - 7, k.action = "star_nudge_email", k.channel = "email";
    k.message_type = "editorial", k.cost = 5;
    contacts.push_back(k);
  }
  const auto later = sweep(c, pop, history::build_history(contacts, {}), D);
  EXPECT_EQ(later.dialogues[0].at(dialogue::State::Due, 1), short_of_star.size());
  EXPECT_EQ(later.funnel[1].kept, short_of_star.size());
  EXPECT_EQ(later.funnel[0].fired, 0u);
}
