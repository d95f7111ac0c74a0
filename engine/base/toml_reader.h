// TomlReader: the one reader of nudge's TOML inputs (campaigns, import
// schemas, activity specs, linear models): parsing plus typed,
// position-reporting access to the document (toml++).
//
//   TomlReader r(text, "rs1.toml");              // throws on a syntax error
//   r.check_keys(r.root(), {"campaign", "basket"}, "the campaign file");
//   double p = r.number(*r.require(t, "points_per_period", w), "points_per_period", w);
//
// Errors: every fault throws nudge::Error(InvalidInput) "source:line:col:
// message" at the key or value at fault (toml++'s source regions, 1-based
// line and column): syntax errors (toml++'s description), unknown keys (with
// "did you mean", names.h, and the allowed keys), values of the wrong type or
// range, missing required keys, unknown declared names.
// Lifetime: keeps a view of `text`, which must outlive the reader.
// Thread-safety: one reader per parse; const methods only read.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <algorithm>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nudge {

class TomlReader {
 public:
  // Parses `text`; `source` (the file name) prefixes every message.
  TomlReader(std::string_view text, std::string source);

  const toml::table& root() const noexcept { return root_; }
  const std::string& source() const noexcept { return source_; }

  // "source:line:col" of a region or node ("source" when toml++ has no position).
  std::string pos(const toml::source_region& r) const;
  std::string pos(const toml::node& n) const { return pos(n.source()); }
  // "source:line:col" of the first character of a string value's text (after
  // the opening quote(s); for a multi-line string that starts with a newline,
  // the next line), so that errors inside the text can point into it.
  std::string text_pos(const toml::node& n) const;

  [[noreturn]] void fail(const toml::node& n, const std::string& msg) const;
  [[noreturn]] void fail(const toml::source_region& r, const std::string& msg) const;

  // Rejects the first key of `t` not in `allowed`, at the key:
  // "unknown key 'k' in <where> (did you mean 'x'?) (allowed: a, b, c)".
  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view where) const;

  // The node at `key`; "<where> has no '<key>'" at the table when absent.
  const toml::node* require(const toml::table& t, std::string_view key, std::string_view where) const;

  // Typed values; `key` and `where` name the value in messages
  // ("'<key>' of <where> must be a number, not a string").
  std::string string(const toml::node& n, std::string_view key, std::string_view where) const;
  // A string value; "'<key>' must be a string" otherwise (for readers whose
  // messages name the entry themselves).
  std::string string(const toml::node& n, std::string_view key) const;
  std::string nonempty_string(const toml::node& n, std::string_view key, std::string_view where) const;
  // A name (of a campaign, action, channel, brand, ...): a nonempty string
  // without control characters (U+0000..U+001F, U+007F), which would cut or
  // garble text output: "'<key>' of <where> holds the control character
  // U+0000: names must be printable" at the value.
  std::string name(const toml::node& n, std::string_view key, std::string_view where) const;
  // The same check for a name written as a table key ([channels.<name>]):
  // "the <kind> name holds the control character U+0000 ..." at the key.
  void check_name_key(const toml::key& k, std::string_view kind) const;
  // A finite number. An integer is taken only when a double holds it exactly
  // (every |v| <= 2^53 = 9007199254740992, and larger ones such as 1e17 that
  // happen to be exact); 9007199254740993 is refused at the value:
  // "'<key>' of <where> is the integer 9007199254740993, which a number
  // (double) cannot hold exactly (...); write it with a decimal point
  // (9007199254740992.0) to mean the nearest double".
  double number(const toml::node& n, std::string_view key, std::string_view where) const;
  // The value of a number node (integer or float) as a double, with the
  // exactness rule of number(); `what` names the value in the error
  // ("'intercept'", "weight of 'Star'"). Does not check finiteness.
  double exact_double(const toml::node& n, std::string_view what) const;
  double nonnegative(const toml::node& n, std::string_view key, std::string_view where) const;
  // An integer in [min, max], checked on the file's 64-bit value before any
  // narrowing: "'<key>' of <where> must be >= <min>, not <v>" below,
  // "... must be at most <max>, not <v>" above.
  int64_t integer(const toml::node& n, std::string_view key, std::string_view where, int64_t min,
                  int64_t max = std::numeric_limits<int64_t>::max()) const;
  // integer() narrowed to T; [min, max] must lie within T (checked here), so
  // the cast never wraps (4294967297 is refused, not read as 1).
  template <class T>
  T integer_as(const toml::node& n, std::string_view key, std::string_view where, int64_t min,
               int64_t max = std::numeric_limits<int64_t>::max()) const {
    if constexpr (std::is_unsigned_v<T>) {
      if (min < 0) min = 0;
      if constexpr (sizeof(T) < sizeof(int64_t))
        max = std::min<int64_t>(max, static_cast<int64_t>(std::numeric_limits<T>::max()));
    } else {
      min = std::max<int64_t>(min, std::numeric_limits<T>::min());
      max = std::min<int64_t>(max, std::numeric_limits<T>::max());
    }
    return static_cast<T>(integer(n, key, where, min, max));
  }
  bool boolean(const toml::node& n, std::string_view key, std::string_view where) const;
  const toml::table& table(const toml::node& n, std::string_view key, std::string_view where) const;
  const toml::array& array(const toml::node& n, std::string_view key, std::string_view where) const;

  // Names in an array of strings, each resolved through `index` (name -> i);
  // an empty array is refused.
  std::vector<std::size_t> names(const toml::node& n, std::string_view key, std::string_view where,
                                 const std::map<std::string, std::size_t>& index, std::string_view kind) const;
  // `name` resolved through `index`; "unknown <kind> 'x' (did you mean 'y'?)
  // (declared: ...)" at `at` when absent.
  std::size_t resolve(const toml::node& at, const std::string& name, const std::map<std::string, std::size_t>& index,
                      std::string_view kind) const;

  // "a string", "an integer", "a number", "a boolean", "a table", "an array", "a date/time".
  static std::string type_of(const toml::node& n);

 private:
  std::string_view line_text(uint32_t line) const;

  std::string_view text_;
  std::vector<std::size_t> line_starts_;  // byte offset of each line (line l at [l - 1]): text_pos() in O(1)
  std::string source_;
  toml::table root_;
};

}  // namespace nudge
