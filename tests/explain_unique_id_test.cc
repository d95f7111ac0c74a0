// Lookups that must not silently pick one of several answers, or blame the
// wrong thing (security findings 7 and 13):
//  - explain's customer lookup (decide::find_customer, `nudge explain`) refuses
//    an id that is on several rows of a snapshot (older code and other tools
//    could write them) instead of explaining the first row while the sweep
//    contacted another;
//  - a --history path that is a file says so, not "no such history folder".
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "engine/decide/explain.h"
#include "engine/store/population.h"
#include "io/history/history_store.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/error_text.h"
#include "tests/support/test_paths.h"

namespace nudge {
namespace {

namespace fs = std::filesystem;

// ids in row order; flights_3m = 1 on row 0, 20 elsewhere; everyone opted in to e-mail.
Population members(const std::vector<uint64_t>& ids) {
  Population pop(ids.size(), 20'393);  // 2025-11-01
  Column id("customer_id", DataType::UInt64, ids.size());
  Column flights("flights_3m", DataType::Int32, ids.size());
  Column opt_in("email_opt_in", DataType::Bool, ids.size());
  Column used("pressure_used", DataType::Float64, ids.size());
  for (std::size_t r = 0; r < ids.size(); ++r) {
    id.mutable_values<uint64_t>()[r] = ids[r];
    flights.mutable_values<int32_t>()[r] = r == 0 ? 1 : 20;
    opt_in.mutable_values<uint8_t>()[r] = 1;
    used.mutable_values<double>()[r] = 0.0;
  }
  pop.set_id_column(pop.add_column(std::move(id)));
  pop.add_column(std::move(flights));
  pop.add_column(std::move(opt_in));
  pop.add_column(std::move(used));
  return pop;
}

TEST(ExplainUniqueId, FindCustomerGivesTheRowOfAUniqueIdAndNulloptForAnAbsentOne) {
  const Population pop = members({7, 8, 9});
  EXPECT_EQ(decide::find_customer(pop, 8), std::optional<std::size_t>(1));
  EXPECT_EQ(decide::find_customer(pop, 10), std::nullopt);
}

TEST(ExplainUniqueId, FindCustomerRefusesAnIdOnSeveralRowsNamingThem) {
  EXPECT_EQ(test::thrown_message([] {
              decide::find_customer(members({7, 7, 8}), 7);
            }).value_or(""),
            "customer 7 is on rows 0 and 1 of the population; explain needs a unique id");
  EXPECT_EQ(test::thrown_message([] {
              decide::find_customer(members({1, 5, 2, 5, 5}), 5);
            }).value_or(""),
            "customer 5 is on rows 1, 3 and 4 of the population; explain needs a unique id");
  EXPECT_EQ(test::thrown_message([] {
              decide::find_customer(members({4, 4, 4, 4, 4, 4, 4}), 4);
            }).value_or(""),
            "customer 4 is on rows 0, 1, 2, 3, 4 and 2 more of the population; explain needs a unique id");
  // Other ids of the same population are still explained.
  EXPECT_EQ(decide::find_customer(members({7, 7, 8}), 8), std::optional<std::size_t>(2));
}

TEST(ExplainUniqueId, CliExplainOfARepeatedIdExitsOneWithTheRows) {
  const fs::path dir = test::make_temp_dir("explain_dup");
  write_snapshot(members({7, 7, 8}), dir / "dup.snap");
  std::ofstream(dir / "dq.toml") << "[campaign]\nname = \"D\"\n[basket]\npoints_per_period = 10\n"
                                    "used_column = \"pressure_used\"\n[channels.email]\nconsent = \"email_opt_in\"\n"
                                    "[[action]]\nname = \"a\"\ntrigger = \"flights_3m >= 10\"\n"
                                    "message_type = \"service\"\nchannel = \"email\"\nvalue = 3\n"
                                    "priority = \"weight * value\"\n";
  const std::string cmd = test::cli_path().string() + " explain " + (dir / "dup.snap").string() + " --campaign " +
                          (dir / "dq.toml").string() + " --customer ";
  std::string out;
  EXPECT_EQ(test::run_command(cmd + "7", &out), 1) << out;
  EXPECT_EQ(out, "nudge: error: customer 7 is on rows 0 and 1 of the population; explain needs a unique id\n");
  ASSERT_EQ(test::run_command(cmd + "8", &out), 0) << out;
  EXPECT_NE(out.find("member 8 (row 2)"), std::string::npos) << out;
}

TEST(ExplainUniqueId, AHistoryPathThatIsAFileSaysSo) {
  const fs::path dir = test::make_temp_dir("history_file");
  std::ofstream(dir / "some.snap") << "not a folder";
  EXPECT_EQ(test::thrown_message([&] { history::open_history(dir / "some.snap"); }).value_or(""),
            (dir / "some.snap").string() +
                ": is a file, not a history folder (a history is the folder `nudge history add` makes)");
  EXPECT_EQ(test::thrown_message([&] { history::open_history(dir / "none"); }).value_or(""),
            (dir / "none").string() + ": no such history folder (create one with `nudge history add`)");
}

}  // namespace
}  // namespace nudge
