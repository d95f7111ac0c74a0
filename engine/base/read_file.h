// Reading a whole input file (campaign, model, schema, spec, CSV, snapshot
// in tests) into memory: the one file reader of the project.
//
//   std::string text = nudge::read_file("data/campaigns/rs1.toml", "campaign");
//
// Returns the file's bytes. Errors: Error(InvalidInput) "<what> file <path> is
// not a regular file (it is a directory)" (or a FIFO, a character device, ...:
// the path's type after following symlinks) when the path names no regular file; Error(Io) "cannot open <what> file <path>: <strerror>" (or "cannot
// read ...") when it cannot be opened or read. `what` names the role in
// messages ("campaign", "model", "import schema"). Thread-safety: pure.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace nudge {

std::string read_file(const std::filesystem::path& path, std::string_view what = "input");

}  // namespace nudge
