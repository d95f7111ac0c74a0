// Plain reading of raw data files for tests that count independently of
// nudge's importers: lines without the line ending (CRLF or LF) and without a
// leading UTF-8 byte-order mark, and fields split on one separator character.
// A missing file reads as no lines. Header-only, thread-safe.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace nudge::test {

inline std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> out;
  std::string l;
  while (std::getline(in, l)) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (out.empty() && l.rfind("\xEF\xBB\xBF", 0) == 0) l = l.substr(3);
    out.push_back(l);
  }
  return out;
}

// The fields of s between separators; a trailing separator ends with an empty field.
inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> f;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, sep)) f.push_back(x);
  if (!s.empty() && s.back() == sep) f.push_back("");
  return f;
}

}  // namespace nudge::test
