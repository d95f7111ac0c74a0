#include "engine/expr/source_error.h"

#include <charconv>

#include "engine/base/error.h"

namespace nudge::expr {

namespace {

// Splits "file.toml:14:11" into ("file.toml", 14, 11); plain names get (name, 1, 1).
struct OriginPos {
  std::string_view name;
  std::size_t line = 1, col = 1;
};

bool parse_number(std::string_view s, std::size_t& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out > 0;
}

OriginPos split_origin(std::string_view origin) {
  OriginPos p{origin};
  auto c2 = origin.rfind(':');
  if (c2 == std::string_view::npos) return p;
  auto c1 = origin.substr(0, c2).rfind(':');
  if (c1 == std::string_view::npos) return p;
  std::size_t line, col;
  if (!parse_number(origin.substr(c1 + 1, c2 - c1 - 1), line) || !parse_number(origin.substr(c2 + 1), col)) return p;
  return {origin.substr(0, c1), line, col};
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string format_source_error(std::string_view origin, std::string_view text, std::size_t offset,
                                std::string_view message) {
  if (offset > text.size()) offset = text.size();
  std::size_t line_start = 0, line_no = 1;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line_no;
      line_start = i + 1;
    }
  std::size_t line_end = text.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::string_view line = text.substr(line_start, line_end - line_start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  std::size_t col = 1;  // characters before the spot, 1-based
  std::string caret;
  for (std::size_t i = line_start; i < offset && i < line_start + line.size(); ++i) {
    if (is_continuation(text[i])) continue;
    ++col;
    caret += text[i] == '\t' ? '\t' : ' ';
  }
  caret += '^';

  OriginPos o = split_origin(origin);
  std::size_t out_line = o.line + line_no - 1;
  std::size_t out_col = line_no == 1 ? o.col + col - 1 : col;
  std::string msg(o.name);
  msg += ':' + std::to_string(out_line) + ':' + std::to_string(out_col) + ": ";
  msg += message;
  msg += '\n';
  msg += line;
  msg += '\n';
  msg += caret;
  return msg;
}

std::string source_position(std::string_view origin, std::string_view text, std::size_t offset) {
  std::string full = format_source_error(origin, text, offset, "");
  return full.substr(0, full.find(": \n"));
}

void throw_source_error(std::string_view origin, std::string_view text, std::size_t offset, std::string_view message) {
  throw_invalid_input(format_source_error(origin, text, offset, message));
}

}  // namespace nudge::expr
