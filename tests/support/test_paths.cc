#include "tests/support/test_paths.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <vector>

namespace nudge::test {

std::filesystem::path source_dir() { return NUDGE_SOURCE_DIR; }
// The environment variable NUDGE_SHARED_DIR, when set, overrides the configured
// folder (a worktree whose ../shared is elsewhere).
std::filesystem::path shared_dir() {
  if (const char* e = std::getenv("NUDGE_SHARED_DIR"); e && *e) return e;
  return NUDGE_SHARED_DIR;
}
std::filesystem::path cli_path() { return NUDGE_CLI_PATH; }

namespace {

// Every directory make_temp_dir made in this process, removed at exit (the
// static object's destructor), so test runs leave nothing in /tmp.
class TempDirRegistry {
 public:
  void add(const std::filesystem::path& p) {
    std::lock_guard lock(mu_);
    dirs_.push_back(p);
  }
  ~TempDirRegistry() {
    if (::getpid() != owner_) return;  // a forked child that exits normally: not its directories
    std::error_code ec;
    for (const auto& d : dirs_) std::filesystem::remove_all(d, ec);
  }

 private:
  const pid_t owner_ = ::getpid();
  std::mutex mu_;
  std::vector<std::filesystem::path> dirs_;
};

TempDirRegistry& registry() {
  static TempDirRegistry r;
  return r;
}

std::filesystem::path new_temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto p = std::filesystem::temp_directory_path() /
           ("nudge-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

}  // namespace

std::filesystem::path make_temp_dir(const std::string& tag) {
  auto p = new_temp_dir(tag);
  registry().add(p);
  return p;
}

TempDir::TempDir(const std::string& tag) : path_(new_temp_dir(tag)) {}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
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
