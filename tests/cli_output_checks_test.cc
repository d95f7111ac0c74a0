// Third attack, findings 2, 9 and 14: two outputs of one command with the same
// path (one silently lost, exit 0) are refused naming both flags; `--as-of` is
// checked with or without --history (a typo'd day no longer falls back to the
// population's); `gen --history` refuses a file, a history folder and a
// non-empty folder, and a folder it cannot make is bad input (exit 1), not an
// internal error (exit 3).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

const std::string kCampaign = (test::source_dir() / "data/campaigns/rs1.toml").string();
const std::string kOpt = (test::source_dir() / "data/campaigns/rs1_opt.toml").string();

class CliOutputChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("cli_output_checks");
    write_snapshot(generate_rs1(2000, 42), dir_ / "p.snap");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string d(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

}  // namespace

TEST_F(CliOutputChecks, TwoOutputsWithOnePathAreRefused) {
  int rc = -1;
  std::string out = test::nudge_cmd("sweep " + d("p.snap") + " --campaign " + kCampaign + " -o " + d("same.out") +
                                        " --html " + d("same.out"),
                                    &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "-o '" + d("same.out") + "' and --html '" + d("same.out") +
                           "' are the same file: one output would replace the other; choose two files");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "same.out"));
  // Another spelling of the same path counts too.
  out = test::nudge_cmd("sweep " + d("p.snap") + " --campaign " + kOpt + " -o " + d("s2.out") + " --report " +
                            dir_.string() + "/./s2.out",
                        &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "-o '" + d("s2.out") + "' and --report '" + dir_.string() + "/./s2.out' are the same file");
  out = test::nudge_cmd("diff " + d("p.snap") + " --campaign " + kCampaign + " --campaign-b " + kOpt + " --json " +
                            d("d.out") + " --html " + d("d.out"),
                        &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--json '" + d("d.out") + "' and --html '" + d("d.out") + "' are the same file");
  // Devices may repeat; different files work.
  out = test::nudge_cmd("sweep " + d("p.snap") + " --campaign " + kCampaign + " -o /dev/null --html /dev/null", &rc);
  EXPECT_EQ(rc, 0) << out;
  out = test::nudge_cmd("sweep " + d("p.snap") + " --campaign " + kCampaign + " -o " + d("a.csv") + " --html " +
                            d("a.html"),
                        &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "a.csv") && std::filesystem::exists(dir_ / "a.html"));
}

TEST_F(CliOutputChecks, AsOfIsCheckedWithoutHistory) {
  int rc = -1;
  for (const std::string bad : {"garbage", "2026-13-01", "''"}) {
    SCOPED_TRACE(bad);
    const std::string out =
        test::nudge_cmd("sweep " + d("p.snap") + " --campaign " + kCampaign + " --as-of " + bad + " -o /dev/null", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_CONTAINS(out, "--as-of: '" + (bad == "''" ? std::string() : bad) + "' is not a date YYYY-MM-DD");
  }
  const std::string out = test::nudge_cmd(
      "explain " + d("p.snap") + " --campaign " + kCampaign + " --customer 1 --as-of 2026-02-30", &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--as-of: '2026-02-30' is not a date YYYY-MM-DD");
  test::nudge_cmd("sweep " + d("p.snap") + " --campaign " + kCampaign + " --as-of 2026-11-01 -o /dev/null", &rc);
  EXPECT_EQ(rc, 0);
}

TEST_F(CliOutputChecks, GenHistoryNeedsANewOrEmptyFolder) {
  int rc = -1;
  std::string out = test::nudge_cmd("gen --members 10 --history " + d("p.snap"), &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--history '" + d("p.snap") + "' is a file, not a folder");
  out = test::nudge_cmd("gen --members 10 --history " + d("p.snap") + "/sub", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_CONTAINS(out, "nudge: error: cannot create the folder '" + d("p.snap") + "/sub': ");
  out = test::nudge_cmd("gen --members 10 --history /proc/nudge_no_such_dir", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_CONTAINS(out, "cannot create the folder '/proc/nudge_no_such_dir'");
  // A history folder and a non-empty folder are left alone.
  out = test::nudge_cmd("gen --members 50 --history " + d("g"), &rc);
  ASSERT_EQ(rc, 0) << out;
  out = test::nudge_cmd("history add " + d("h") + " --contacts " + d("g/contacts.csv"), &rc);
  ASSERT_EQ(rc, 0) << out;
  out = test::nudge_cmd("gen --members 50 --history " + d("h"), &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--history '" + d("h") + "' is a history folder (it holds a MANIFEST)");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "h" / "contacts.csv"));
  out = test::nudge_cmd("gen --members 50 --history " + d("g"), &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--history '" + d("g") + "' is not empty");
  // An empty folder is fine.
  std::filesystem::create_directory(dir_ / "empty");
  out = test::nudge_cmd("gen --members 50 --history " + d("empty"), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "empty" / "population.snap"));
}

// Third attack, finding 13: 'contacts(last 0 days)' suggested 'days 0 to 1 ago', itself an error.
TEST_F(CliOutputChecks, HistoryWindowOfNoDayIsNamed) {
  int rc = -1;
  std::string out = test::nudge_cmd("gen --members 100 --history " + d("g"), &rc);
  ASSERT_EQ(rc, 0) << out;
  out = test::nudge_cmd("history add " + d("h") + " --contacts " + d("g/contacts.csv"), &rc);
  ASSERT_EQ(rc, 0) << out;
  std::ifstream in(test::source_dir() / "data/campaigns/rs2.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "contacts(last 7 days, message_type = 'calamity')";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "contacts(last 0 days, message_type = 'calamity')");
  std::ofstream(dir_ / "rs2z.toml") << text;
  out = test::nudge_cmd("sweep " + d("g/population.snap") + " --campaign " + d("rs2z.toml") + " --history " + d("h") +
                            " -o /dev/null",
                        &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_CONTAINS(out, d("rs2z.toml") + ":57:18: window 'days 1 to 0 ago' holds no days; a window holds at least one "
                                        "(last 1 days)");
}
