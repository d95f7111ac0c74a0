// From header and options to a parse plan (internal to io/csv/csv_import.cc).
//
//   read_header      BOM, header record -> column names, where data starts
//   resolve_schema   schema entries + inferred types for unlisted columns +
//                    id column + as_of -> one ColumnSpec per header column
//   make_plan        resolved schema -> CsvPlan for parse_region
//
// Errors: Error(InvalidInput) naming the file (and line 1 for the header):
// empty file, malformed or empty header names, repeated names (as written
// or as alias), a schema column not in the header (with a did-you-mean),
// two columns renamed to the same name, an explicit id column that is
// missing or not uint64.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv/csv_chunk_parser.h"
#include "io/csv/csv_import.h"
#include "io/csv/import_schema.h"

namespace nudge::csv {

struct CsvLayout {
  std::vector<std::string> header;  // names as written
  std::size_t data_begin = 0;       // byte offset of the first data record
  uint64_t data_line = 2;           // its physical line
};

CsvLayout read_header(std::string_view text, std::string_view file_name);

// One spec per header column in header order; id_column set when the table
// has one ("" otherwise); as_of left as the schema gives it.
// Inference findings (csv::TypeGuess::notes, "file: column 'x': ...") are
// appended to `notes` when given. An id column whose type is inferred must
// come out uint64: otherwise an error names the first line that is not one.
ImportSchema resolve_schema(std::string_view text, const CsvLayout& layout, std::string_view file_name,
                            const ImportOptions& options, std::vector<std::string>* notes = nullptr);

CsvPlan make_plan(const ImportSchema& resolved, const CsvLayout& layout, std::string_view file_name,
                  const ImportOptions& options);

}  // namespace nudge::csv
