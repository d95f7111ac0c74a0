// History mapping files (format: history_mapping.h).
#include "io/history/history_mapping.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "io/csv/csv_number.h"
#include "io/file/atomic_file.h"

namespace nudge::history {

const std::vector<std::string_view>& history_columns(std::string_view kind) {
  static const std::vector<std::string_view> contacts = {"customer_id",  "sent_on",  "action",  "channel",
                                                         "message_type", "cost",     "control", "campaign",
                                                         "brand",        "dialogue", "step"};
  static const std::vector<std::string_view> responses = {"customer_id",  "action", "sent_on",
                                                          "responded_on", "type",   "value"};
  return kind == "responses" ? responses : contacts;
}

namespace {

std::string pos(const std::string& src, const toml::source_region& r) {
  return r.begin.line ? fmt::format("{}:{}:{}", src, r.begin.line, r.begin.column) : src;
}

std::string scalar_text(const toml::node& n, const std::string& where) {
  if (auto s = n.as_string()) return s->get();
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto f = n.as_floating_point()) return fmt::format("{}", f->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  throw_invalid_input(where + ": expected a string or a number");
}

}  // namespace

HistoryMapping parse_history_mapping(std::string_view text, const std::string& source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw_invalid_input(pos(source, e.source()) + ": " + std::string(e.description()));
  }
  HistoryMapping m;
  m.source = source;
  for (auto&& [k, v] : doc) {
    const std::string key(k.str());
    const std::string at = pos(source, k.source());
    if (key == "kind") {
      m.kind = scalar_text(v, at);
      if (m.kind != "contacts" && m.kind != "responses")
        throw_invalid_input(at + ": kind must be \"contacts\" or \"responses\", not '" + m.kind + "'");
    } else if (key == "date_format") {
      m.date_format = scalar_text(v, at);
      if (!csv::DateFormat::compile(m.date_format))
        throw_invalid_input(at + ": date format '" + m.date_format + "' is not supported (use %Y, %m, %d)");
    } else if (key == "timestamps") {
      if (!v.is_boolean()) throw_invalid_input(at + ": timestamps must be true or false");
      m.timestamps = v.as_boolean()->get();
    } else if (key == "columns" || key == "constants" || key == "types") {
      const toml::table* t = v.as_table();
      if (!t) throw_invalid_input(at + ": [" + key + "] must be a table");
      auto& dst = key == "columns" ? m.columns : key == "constants" ? m.constants : m.types;
      for (auto&& [k2, v2] : *t) {
        std::string v = scalar_text(v2, pos(source, k2.source()));
        for (const char ch : v)
          if (const auto c = static_cast<unsigned char>(ch); c < 0x20 || c == 0x7f)
            throw_invalid_input(fmt::format("{}: [{}] {}: the value holds the control character U+{:04X}; names "
                                            "may not hold control characters",
                                            pos(source, v2.source()), key, std::string(k2.str()), c));
        dst[std::string(k2.str())] = std::move(v);
      }
    } else {
      throw_invalid_input(at + ": unknown key '" + key +
                          "' (allowed: kind, date_format, timestamps, [columns], [constants], [types])");
    }
  }
  if (m.kind.empty()) throw_invalid_input(source + ": the mapping needs kind = \"contacts\" or \"responses\"");
  const auto& names = history_columns(m.kind);
  auto known = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  std::string list;
  for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  for (const auto* table : {&m.columns, &m.constants})
    for (const auto& [k, v] : *table)
      if (!known(k))
        throw_invalid_input(source + ": '" + k + "' is not a column of " + m.kind + " (columns: " + list + ")");
  for (const auto& [k, v] : m.columns)
    if (m.constants.count(k)) throw_invalid_input(source + ": '" + k + "' is both in [columns] and [constants]");
  if (!m.types.empty() && m.kind != "responses") throw_invalid_input(source + ": [types] is for responses only");
  return m;
}

HistoryMapping load_history_mapping(const std::filesystem::path& path) {
  return parse_history_mapping(read_file(path, "history mapping"), path.string());
}

}  // namespace nudge::history
