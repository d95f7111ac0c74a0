#include "io/csv/import_schema.h"

#include <fmt/format.h>
#include <cstdio>

#include <set>
#include <sstream>
#include <unordered_set>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "engine/base/toml_reader.h"
#include "io/csv/csv_number.h"

namespace nudge {
namespace {

int32_t get_date(const TomlReader& r, const toml::node& n, std::string_view key) {
  if (auto d = n.as_date()) {
    const toml::date v = d->get();
    return days_from_civil(v.year, v.month, v.day);
  }
  if (auto s = n.value<std::string>())
    if (auto d = parse_iso_date(*s)) return *d;
  r.fail(n, fmt::format("'{}' must be a date YYYY-MM-DD", key));
}

ColumnSpec parse_column(const TomlReader& r, const toml::table& t, std::size_t index) {
  ColumnSpec c;
  const std::string entry = "[[column]] #" + std::to_string(index + 1);
  auto fail = [&](const toml::node& n, const std::string& what) -> void { r.fail(n, entry + ": " + what); };
  r.check_keys(t, {"name", "type", "rename", "categories", "format", "skip"}, entry);
  bool has_type = false;
  for (const auto& [key, node] : t) {
    const std::string_view k = key.str();
    if (k == "name") {
      c.name = r.string(node, k);
    } else if (k == "type") {
      const std::string s = r.string(node, k);
      auto ty = parse_type_name(s);
      if (!ty) fail(node, "unknown type '" + s + "' (bool, int32, int64, uint64, float32, float64, category, date)");
      c.type = *ty;
      has_type = true;
    } else if (k == "rename") {
      c.rename = r.string(node, k);
      if (c.rename.empty()) fail(node, "'rename' must not be empty");
    } else if (k == "categories") {
      const toml::array* a = node.as_array();
      if (!a) fail(node, "'categories' must be an array of strings");
      if (a->empty())
        fail(node, "'categories' is empty: list every category, or leave the key out to take them in first-seen order");
      std::set<std::string> seen;
      for (const auto& e : *a) {
        std::string v = r.string(e, k);
        if (!seen.insert(v).second) fail(e, "category '" + v + "' is listed twice");
        c.categories.push_back(std::move(v));
      }
    } else if (k == "format") {
      c.date_format = r.string(node, k);
      if (!csv::DateFormat::compile(c.date_format))
        fail(node,
             "date format '" + c.date_format + "' is not supported (use %Y, %m, %d once each, e.g. \"%Y-%m-%d\")");
    } else if (k == "skip") {
      auto b = node.value<bool>();
      if (!b) fail(node, "'skip' must be true or false");
      c.skip = *b;
    }  // check_keys admitted no other key
  }
  if (c.name.empty()) fail(t, t.contains("name") ? "'name' is empty" : "'name' is missing");
  if (!has_type && !c.skip) fail(t, "column '" + c.name + "' has no 'type'");
  if (!c.categories.empty() && c.type != DataType::Category)
    fail(t, "column '" + c.name + "' lists categories but is of type " + std::string(type_name(c.type)));
  if (!c.date_format.empty() && c.type != DataType::Date)
    fail(t, "column '" + c.name + "' has a date format but is of type " + std::string(type_name(c.type)));
  return c;
}

// TOML basic string: quotes, backslashes and control bytes escaped. (Not named
// `quoted`: for a std::string argument, argument-dependent lookup picked
// std::quoted, which escapes only quotes and backslashes.)
std::string toml_string(std::string_view s) {
  std::string o = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      case '\r': o += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          o += buf;
        } else {
          o += ch;
        }
    }
  }
  return o + "\"";
}

}  // namespace

const ColumnSpec* ImportSchema::find(std::string_view header_name) const noexcept {
  for (const auto& c : columns)
    if (c.name == header_name) return &c;
  const std::string alias = normalize_name(header_name);
  for (const auto& c : columns)
    if (normalize_name(c.name) == alias) return &c;
  return nullptr;
}

ImportSchema parse_import_schema(std::string_view text, std::string_view source) {
  const TomlReader r(text, std::string(source));
  const toml::table& root = r.root();
  r.check_keys(root, {"as_of", "id_column", "column"}, "the import schema");
  ImportSchema s;
  for (const auto& [key, node] : root) {
    const std::string_view k = key.str();
    if (k == "as_of") {
      s.as_of = get_date(r, node, k);
    } else if (k == "id_column") {
      s.id_column = r.string(node, k);
    } else if (k == "column") {
      const toml::array* a = node.as_array();
      if (!a || !a->is_array_of_tables()) r.fail(node, "'column' must be an array of tables ([[column]])");
      // Names already listed, as aliases: one hash set, linear in the column count.
      std::unordered_set<std::string> listed;
      listed.reserve(a->size());
      for (std::size_t i = 0; i < a->size(); ++i) {
        ColumnSpec c = parse_column(r, *a->get(i)->as_table(), i);
        if (!listed.insert(normalize_name(c.name)).second)
          r.fail(*a->get(i), "column '" + c.name + "' is listed twice");
        s.columns.push_back(std::move(c));
      }
    }  // check_keys admitted no other key
  }
  return s;
}

ImportSchema load_import_schema(const std::filesystem::path& path) {
  return parse_import_schema(read_file(path, "import schema"), path.string());
}

std::string format_import_schema(const ImportSchema& s) {
  std::ostringstream o;
  o << "# nudge import schema (data/schemas/README.md describes the format)\n";
  if (s.as_of) o << "as_of = " << format_iso_date(*s.as_of) << "\n";
  if (s.id_column) o << "id_column = " << toml_string(*s.id_column) << "\n";
  for (const auto& c : s.columns) {
    o << "\n[[column]]\nname = " << toml_string(c.name) << "\n";
    o << "type = " << toml_string(type_name(c.type)) << "\n";
    if (!c.rename.empty()) o << "rename = " << toml_string(c.rename) << "\n";
    if (!c.categories.empty()) {
      o << "categories = [";
      for (std::size_t i = 0; i < c.categories.size(); ++i) o << (i ? ", " : "") << toml_string(c.categories[i]);
      o << "]\n";
    }
    if (!c.date_format.empty()) o << "format = " << toml_string(c.date_format) << "\n";
    if (c.skip) o << "skip = true\n";
  }
  return o.str();
}

}  // namespace nudge
