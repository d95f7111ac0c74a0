// Parsing one region of a CSV file into chunk-local typed columns (the
// parallel stage of io/csv/csv_import.cc; not a public API).
//
// A CsvPlan says, for every field of a record, which output column it fills
// and how (type, date format, fixed category list, id column). parse_region
// reads the region's records with a RecordReader and writes each value into
// a ChunkColumn: values in row order (NULL rows hold zero bytes), NULL rows
// listed, and for first-seen category columns a chunk-local dictionary (its
// codes are remapped to the global dictionary when chunks are merged in file
// order, which makes the result independent of the thread count).
//
// Hot path: a numeric or bool field is read straight from the text by the
// scanners of io/csv/csv_number.h (one pass: value and terminator); anything
// they decline (NULL, spaces, quotes, long or malformed values, category
// and date columns) goes through RecordReader::read_field and the full
// parsers, which also produce the error messages.
//
// Bad rows: in fail mode parsing stops at the region's first bad row and
// records its message in ChunkResult::error; in skip mode bad rows are
// counted, the first `max_reasons` messages kept, and everything the row had
// written is undone (values, NULL marks, new dictionary entries).
//
// Message format (file, 1-based line of the record start, 1-based column
// number, header name, expected type, offending text):
//   "members.csv:7: column 3 (flights_3m): expected int32, found 'x12'"
//   "members.csv:7: column 3 (flights_3m): expected int32, found '99999999999' (out of range)"
//   "members.csv:9: expected 24 fields, found 23"
//
// Thread-safety: parse_region only reads the plan and the text; run one per
// region concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/store/types.h"
#include "io/csv/csv_dictionary.h"
#include "io/csv/csv_number.h"
#include "io/csv/csv_tokenizer.h"

namespace nudge::csv {

struct PlanColumn {
  std::size_t field = 0;  // 0-based field index in the record
  std::string header;     // header text as written (for messages)
  std::string out_name;   // population column name
  DataType type = DataType::Category;
  std::size_t width = 4;          // type_width(type)
  DateFormat date_format;         // Date only
  bool fixed_categories = false;  // Category: `dictionary` is the schema's list, values outside it are errors
  CsvDictionary dictionary;       // Category with fixed_categories: the list
  bool is_id = false;             // the id column: NULL is an error
};

struct CsvPlan {
  std::string file_name;             // for messages
  std::size_t fields = 0;            // fields per record (header width)
  std::vector<int> field_to_column;  // per field: index into columns, or -1 (skipped)
  std::vector<PlanColumn> columns;
  bool skip_bad_rows = false;
  std::size_t max_reasons = 5;
};

// Chunk buffers come from mimalloc, which recycles them from chunk to chunk
// (the system allocator would map and fault in fresh pages for each).
struct MiFree {
  void operator()(unsigned char* p) const noexcept;
};

struct ChunkColumn {
  std::unique_ptr<unsigned char[], MiFree> data;  // rows * width bytes, uninitialised
  std::vector<uint32_t> nulls;                    // local rows that are NULL, ascending
  CsvDictionary dictionary;                       // first-seen Category: chunk-local strings
  std::vector<std::size_t> dict_first_row;        // row that added each entry (for undo)
};

struct ChunkResult {
  std::size_t rows = 0;              // rows kept
  std::size_t bad_rows = 0;          // rows rejected (skip mode)
  std::vector<std::string> reasons;  // first max_reasons rejection messages, in order
  std::optional<std::string> error;  // fail mode: the first bad row's message
  // (local row, line) where a row's line is not the previous row's line + 1
  // (the first row, quoted newlines, blank lines, rejected rows).
  std::vector<std::pair<std::size_t, uint64_t>> line_anchors;
  std::vector<ChunkColumn> columns;
};

ChunkResult parse_region(std::string_view text, const Region& region, const CsvPlan& plan);

// "'text'" for messages: at most 60 bytes, CR/LF/TAB shown as \r \n \t.
std::string quote_for_message(std::string_view text);

}  // namespace nudge::csv
