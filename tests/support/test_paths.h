// Paths the tests need: the source tree, the shared/ folder with the real
// datasets beside the checkout, the built CLI, and a per-test temporary folder.
#pragma once

#include <filesystem>
#include <string>

namespace nudge::test {

std::filesystem::path source_dir();  // repository root
std::filesystem::path shared_dir();  // ../shared beside the checkout (NUDGE_SHARED_DIR)
std::filesystem::path cli_path();    // the built `nudge` executable
// A fresh empty directory under the system temp dir, unique per call.
std::filesystem::path make_temp_dir(const std::string& tag);
// Runs a shell command, returns its exit status; stdout+stderr captured into *output.
int run_command(const std::string& cmd, std::string* output);
// Runs the built CLI with `args` (shell words); returns stdout+stderr, the exit status in *rc.
std::string nudge_cmd(const std::string& args, int* rc = nullptr);

}  // namespace nudge::test
