// Region splitting and the quoted-field path of the reader.
//
//   text:  [BOM][header record][ record | record | record ... ]
//                              ^begin
//   chunks (fixed size):       |-- chunk 0 --|-- chunk 1 --|-- chunk 2 --|
//   regions (moved cuts):      |-- region 0 ----|-- region 1 --|-- region 2 -|
//
// Pass 1 (parallel): per chunk, count '"' and LF bytes. Pass 2 (serial,
// cheap): carry the quote parity from chunk to chunk; a region starts just
// after the first LF of each chunk (k > 0) that lies outside quotes; a chunk
// with no such LF adds no cut (its bytes belong to the previous region).
#include "io/csv/csv_tokenizer.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace nudge::csv {
namespace {

struct ChunkCounts {
  std::size_t quotes = 0, newlines = 0;
};

ChunkCounts count_chunk(const char* p, std::size_t n) noexcept {
  // Byte-wide counters over blocks of 255 bytes (they cannot overflow), so
  // the compiler vectorises the inner loop with 16-byte compares.
  std::size_t q = 0, nl = 0, i = 0;
  while (i < n) {
    const std::size_t m = std::min<std::size_t>(255, n - i);
    uint8_t bq = 0, bn = 0;
    for (std::size_t j = 0; j < m; ++j) {
      bq = static_cast<uint8_t>(bq + (p[i + j] == '"'));
      bn = static_cast<uint8_t>(bn + (p[i + j] == '\n'));
    }
    q += bq;
    nl += bn;
    i += m;
  }
  return {q, nl};
}

}  // namespace

std::vector<Region> split_regions(std::string_view text, std::size_t begin, uint64_t first_line,
                                  std::size_t chunk_bytes, bool parallel) {
  chunk_bytes = std::max<std::size_t>(chunk_bytes, 1);
  const std::size_t n = text.size() > begin ? text.size() - begin : 0;
  const std::size_t chunks = std::max<std::size_t>(1, (n + chunk_bytes - 1) / chunk_bytes);
  std::vector<ChunkCounts> counts(chunks);
  auto count_range = [&](std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) {
      const std::size_t b = begin + k * chunk_bytes;
      const std::size_t e = std::min(text.size(), b + chunk_bytes);
      counts[k] = b < e ? count_chunk(text.data() + b, e - b) : ChunkCounts{};
    }
  };
  if (parallel)
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks),
                      [&](const tbb::blocked_range<std::size_t>& r) { count_range(r.begin(), r.end()); });
  else count_range(0, chunks);

  std::vector<Region> regions;
  regions.push_back({begin, text.size(), first_line, 0});
  std::size_t quotes = counts[0].quotes;      // '"' bytes before the current chunk
  std::size_t newlines = counts[0].newlines;  // LF bytes before the current chunk
  for (std::size_t k = 1; k < chunks; ++k) {
    const std::size_t b = begin + k * chunk_bytes;
    const std::size_t e = std::min(text.size(), b + chunk_bytes);
    bool inside = quotes % 2 == 1;
    std::size_t seen = 0;  // LF bytes in [b, cut)
    for (std::size_t i = b; i < e; ++i) {
      const char c = text[i];
      if (c == '"') {
        inside = !inside;
      } else if (c == '\n') {
        ++seen;
        if (!inside) {
          regions.push_back({i + 1, text.size(), first_line + newlines + seen, 0});
          break;
        }
      }
    }
    quotes += counts[k].quotes;
    newlines += counts[k].newlines;
  }
  // Close each region at the next one's start; LF counts from line numbers.
  const uint64_t last_line = first_line + newlines;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const bool last = r + 1 == regions.size();
    regions[r].end = last ? text.size() : regions[r + 1].begin;
    regions[r].newlines =
        static_cast<std::size_t>((last ? last_line : regions[r + 1].first_line) - regions[r].first_line);
  }
  return regions;
}

const char* malformed_message(Malformed m) noexcept {
  switch (m) {
    case Malformed::None: return "no error";
    case Malformed::QuoteInUnquoted:
      return "a quote inside an unquoted field (quote the whole field and double the quote)";
    case Malformed::TextAfterQuote: return "text after a closing quote (expected a comma or the end of the line)";
    case Malformed::Unterminated: return "a quoted field that is never closed";
  }
  return "?";
}

FieldEnd RecordReader::read_quoted(Field& f) {
  const char* open = p_;
  const char* q = p_ + 1;
  bool escaped = false;
  const char* close;
  for (;;) {
    close = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(data_end_ - q)));
    if (close == nullptr) {
      f = {std::string_view(open, static_cast<std::size_t>(data_end_ - open)), true};
      malformed_ = Malformed::Unterminated;
      return FieldEnd::Malformed;
    }
    if (close + 1 < data_end_ && close[1] == '"') {
      escaped = true;
      q = close + 2;
      continue;
    }
    break;
  }
  std::string_view body(open + 1, static_cast<std::size_t>(close - open - 1));
  line_ += static_cast<uint64_t>(std::count(body.begin(), body.end(), '\n'));
  if (escaped) {
    scratch_.clear();
    for (std::size_t i = 0; i < body.size(); ++i) {
      scratch_.push_back(body[i]);
      if (body[i] == '"') ++i;  // "" -> "
    }
    body = scratch_;
  }
  f = {body, true};
  p_ = close + 1;
  if (p_ == data_end_) return FieldEnd::Record;
  if (*p_ == ',') {
    ++p_;
    return FieldEnd::Comma;
  }
  if (*p_ == '\n') {
    ++p_;
    ++line_;
    return FieldEnd::Record;
  }
  if (*p_ == '\r' && p_ + 1 < data_end_ && p_[1] == '\n') {
    p_ += 2;
    ++line_;
    return FieldEnd::Record;
  }
  f = {std::string_view(open, static_cast<std::size_t>(p_ - open + 1)), true};
  malformed_ = Malformed::TextAfterQuote;
  return FieldEnd::Malformed;
}

void RecordReader::skip_record() noexcept {
  const char* q = record_begin_;
  uint64_t line = record_line_;
  bool inside = false;
  while (q < data_end_) {
    const char c = *q++;
    if (c == '"') {
      inside = !inside;
    } else if (c == '\n') {
      ++line;
      if (!inside) break;
    }
  }
  p_ = q;
  line_ = line;
}

}  // namespace nudge::csv
