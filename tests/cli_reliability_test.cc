// The CLI under hostile conditions (issue 14): outputs that cannot be
// written, inputs that are FIFOs, outputs that are inputs, symlinks and
// device nodes as targets, interrupted writes, and CLI arguments that used to
// give unclear errors. Every case runs the built `nudge` binary.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

class CliReliability : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(test::make_temp_dir("cli_reliability"));
    write_snapshot(generate_rs1(500, 3), *dir_ / "pop.snap");
    std::ofstream(*dir_ / "pop.csv") << "customer_id,x\n1,2\n3,4\n";
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string nudge() { return test::cli_path().string(); }
  static std::string path(const std::string& name) { return (*dir_ / name).string(); }
  static std::string snap() { return path("pop.snap"); }
  static std::filesystem::path* dir_;
};
std::filesystem::path* CliReliability::dir_ = nullptr;

const std::string kCampaign = (test::source_dir() / "data/campaigns/rs1.toml").string();
const std::string kModel = (test::source_dir() / "data/models/rs1_gbdt.json").string();

// Before the fix every one of these exited 0 with nothing written.
TEST_F(CliReliability, StdoutThatCannotBeWrittenIsAnError) {
  const std::string cmds[] = {
      "score " + snap() + " --model " + kModel,
      "score " + snap() + " --model " + kModel + " --top 3",
      "select " + snap() + " \"flights_3m >= 0\" --ids",
      "select " + snap() + " \"flights_3m >= 0\"",
      "inspect " + snap(),
      "explain " + snap() + " --campaign " + kCampaign + " --customer " +
          std::to_string(generate_rs1(500, 3).column("customer_id").values<uint64_t>()[0]),
      "import " + path("pop.csv") + " --print-schema",
      "sweep " + snap() + " --campaign " + kCampaign,
      "--help",
  };
  for (const auto& c : cmds) {
    SCOPED_TRACE(c);
    std::string out;
    // stderr to the pipe, stdout to /dev/full.
    EXPECT_EQ(test::run_command("{ " + nudge() + " " + c + " > /dev/full; }", &out), 1);
    EXPECT_CONTAINS(out, "nudge: error: cannot write standard output");
  }
}

// Each of these silently destroyed its input before.
TEST_F(CliReliability, OutputThatIsAnInputIsRefused) {
  std::filesystem::copy_file(test::source_dir() / "data/models/rs1_churn.toml", path("m.toml"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(snap(), path("same.snap"), std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(path("alias.csv"));
  std::filesystem::create_symlink(path("pop.csv"), path("alias.csv"));
  const struct {
    std::string cmd, output, input;
  } cases[] = {
      {"sweep " + path("same.snap") + " --campaign " + kCampaign + " -o " + path("same.snap"), path("same.snap"),
       path("same.snap")},
      {"import " + path("pop.csv") + " -o " + path("alias.csv"), path("alias.csv"), path("pop.csv")},
      {"score " + snap() + " --model " + path("m.toml") + " -o " + path("m.toml"), path("m.toml"), path("m.toml")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cmd);
    const auto before = std::filesystem::file_size(c.input);
    std::string out;
    EXPECT_EQ(test::run_command(nudge() + " " + c.cmd, &out), 2);
    EXPECT_CONTAINS(out, "nudge: error: the output '" + c.output + "' is the input '" + c.input +
                             "': writing it would destroy the input");
    EXPECT_EQ(std::filesystem::file_size(c.input), before);
  }
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(path("alias.csv"))));
}

// A FIFO as input blocked forever (opened before its type was checked).
TEST_F(CliReliability, FifoInputsAreRefusedAtOnce) {
  for (const char* f : {"f.csv", "f.toml"}) {
    std::filesystem::remove(path(f));
    ASSERT_EQ(::mkfifo(path(f).c_str(), 0600), 0);
  }
  const std::string cmds[] = {"import " + path("f.csv") + " -o " + path("x.snap"),
                              "import " + path("f.csv") + " --print-schema", "inspect " + path("f.csv"),
                              "sweep " + snap() + " --campaign " + path("f.toml"),
                              "score " + snap() + " --model " + path("f.toml")};
  for (const auto& c : cmds) {
    SCOPED_TRACE(c);
    std::string out;
    EXPECT_EQ(test::run_command("timeout 20 " + nudge() + " " + c, &out), 1);
    EXPECT_CONTAINS(out, "not a regular file");
  }
}

// Clearer CLI errors (issue 14): each used to be misleading or silent.
TEST_F(CliReliability, ArgumentsThatUsedToMisleadAreNamed) {
  const struct {
    std::string args;
    int rc;
    std::string says;
  } cases[] = {
      // was "A subcommand is required"
      {"frobnicate x", 2, "nudge: error: unknown command 'frobnicate'"},
      {"sweeep x", 2, "unknown command 'sweeep' (did you mean 'sweep'?)"},
      // was read as customer 18446744073709551615
      {"explain " + snap() + " --campaign " + kCampaign + " --customer -1", 2, "'-1' is not a whole number 0 or more"},
      // was clamped to 2^64-1
      {"gen --members 10 --seed 99999999999999999999 -o " + path("g.snap"), 2,
       "'99999999999999999999' is beyond 18446744073709551615"},
      {"import " + path("pop.csv") + " -o " + path("i.snap") + " --skip-bad-rows --max-errors -1", 2,
       "'-1' is not a whole number 0 or more"},
      // an expression that begins with '-' reads as an option
      {"select " + snap() + " \"-flights_3m < -2\"", 2, "put '--' before it to pass it as an expression"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    std::string out;
    EXPECT_EQ(test::run_command(nudge() + " " + c.args, &out), c.rc) << out;
    EXPECT_CONTAINS(out, c.says);
  }
  std::string out;
  EXPECT_EQ(test::run_command(nudge() + " select " + snap() + " -- \"-flights_3m < -2\"", &out), 0) << out;
}

}  // namespace
