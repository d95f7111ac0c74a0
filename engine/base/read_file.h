// Reading a whole input file (campaign, model, schema, spec) into memory.
//
// read_whole_file(path, what) returns the file's bytes. Errors:
// Error(InvalidInput) "<path> is not a regular file (a directory?)" when the
// path names a directory or device; Error(Io) "cannot open <what> file <path>:
// <strerror>" when it cannot be opened or read. `what` names the role in
// messages ("campaign", "model", "schema"). Thread-safety: pure.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace nudge {

std::string read_whole_file(const std::filesystem::path& path, std::string_view what);

}  // namespace nudge
