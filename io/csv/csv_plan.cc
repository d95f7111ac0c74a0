#include "io/csv/csv_plan.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/base/utf8.h"
#include "engine/store/population.h"
#include "io/csv/csv_infer.h"

namespace nudge::csv {
namespace {

bool same_name(std::string_view a, std::string_view b) { return a == b || normalize_name(a) == normalize_name(b); }

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  NearestName near(name);
  for (const auto& c : candidates) near.consider(c);
  return near.hint();
}

// The header record ends in a CR that no LF follows (outside quotes).
bool bare_cr_ends_header(std::string_view s) {
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    else if (!quoted && s[i] == '\n') return false;
    else if (!quoted && s[i] == '\r') return i + 1 < s.size() && s[i + 1] != '\n';
  }
  return false;
}

}  // namespace

CsvLayout read_header(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  // Encodings and line ends nudge does not read, named before they turn into
  // puzzling header errors ("column not in the header", "repeats column").
  if (text.size() >= 2 && (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF"))
    throw_invalid_input(file +
                        ": the file is UTF-16 (it starts with a UTF-16 byte-order mark); nudge reads UTF-8: "
                        "convert it, e.g. iconv -f UTF-16 -t UTF-8");
  const std::string_view head = text.substr(0, std::min<std::size_t>(text.size(), 65536));
  if (auto nul = head.find('\0'); nul != std::string_view::npos)
    throw_invalid_input(file + ": byte " + std::to_string(nul + 1) +
                        " is a NUL byte: not a UTF-8 text file (UTF-16 without a byte-order mark, or binary?)");
  if (bare_cr_ends_header(head))
    throw_invalid_input(file +
                        ": lines end in a bare CR (old Mac style); nudge reads LF or CRLF line ends: "
                        "convert it, e.g. tr '\\r' '\\n'");
  std::size_t begin = 0;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") begin = 3;  // UTF-8 byte-order mark
  if (begin == 3 && text.substr(3, 3) == "\xEF\xBB\xBF")  // a second one would stay in the first column's name
    throw_invalid_input(file +
                        ":1:1: the file starts with two UTF-8 byte-order marks; remove the second, e.g. "
                        "sed -i '1s/^\\xEF\\xBB\\xBF//' FILE");
  RecordReader r(text, Region{begin, text.size(), 1, 0});
  if (!r.next_record()) throw_invalid_input(file + ": the file is empty (expected a header row)");
  CsvLayout layout;
  Field f;
  FieldEnd e;
  do {
    e = r.read_field(f);
    if (e == FieldEnd::Malformed)
      throw_invalid_input(file + ":" + std::to_string(r.record_line()) + ": header column " +
                          std::to_string(layout.header.size() + 1) + ": " + malformed_message(r.malformed()));
    layout.header.emplace_back(f.text);
  } while (e == FieldEnd::Comma);
  const std::string at = file + ":" + std::to_string(r.record_line()) + ": ";
  // same_name(a, b) is equality of normalised names: one hash set, linear in the column count.
  std::unordered_map<std::string, std::size_t> seen;
  seen.reserve(layout.header.size());
  for (std::size_t i = 0; i < layout.header.size(); ++i) {
    // Names go into schema TOML (--print-schema), which must be UTF-8.
    if (auto bad = invalid_utf8(layout.header[i]); bad != std::string_view::npos)
      throw_invalid_input(at + "header column " + std::to_string(i + 1) + " " + quote_for_message(layout.header[i]) +
                          " is not valid UTF-8 (at byte " + std::to_string(bad + 1) +
                          " of the name); nudge reads UTF-8 text: convert the file");
    std::string key = normalize_name(layout.header[i]);
    if (key.empty())
      throw_invalid_input(at + "header column " + std::to_string(i + 1) + " has no name (" +
                          quote_for_message(layout.header[i]) + ")");
    auto [it, fresh] = seen.emplace(std::move(key), i);
    if (!fresh)
      throw_invalid_input(at + "header column " + std::to_string(i + 1) + " '" + layout.header[i] +
                          "' repeats column " + std::to_string(it->second + 1) + " '" + layout.header[it->second] +
                          "'");
  }
  layout.data_begin = r.offset();
  layout.data_line = r.line();
  return layout;
}

ImportSchema resolve_schema(std::string_view text, const CsvLayout& layout, std::string_view file_name,
                            const ImportOptions& options, std::vector<std::string>* notes) {
  const std::string file(file_name);
  const ImportSchema* given = options.schema ? &*options.schema : nullptr;
  const std::size_t n = layout.header.size();
  ImportSchema out;
  out.columns.resize(n);
  std::vector<bool> listed(n, false);
  if (given) {
    out.as_of = given->as_of;
    std::unordered_map<std::string_view, std::size_t> exact;
    std::unordered_map<std::string, std::size_t> alias;
    for (std::size_t i = n; i-- > 0;) {  // the first column wins
      exact[layout.header[i]] = i;
      alias[normalize_name(layout.header[i])] = i;
    }
    for (const auto& spec : given->columns) {
      std::size_t i = n;
      if (auto it = exact.find(spec.name); it != exact.end()) i = it->second;
      else if (auto a = alias.find(normalize_name(spec.name)); a != alias.end()) i = a->second;
      if (i == n)
        throw_invalid_input(file + ": the schema's column '" + spec.name + "' is not in the header" +
                            did_you_mean(spec.name, layout.header));
      out.columns[i] = spec;
      listed[i] = true;
    }
  }
  for (std::size_t i = 0; i < n; ++i) out.columns[i].name = layout.header[i];

  // The id column, by output name: explicit (options, then schema) or the default rule.
  std::optional<std::string> id = options.id_column ? options.id_column : given ? given->id_column : std::nullopt;
  const bool explicit_id = id.has_value();
  const std::string id_name = explicit_id ? *id : "customer_id";
  auto is_id = [&](std::size_t i) {
    return !id_name.empty() && !out.columns[i].skip && same_name(out.columns[i].output_name(), id_name);
  };

  if (std::find(listed.begin(), listed.end(), false) != listed.end()) {
    std::vector<TypeGuess> guess(n);
    RecordReader r(text, Region{layout.data_begin, text.size(), layout.data_line, 0});
    std::size_t sampled = 0;  // data records read for inference
    for (std::size_t rec = 0; rec < options.infer_rows && r.next_record(); ++rec, ++sampled) {
      Field f;
      FieldEnd e = FieldEnd::Comma;
      for (std::size_t i = 0; i < n && e == FieldEnd::Comma; ++i) {
        e = r.read_field(f);
        if (e == FieldEnd::Malformed) break;
        if (!listed[i] && !trim_spaces(f.text).empty()) guess[i].observe(f.text, r.record_line());
      }
      if (e != FieldEnd::Record) r.skip_record();  // malformed, or extra fields: the import reports it
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (listed[i]) continue;
      out.columns[i].type = guess[i].result(is_id(i));
      // A header-only file still has a uint64 id column; with skip_bad_rows a row whose
      // id is not a customer id is skipped (and counted) by the import instead.
      if (is_id(i) && (sampled == 0 || options.skip_bad_rows)) out.columns[i].type = DataType::UInt64;
      if (is_id(i) && out.columns[i].type != DataType::UInt64) {
        // An id column inferred as anything else would leave the population
        // without ids (or merge ids beyond 2^53 as float64): say which row.
        const std::string what = guess[i].values() == 0
                                     ? "has no value in the first " + std::to_string(options.infer_rows) + " rows"
                                     : guess[i].id_fault() + " is not a customer id (an integer 0 .. 2^64-1)";
        throw_invalid_input(file + ": id column '" + out.columns[i].output_name() + "': " + what +
                            "; fix the row, or name another id column (schema id_column; \"\" for none) or "
                            "declare this column's type in a schema");
      }
      if (notes)
        for (auto& note : guess[i].notes(out.columns[i].output_name())) notes->push_back(file + ": " + note);
    }
  }

  std::vector<std::size_t> ids;
  for (std::size_t i = 0; i < n; ++i)
    if (is_id(i)) ids.push_back(i);
  if (explicit_id && !id_name.empty()) {
    if (ids.empty()) {
      std::vector<std::string> names;
      for (const auto& c : out.columns) names.push_back(c.output_name());
      throw_invalid_input(file + ": the id column '" + id_name + "' is not in the file" + did_you_mean(id_name, names));
    }
    const ColumnSpec& c = out.columns[ids[0]];
    if (c.type != DataType::UInt64)
      throw_invalid_input(file + ": the id column '" + c.output_name() + "' must be uint64, it is " +
                          std::string(type_name(c.type)));
  }
  out.id_column =
      !ids.empty() && out.columns[ids[0]].type == DataType::UInt64 ? out.columns[ids[0]].output_name() : std::string();

  std::unordered_map<std::string, std::size_t> named;
  named.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (out.columns[i].skip) continue;
    auto [it, fresh] = named.emplace(normalize_name(out.columns[i].output_name()), i);
    if (!fresh)
      throw_invalid_input(file + ": columns " + std::to_string(it->second + 1) + " and " + std::to_string(i + 1) +
                          " would both be named '" + out.columns[i].output_name() + "'");
  }
  return out;
}

CsvPlan make_plan(const ImportSchema& resolved, const CsvLayout& layout, std::string_view file_name,
                  const ImportOptions& options) {
  CsvPlan plan;
  plan.file_name = std::string(file_name);
  plan.fields = layout.header.size();
  plan.skip_bad_rows = options.skip_bad_rows;
  plan.max_reasons = options.max_reasons;
  for (std::size_t i = 0; i < resolved.columns.size(); ++i) {
    const ColumnSpec& s = resolved.columns[i];
    if (s.skip) {
      plan.field_to_column.push_back(-1);
      continue;
    }
    plan.field_to_column.push_back(static_cast<int>(plan.columns.size()));
    PlanColumn c;
    c.field = i;
    c.header = layout.header[i];
    c.out_name = s.output_name();
    c.type = s.type;
    c.width = type_width(s.type);
    if (!s.date_format.empty()) {
      auto fmt = DateFormat::compile(s.date_format);
      if (!fmt) throw_invalid_input("column '" + s.name + "': date format '" + s.date_format + "' is not supported");
      c.date_format = *fmt;
    }
    if (s.type == DataType::Category && !s.categories.empty()) {
      c.fixed_categories = true;
      c.dictionary = CsvDictionary(s.categories);
    }
    c.is_id = resolved.id_column && !resolved.id_column->empty() && c.out_name == *resolved.id_column;
    plan.columns.push_back(std::move(c));
  }
  return plan;
}

}  // namespace nudge::csv
