// `nudge gen` and `nudge inspect` end to end: exit codes (0 ok, 1 bad input,
// 2 usage), help, deterministic output whatever the thread count, and what
// inspect prints.
#include <gtest/gtest.h>

#include "engine/base/read_file.h"
#include "io/file/atomic_file.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/io_snapshot_fixtures.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {
int nudge_cli(const std::string& args, std::string* out) {
  return test::run_command(test::cli_path().string() + " " + args, out);
}
}  // namespace

TEST(GenCli, WritesTheSameSnapshotAsTheLibraryWhateverTheThreadCount) {
  const auto dir = test::make_temp_dir("gen_cli");
  std::string out;
  ASSERT_EQ(nudge_cli("gen --members 40000 --seed 9 --as-of 2025-01-31 -o " + (dir / "a.snap").string(), &out), 0)
      << out;
  EXPECT_NE(out.find("generated 40000 RS-1 members (seed 9, as_of 2025-01-31)"), std::string::npos) << out;
  ASSERT_EQ(nudge_cli("--threads 1 gen -n 40000 --seed 9 --as-of 2025-01-31 -o " + (dir / "b.snap").string(), &out), 0)
      << out;
  EXPECT_EQ(read_file(dir / "a.snap"), read_file(dir / "b.snap"));  // byte for byte
  test::expect_same_population(generate_rs1(40000, 9, days_from_civil(2025, 1, 31)), open_snapshot(dir / "a.snap"));
}

TEST(GenCli, WritesCsvWithTheRs1Header) {
  const auto dir = test::make_temp_dir("gen_cli_csv");
  std::string out;
  ASSERT_EQ(nudge_cli("gen --members 3 --csv " + (dir / "m.csv").string(), &out), 0) << out;
  const std::string csv = read_file(dir / "m.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "customer_id,tier,enroll_days,clv,salary,flights_3m,flights_prev_3m,flights_12m,distance_12m,"
            "points_balance,points_to_next_tier,days_since_last_flight,days_to_birthday,email_opt_in,sms_opt_in,"
            "phone_opt_in,mail_opt_in,pressure_used,contacts_30d,days_since_last_contact,days_since_calamity,"
            "opens_90d,clicks_90d,complaints_12m");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

TEST(GenCli, UsageErrorsExitTwoAndBadOutputExitsOne) {
  const auto dir = test::make_temp_dir("gen_cli_err");
  std::string out;
  EXPECT_EQ(nudge_cli("gen --members 10", &out), 2);
  EXPECT_NE(out.find("give exactly one of -o OUT.snap or --csv OUT.csv"), std::string::npos) << out;
  EXPECT_EQ(nudge_cli("gen --members 10 -o a.snap --csv a.csv", &out), 2) << out;
  EXPECT_EQ(nudge_cli("gen --members ten -o a.snap", &out), 2) << out;
  EXPECT_EQ(nudge_cli("gen --members 10 --as-of 2025-02-30 -o " + (dir / "x.snap").string(), &out), 2);
  EXPECT_NE(out.find("--as-of '2025-02-30' is not a date YYYY-MM-DD"), std::string::npos) << out;
  EXPECT_EQ(nudge_cli("gen --members 10 -o /nonexistent/dir/x.snap", &out), 1);
  EXPECT_NE(out.find("nudge: error: cannot create '/nonexistent/dir/x.snap"), std::string::npos) << out;
  EXPECT_EQ(nudge_cli("gen --help", &out), 0);
  EXPECT_NE(out.find("--members"), std::string::npos) << out;
}

TEST(InspectCli, PrintsRowsAsOfBytesPerMemberAndColumns) {
  const auto dir = test::make_temp_dir("inspect_cli");
  write_snapshot(test::make_every_type_population(130, 2), dir / "p.snap");
  std::string out;
  ASSERT_EQ(nudge_cli("inspect --verify " + (dir / "p.snap").string(), &out), 0) << out;
  EXPECT_NE(out.find("rows         130\n"), std::string::npos) << out;
  EXPECT_NE(out.find("as_of        2026-11-01\n"), std::string::npos) << out;
  EXPECT_NE(out.find("id column    customer_id\n"), std::string::npos) << out;
  EXPECT_NE(out.find("bytes per member"), std::string::npos) << out;
  EXPECT_NE(out.find("(data checksums verified)"), std::string::npos) << out;
  // i32: every fifth row cycles INT32_MIN, INT32_MAX, 0, -1.
  EXPECT_NE(out.find("i32                        int32              0  -2147483648        2147483647"),
            std::string::npos)
      << out;
  // Series section (format owned by the activity-series summary in cmd_inspect).
  EXPECT_NE(out.find("visits           week     2 buckets  2026-10-19 .. 2026-11-01"), std::string::npos) << out;
}

TEST(InspectCli, BadFilesExitOneWithTheReasonOnStderr) {
  const auto dir = test::make_temp_dir("inspect_cli_bad");
  std::string out;
  {
    AtomicFile f(dir / "m.csv");
    f.write("customer_id,tier\n1,Star\n");
    f.commit();
  }
  EXPECT_EQ(test::run_command(
                "(" + test::cli_path().string() + " inspect " + (dir / "m.csv").string() + " 2>/dev/null)", &out),
            1);
  EXPECT_EQ(out, "");  // the message went to stderr, nothing to stdout
  EXPECT_EQ(nudge_cli("inspect " + (dir / "m.csv").string(), &out), 1);
  EXPECT_NE(out.find("nudge: error: " + (dir / "m.csv").string() + ": not a nudge snapshot"), std::string::npos) << out;
  EXPECT_EQ(nudge_cli("inspect " + (dir / "missing.snap").string(), &out), 1);
  EXPECT_EQ(nudge_cli("inspect", &out), 2);
  EXPECT_EQ(nudge_cli("inspect --help", &out), 0);
  EXPECT_NE(out.find("--verify"), std::string::npos) << out;
}
