// The whole-file reader (read_file.h).
#include "engine/base/read_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/base/error.h"

namespace nudge {

std::string read_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st))
    throw_invalid_input(std::string(what) + " file " + path.string() + " is not a regular file (a directory?)");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw_io("cannot open " + std::string(what) + " file " + path.string() + ": " +
             std::strerror(errno ? errno : ENOENT));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad())
    throw_io("cannot read " + std::string(what) + " file " + path.string() + ": " + std::strerror(errno ? errno : EIO));
  return s.str();
}

}  // namespace nudge
