// The TOML reader (toml_reader.h).
#include "engine/base/toml_reader.h"

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include <cmath>

#include "engine/base/error.h"
#include "engine/base/names.h"

namespace nudge {

TomlReader::TomlReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  try {
    root_ = toml::parse(text, source_);
  } catch (const toml::parse_error& e) { throw_invalid_input(fmt::format("{}: {}", pos(e.source()), e.description())); }
}

std::string TomlReader::pos(const toml::source_region& r) const {
  if (r.begin.line == 0) return source_;
  return fmt::format("{}:{}:{}", source_, r.begin.line, r.begin.column);
}

// toml++ gives the position of the opening quote; basic/literal strings start
// one column later, multi-line ones three later or, after a newline that TOML
// trims, on the next line.
namespace {

// For a basic string whose raw text (after the opening quote) holds escapes
// (\", \\, \t, \u00e9, ...): "\x1f" + "offset:extra,...", at each byte offset
// of the unescaped text where an escape's output starts, how many more
// characters the file has than the text. expr::format_source_error reads it
// (engine/expr/source_error.cc), so error columns after an escape are the
// file's. "" without escapes.
std::string escape_map(std::string_view raw) {
  std::string map;
  std::size_t out = 0;  // bytes of unescaped text so far
  for (std::size_t i = 0; i < raw.size() && raw[i] != '"'; ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      ++out;
      continue;
    }
    const char k = raw[i + 1];
    const std::size_t width = k == 'u' ? 6 : k == 'U' ? 10 : 2;
    std::size_t bytes = 1;
    if (k == 'u' || k == 'U') {
      const unsigned long cp = std::strtoul(std::string(raw.substr(i + 2, width - 2)).c_str(), nullptr, 16);
      bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    map += (map.empty() ? "\x1f" : ",") + std::to_string(out) + ":" + std::to_string(width - 1);
    out += bytes;
    i += width - 1;
  }
  return map;
}

}  // namespace

// A one-line basic string with escapes also gets escape_map() appended.
std::string TomlReader::text_pos(const toml::node& n) const {
  const auto& b = n.source().begin;
  std::string_view line = line_text(b.line);
  std::size_t c = b.column - 1;  // 0-based
  uint32_t out_line = b.line, out_col = b.column + 1;
  if (c + 3 <= line.size() && (line.substr(c, 3) == "\"\"\"" || line.substr(c, 3) == "'''")) {
    if (c + 3 == line.size()) out_line += 1, out_col = 1;
    else out_col = b.column + 3;
    return fmt::format("{}:{}:{}", source_, out_line, out_col);
  }
  std::string origin = fmt::format("{}:{}:{}", source_, out_line, out_col);
  if (c < line.size() && line[c] == '"') origin += escape_map(line.substr(c + 1));
  return origin;
}

void TomlReader::fail(const toml::node& n, const std::string& msg) const { throw_invalid_input(pos(n) + ": " + msg); }
void TomlReader::fail(const toml::source_region& r, const std::string& msg) const {
  throw_invalid_input(pos(r) + ": " + msg);
}

void TomlReader::check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                            std::string_view where) const {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k.str() == a;
    if (ok) continue;
    NearestName near(k.str());
    std::string list;
    for (auto a : allowed) {
      list += (list.empty() ? "" : ", ") + std::string(a);
      near.consider(a);
    }
    fail(k.source(), fmt::format("unknown key '{}' in {}{} (allowed: {})", k.str(), where, near.hint(), list));
  }
}

const toml::node* TomlReader::require(const toml::table& t, std::string_view key, std::string_view where) const {
  const toml::node* n = t.get(key);
  if (!n) fail(t, fmt::format("{} has no '{}'", where, key));
  return n;
}

std::string TomlReader::string(const toml::node& n, std::string_view key, std::string_view where) const {
  if (!n.is_string()) fail(n, fmt::format("'{}' of {} must be a string, not {}", key, where, type_of(n)));
  return *n.value<std::string>();
}

std::string TomlReader::string(const toml::node& n, std::string_view key) const {
  if (!n.is_string()) fail(n, fmt::format("'{}' must be a string", key));
  return *n.value<std::string>();
}

std::string TomlReader::nonempty_string(const toml::node& n, std::string_view key, std::string_view where) const {
  std::string s = string(n, key, where);
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) fail(n, fmt::format("'{}' of {} is empty", key, where));
  return s;
}

namespace {
// The first control character of `s` (C0 or DEL), or -1.
int first_control(std::string_view s) noexcept {
  for (unsigned char ch : s)
    if (ch < 0x20 || ch == 0x7f) return ch;
  return -1;
}
}  // namespace

std::string TomlReader::name(const toml::node& n, std::string_view key, std::string_view where) const {
  std::string s = nonempty_string(n, key, where);
  if (int ch = first_control(s); ch >= 0)
    fail(n, fmt::format("'{}' of {} holds the control character U+{:04X}: names must be printable", key, where, ch));
  return s;
}

void TomlReader::check_name_key(const toml::key& k, std::string_view kind) const {
  if (int ch = first_control(k.str()); ch >= 0)
    fail(k.source(), fmt::format("the {} name holds the control character U+{:04X}: names must be printable", kind, ch));
}

double TomlReader::number(const toml::node& n, std::string_view key, std::string_view where) const {
  if (!n.is_integer() && !n.is_floating_point())
    fail(n, fmt::format("'{}' of {} must be a number, not {}", key, where, type_of(n)));
  double d = exact_double(n, fmt::format("'{}' of {}", key, where));
  if (!std::isfinite(d)) fail(n, fmt::format("'{}' of {} must be finite, not {}", key, where, d));
  return d;
}

double TomlReader::exact_double(const toml::node& n, std::string_view what) const {
  if (const auto* f = n.as_floating_point()) return f->get();
  const auto* i = n.as_integer();
  if (!i) fail(n, fmt::format("{} must be a number, not {}", what, type_of(n)));
  // toml++'s value<double>() is empty for such integers; never dereference it.
  const int64_t v = i->get();
  const double d = static_cast<double>(v);
  // d is in [-2^63, 2^63]; 2^63 itself is no int64, so test it before the cast back.
  if (d < 9223372036854775808.0 && static_cast<int64_t>(d) == v) return d;
  fail(n, fmt::format("{} is the integer {}, which a number (double) cannot hold exactly (integers are exact up to "
                      "2^53 = 9007199254740992); write it with a decimal point ({:.1f}) to mean the nearest double",
                      what, v, d));
}

double TomlReader::nonnegative(const toml::node& n, std::string_view key, std::string_view where) const {
  double d = number(n, key, where);
  if (d < 0) fail(n, fmt::format("'{}' of {} must be >= 0, not {}", key, where, d));
  return d;
}

int64_t TomlReader::integer(const toml::node& n, std::string_view key, std::string_view where, int64_t min,
                            int64_t max) const {
  if (!n.is_integer()) fail(n, fmt::format("'{}' of {} must be an integer, not {}", key, where, type_of(n)));
  int64_t v = *n.value<int64_t>();
  if (v < min) fail(n, fmt::format("'{}' of {} must be >= {}, not {}", key, where, min, v));
  if (v > max) fail(n, fmt::format("'{}' of {} must be at most {}, not {}", key, where, max, v));
  return v;
}

bool TomlReader::boolean(const toml::node& n, std::string_view key, std::string_view where) const {
  if (!n.is_boolean()) fail(n, fmt::format("'{}' of {} must be true or false, not {}", key, where, type_of(n)));
  return *n.value<bool>();
}

const toml::table& TomlReader::table(const toml::node& n, std::string_view key, std::string_view where) const {
  if (!n.is_table()) fail(n, fmt::format("'{}' {} must be a table, not {}", key, where, type_of(n)));
  return *n.as_table();
}

const toml::array& TomlReader::array(const toml::node& n, std::string_view key, std::string_view where) const {
  if (!n.is_array()) fail(n, fmt::format("'{}' {} must be an array, not {}", key, where, type_of(n)));
  return *n.as_array();
}

std::vector<std::size_t> TomlReader::names(const toml::node& n, std::string_view key, std::string_view where,
                                           const std::map<std::string, std::size_t>& index,
                                           std::string_view kind) const {
  std::vector<std::size_t> out;
  for (const toml::node& e : array(n, key, where)) out.push_back(resolve(e, string(e, key, where), index, kind));
  if (out.empty()) fail(n, fmt::format("'{}' of {} is empty (leave the key out to mean every {})", key, where, kind));
  return out;
}

std::size_t TomlReader::resolve(const toml::node& at, const std::string& name,
                                const std::map<std::string, std::size_t>& index, std::string_view kind) const {
  auto it = index.find(name);
  if (it != index.end()) return it->second;
  NearestName near(name);
  std::string list;
  for (auto& [known, i] : index) {
    list += (list.empty() ? "" : ", ") + known;
    near.consider(known);
  }
  fail(at, fmt::format("unknown {} '{}'{} (declared: {})", kind, name, near.hint(), list));
}

std::string TomlReader::type_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date/time";
  }
}

std::string_view TomlReader::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t start = line_starts_[line - 1];
  if (start > text_.size()) return {};
  std::size_t end = text_.find('\n', start);
  std::string_view l = text_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

}  // namespace nudge
