// Integer options are decimal (third attack, finding 19): CLI11 2.1 read a
// leading zero as octal, so `--customer 00012` explained customer 10 (CDNOW
// writes ids as 00012), `--seed 010` gave seed 8 and `--top 010` kept 8.
// Also: `--movers -1` (wrapped to 2^64-1) and `--window -1` (a message that
// printed DBL_MAX in full) are refused naming the value (finding 13).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kCampaign = (test::source_dir() / "data/campaigns/rs1.toml").string();

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST(CliDecimalOptions, LeadingZerosAreDecimal) {
  const auto dir = test::make_temp_dir("cli_decimal");
  const std::string d = dir.string() + "/";
  int rc = -1;
  // gen: --members 010 --seed 010 is --members 10 --seed 10, byte for byte.
  test::nudge_cmd("gen --members 010 --seed 010 -o " + d + "a.snap", &rc);
  ASSERT_EQ(rc, 0);
  test::nudge_cmd("gen --members 10 --seed 10 -o " + d + "b.snap", &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_TRUE(read(dir / "a.snap") == read(dir / "b.snap")) << "--members 010 --seed 010 differs from 10 / 10";
  EXPECT_EQ(open_snapshot(dir / "a.snap").rows(), 10u);

  write_snapshot(generate_rs1(2000, 42), dir / "p.snap");
  // sweep --top 010 keeps 10 decisions (+ the header line), not 8.
  std::string out = test::nudge_cmd("sweep " + d + "p.snap --campaign " + kCampaign + " --top 010 -o " + d + "t.csv",
                                    &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(lines(read(dir / "t.csv")), 11u);

  // explain --customer 000<id> explains <id>.
  const uint64_t id = generate_rs1(2000, 42).column("customer_id").values<uint64_t>()[12];
  out = test::nudge_cmd("explain " + d + "p.snap --campaign " + kCampaign + " --customer 000" + std::to_string(id), &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out.substr(0, out.find(" in campaign")), "member " + std::to_string(id) + " (row 12)");

  // hex and the other prefixed forms are refused, not read as 16.
  out = test::nudge_cmd("explain " + d + "p.snap --campaign " + kCampaign + " --customer 0x10", &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--customer: '0x10' is not a decimal number");
  out = test::nudge_cmd("gen --members 0b11 -o " + d + "c.snap", &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--members: '0b11' is not a decimal number");
  EXPECT_FALSE(std::filesystem::exists(dir / "c.snap"));

  // report --window 010 is 10 days.
  out = test::nudge_cmd("gen --members 200 --history " + d + "g", &rc);
  ASSERT_EQ(rc, 0) << out;
  out = test::nudge_cmd("history add " + d + "h --contacts " + d + "g/contacts.csv", &rc);
  ASSERT_EQ(rc, 0) << out;
  out = test::nudge_cmd("report " + d + "h --window 010", &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out.substr(0, out.find(';')), "attribution window 10 days");

  // Negative counts are named, not wrapped (--movers) or answered with DBL_MAX (--window).
  out = test::nudge_cmd("report " + d + "h --window -1", &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--window: '-1' is not a whole number of days 0 .. 2147483647");
  out = test::nudge_cmd("diff " + d + "p.snap --campaign " + kCampaign + " --campaign-b " + kCampaign + " --movers -1",
                        &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_CONTAINS(out, "--movers: '-1' is not a whole number 0 or more");
  std::filesystem::remove_all(dir);
}
