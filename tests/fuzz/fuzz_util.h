// Shared helpers of the fuzz targets (tests/fuzz/*_fuzz.cc).
//
// Contract of every target: nudge::Error (the documented, clear errors) is a
// fine answer to a hostile input; any other exception escapes
// LLVMFuzzerTestOneInput and aborts, and so does a wrong answer in the
// differential targets (fuzz::check). Crashes, hangs and sanitizer reports are
// bugs. The same sources run in the normal test builds through replay_main.cc.
// Thread-safety: single-threaded use per process (libFuzzer runs one input at a time).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/simd.h"

namespace nudge::fuzz {

// A wrong answer: print what differs and abort (libFuzzer saves the input).
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "FUZZ CHECK FAILED: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}
inline void check(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

// NaN equals NaN; otherwise bit-identical (-0.0 differs from 0.0).
inline bool same_double(double a, double b) { return (a != a && b != b) || std::memcmp(&a, &b, sizeof a) == 0; }

// A per-process scratch path in /dev/shm (tmpfs: fsync is free), else $TMPDIR or /tmp.
inline std::filesystem::path scratch_path(const std::string& name) {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0)
      return std::filesystem::path("/dev/shm");
    const char* t = std::getenv("TMPDIR");
    return std::filesystem::path(t && *t ? t : "/tmp");
  }();
  return dir / ("nudge-fuzz-" + std::to_string(::getpid()) + "-" + name);
}

// Writes `bytes` to the scratch file `name` and returns its path.
inline std::filesystem::path write_scratch(const std::string& name, std::string_view bytes) {
  auto p = scratch_path(name);
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) fail("cannot write scratch file " + p.string());
  return p;
}

// Splits `s` at each occurrence of `sep` (at most max_parts parts; the last keeps the rest).
inline std::vector<std::string_view> split(std::string_view s, std::string_view sep, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    auto at = s.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(s.substr(0, at));
    s.remove_prefix(at + sep.size());
  }
  parts.push_back(s);
  return parts;
}

// Every instruction set this CPU has, scalar first (the differential targets run each).
inline const std::vector<simd::Isa>& all_isas() {
  static const std::vector<simd::Isa> isas = simd::supported_isas();
  return isas;
}

}  // namespace nudge::fuzz
