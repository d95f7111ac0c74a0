// The TOML reader (toml_reader.h).
#include "engine/base/toml_reader.h"

#include <fmt/format.h>

#include <cmath>

#include "engine/base/error.h"
#include "engine/base/names.h"

namespace nudge {

TomlReader::TomlReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {
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
std::string TomlReader::text_pos(const toml::node& n) const {
  const auto& b = n.source().begin;
  std::string_view line = line_text(b.line);
  std::size_t c = b.column - 1;  // 0-based
  uint32_t out_line = b.line, out_col = b.column + 1;
  if (c + 3 <= line.size() && (line.substr(c, 3) == "\"\"\"" || line.substr(c, 3) == "'''")) {
    if (c + 3 == line.size()) out_line += 1, out_col = 1;
    else out_col = b.column + 3;
  }
  return fmt::format("{}:{}:{}", source_, out_line, out_col);
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

double TomlReader::number(const toml::node& n, std::string_view key, std::string_view where) const {
  if (!n.is_integer() && !n.is_floating_point())
    fail(n, fmt::format("'{}' of {} must be a number, not {}", key, where, type_of(n)));
  double d = *n.value<double>();
  if (!std::isfinite(d)) fail(n, fmt::format("'{}' of {} must be finite, not {}", key, where, d));
  return d;
}

double TomlReader::nonnegative(const toml::node& n, std::string_view key, std::string_view where) const {
  double d = number(n, key, where);
  if (d < 0) fail(n, fmt::format("'{}' of {} must be >= 0, not {}", key, where, d));
  return d;
}

int64_t TomlReader::integer(const toml::node& n, std::string_view key, std::string_view where, int64_t min) const {
  if (!n.is_integer()) fail(n, fmt::format("'{}' of {} must be an integer, not {}", key, where, type_of(n)));
  int64_t v = *n.value<int64_t>();
  if (v < min) fail(n, fmt::format("'{}' of {} must be >= {}, not {}", key, where, min, v));
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
  std::size_t start = 0;
  for (uint32_t l = 1; l < line && start != std::string_view::npos; ++l) {
    start = text_.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos || start > text_.size()) return {};
  std::size_t end = text_.find('\n', start);
  std::string_view l = text_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

}  // namespace nudge
