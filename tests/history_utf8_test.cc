// History names that are not UTF-8 (found by tests/fuzz/history_fuzz.cc: a
// Latin-1 byte in an action name made write_segment throw nlohmann's
// type_error, an exception nudge does not document, out of `history add`).
// Names go into the segment's JSON meta, which holds UTF-8 only: the CSV
// readers refuse other text naming file:line:col, write_segment refuses it
// with nudge::Error whatever the way in, and a batch source (a file name, a
// label only) that is not UTF-8 is written with U+FFFD in its place.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "engine/base/error.h"
#include "engine/base/utf8.h"
#include "engine/history/event_table.h"
#include "engine/history/history.h"
#include "engine/store/types.h"
#include "io/history/history_csv.h"
#include "io/history/history_store.h"
#include "io/history/segment_file.h"
#include "tests/support/test_paths.h"

namespace nudge::history {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// The message of the nudge::Error that `f` throws ("" when it throws none; any other exception fails the test).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) { return e.what(); }
  return "";
}

TEST(HistoryUtf8, Validator) {
  EXPECT_EQ(invalid_utf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8("K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80"), std::string_view::npos);  // Köln € emoji
  EXPECT_EQ(invalid_utf8("service_pus\xe8"), 11u);                                               // Latin-1 è
  EXPECT_EQ(invalid_utf8("a\xc0\xaf"), 1u);                                                      // overlong '/'
  EXPECT_EQ(invalid_utf8("ab\xed\xa0\x80"), 2u);                                                 // a surrogate
  EXPECT_EQ(invalid_utf8("\xf4\x90\x80\x80"), 0u);                                               // beyond U+10FFFF
  EXPECT_EQ(invalid_utf8("abc\xe2\x82"), 3u);                                                    // truncated
}

TEST(HistoryUtf8, ContactsCsvRefusesANameThatIsNotUtf8WithFileLineAndColumn) {
  fs::path dir = test::make_temp_dir("history_utf8");
  write(dir / "c.csv",
        "customer_id,sent_on,action,channel,message_type,cost\n"
        "6000000001,2026-03-28,winback_sms,sms,commercial,15\n"
        "6000000013,2026-07-25,service_pus\xe8,push,service,2\n");
  EventTable t;
  std::string msg = error_of([&] { read_contacts_csv(dir / "c.csv", t); });
  EXPECT_NE(msg.find("c.csv:3:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'action'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("is not UTF-8 text (byte 12 of the value)"), std::string::npos) << msg;

  write(dir / "c2.csv",
        "customer_id,sent_on,action,channel,message_type,cost,campaign\n"
        "6000000001,2026-03-28,winback_sms,sms,commercial,15,Sp\xe4tsommer\n");
  EventTable t2;
  msg = error_of([&] { read_contacts_csv(dir / "c2.csv", t2); });
  EXPECT_NE(msg.find("c2.csv:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'campaign'"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(HistoryUtf8, ResponsesCsvRefusesATypeThatIsNotUtf8) {
  fs::path dir = test::make_temp_dir("history_utf8");
  write(dir / "r.csv",
        "customer_id,action,sent_on,responded_on,type\n"
        "6000000001,winback_sms,2026-03-28,2026-03-30,cl\xefck\n");
  EventTable t;
  std::string msg = error_of([&] { read_responses_csv(dir / "r.csv", t); });
  EXPECT_NE(msg.find("r.csv:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'type'"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(HistoryUtf8, WriteSegmentRefusesANameThatIsNotUtf8WithANudgeError) {
  fs::path dir = test::make_temp_dir("history_utf8");
  ContactRecord c;
  c.customer_id = 7;
  c.sent_on = days_from_civil(2026, 11, 1);
  c.action = "service_pus\xe8";
  c.channel = "push";
  c.message_type = "service";
  c.cost = 2;
  History h = build_history({c}, {});
  std::string msg = error_of([&] { write_segment(h, dir / "seg.nhs"); });
  EXPECT_NE(msg.find("the action name \"service_pus\\ufffd\" is not UTF-8 text (at byte 12)"), std::string::npos)
      << msg;
  EXPECT_FALSE(fs::exists(dir / "seg.nhs"));
  fs::remove_all(dir);
}

TEST(HistoryUtf8, ABatchSourceThatIsNotUtf8IsWrittenWithReplacementCharacters) {
  fs::path dir = test::make_temp_dir("history_utf8");
  write(dir / "c.csv",
        "customer_id,sent_on,action,channel,message_type,cost\n"
        "6000000001,2026-03-28,winback_sms,sms,commercial,15\n");
  EventTable t;
  read_contacts_csv(dir / "c.csv", t);
  BatchInfo info;
  info.kind = "contacts";
  info.source = "sends_\xe9t\xe9.csv";  // a Latin-1 file name
  AddResult r;
  EXPECT_EQ(error_of([&] { r = add_batch(dir / "h", std::move(t), info); }), "");
  EXPECT_TRUE(r.added);
  Manifest m = read_manifest(dir / "h");
  ASSERT_EQ(m.batches.size(), 1u);
  EXPECT_EQ(m.batches[0].source, "sends_\xef\xbf\xbdt\xef\xbf\xbd.csv");
  EXPECT_EQ(open_history(dir / "h").contacts(), 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nudge::history
