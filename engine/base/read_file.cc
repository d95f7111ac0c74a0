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
  if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
    using std::filesystem::file_type;
    const char* kind = st.type() == file_type::directory ? "a directory"
                       : st.type() == file_type::fifo    ? "a FIFO"
                       : st.type() == file_type::character ? "a character device"
                       : st.type() == file_type::block     ? "a block device"
                       : st.type() == file_type::socket    ? "a socket"
                                                           : "another kind of file";
    throw_invalid_input(std::string(what) + " file " + path.string() + " is not a regular file (it is " + kind + ")");
  }
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
