// CSV tokenizer: RFC 4180 records and fields, and quote-aware splitting of a
// file into independently parseable regions.
//
// Grammar (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180, relaxed as
// real exports need):
//   record  = field *("," field) (LF | CRLF | end of data)
//   field   = quoted | unquoted
//   quoted  = '"' *(any byte except '"' | '""') '"'     ; may hold , CR LF
//   unquoted= *(any byte except , " LF; CR only when not followed by LF)
// A blank line (LF or CRLF alone) is not a record: it is skipped. A '"'
// inside an unquoted field, text after a closing quote, and a quote left
// open at the end of the data are malformed.
//
// Record boundaries follow from quote parity alone: a LF ends a record iff
// the number of '"' bytes before it (from the start of the data) is even.
// split_regions uses this to cut a file into regions that each start at a
// record start (a standard approach, e.g. Ge et al., "Speculative
// Distributed CSV Data Parsing", SIGMOD 2019, and DuckDB's parallel CSV
// reader): per fixed-size chunk, count quotes and LFs (in parallel), then
// walk the chunks in order carrying the parity and move each cut to the
// first LF outside quotes. The reader ends every well-formed record at that
// same LF, and after any error it resumes there too (skip_record), so the
// rows a file yields never depend on how it was cut.
//
// Line numbers are 1-based physical lines (every LF counts, also inside
// quotes); a record's line is the line it starts on.
//
// Thread-safety: split_regions may use oneTBB internally (parallel = true)
// and is otherwise pure; a RecordReader is single-threaded, one per region.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace nudge::csv {

// A stretch of the data that begins at a record start and ends at the next
// region's begin (or the end of the data).
struct Region {
  std::size_t begin = 0, end = 0;  // byte offsets into the whole text
  uint64_t first_line = 1;         // physical line of `begin`
  std::size_t newlines = 0;        // LF bytes in [begin, end): records <= newlines + 1
};

// Cuts text[begin, text.size()) into regions of about `chunk_bytes` bytes
// (>= 1) that start at record starts; `first_line` is the line at `begin`.
// Never fails: a quote left open makes the rest of the data one region.
std::vector<Region> split_regions(std::string_view text, std::size_t begin, uint64_t first_line,
                                  std::size_t chunk_bytes, bool parallel);

// What went wrong when read_field returns FieldEnd::Malformed.
enum class Malformed : uint8_t {
  None,
  QuoteInUnquoted,  // '"' inside a field that did not start with one
  TextAfterQuote,   // a closing quote not followed by ',', LF, CRLF or the end
  Unterminated,     // an opening quote never closed before the end of the data
};
const char* malformed_message(Malformed m) noexcept;

enum class FieldEnd : uint8_t { Comma, Record, Malformed };

struct Field {
  std::string_view text;  // unquoted, "" unescaped; valid until the next read_field
  bool quoted = false;    // the field was written in quotes (so "" is an empty string, not NULL)
};

// Bytes that end or complicate an unquoted field.
struct SpecialTable {
  bool v[256] = {};
  constexpr SpecialTable() { v[static_cast<unsigned char>(',')] = v['\n'] = v['\r'] = v['"'] = true; }
  constexpr bool operator[](unsigned char c) const { return v[c]; }
};
inline constexpr SpecialTable kSpecial{};

// Reads the records of one region, field by field.
//
//   RecordReader r(text, region);
//   while (r.next_record()) {            // false at the end of the region
//     Field f; FieldEnd e;
//     do { e = r.read_field(f); ... } while (e == FieldEnd::Comma);
//     if (e == FieldEnd::Malformed) r.skip_record();
//   }
class RecordReader {
 public:
  RecordReader(std::string_view text, const Region& region)
      : base_(text.data()),
        p_(text.data() + region.begin),
        end_(text.data() + region.end),
        data_end_(text.data() + text.size()),
        line_(region.first_line) {}

  // Skips blank lines and positions at the next record; false when the
  // region holds no further record.
  bool next_record() noexcept {
    for (;;) {
      if (p_ >= end_) return false;
      if (*p_ == '\n') {
        ++p_;
        ++line_;
      } else if (*p_ == '\r' && p_ + 1 < data_end_ && p_[1] == '\n') {
        p_ += 2;
        ++line_;
      } else {
        break;
      }
    }
    record_begin_ = p_;
    record_line_ = line_;
    return true;
  }

  // Reads the next field of the current record. Comma: more fields follow;
  // Record: this was the last field (the terminator has been consumed);
  // Malformed: see malformed(), then call skip_record().
  FieldEnd read_field(Field& f) {
    if (p_ < data_end_ && *p_ == '"') return read_quoted(f);
    const char* s = p_;
    const char* q = s;
    for (;;) {
      while (q < data_end_ && !kSpecial[static_cast<unsigned char>(*q)]) ++q;
      if (q == data_end_) {
        f = {std::string_view(s, q - s), false};
        p_ = q;
        return FieldEnd::Record;
      }
      switch (*q) {
        case ',':
          f = {std::string_view(s, q - s), false};
          p_ = q + 1;
          return FieldEnd::Comma;
        case '\n':
          f = {std::string_view(s, q - s), false};
          p_ = q + 1;
          ++line_;
          return FieldEnd::Record;
        case '\r':
          if (q + 1 < data_end_ && q[1] == '\n') {
            f = {std::string_view(s, q - s), false};
            p_ = q + 2;
            ++line_;
            return FieldEnd::Record;
          }
          ++q;  // a lone CR is data
          break;
        default:  // '"'
          f = {std::string_view(s, q - s + 1), false};
          malformed_ = Malformed::QuoteInUnquoted;
          return FieldEnd::Malformed;
      }
    }
  }

  // Fast path for callers that parse a value straight from the text: given
  // where the value they read from cursor() ends, consumes the field
  // terminator that must follow (',', LF, CRLF or the end of the data) and
  // returns Comma or Record; returns Malformed, consuming nothing, when
  // something else follows (the caller then uses read_field, which starts
  // the field afresh).
  const char* cursor() const noexcept { return p_; }
  const char* data_end() const noexcept { return data_end_; }
  FieldEnd finish_value(const char* value_end) noexcept {
    if (value_end == data_end_) {
      p_ = value_end;
      return FieldEnd::Record;
    }
    const char c = *value_end;
    if (c == ',') {
      p_ = value_end + 1;
      return FieldEnd::Comma;
    }
    if (c == '\n' || (c == '\r' && value_end + 1 < data_end_ && value_end[1] == '\n')) {
      p_ = value_end + (c == '\n' ? 1 : 2);
      ++line_;
      return FieldEnd::Record;
    }
    return FieldEnd::Malformed;
  }

  // Moves past the current record from its start: to just after the first
  // LF at even quote parity (the record boundary split_regions also uses).
  void skip_record() noexcept;

  uint64_t record_line() const noexcept { return record_line_; }
  // Where reading continues: byte offset into the text, and its line.
  std::size_t offset() const noexcept { return static_cast<std::size_t>(p_ - base_); }
  uint64_t line() const noexcept { return line_; }
  std::size_t record_offset() const noexcept { return static_cast<std::size_t>(record_begin_ - base_); }
  Malformed malformed() const noexcept { return malformed_; }

 private:
  FieldEnd read_quoted(Field& f);

  const char* base_;
  const char* p_;
  const char* end_;       // end of the region: no record starts at or after it
  const char* data_end_;  // end of the whole text: a record may run up to it
  uint64_t line_;
  const char* record_begin_ = nullptr;
  uint64_t record_line_ = 0;
  Malformed malformed_ = Malformed::None;
  std::string scratch_;  // unescaped text of a quoted field holding ""
};

}  // namespace nudge::csv
