// Paths the tests need: the source tree, the shared/ folder with the real
// datasets beside the checkout, the built CLI, and a per-test temporary folder.
#pragma once

#include <filesystem>
#include <string>

namespace nudge::test {

std::filesystem::path source_dir();  // repository root
std::filesystem::path shared_dir();  // ../shared beside the checkout (NUDGE_SHARED_DIR)
std::filesystem::path cli_path();    // the built `nudge` executable
// A fresh empty directory under the system temp dir ($TMPDIR, else /tmp),
// named nudge-test-TAG-PID-N, unique per call. It is removed (with all it
// holds) when the test process exits normally, failed tests included: a
// process-wide registry (an RAII object with static storage) deletes every
// directory made by this process in its destructor; a forked child never
// deletes its parent's. Only a crash (a signal) leaves them behind.
std::filesystem::path make_temp_dir(const std::string& tag);

// A make_temp_dir directory removed as soon as the object goes out of scope
// (for helpers called thousands of times in one process).
class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};
// Runs a shell command, returns its exit status; stdout+stderr captured into *output.
int run_command(const std::string& cmd, std::string* output);
// Runs the built CLI with `args` (shell words); returns stdout+stderr, the exit status in *rc.
std::string nudge_cmd(const std::string& args, int* rc = nullptr);

}  // namespace nudge::test
