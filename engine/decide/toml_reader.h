// TomlReader: typed, position-reporting access to a parsed TOML document
// (toml++), for the campaign loader (campaign_loader.cc).
//
// Every accessor checks the value's type and range and, on a fault, throws
// nudge::Error(InvalidInput) "source:line:col: message" at the key or value
// at fault; check_keys() rejects keys outside an allowed list with a
// "did you mean". expression() also records where the text of a string value
// starts, so that expression errors can point inside it.
// Thread-safety: a TomlReader refers to the text it was given; one per parse.
#pragma once

#include <fmt/format.h>

#include <toml++/toml.h>

#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/decide/campaign.h"
#include "engine/store/population.h"

namespace nudge::decide {

class TomlReader {
 public:
  TomlReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

  std::string pos(const toml::source_region& r) const {
    if (r.begin.line == 0) return source_;
    return fmt::format("{}:{}:{}", source_, r.begin.line, r.begin.column);
  }
  std::string pos(const toml::node& n) const { return pos(n.source()); }

  [[noreturn]] void fail(const toml::node& n, const std::string& msg) const {
    throw_invalid_input(pos(n) + ": " + msg);
  }
  [[noreturn]] void fail(const toml::source_region& r, const std::string& msg) const {
    throw_invalid_input(pos(r) + ": " + msg);
  }

  // Rejects keys of `t` not in `allowed`, at the key's position, with a hint.
  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                  const std::string& where) const {
    for (auto&& [k, v] : t) {
      bool ok = false;
      for (auto a : allowed) ok = ok || k.str() == a;
      if (ok) continue;
      std::string best;
      std::size_t best_d = 3;
      std::string list;
      for (auto a : allowed) {
        list += (list.empty() ? "" : ", ") + std::string(a);
        std::size_t d = edit_distance(k.str(), a);
        if (d < best_d) best_d = d, best = std::string(a);
      }
      fail(k.source(), fmt::format("unknown key '{}' in {}{} (allowed: {})", k.str(), where,
                                   best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best), list));
    }
  }

  const toml::node* require(const toml::table& t, std::string_view key, const std::string& where) const {
    const toml::node* n = t.get(key);
    if (!n) fail(t, fmt::format("{} has no '{}'", where, key));
    return n;
  }

  std::string string(const toml::node& n, std::string_view key, const std::string& where) const {
    if (!n.is_string()) fail(n, fmt::format("'{}' of {} must be a string, not {}", key, where, type_of(n)));
    return *n.value<std::string>();
  }
  std::string nonempty_string(const toml::node& n, std::string_view key, const std::string& where) const {
    std::string s = string(n, key, where);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) fail(n, fmt::format("'{}' of {} is empty", key, where));
    return s;
  }
  double number(const toml::node& n, std::string_view key, const std::string& where) const {
    if (!n.is_integer() && !n.is_floating_point())
      fail(n, fmt::format("'{}' of {} must be a number, not {}", key, where, type_of(n)));
    double d = *n.value<double>();
    if (!std::isfinite(d)) fail(n, fmt::format("'{}' of {} must be finite, not {}", key, where, d));
    return d;
  }
  double nonnegative(const toml::node& n, std::string_view key, const std::string& where) const {
    double d = number(n, key, where);
    if (d < 0) fail(n, fmt::format("'{}' of {} must be >= 0, not {}", key, where, d));
    return d;
  }
  int64_t integer(const toml::node& n, std::string_view key, const std::string& where, int64_t min) const {
    if (!n.is_integer()) fail(n, fmt::format("'{}' of {} must be an integer, not {}", key, where, type_of(n)));
    int64_t v = *n.value<int64_t>();
    if (v < min) fail(n, fmt::format("'{}' of {} must be >= {}, not {}", key, where, min, v));
    return v;
  }
  bool boolean(const toml::node& n, std::string_view key, const std::string& where) const {
    if (!n.is_boolean()) fail(n, fmt::format("'{}' of {} must be true or false, not {}", key, where, type_of(n)));
    return *n.value<bool>();
  }
  const toml::table& table(const toml::node& n, std::string_view key, const std::string& where) const {
    if (!n.is_table()) fail(n, fmt::format("'{}' {} must be a table, not {}", key, where, type_of(n)));
    return *n.as_table();
  }
  const toml::array& array(const toml::node& n, std::string_view key, const std::string& where) const {
    if (!n.is_array()) fail(n, fmt::format("'{}' {} must be an array, not {}", key, where, type_of(n)));
    return *n.as_array();
  }

  ColumnRef column(const toml::node& n, std::string_view key, const std::string& where) const {
    return {nonempty_string(n, key, where), pos(n)};
  }

  // The position of the first character of a string value's text, so that
  // expression errors can point inside it. toml++ gives the position of the
  // opening quote; basic/literal strings start one column later, multi-line
  // ones three later or, after a newline that TOML trims, on the next line.
  expr::Source expression(const toml::node& n, std::string_view key, const std::string& where) const {
    std::string s = nonempty_string(n, key, where);
    const auto& b = n.source().begin;
    std::string_view line = line_text(b.line);
    std::size_t c = b.column - 1;  // 0-based
    uint32_t out_line = b.line, out_col = b.column + 1;
    if (c + 3 <= line.size() && (line.substr(c, 3) == "\"\"\"" || line.substr(c, 3) == "'''")) {
      if (c + 3 == line.size()) out_line += 1, out_col = 1;
      else out_col = b.column + 3;
    }
    return {std::move(s), fmt::format("{}:{}:{}", source_, out_line, out_col)};
  }

  // Names in an array of strings, each resolved through `index` (name -> i).
  std::vector<std::size_t> names(const toml::node& n, std::string_view key, const std::string& where,
                                 const std::map<std::string, std::size_t>& index, std::string_view kind) const {
    std::vector<std::size_t> out;
    for (const toml::node& e : array(n, key, where)) {
      std::string s = string(e, key, where);
      out.push_back(resolve(e, s, index, kind));
    }
    if (out.empty()) fail(n, fmt::format("'{}' of {} is empty (leave the key out to mean every {})", key, where, kind));
    return out;
  }

  std::size_t resolve(const toml::node& at, const std::string& s, const std::map<std::string, std::size_t>& index,
                      std::string_view kind) const {
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    std::string best, list;
    std::size_t best_d = 3;
    for (auto& [name, i] : index) {
      list += (list.empty() ? "" : ", ") + name;
      std::size_t d = edit_distance(s, name);
      if (d < best_d) best_d = d, best = name;
    }
    fail(at, fmt::format("unknown {} '{}'{} (declared: {})", kind, s,
                         best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best), list));
  }

  static std::string type_of(const toml::node& n) {
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

  const std::string& source() const { return source_; }

 private:
  std::string_view line_text(uint32_t line) const {
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

  std::string_view text_;
  std::string source_;
};

}  // namespace nudge::decide
