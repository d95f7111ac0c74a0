// `nudge history add|inspect|compact` and `nudge sweep --record`: reports,
// bad input errors with file:line:col, mappings, nothing half-written.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "engine/history/history.h"
#include "engine/store/types.h"
#include "io/history/history_store.h"
#include "tests/support/history_compare.h"
#include "tests/support/test_paths.h"

namespace nudge {
namespace {

namespace fs = std::filesystem;

using test::nudge_cmd;

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* kContacts =
    "customer_id,sent_on,action,channel,message_type,cost\n"
    "1,2026-11-01,birthday,email,service,2\n"
    "1,2026-11-03,winback_sms,sms,commercial,15\n"
    "2,2026-11-10,calamity_notice,email,calamity,20\n";

struct BadCase {
  const char* what;
  std::string file;
  std::string expect;  // in the error
};

TEST(HistoryCli, BadContactsNameFileLineAndColumn) {
  const auto dir = test::make_temp_dir("hcli-bad");
  const std::string head = "customer_id,sent_on,action,channel,message_type,cost\n";
  const std::vector<BadCase> cases = {
      {"bad date", head + "1,2026-11-01,a,email,service,2\n2,2026-13-01,a,email,service,2\n",
       "x.csv:3:3: column 'sent_on'"},
      {"bad id", head + "-4,2026-11-01,a,email,service,2\n", "x.csv:2:1: column 'customer_id'"},
      {"bad cost", head + "4,2026-11-01,a,email,service,two\n", "x.csv:2:30: column 'cost'"},
      {"negative cost", head + "4,2026-11-01,a,email,service,-1\n", "x.csv:2:30: column 'cost'"},
      {"empty action", head + "4,2026-11-01,,email,service,1\n", "x.csv:2:14: column 'action'"},
      {"field count", head + "4,2026-11-01,a,email,service\n", "x.csv:2: 5 fields, the header has 6"},
      {"missing column", "customer_id,sent_on,action,channel,cost\n", "no column 'message_type'"},
      {"unterminated quote", head + "4,2026-11-01,\"a,email,service,1\n", "x.csv:2:14"},
      {"empty file", "", "the file is empty"},
  };
  for (const auto& c : cases) {
    write(dir / "x.csv", c.file);
    int rc = 0;
    const std::string out =
        nudge_cmd("history add " + (dir / "h").string() + " --contacts " + (dir / "x.csv").string(), &rc);
    EXPECT_EQ(rc, 1) << c.what << ": " << out;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.what << ": " << out;
    EXPECT_FALSE(fs::exists(dir / "h" / "MANIFEST")) << c.what;  // nothing half-written
  }
}

TEST(HistoryCli, AddInspectCompactAndReAdd) {
  const auto dir = test::make_temp_dir("hcli");
  write(dir / "c.csv", kContacts);
  write(dir / "r.csv",
        "customer_id,action,sent_on,responded_on,type,value\n"
        "1,birthday,2026-11-01,2026-11-02,open,\n"
        "1,birthday,2026-11-01,2026-10-31,click,\n"
        "3,x,2026-11-01,2026-11-02,open,\n"
        "2,calamity_notice,2026-11-10,2026-11-11,convert,12.5\n");
  const std::string h = (dir / "h").string();
  int rc = 0;
  std::string out = nudge_cmd("history add " + h + " --contacts " + (dir / "c.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("batch 1: 3 contacts added"), std::string::npos) << out;
  out = nudge_cmd("history add " + h + " --contacts " + (dir / "c.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("were added as batch 1"), std::string::npos) << out;
  out = nudge_cmd("history add " + h + " --responses " + (dir / "r.csv").string() + " --strict", &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("r.csv:3"), std::string::npos) << out;
  out = nudge_cmd("history add " + h + " --responses " + (dir / "r.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("4 responses added; 2 of them attach to no contact"), std::string::npos) << out;
  out = nudge_cmd("history inspect " + h, &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("members      2 with history"), std::string::npos) << out;
  EXPECT_NE(out.find("contacts     3 (0 control), sent_on 2026-11-01 .. 2026-11-10"), std::string::npos) << out;
  EXPECT_NE(out.find("skipped 2 (no such contact 1, before the contact 1)"), std::string::npos) << out;
  const history::History before = history::open_history(h);
  out = nudge_cmd("history compact " + h, &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("compacted 2 segments"), std::string::npos) << out;
  EXPECT_TRUE(test::histories_equal(before, history::open_history(h)));
  out = nudge_cmd("history inspect --verify " + h, &rc);
  EXPECT_EQ(rc, 0) << out;
}

TEST(HistoryCli, MappingReadsAnExternalExport) {
  const auto dir = test::make_temp_dir("hcli-map");
  write(dir / "sends.csv",
        "SubscriberKey,EmailName,SendDate,Journey\n"
        "17,birthday,15/11/2026 08:02,Lifecycle\n"
        "18,birthday,14/11/2026 09:00,\n");
  write(dir / "tracking.csv",
        "SubscriberKey,EmailName,SendDate,EventDate,EventType,Amount\n"
        "17,birthday,15/11/2026 08:02,16/11/2026 19:44,Open,\n"
        "17,birthday,15/11/2026 08:02,16/11/2026 19:50,Purchase,80.5\n"
        "18,birthday,14/11/2026 09:00,14/11/2026 09:01,Bounce,\n");
  const std::string h = (dir / "h").string();
  const fs::path schemas = test::source_dir() / "data" / "schemas";
  int rc = 0;
  std::string out = nudge_cmd("history add " + h + " --contacts " + (dir / "sends.csv").string() + " --mapping " +
                                  (schemas / "history_esp_sends.toml").string(),
                              &rc);
  ASSERT_EQ(rc, 0) << out;
  out = nudge_cmd("history add " + h + " --responses " + (dir / "tracking.csv").string() + " --mapping " +
                      (schemas / "history_esp_responses.toml").string(),
                  &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("1 rows dropped"), std::string::npos) << out;
  const history::History hist = history::open_history(h);
  ASSERT_EQ(hist.members(), 2u);
  const uint32_t m = hist.find_member(17);
  ASSERT_EQ(hist.contacts_of(m).size(), 1u);
  const uint32_t c = hist.contacts_of(m).first;
  EXPECT_EQ(hist.sent_on()[c], *parse_iso_date("2026-11-15"));
  EXPECT_EQ(hist.campaigns().name(hist.profile_of(c).campaign), "Lifecycle");
  EXPECT_EQ(hist.profile_of(c).cost, 2);
  EXPECT_EQ(hist.profile_of(hist.contacts_of(hist.find_member(18)).first).campaign, -1);
  ASSERT_EQ(hist.responses_of(m).size(), 2u);
  const uint32_t conv = hist.responses_of(m).first + 1;  // same day: open (0) before convert (2)
  EXPECT_EQ(hist.response_type()[conv], history::kConvert);
  EXPECT_EQ(hist.response_value()[conv], 80.5);
  // A mapping of the wrong kind, and a bad key, are errors naming the file.
  out = nudge_cmd("history add " + h + " --contacts " + (dir / "sends.csv").string() + " --mapping " +
                      (schemas / "history_esp_responses.toml").string(),
                  &rc);
  EXPECT_EQ(rc, 2) << out;
  write(dir / "bad.toml", "kind = \"contacts\"\n[columns]\ncustomer = \"X\"\n");
  out = nudge_cmd(
      "history add " + h + " --contacts " + (dir / "sends.csv").string() + " --mapping " + (dir / "bad.toml").string(),
      &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("bad.toml: 'customer' is not a column of contacts"), std::string::npos) << out;
}

TEST(HistoryCli, SweepRecordEqualsAddingItsDecisionsFile) {
  const auto dir = test::make_temp_dir("hcli-rec");
  const std::string snap = (dir / "p.snap").string();
  int rc = 0;
  std::string out = nudge_cmd("gen -n 3000 -o " + snap, &rc);
  ASSERT_EQ(rc, 0) << out;
  const std::string campaign = (test::source_dir() / "data" / "campaigns" / "rs1.toml").string();
  const std::string h1 = (dir / "h1").string(), h2 = (dir / "h2").string();
  out = nudge_cmd("sweep " + snap + " -c " + campaign + " -o " + (dir / "d.csv").string() + " --record " + h1 +
                      " --sent-on 2026-11-15",
                  &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("history: sweep"), std::string::npos) << out;
  out = nudge_cmd("history add " + h2 + " --contacts " + (dir / "d.csv").string() + " --sent-on 2026-11-15", &rc);
  ASSERT_EQ(rc, 0) << out;
  const history::History a = history::open_history(h1), b = history::open_history(h2);
  EXPECT_GT(a.contacts(), 0u);
  EXPECT_TRUE(test::histories_equal(a, b));
  // The decisions file added to the recorded history: every contact a repeat.
  out = nudge_cmd("history add " + h1 + " --contacts " + (dir / "d.csv").string() + " --sent-on 2026-11-15", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("nothing new"), std::string::npos) << out;
}

// Attack 2, finding 7: a second same-day `sweep --record` re-proposed the contacts the first recorded,
// and the record dropped them silently ("... 2199 already in the history"): sending that decisions file
// contacts those members twice. It is refused (exit 1) before anything is written.
TEST(HistoryCli, SecondSameDayRecordIsRefusedBeforeWritingAnything) {
  const auto dir = test::make_temp_dir("hcli-rec2");
  const std::string snap = (dir / "p.snap").string(), h = (dir / "h").string();
  const std::string d1 = (dir / "d1.csv").string(), d2 = (dir / "d2.csv").string();
  int rc = 0;
  std::string out = nudge_cmd("gen -n 3000 -o " + snap, &rc);
  ASSERT_EQ(rc, 0) << out;
  const std::string campaign = (test::source_dir() / "data" / "campaigns" / "rs1.toml").string();
  const std::string sweep = "sweep " + snap + " -c " + campaign + " --record " + h + " --sent-on 2026-11-15";
  out = nudge_cmd(sweep + " -o " + d1, &rc);
  ASSERT_EQ(rc, 0) << out;
  std::ifstream in(d1);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);  // rank 1: "1,<customer_id>,<action>,..."
  std::size_t decisions = 1;
  for (std::string line; std::getline(in, line);) ++decisions;
  const std::string id = first.substr(2, first.find(',', 2) - 2);
  const std::string action = first.substr(3 + id.size(), first.find(',', 3 + id.size()) - 3 - id.size());
  ASSERT_GT(decisions, 100u);
  const history::Manifest before = history::read_manifest(h);
  ASSERT_EQ(before.batches.size(), 1u);
  const std::string manifest = slurp(fs::path(h) / "MANIFEST");
  write(d2, "old decisions\n");
  out = nudge_cmd(sweep + " -o " + d2, &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("nudge: error: " + h + ": " + std::to_string(decisions) + " of the " +
                     std::to_string(decisions) +
                     " decisions to record are contacts the history already holds for the same day (for example "
                     "customer_id " + id + ", action '" + action + "', sent_on 2026-11-15, in batch 1): sending "
                     "this decisions file would contact these members twice"),
            std::string::npos)
      << out;
  EXPECT_EQ(slurp(d2), "old decisions\n");  // the -o file is untouched
  EXPECT_EQ(slurp(fs::path(h) / "MANIFEST"), manifest);  // no batch added
  // To standard output: nothing is written either (the check comes before the decisions).
  out = nudge_cmd(sweep, &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_EQ(out.find("rank,customer_id"), std::string::npos) << out;
  // Another day is a new contact; the same decisions without --record are unchanged.
  out = nudge_cmd("sweep " + snap + " -c " + campaign + " -o " + d2, &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(slurp(d2), slurp(d1));
  out = nudge_cmd("sweep " + snap + " -c " + campaign + " --record " + h + " --sent-on 2026-11-16 -o " + d2, &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(history::read_manifest(h).batches.size(), 2u);
}

// Attack 2, finding 9: re-adding responses the history already holds (rows shuffled, so not the same
// file) said "N responses added" and wrote a segment; it now says "nothing new", as contacts do.
TEST(HistoryCli, ResponsesAlreadyHeldAreNothingNew) {
  const auto dir = test::make_temp_dir("hcli-resp");
  const std::string h = (dir / "h").string();
  write(dir / "c.csv", kContacts);
  write(dir / "r1.csv",
        "customer_id,action,sent_on,responded_on,type,value\n"
        "1,birthday,2026-11-01,2026-11-02,open,\n"
        "1,winback_sms,2026-11-03,2026-11-04,purchase,12.5\n"
        "9,birthday,2026-11-01,2026-11-02,open,\n");  // no such contact: kept as skipped
  write(dir / "r2.csv",  // the same rows, shuffled
        "customer_id,action,sent_on,responded_on,type,value\n"
        "9,birthday,2026-11-01,2026-11-02,open,\n"
        "1,winback_sms,2026-11-03,2026-11-04,purchase,12.5\n"
        "1,birthday,2026-11-01,2026-11-02,open,\n");
  int rc = 0;
  std::string out = nudge_cmd("history add " + h + " --contacts " + (dir / "c.csv").string(), &rc);
  ASSERT_EQ(rc, 0) << out;
  out = nudge_cmd("history add " + h + " --responses " + (dir / "r1.csv").string(), &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("batch 2: 3 responses added; 1 of them attach to no contact"), std::string::npos) << out;
  const std::string manifest = slurp(fs::path(h) / "MANIFEST");
  out = nudge_cmd("history add " + h + " --responses " + (dir / "r2.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out, (dir / "r2.csv").string() + ": nothing new (3 responses already in the history); nothing added\n");
  EXPECT_EQ(slurp(fs::path(h) / "MANIFEST"), manifest);
  EXPECT_FALSE(fs::exists(fs::path(h) / "seg-000003.nhs"));
  // Another value, type or day is a new response; the held ones are counted beside it.
  write(dir / "r3.csv",
        "customer_id,action,sent_on,responded_on,type,value\n"
        "1,winback_sms,2026-11-03,2026-11-04,purchase,12.5\n"
        "1,winback_sms,2026-11-03,2026-11-04,purchase,13\n"
        "1,birthday,2026-11-01,2026-11-02,open,\n");
  out = nudge_cmd("history add " + h + " --responses " + (dir / "r3.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("batch 3: 1 responses added (2 more already in the history); 0 of them attach to no contact"),
            std::string::npos)
      << out;
  const history::History all = history::open_history(h);
  EXPECT_EQ(all.responses(), 3u);
  EXPECT_EQ(all.skipped().size(), 1u);
}

// `nudge diff --history` (issue 15): B's history policy shares A's population, so
// B = RS-2 with a bigger basket shares all 11 of its expressions with A (the
// calamity suppression's history aggregate included); so does A against itself.
TEST(HistoryCli, DiffWithHistorySharesExpressions) {
  const auto dir = test::make_temp_dir("hcli-diff");
  const std::string data = (dir / "data").string(), h = (dir / "h").string();
  int rc = 0;
  std::string out = nudge_cmd("gen -n 3000 --history " + data, &rc);
  ASSERT_EQ(rc, 0) << out;
  out = nudge_cmd("history add " + h + " --contacts " + data + "/contacts.csv", &rc);
  ASSERT_EQ(rc, 0) << out;
  out = nudge_cmd("history add " + h + " --responses " + data + "/responses.csv", &rc);
  ASSERT_EQ(rc, 0) << out;
  const fs::path campaigns = test::source_dir() / "data" / "campaigns";
  std::ifstream in(campaigns / "rs2.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(text.find("points_per_period = 25"), std::string::npos);
  text.replace(text.find("points_per_period = 25"), 22, "points_per_period = 30");
  text.replace(text.find("\"../models/"), 11, "\"" + (campaigns.parent_path() / "models").string() + "/");
  write(dir / "b.toml", text);
  const std::string a = (campaigns / "rs2.toml").string(), b = (dir / "b.toml").string();
  const std::string snap = data + "/population.snap";
  out = nudge_cmd("diff " + snap + " --campaign " + a + " --campaign-b " + b + " --history " + h, &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("expressions evaluated once for both: 11 of 11"), std::string::npos) << out;
  out = nudge_cmd("diff " + snap + " --campaign " + a + " --campaign-b " + a + " --history " + h, &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("expressions evaluated once for both: 11 of 11"), std::string::npos) << out;
}

}  // namespace
}  // namespace nudge
