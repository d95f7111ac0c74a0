// nudge error model.
//
// Every failure nudge reports is an nudge::Error carrying an ErrorKind. User
// errors (bad input files, bad expressions, bad options) are distinguished from
// engine bugs (Internal), as DuckDB's exception.hpp does. The CLI maps kinds to
// exit codes: InvalidInput/Io -> 1, Usage -> 2, Internal -> 3.
//
// Messages are complete sentences meant for the person who ran nudge: they name
// the file, line and column (or the column name and row) and the offending text.
//
// Thread-safety: Error is an immutable value; throwing from worker threads is
// fine (oneTBB rethrows the first exception in the calling thread).
#pragma once

#include <stdexcept>
#include <string>

namespace nudge {

enum class ErrorKind {
  InvalidInput,  // a file, expression, model or campaign the user gave is malformed
  Io,            // the operating system refused (open, read, write, rename, mmap)
  Usage,         // a command-line option or API argument is out of its domain
  Internal,      // an engine invariant broke: a bug in nudge, never the user's fault
};

// A NUL byte in a message (pasted from a hostile input) would cut what() short:
// each is written as the two characters "\0".
inline std::string without_nul_bytes(const std::string& m) {
  if (m.find('\0') == std::string::npos) return m;
  std::string out;
  out.reserve(m.size() + 8);
  for (char c : m) {
    if (c == '\0') out += "\\0";
    else out += c;
  }
  return out;
}

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(without_nul_bytes(message)), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Shorthands: throw nudge::invalid_input("file.csv:3:7: ...").
[[noreturn]] inline void throw_invalid_input(const std::string& m) { throw Error(ErrorKind::InvalidInput, m); }
[[noreturn]] inline void throw_io(const std::string& m) { throw Error(ErrorKind::Io, m); }
[[noreturn]] inline void throw_usage(const std::string& m) { throw Error(ErrorKind::Usage, m); }
[[noreturn]] inline void throw_internal(const std::string& m) {
  throw Error(ErrorKind::Internal, "internal error: " + m);
}

}  // namespace nudge
