#include "io/csv/csv_plan.h"

#include <algorithm>

#include "engine/base/error.h"
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

}  // namespace

CsvLayout read_header(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  std::size_t begin = 0;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") begin = 3;  // UTF-8 byte-order mark
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
  for (std::size_t i = 0; i < layout.header.size(); ++i) {
    if (normalize_name(layout.header[i]).empty())
      throw_invalid_input(at + "header column " + std::to_string(i + 1) + " has no name (" +
                          quote_for_message(layout.header[i]) + ")");
    for (std::size_t j = 0; j < i; ++j)
      if (same_name(layout.header[i], layout.header[j]))
        throw_invalid_input(at + "header column " + std::to_string(i + 1) + " '" + layout.header[i] +
                            "' repeats column " + std::to_string(j + 1) + " '" + layout.header[j] + "'");
  }
  layout.data_begin = r.offset();
  layout.data_line = r.line();
  return layout;
}

ImportSchema resolve_schema(std::string_view text, const CsvLayout& layout, std::string_view file_name,
                            const ImportOptions& options) {
  const std::string file(file_name);
  const ImportSchema* given = options.schema ? &*options.schema : nullptr;
  const std::size_t n = layout.header.size();
  ImportSchema out;
  out.columns.resize(n);
  std::vector<bool> listed(n, false);
  if (given) {
    out.as_of = given->as_of;
    for (const auto& spec : given->columns) {
      std::size_t i = 0;
      while (i < n && layout.header[i] != spec.name) ++i;
      if (i == n)
        i = std::find_if(layout.header.begin(), layout.header.end(),
                         [&](const std::string& h) { return same_name(h, spec.name); }) -
            layout.header.begin();
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
    for (std::size_t rec = 0; rec < options.infer_rows && r.next_record(); ++rec) {
      Field f;
      FieldEnd e = FieldEnd::Comma;
      for (std::size_t i = 0; i < n && e == FieldEnd::Comma; ++i) {
        e = r.read_field(f);
        if (e == FieldEnd::Malformed) break;
        if (!listed[i] && !trim_spaces(f.text).empty()) guess[i].observe(f.text);
      }
      if (e != FieldEnd::Record) r.skip_record();  // malformed, or extra fields: the import reports it
    }
    for (std::size_t i = 0; i < n; ++i)
      if (!listed[i]) out.columns[i].type = guess[i].result(is_id(i));
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

  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (!out.columns[i].skip && !out.columns[j].skip &&
          same_name(out.columns[i].output_name(), out.columns[j].output_name()))
        throw_invalid_input(file + ": columns " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                            " would both be named '" + out.columns[i].output_name() + "'");
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
