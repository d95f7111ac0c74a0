// The CLI side of the security review's campaign findings (11, 13, 14):
// a dialogue goal reading the contact history, --top 0, `select --ids`
// without ids printing nothing on stdout, history mappings with garbage
// after a timestamp's date, names with NUL bytes in text outputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/test_paths.h"

namespace nudge {
namespace {

namespace fs = std::filesystem;

using test::nudge_cmd;
// stdout only (stderr dropped).
std::string nudge_stdout(const std::string& args, int* rc) {
  std::string out;
  *rc = test::run_command("{ " + test::cli_path().string() + " " + args + " 2>/dev/null; }", &out);
  return out;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// Two members on step 1 of dialogue d since 2026-11-01; member 1 answered
// with a type that is not a dialogue response type ("survey"), so only the
// goal `responses(last 30 days) > 0` takes member 1 out of the dialogue.
struct GoalFixture {
  fs::path dir = test::make_temp_dir("goal-hist");
  std::string snap = (dir / "p.snap").string(), hist = (dir / "H").string(), camp = (dir / "g.toml").string();
  GoalFixture() {
    write(dir / "p.csv", "customer_id,email_opt_in\n1,1\n2,1\n");
    write(dir / "c.csv",
          "customer_id,sent_on,action,channel,message_type,cost\n"
          "1,2026-11-01,s1,email,service,0\n"
          "2,2026-11-01,s1,email,service,0\n");
    write(dir / "r.csv", "customer_id,action,sent_on,responded_on,type\n1,s1,2026-11-01,2026-11-03,survey\n");
    write(dir / "g.toml",
          "[campaign]\nname = \"G\"\n[basket]\npoints_per_period = 25\nperiod = \"month\"\n"
          "[channels.email]\nconsent = \"email_opt_in\"\n"
          "[[dialogue]]\nname = \"d\"\nentry = \"TRUE\"\ngoal = \"responses(last 30 days) > 0\"\n"
          "[[dialogue.step]]\nname = \"s1\"\nmessage_type = \"service\"\nchannel = \"email\"\nvalue = 1\n"
          "priority = \"weight * value\"\n"
          "[[dialogue.step]]\nname = \"s2\"\nmessage_type = \"service\"\nchannel = \"email\"\nvalue = 1\n"
          "priority = \"weight * value\"\nwait_days = 3\n");
    int rc = 0;
    std::string out = nudge_cmd("import " + (dir / "p.csv").string() + " -o " + snap + " --as-of 2026-11-15", &rc);
    EXPECT_EQ(rc, 0) << out;
    out = nudge_cmd("history add " + hist + " --contacts " + (dir / "c.csv").string(), &rc);
    EXPECT_EQ(rc, 0) << out;
    out = nudge_cmd("history add " + hist + " --responses " + (dir / "r.csv").string(), &rc);
    EXPECT_EQ(rc, 0) << out;
  }
};

}  // namespace

// Finding 11: the goal's history aggregate was never computed ("give the sweep a history").
TEST(CampaignCliLimits, DialogueGoalReadsTheHistory) {
  GoalFixture f;
  int rc = 0;
  const std::string out = nudge_stdout("sweep " + f.snap + " --campaign " + f.camp + " --history " + f.hist, &rc);
  ASSERT_EQ(rc, 0) << nudge_cmd("sweep " + f.snap + " --campaign " + f.camp + " --history " + f.hist);
  // Member 2 gets step 2; member 1 reached the goal and left.
  std::size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_EQ(lines, 2u) << out;  // header + one decision
  EXPECT_NE(out.find("\n1,2,s2,"), std::string::npos) << out;

  const std::string rep = nudge_stdout("dialogue-report " + f.snap + " --campaign " + f.camp + " --history " + f.hist, &rc);
  ASSERT_EQ(rc, 0) << rep;
  EXPECT_NE(rep.find("goal 1"), std::string::npos) << rep;

  const std::string ex =
      nudge_stdout("explain " + f.snap + " --campaign " + f.camp + " --history " + f.hist + " --customer 1", &rc);
  ASSERT_EQ(rc, 0) << ex;
  EXPECT_NE(ex.find("left: goal"), std::string::npos) << ex;
  const std::string ex2 =
      nudge_stdout("explain " + f.snap + " --campaign " + f.camp + " --history " + f.hist + " --customer 2", &rc);
  ASSERT_EQ(rc, 0) << ex2;
  EXPECT_EQ(ex2.find("left: goal"), std::string::npos) << ex2;
}

// Finding 13: "--top: Value 0 not in range 0.000000 to 1797...".
TEST(CampaignCliLimits, TopZeroSaysOneOrMore) {
  GoalFixture f;
  for (const std::string& cmd : {"sweep " + f.snap + " --campaign " + f.camp + " --history " + f.hist,
                                 "score " + f.snap + " --model " +
                                     (test::source_dir() / "data/models/rs1_gbdt.json").string()}) {
    int rc = 0;
    const std::string out = nudge_cmd(cmd + " --top 0", &rc);
    EXPECT_EQ(rc, 2) << out;
    EXPECT_NE(out.find("--top: must be 1 or more, not '0'"), std::string::npos) << out;
    EXPECT_EQ(out.find("179769"), std::string::npos) << out;
  }
}

// Finding 13: `select --ids` without an id column printed the count on stdout, then failed.
TEST(CampaignCliLimits, SelectIdsWithoutIdsPrintsNothingOnStdout) {
  const auto dir = test::make_temp_dir("select-noid");
  write(dir / "n.csv", "a,b\n1,2\n3,4\n");
  int rc = 0;
  std::string out = nudge_cmd("import " + (dir / "n.csv").string() + " -o " + (dir / "n.snap").string() +
                                  " --as-of 2026-11-15",
                              &rc);
  ASSERT_EQ(rc, 0) << out;
  out = nudge_stdout("select " + (dir / "n.snap").string() + " \"a > 0\" --ids", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(out, "");
  out = nudge_cmd("select " + (dir / "n.snap").string() + " \"a > 0\" --ids", &rc);
  EXPECT_NE(out.find("no customer id column to list"), std::string::npos) << out;
  out = nudge_stdout("select " + (dir / "n.snap").string() + " \"a > 0\"", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, "2\n");
}

// Finding 14: `timestamps = true` took "16/11/2026 garbage" as 16/11/2026.
TEST(CampaignCliLimits, TimestampMappingsRefuseGarbageAfterTheDate) {
  const auto dir = test::make_temp_dir("ts-garbage");
  write(dir / "m.toml",
        "kind = \"contacts\"\ndate_format = \"%d/%m/%Y\"\ntimestamps = true\n"
        "[columns]\ncustomer_id = \"Id\"\nsent_on = \"When\"\naction = \"What\"\n"
        "[constants]\nchannel = \"email\"\nmessage_type = \"service\"\ncost = 1\n");
  struct Case {
    std::string when;
    bool ok;
  };
  int k = 0;
  for (const Case& c : {Case{"16/11/2026", true}, Case{"16/11/2026 08:02", true}, Case{"16/11/2026T08:02:59", true},
                        Case{"16/11/2026 08:02:59.25+01:00", true}, Case{"16/11/2026 08:02Z", true},
                        Case{"16/11/2026 garbage", false}, Case{"16/11/2026 25:99", false},
                        Case{"16/11/2026 08:60", false}, Case{"16/11/2026 08:02 x", false}}) {
    write(dir / "s.csv", "Id,When,What\n7," + c.when + ",x\n");
    const std::string h = (dir / ("h" + std::to_string(k++))).string();
    int rc = 0;
    const std::string out = nudge_cmd("history add '" + h + "' --contacts " + (dir / "s.csv").string() +
                                          " --mapping " + (dir / "m.toml").string(),
                                      &rc);
    if (c.ok) {
      EXPECT_EQ(rc, 0) << c.when << ": " << out;
    } else {
      EXPECT_EQ(rc, 1) << c.when << ": " << out;
      EXPECT_NE(out.find((dir / "s.csv").string() + ":2:3: column 'When': '" + c.when + "' has '" +
                         c.when.substr(10) + "' after the date: expected a time hh:mm[:ss]"),
                std::string::npos)
          << c.when << ": " << out;
    }
  }
}

// Finding 6: text outputs print names whole (a NUL no longer ends the report),
// and the campaign file refuses a NUL in a name with file:line:col.
TEST(CampaignCliLimits, NulInACampaignNameIsRefused) {
  GoalFixture f;
  std::string t;
  {
    std::ifstream in(f.camp);
    t.assign(std::istreambuf_iterator<char>(in), {});
  }
  t.replace(t.find("name = \"s2\""), 11, "name = \"s\\u00002\"");
  write(f.dir / "nul.toml", t);
  int rc = 0;
  const std::string out =
      nudge_cmd("sweep " + f.snap + " --campaign " + (f.dir / "nul.toml").string() + " --history " + f.hist, &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("nul.toml:19:8: 'name' of step 2 of dialogue 'd' holds the control character U+0000"),
            std::string::npos)
      << out;
}

}  // namespace nudge
