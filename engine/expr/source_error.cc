#include "engine/expr/source_error.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "engine/base/error.h"

namespace nudge::expr {

namespace {

// Splits "file.toml:14:11" into ("file.toml", 14, 11); plain names get (name, 1, 1).
// An origin may end in "\x1f" + "offset:extra,...": escapes of a TOML basic
// string (engine/decide/toml_reader.h): a fault after unescaped byte `offset`
// is `extra` characters further right in the file.
struct OriginPos {
  std::string_view name;
  std::size_t line = 1, col = 1;
  std::vector<std::pair<std::size_t, std::size_t>> escapes;
};

bool parse_number(std::string_view s, std::size_t& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out > 0;
}

OriginPos split_plain(std::string_view origin);

OriginPos split_origin(std::string_view origin) {
  std::vector<std::pair<std::size_t, std::size_t>> escapes;
  if (auto m = origin.find('\x1f'); m != std::string_view::npos) {
    std::string_view map = origin.substr(m + 1);
    origin = origin.substr(0, m);
    while (!map.empty()) {
      const std::size_t comma = std::min(map.find(','), map.size());
      const std::string_view item = map.substr(0, comma);
      std::size_t off = 0, extra = 0;
      if (auto colon = item.find(':'); colon != std::string_view::npos) {
        std::from_chars(item.data(), item.data() + colon, off);
        std::from_chars(item.data() + colon + 1, item.data() + item.size(), extra);
        escapes.emplace_back(off, extra);
      }
      map.remove_prefix(std::min(map.size(), comma + 1));
    }
  }
  OriginPos p = split_plain(origin);
  p.escapes = std::move(escapes);
  return p;
}

OriginPos split_plain(std::string_view origin) {
  OriginPos p{origin, 1, 1, {}};
  auto c2 = origin.rfind(':');
  if (c2 == std::string_view::npos) return p;
  auto c1 = origin.substr(0, c2).rfind(':');
  if (c1 == std::string_view::npos) return p;
  std::size_t line, col;
  if (!parse_number(origin.substr(c1 + 1, c2 - c1 - 1), line) || !parse_number(origin.substr(c2 + 1), col)) return p;
  return {origin.substr(0, c1), line, col, {}};
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
  for (std::size_t i = line_start; i < offset && i < line_start + line.size(); ++i)
    if (!is_continuation(text[i])) ++col;
  // A long line (a megabyte expression) is shown as a window of about
  // kWindow bytes either side of the spot, cut at character boundaries.
  constexpr std::size_t kWindow = 60;
  const std::size_t spot = std::min(offset, line_start + line.size()) - line_start;
  std::size_t from = 0, to = line.size();
  if (line.size() > 3 * kWindow) {
    from = spot > kWindow ? spot - kWindow : 0;
    to = std::min(line.size(), spot + kWindow);
    while (from > 0 && is_continuation(line[from])) --from;
    while (to < line.size() && is_continuation(line[to])) ++to;
  }
  std::string shown =
      (from > 0 ? "..." : "") + std::string(line.substr(from, to - from)) + (to < line.size() ? "..." : "");
  std::string caret(from > 0 ? 3 : 0, ' ');
  for (std::size_t i = from; i < spot; ++i) {
    if (is_continuation(line[i])) continue;
    caret += line[i] == '\t' ? '\t' : ' ';
  }
  caret += '^';

  OriginPos o = split_origin(origin);
  std::size_t out_line = o.line + line_no - 1;
  std::size_t out_col = line_no == 1 ? o.col + col - 1 : col;
  for (const auto& [at, extra] : o.escapes)
    if (at >= line_start && at < offset) out_col += extra;
  std::string msg(o.name);
  msg += ':' + std::to_string(out_line) + ':' + std::to_string(out_col) + ": ";
  msg += message;
  msg += '\n';
  msg += shown;
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
