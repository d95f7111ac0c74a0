// Whitespace-separated tables (e.g. CDNOW_master.txt: " 00001 19970101  1
// 11.77", fixed-width columns padded with spaces, a header line, CRLF) turned
// into CSV text that io/csv/csv_import.h reads.
//
// Rules: each line (LF or CRLF; a trailing line without newline counts) is
// split on runs of spaces and tabs; leading/trailing blanks are ignored;
// fields are joined with ',' and lines end with '\n'. Blank lines are
// dropped. A UTF-8 byte-order mark at the start is dropped.
//
// Errors: Error(InvalidInput) "<file>:<line>:<col>: ..." when a field holds a
// ',' or '"' (it would change meaning in CSV) or a line has a different
// number of fields than the header line.
// Thread-safety: pure.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace nudge {

std::string whitespace_table_to_csv(std::string_view text, std::string_view file_name);
// Reads the file and converts it. Throws Error(Io) when it cannot be read.
std::string whitespace_table_to_csv_file(const std::string& path);

}  // namespace nudge
