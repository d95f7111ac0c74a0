// CSV writer (format in csv_writer.h): a oneTBB pipeline whose input stage
// hands out row blocks, whose parallel stage formats a block into a string,
// and whose serial in-order stage appends it to the file.
#include "io/csv/csv_writer.h"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "io/file/atomic_file.h"

namespace nudge {
namespace {

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;  // "" keeps an empty string apart from NULL
  if (s.front() == ' ' || s.back() == ' ') return true;
  return s.find_first_of(",\"\r\n") != std::string_view::npos;
}

void append_text(std::string& out, std::string_view s) {
  if (!needs_quotes(s)) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

template <class T>
void append_number(std::string& out, T v) {
  char buf[400];  // fixed notation of a double below 1e16 needs < 400 chars
  std::to_chars_result r;
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isfinite(v) && std::fabs(v) < 1e16) r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    else r = std::to_chars(buf, buf + sizeof buf, v);  // "nan", "inf", "-inf", "1e+20"
  } else {
    r = std::to_chars(buf, buf + sizeof buf, v);
  }
  out.append(buf, r.ptr);
}

void append_date(std::string& out, int32_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999) {  // outside YYYY: fall back to the long form
    out.append(format_iso_date(days));
    return;
  }
  char buf[10] = {char('0' + y / 1000),
                  char('0' + y / 100 % 10),
                  char('0' + y / 10 % 10),
                  char('0' + y % 10),
                  '-',
                  char('0' + m / 10),
                  char('0' + m % 10),
                  '-',
                  char('0' + d / 10),
                  char('0' + d % 10)};
  out.append(buf, sizeof buf);
}

void append_value(std::string& out, const Column& c, std::size_t row) {
  if (c.is_null(row)) return;
  switch (c.type()) {
    case DataType::Bool: out.push_back(c.values<uint8_t>()[row] ? '1' : '0'); break;
    case DataType::Int32: append_number(out, c.values<int32_t>()[row]); break;
    case DataType::Int64: append_number(out, c.values<int64_t>()[row]); break;
    case DataType::UInt64: append_number(out, c.values<uint64_t>()[row]); break;
    case DataType::Float32: append_number(out, c.values<float>()[row]); break;
    case DataType::Float64: append_number(out, c.values<double>()[row]); break;
    case DataType::Date: append_date(out, c.values<int32_t>()[row]); break;
    case DataType::Category: {
      const int32_t code = c.values<int32_t>()[row];
      if (code >= 0 && static_cast<std::size_t>(code) < c.dictionary().size()) append_text(out, c.dictionary()[code]);
      break;  // an out-of-range code (broken store) prints as NULL
    }
  }
}

}  // namespace

std::string csv_header(const Population& pop) {
  std::string out;
  for (std::size_t c = 0; c < pop.num_columns(); ++c) {
    if (c) out.push_back(',');
    append_text(out, pop.column(c).name());
  }
  out.push_back('\n');
  return out;
}

void format_csv_rows(const Population& pop, std::size_t begin, std::size_t end, std::string& out) {
  const auto& cols = pop.columns();
  for (std::size_t r = begin; r < end; ++r) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) out.push_back(',');
      append_value(out, cols[c], r);
    }
    out.push_back('\n');
  }
}

void write_csv(const Population& pop, const std::filesystem::path& path) {
  AtomicFile file(path);
  file.write(csv_header(pop));
  const std::size_t rows = pop.rows();
  std::size_t next = 0;
  // Tokens: blocks in flight; two per thread keeps every core busy while the
  // writer drains, and bounds memory to a few MB.
  const auto tokens = static_cast<std::size_t>(2 * tbb::info::default_concurrency());
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> std::size_t {
        if (next >= rows) {
          fc.stop();
          return 0;
        }
        const std::size_t b = next;
        next += kCsvBlockRows;
        return b;
      }) & tbb::make_filter<std::size_t, std::string>(tbb::filter_mode::parallel, [&](std::size_t b) {
        std::string s;
        s.reserve(kCsvBlockRows * 16 * (pop.num_columns() + 1));
        format_csv_rows(pop, b, std::min(rows, b + kCsvBlockRows), s);
        return s;
      }) & tbb::make_filter<std::string, void>(tbb::filter_mode::serial_in_order, [&](const std::string& s) {
        file.write(s);
      }));
  file.commit();
}

}  // namespace nudge
