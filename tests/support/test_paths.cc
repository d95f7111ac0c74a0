#include "tests/support/test_paths.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace nudge::test {

std::filesystem::path source_dir() { return NUDGE_SOURCE_DIR; }
// The environment variable NUDGE_SHARED_DIR, when set, overrides the configured
// folder (a worktree whose ../shared is elsewhere).
std::filesystem::path shared_dir() {
  if (const char* e = std::getenv("NUDGE_SHARED_DIR"); e && *e) return e;
  return NUDGE_SHARED_DIR;
}
std::filesystem::path cli_path() { return NUDGE_CLI_PATH; }

std::filesystem::path make_temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto p = std::filesystem::temp_directory_path() /
           ("nudge-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

int run_command(const std::string& cmd, std::string* output) {
  std::string full = cmd + " 2>&1";
  FILE* f = ::popen(full.c_str(), "r");
  if (!f) return -1;
  std::array<char, 4096> buf;
  std::size_t n;
  if (output) output->clear();
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0)
    if (output) output->append(buf.data(), n);
  int st = ::pclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string nudge_cmd(const std::string& args, int* rc) {
  std::string out;
  const int r = run_command(cli_path().string() + " " + args, &out);
  if (rc) *rc = r;
  return out;
}

}  // namespace nudge::test
