// Reading contacts and responses from CSV into an EventTable
// (engine/history/event_table.h), for `nudge history add`.
//
// Formats (WORKLOAD.md RS-2; header row, comma-separated, RFC 4180 quoting,
// columns found by header name or its alias, in any order, others ignored):
//
//   contacts   customer_id,sent_on,action,channel,message_type,cost
//              optional: control (true/false/1/0, empty = false), campaign,
//              brand, dialogue (empty = none), step (integer, empty = 0)
//   responses  customer_id,action,sent_on,responded_on,type
//              optional: value (number, empty = none)
//
// A sweep's decisions file (engine/decide/decision_writer.h: rank,
// customer_id, action, channel, message_type, priority, cost, ..., brand)
// is a contacts file without sent_on: give ContactsCsvOptions::sent_on
// (`--sent-on DATE`). A file with a sent_on column and --sent-on is an error.
// External files (an e-mail platform's export) come in through a mapping
// (io/history/history_mapping.h): other column names, constants for columns
// the file lacks, another date format, and a table from the file's event
// names to response types.
//
// Types: customer_id uint64; dates YYYY-MM-DD (or the mapping's format);
// cost and value decimal (io/csv/csv_number.h); a cost must be finite and
// >= 0; an empty required field is an error; names (action, channel,
// message_type, campaign, brand, dialogue, type) must be UTF-8 text (they are
// stored in the segment's JSON meta).
// Errors: Error(InvalidInput) "<file>:<line>:<col>: column '<name>': <what>"
// for the first bad field (line and column 1-based; the column is the byte
// position of the field in its line), "<file>:<line>: ..." for a record with
// the wrong number of fields, "<file>: ..." for a missing column.
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "engine/history/event_table.h"
#include "io/history/history_mapping.h"

namespace nudge::history {

struct CsvReadOptions {
  std::optional<int32_t> sent_on;           // contacts: the day of a decisions file (it has no sent_on)
  const HistoryMapping* mapping = nullptr;  // external formats; nullptr = RS-2's columns
  bool progress = false;  // a progress bar (bytes read) on stderr when it is a terminal (engine/progress)
};

struct CsvReadStats {
  uint64_t rows = 0;          // data records read
  uint64_t dropped_rows = 0;  // rows of an event the mapping maps to "" (e.g. bounces)
};

// Appends the file's contacts to `t` (origins "<file>:<line>"; batch 0).
CsvReadStats read_contacts_csv(const std::filesystem::path& path, EventTable& t, const CsvReadOptions& options = {});
// Appends the file's responses to `t`.
CsvReadStats read_responses_csv(const std::filesystem::path& path, EventTable& t, const CsvReadOptions& options = {});

}  // namespace nudge::history
