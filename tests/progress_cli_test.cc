// The progress bars of `nudge import`, `nudge history add` and `nudge
// simulate` (engine/progress) are drawn only when stderr is a terminal: with
// stderr in a file, each command's stderr holds its report lines and nothing
// else (no carriage return, no escape sequence, no bar).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/test_paths.h"

namespace nudge {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `nudge ARGS` with stdout and stderr in separate files; returns stderr.
std::string stderr_of(const fs::path& dir, const std::string& args, int* rc) {
  std::string ignored;
  // run_command appends 2>&1 to the whole line: the subshell keeps these redirections.
  *rc = test::run_command("(" + test::cli_path().string() + " " + args + " >" + (dir / "out.txt").string() + " 2>" +
                              (dir / "err.txt").string() + ")",
                          &ignored);
  return slurp(dir / "err.txt");
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

TEST(ProgressCli, NoBarWhenStderrIsNotATerminal) {
  const auto dir = test::make_temp_dir("progress-cli");
  const std::string g = (dir / "g").string(), h = (dir / "h").string();
  int rc = 0;
  stderr_of(dir, "gen --members 2000 --history " + g + " --rs3", &rc);
  ASSERT_EQ(rc, 0);

  std::string err =
      stderr_of(dir, "import " + g + "/population.csv -o " + (dir / "p.snap").string() + " --as-of 2026-11-15", &rc);
  ASSERT_EQ(rc, 0) << err;
  auto l = lines(err);
  ASSERT_EQ(l.size(), 3u) << err;
  EXPECT_EQ(l[0].rfind("imported 2000 rows x 20 columns from ", 0), 0u) << err;
  EXPECT_EQ(l[1], "as_of 2026-11-15 (from --as-of)");
  EXPECT_EQ(l[2].rfind("wrote ", 0), 0u) << err;

  err = stderr_of(dir, "history add " + h + " --contacts " + g + "/contacts.csv", &rc);
  ASSERT_EQ(rc, 0) << err;
  EXPECT_EQ(err, "");
  EXPECT_NE(slurp(dir / "out.txt").find("contacts added"), std::string::npos);
  err = stderr_of(dir, "history add " + h + " --responses " + g + "/responses.csv", &rc);
  ASSERT_EQ(rc, 0) << err;
  EXPECT_EQ(err, "");

  const std::string src = test::source_dir().string();
  err =
      stderr_of(dir,
                "simulate " + (dir / "p.snap").string() + " --campaign " + src + "/data/campaigns/rs3.toml --history " +
                    h + " --from 2026-12-20 --days 3 --responses " + src + "/data/responses/rs3.toml",
                &rc);
  ASSERT_EQ(rc, 0) << err;
  l = lines(err);
  ASSERT_EQ(l.size(), 1u) << err;
  EXPECT_EQ(l[0].rfind("simulated 3 days of 2000 members (seed 7) in ", 0), 0u) << err;
  EXPECT_EQ(err.find('\r'), std::string::npos);
  EXPECT_EQ(err.find('\033'), std::string::npos);
}

}  // namespace
}  // namespace nudge
