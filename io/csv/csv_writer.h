// CSV writer: any Population as one CSV file (the format io/csv/csv_import.h reads).
//
//   nudge::write_csv(nudge::generate_rs1(1'000'000, 42), "members.csv");
//
// Format (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180):
//   - a header line with the column names as written (Column::name());
//   - one line per row, fields separated by ',', lines ended by LF;
//   - bool 0/1; integers in decimal; float32/float64 as the shortest text that
//     reads back to the same value (std::to_chars), in fixed notation below
//     1e16 in magnitude ("5000", "72000.5", "0.07"; never "5e+03"), else in
//     scientific notation; NaN as "nan", infinities as "inf"/"-inf". RS-1
//     data therefore prints with at most 2 decimals (io/gen/rs1_generator.h);
//   - date as YYYY-MM-DD; category as its dictionary string;
//   - NULL as an empty field; an empty (non-NULL) string as "" (quoted);
//   - a field containing ',', '"', CR, LF, or a leading or trailing space is
//     quoted with '"', inner quotes doubled.
//
// Writing is atomic (io/file/atomic_file.h: temp file, fsync, rename): a failure
// leaves no file behind. Rows are formatted in parallel (oneTBB pipeline over
// blocks of kCsvBlockRows rows, written in order), so memory stays at a few
// blocks whatever the population size.
//
// Errors: Error(Io) when the file cannot be written.
// Thread-safety: reentrant; `pop` must not change while it is written.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "engine/store/population.h"

namespace nudge {

inline constexpr std::size_t kCsvBlockRows = 8192;

void write_csv(const Population& pop, const std::filesystem::path& path);

// Rows [begin, end) as CSV lines appended to `out` (no header); the building
// block of write_csv, exposed for tests.
void format_csv_rows(const Population& pop, std::size_t begin, std::size_t end, std::string& out);
// The header line (with its LF).
std::string csv_header(const Population& pop);

}  // namespace nudge
