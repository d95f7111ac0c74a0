// append_day (engine/dialogue/history_append.h): a simulated day added to a
// history view equals the view build_history makes from all the records at
// once, member by member and event by event (profiles compared by content,
// codes by name), on random histories where most members get nothing that
// day and some members are new.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/dialogue/history_append.h"
#include "engine/history/history.h"

namespace nudge {
namespace {

using history::ContactRecord;
using history::History;
using history::ResponseRecord;

struct Contact {
  int32_t sent_on;
  std::string action, channel, message_type, campaign, dialogue;
  int32_t step;
  double cost;
  bool control;
  uint32_t batch;
  bool operator==(const Contact&) const = default;
};
struct Response {
  int32_t responded_on;
  uint32_t contact;  // index among the member's contacts
  std::string type;
  bool has_value;
  double value;
  bool operator==(const Response&) const = default;
};
struct Member {
  uint64_t id;
  std::vector<Contact> contacts;
  std::vector<Response> responses;
  bool operator==(const Member&) const = default;
};

std::vector<Member> members_of(const History& h) {
  std::vector<Member> out;
  for (uint32_t m = 0; m < h.members(); ++m) {
    Member x{h.customer_ids()[m], {}, {}};
    const uint32_t first = h.contact_offsets()[m];
    for (uint32_t c : h.contacts_of(m)) {
      const history::ContactProfile& p = h.profile_of(c);
      x.contacts.push_back(
          {h.sent_on()[c], h.actions().name(p.action), h.channels().name(p.channel),
           h.message_types().name(p.message_type), p.campaign < 0 ? "" : h.campaigns().name(p.campaign),
           p.dialogue < 0 ? "" : h.dialogues().name(p.dialogue), p.step, p.cost, p.control, h.contact_batch()[c]});
    }
    for (uint32_t r : h.responses_of(m)) {
      const double v = h.response_value()[r];
      x.responses.push_back({h.responded_on()[r], h.response_contact()[r] - first,
                             h.response_types().name(h.response_type()[r]), !std::isnan(v), std::isnan(v) ? 0.0 : v});
    }
    out.push_back(std::move(x));
  }
  return out;
}

TEST(AppendDay, EqualsBuildingTheWholeHistoryFromRecords) {
  const std::vector<std::string> actions = {"a_mail", "b_call", "c_sms", "rescue_email"};
  const std::vector<std::string> channels = {"email", "call", "sms"};
  const std::vector<std::string> types = {"open", "click", "convert", "unsubscribe", "zz_custom"};
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    std::vector<ContactRecord> contacts;
    std::vector<ResponseRecord> responses;
    const int32_t day = 20000;
    // Old history: 600 members with ids spread out, 1-6 contacts each, before `day`.
    for (uint64_t m = 0; m < 600; ++m) {
      const uint64_t id = 1000 + m * 7 + rng() % 5;
      const int n = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < n; ++k) {
        ContactRecord c;
        c.customer_id = id;
        c.sent_on = day - 1 - static_cast<int32_t>(rng() % 60);
        c.action = actions[rng() % 3];
        c.channel = channels[rng() % channels.size()];
        c.message_type = rng() % 2 ? "commercial" : "service";
        c.campaign = rng() % 3 ? "rs3" : "";
        c.cost = 0.5 * static_cast<double>(rng() % 20);
        c.control = rng() % 10 == 0;
        c.batch = 1 + static_cast<uint32_t>(rng() % 3);
        bool dup = false;
        for (const auto& o : contacts)
          dup = dup || (o.customer_id == id && o.sent_on == c.sent_on && o.action == c.action);
        if (dup) continue;
        if (rng() % 3 == 0) {
          ResponseRecord r;
          r.customer_id = id, r.action = c.action, r.sent_on = c.sent_on;
          r.responded_on = c.sent_on + static_cast<int32_t>(rng() % 5);
          r.type = types[rng() % 4];
          if (rng() % 2) r.value = static_cast<double>(rng() % 100);
          responses.push_back(r);
        }
        contacts.push_back(std::move(c));
      }
    }
    const History old = history::build_history(contacts, responses);
    uint32_t next_batch = 0;
    for (uint32_t b : old.contact_batch()) next_batch = std::max(next_batch, b);
    ++next_batch;
    // The day: about 5% of the old members, plus new members (ids between and beyond).
    std::vector<dialogue::DayContact> day_contacts;
    std::vector<dialogue::DayResponse> day_responses;
    for (uint64_t m = 0; m < 700; ++m) {
      if (rng() % 20 != 0) continue;
      const uint64_t id = m < 600 ? old.customer_ids()[m] : 100000 + m;
      for (std::size_t a = 0; a < actions.size(); ++a) {
        if (rng() % 2) continue;
        dialogue::DayContact c;
        c.customer_id = id;
        c.action = actions[a];
        c.channel = channels[a % channels.size()];
        c.message_type = "commercial";
        c.campaign = "rs3";
        if (a == 3) c.dialogue = "defection_rescue", c.step = 1;
        c.cost = 10;
        c.control = rng() % 8 == 0;
        ContactRecord rec;
        rec.customer_id = id, rec.sent_on = day, rec.action = c.action, rec.channel = c.channel;
        rec.message_type = c.message_type, rec.campaign = c.campaign, rec.dialogue = c.dialogue;
        rec.step = c.step, rec.cost = c.cost, rec.control = c.control, rec.batch = next_batch;
        contacts.push_back(rec);
        if (rng() % 2) {
          // zz_custom is a new user-defined type on some days: the type codes move.
          const std::string type = seed == 2 ? types[4] : types[rng() % 4];
          day_responses.push_back({day_contacts.size(), day + static_cast<int32_t>(rng() % 3), type});
          ResponseRecord r;
          r.customer_id = id, r.action = c.action, r.sent_on = day;
          r.responded_on = day_responses.back().responded_on, r.type = type;
          responses.push_back(r);
        }
        day_contacts.push_back(std::move(c));
      }
    }
    ASSERT_GT(day_contacts.size(), 20u);
    const History appended = dialogue::append_day(old, day, day_contacts, day_responses);
    const History whole = history::build_history(contacts, responses);
    const auto got = members_of(appended), want = members_of(whole);
    ASSERT_EQ(got.size(), want.size()) << "seed " << seed;
    for (std::size_t m = 0; m < got.size(); ++m) ASSERT_EQ(got[m], want[m]) << "seed " << seed << " member " << m;
    EXPECT_EQ(appended.contacts(), whole.contacts());
    EXPECT_EQ(appended.responses(), whole.responses());
    EXPECT_EQ(appended.response_types().names(), whole.response_types().names());
  }
}

TEST(AppendDay, RefusesADayBeforeTheHistorysLastContact) {
  ContactRecord c;
  c.customer_id = 5, c.sent_on = 100, c.action = "a", c.channel = "email", c.message_type = "service";
  const History h = history::build_history({c}, {});
  dialogue::DayContact d;
  d.customer_id = 6, d.action = "a", d.channel = "email", d.message_type = "service";
  // A data condition (exit 1), not a usage error (exit 2): attack 2, finding 9.
  try {
    dialogue::append_day(h, 100, {d}, {});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
    EXPECT_STREQ(e.what(),
                 "the history holds contacts dated on or after the simulated day 1970-04-11: simulate days after "
                 "the history's last contact");
  }
  EXPECT_EQ(dialogue::append_day(h, 101, {d}, {}).members(), 2u);
}

}  // namespace
}  // namespace nudge
