// Error context for trigger expressions: turns a byte offset inside an
// expression's text into "origin:line:col: message", the source line and a
// caret under the spot (DuckDB's query_error_context idea: record the offset at
// the fault, format only when reporting).
//
// Origins may carry a position ("campaign.toml:14:11": the expression text
// starts at line 14, column 11 of that file); line 1 of the text is then shifted
// by that column and later lines by that line. Columns count characters
// (UTF-8 code points), 1-based.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nudge::expr {

// The full message for a fault at byte `offset` of `text`:
//   "<origin>:<line>:<col>: <message>\n<source line>\n<spaces>^"
// A source line longer than 180 bytes is shown as "..." + about 60 bytes either
// side of the fault + "..." (a megabyte expression is not pasted whole).
std::string format_source_error(std::string_view origin, std::string_view text, std::size_t offset,
                                std::string_view message);

// Just "<origin>:<line>:<col>" for `offset` (warnings use it).
std::string source_position(std::string_view origin, std::string_view text, std::size_t offset);

// Throws nudge::Error(InvalidInput) with format_source_error's message.
[[noreturn]] void throw_source_error(std::string_view origin, std::string_view text, std::size_t offset,
                                     std::string_view message);

}  // namespace nudge::expr
