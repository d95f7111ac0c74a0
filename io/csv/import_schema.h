// ImportSchema: how the columns of a CSV file become typed population
// columns, read from and written to a TOML schema file.
//
// File format (TOML 1.0, parsed with toml++; data/schemas/README.md has the
// full reference and data/schemas/rs1.toml an example):
//
//   as_of = "2026-11-01"         # optional: the day the data describes
//   id_column = "customer_id"    # optional: "" = no id column
//
//   [[column]]                   # one table per CSV column, any order
//   name = "Loyalty Number"      # header text as written (or its alias)
//   type = "uint64"              # bool int32 int64 uint64 float32 float64 category date
//   rename = "customer_id"       # optional: population column name
//
//   [[column]]
//   name = "Loyalty Card"
//   type = "category"
//   categories = ["Star", "Nova", "Aurora"]   # optional: fixed dictionary order
//
//   [[column]]
//   name = "Enrolled"
//   type = "date"
//   format = "%Y%m%d"            # optional, default "%Y-%m-%d"
//
//   [[column]]
//   name = "Postal Code"
//   skip = true                  # optional: leave the column out
//
// CSV columns the schema does not list get inferred types (io/csv/csv_infer.h);
// a schema column that is not in the CSV header is an error at import.
//
// Errors: parse_import_schema throws Error(InvalidInput) naming the source,
// the line (from toml++) or the [[column]] entry, and what is wrong (unknown
// key, unknown type, bad date format, categories on a non-category column,
// a category list with repeats, a column listed twice).
// Thread-safety: plain values; functions are pure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/types.h"

namespace nudge {

struct ColumnSpec {
  std::string name;  // CSV header text (or its normalised alias)
  DataType type = DataType::Category;
  std::string rename;                   // population column name; empty = keep `name`
  std::vector<std::string> categories;  // Category only: fixed dictionary, codes 0.. in this order; empty = first-seen
  std::string date_format;              // Date only: empty = "%Y-%m-%d"
  bool skip = false;                    // leave the column out of the population
  // The name the population column gets.
  const std::string& output_name() const noexcept { return rename.empty() ? name : rename; }
  bool operator==(const ColumnSpec&) const = default;
};

struct ImportSchema {
  std::optional<int32_t> as_of;          // days since 1970-01-01
  std::optional<std::string> id_column;  // population column name; "" = none; nullopt = default rule
  std::vector<ColumnSpec> columns;
  // The spec for a CSV header name: exact name first, then by normalised alias.
  const ColumnSpec* find(std::string_view header_name) const noexcept;
  bool operator==(const ImportSchema&) const = default;
};

// Parses schema TOML; `source` names it in messages (a path or "<schema>").
ImportSchema parse_import_schema(std::string_view toml_text, std::string_view source);
// Reads and parses a schema file. Throws Error(Io) when it cannot be read.
ImportSchema load_import_schema(const std::filesystem::path& path);
// Writes `schema` as TOML that parse_import_schema reads back to an equal
// schema (columns in order, one [[column]] table each, defaults omitted).
std::string format_import_schema(const ImportSchema& schema);

}  // namespace nudge
