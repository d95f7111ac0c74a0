// The in-memory history (engine/history/history.h): grouping and order,
// RS-2's dedupe and attachment rules, canonical form, population mapping.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/base/error.h"
#include "engine/history/history.h"
#include "engine/history/owned_history.h"
#include "engine/store/types.h"
#include "tests/support/history_compare.h"

namespace nudge::history {
namespace {

int32_t day(const char* iso) { return *parse_iso_date(iso); }

ContactRecord contact(uint64_t id, const char* sent, const char* action, const char* channel = "email",
                      const char* type = "commercial", double cost = 10, uint32_t batch = 1) {
  ContactRecord c;
  c.customer_id = id;
  c.sent_on = day(sent);
  c.action = action;
  c.channel = channel;
  c.message_type = type;
  c.cost = cost;
  c.batch = batch;
  c.source = "c.csv:" + std::to_string(id);
  return c;
}

ResponseRecord response(uint64_t id, const char* action, const char* sent, const char* on, const char* type) {
  ResponseRecord r;
  r.customer_id = id;
  r.action = action;
  r.sent_on = day(sent);
  r.responded_on = day(on);
  r.type = type;
  r.source = "r.csv:" + std::to_string(id);
  return r;
}

TEST(HistoryBuild, GroupsByMemberAscendingAndSortsContactsBySentOnThenAction) {
  History h = build_history({contact(30, "2026-11-02", "b"), contact(10, "2026-11-05", "z"),
                             contact(30, "2026-11-01", "c"), contact(30, "2026-11-02", "a")},
                            {});
  ASSERT_EQ(h.members(), 2u);
  EXPECT_EQ(h.customer_ids()[0], 10u);
  EXPECT_EQ(h.customer_ids()[1], 30u);
  ASSERT_EQ(h.contacts(), 4u);
  const IndexRange r = h.contacts_of(1);
  ASSERT_EQ(r.size(), 3u);
  std::vector<std::string> order;
  for (uint32_t i : r) order.push_back(h.actions().name(h.profile_of(i).action));
  EXPECT_EQ(order, (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(h.actions().names(), (std::vector<std::string>{"a", "b", "c", "z"}));
  EXPECT_EQ(h.member_of_contact(0), 0u);
  EXPECT_EQ(h.member_of_contact(3), 1u);
  EXPECT_EQ(h.find_member(30), 1u);
  EXPECT_EQ(h.find_member(20), kNoMember);
}

TEST(HistoryBuild, RepeatedTripleCountsOnceAndKeepsTheEarliestBatch) {
  History h = build_history({contact(1, "2026-11-02", "a", "email", "service", 2, 3),
                             contact(1, "2026-11-02", "a", "email", "service", 2, 1)},
                            {});
  ASSERT_EQ(h.contacts(), 1u);
  EXPECT_EQ(h.contact_batch()[0], 1u);
  EXPECT_EQ(h.profile_of(0).cost, 2);
}

TEST(HistoryBuild, RepeatedTripleWithOtherCostIsAnErrorNamingBothSources) {
  auto a = contact(7, "2026-11-02", "a", "email", "service", 2);
  auto b = contact(7, "2026-11-02", "a", "email", "service", 3);
  a.source = "first.csv:4";
  b.source = "second.csv:9";
  try {
    build_history({a, b}, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("first.csv:4"), std::string::npos) << m;
    EXPECT_NE(m.find("second.csv:9"), std::string::npos) << m;
    EXPECT_NE(m.find("cost"), std::string::npos) << m;
  }
}

TEST(HistoryBuild, ResponsesAttachOnlyToTheirTripleAndNeverBeforeTheContact) {
  History h =
      build_history({contact(1, "2026-11-02", "a"), contact(1, "2026-11-03", "b"), contact(2, "2026-11-02", "a")},
                    {response(1, "b", "2026-11-03", "2026-11-04", "click"),
                     response(1, "b", "2026-11-03", "2026-11-04", "click"),  // repeat: once
                     response(1, "a", "2026-11-03", "2026-11-04", "open"),   // no such contact (date)
                     response(3, "a", "2026-11-02", "2026-11-04", "open"),   // no such member
                     response(2, "a", "2026-11-02", "2026-11-01", "open"),   // before its contact
                     response(2, "a", "2026-11-02", "2026-11-02", "my_type")});
  ASSERT_EQ(h.responses(), 2u);
  const uint32_t m1 = h.find_member(1), m2 = h.find_member(2);
  ASSERT_EQ(h.responses_of(m1).size(), 1u);
  const uint32_t r = h.responses_of(m1).first;
  EXPECT_EQ(h.actions().name(h.profile_of(h.response_contact()[r]).action), "b");
  EXPECT_EQ(h.response_type()[r], kClick);
  ASSERT_EQ(h.responses_of(m2).size(), 1u);
  EXPECT_EQ(h.response_types().name(h.response_type()[h.responses_of(m2).first]), "my_type");
  EXPECT_GE(h.response_types().find("my_type"), 5);
  ASSERT_EQ(h.skipped().size(), 3u);
  SkipCounts all = h.count_skipped(INT32_MAX);
  EXPECT_EQ(all.no_contact, 2u);
  EXPECT_EQ(all.before_contact, 1u);
  SkipCounts early = h.count_skipped(day("2026-11-01"));  // only the one dated 11-01, its contact not yet sent
  EXPECT_EQ(early.total(), 1u);
  EXPECT_EQ(early.no_contact, 1u);
}

TEST(HistoryBuild, StrictModeRefusesTheFirstOrphanNamingItsSource) {
  auto r = response(3, "a", "2026-11-02", "2026-11-04", "open");
  r.source = "resp.csv:17";
  BuildOptions o;
  o.strict_responses = true;
  try {
    build_history({contact(1, "2026-11-02", "a")}, {r}, o);
    FAIL() << "no error";
  } catch (const Error& e) { EXPECT_NE(std::string(e.what()).find("resp.csv:17"), std::string::npos) << e.what(); }
}

TEST(HistoryBuild, ViewIsCanonicalWhateverTheInputOrder) {
  std::mt19937_64 rng(7);
  std::vector<ContactRecord> cs;
  std::vector<ResponseRecord> rs;
  const char* actions[] = {"x", "birthday", "tier_nudge", "newsletter"};
  const char* channels[] = {"email", "sms", "call"};
  for (int i = 0; i < 3000; ++i) {
    const uint64_t id = 1000 + rng() % 300;
    const int32_t d = day("2026-01-01") + static_cast<int32_t>(rng() % 300);
    ContactRecord c;
    c.customer_id = id;
    c.sent_on = d;
    c.action = actions[rng() % 4];
    c.channel = channels[(d + c.action.size()) % 3];  // a function of the triple: repeats agree
    c.message_type = "service";
    c.cost = static_cast<double>(c.action.size());
    c.batch = 1;
    cs.push_back(c);
    if (rng() % 2) {
      ResponseRecord r;
      r.customer_id = id;
      r.action = c.action;
      r.sent_on = d;
      r.responded_on = d + static_cast<int32_t>(rng() % 5) - 1;
      r.type = (rng() % 3) ? "open" : "convert";
      r.value = r.type == "convert" ? 12.5 : std::numeric_limits<double>::quiet_NaN();
      rs.push_back(r);
    }
  }
  History a = build_history(cs, rs);
  std::shuffle(cs.begin(), cs.end(), rng);
  std::shuffle(rs.begin(), rs.end(), rng);
  History b = build_history(cs, rs);
  EXPECT_TRUE(test::histories_equal(a, b));
  EXPECT_GT(a.skipped().size(), 0u);  // responses dated the day before: before their contact
  // Every attached response is of its own member and not before its contact.
  for (uint32_t m = 0; m < a.members(); ++m)
    for (uint32_t r : a.responses_of(m)) {
      const uint32_t c = a.response_contact()[r];
      ASSERT_EQ(a.member_of_contact(c), m);
      ASSERT_GE(a.responded_on()[r], a.sent_on()[c]);
    }
}

TEST(HistoryBuild, MergeOfPartsEqualsOneBuildOfAllRecords) {
  std::mt19937_64 rng(11);
  std::vector<ContactRecord> cs;
  std::vector<ResponseRecord> rs;
  const char* actions[] = {"a", "b", "c", "d", "e", "f"};
  for (int i = 0; i < 4000; ++i) {
    ContactRecord c = contact(100 + rng() % 500, "2026-10-01", actions[rng() % 6], "email", "service", 2,
                              static_cast<uint32_t>(1 + rng() % 3));
    c.sent_on += static_cast<int32_t>(rng() % 40);
    c.channel = (c.sent_on % 2) ? "email" : "sms";  // a function of the triple
    c.brand = c.action == "f" ? "other" : "";
    cs.push_back(c);
    if (rng() % 2)
      rs.push_back(response(c.customer_id, actions[rng() % 6], "2026-10-01", "2026-11-20",
                            (rng() % 5) ? "open" : "custom_type"));
    if (rng() % 2) rs.back().sent_on = c.sent_on;
  }
  std::vector<std::vector<ContactRecord>> pc(3);
  std::vector<std::vector<ResponseRecord>> pr(3);
  for (const auto& c : cs) pc[c.batch - 1].push_back(c);
  for (const auto& r : rs) pr[rng() % 3].push_back(r);
  std::vector<History> parts;
  for (int p = 0; p < 3; ++p) parts.push_back(build_history(pc[p], pr[p]));
  parts.push_back(History());
  const History merged = merge_views(parts);
  const History expect = build_history(cs, rs);
  EXPECT_TRUE(test::histories_equal(expect, merged));
  EXPECT_GT(expect.responses(), 100u);
  EXPECT_GT(expect.skipped().size(), 100u);
}

TEST(HistoryBuild, MapRowsAgreesWithFindMemberForSortedAndShuffledIds) {
  std::mt19937_64 rng(3);
  std::vector<ContactRecord> cs;
  for (int i = 0; i < 5000; ++i) {
    // Skewed ids: a dense cluster and a few far away (adversarial for the bucket index).
    const uint64_t id = (i % 50 == 0) ? (uint64_t{1} << 62) + rng() % 1000 : 6'000'000'000ull + rng() % 20000;
    cs.push_back(contact(id, "2026-11-02", "a"));
  }
  History h = build_history(cs, {});
  std::vector<uint64_t> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back(i % 3 == 0 ? rng() : cs[rng() % cs.size()].customer_id);
  ids.push_back(0);
  ids.push_back(~uint64_t{0});
  auto check = [&](const std::vector<uint64_t>& v) {
    const std::vector<uint32_t> m = h.map_rows(v);
    ASSERT_EQ(m.size(), v.size());
    for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(m[i], h.find_member(v[i])) << i;
  };
  check(ids);
  // Short and odd lengths: the lookup pipeline's ramp-up and drain (2 x 16 rows ahead).
  for (std::size_t n : {1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49, 100}) check({ids.begin(), ids.begin() + n});
  std::sort(ids.begin(), ids.end());
  check(ids);
  check({});
  EXPECT_EQ(History().map_rows(ids), std::vector<uint32_t>(ids.size(), kNoMember));
}

TEST(HistoryBuild, EmptyHistoryHasBuiltinTypesAndNoMembers) {
  History h = build_history({}, {response(1, "a", "2026-11-02", "2026-11-03", "open")});
  EXPECT_EQ(h.members(), 0u);
  EXPECT_EQ(h.contact_offsets().size(), 1u);
  EXPECT_EQ(h.response_types().name(kUnsubscribe), "unsubscribe");
  EXPECT_EQ(h.skipped().size(), 1u);
}

}  // namespace
}  // namespace nudge::history
