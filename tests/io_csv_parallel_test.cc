// Parallel CSV import against the serial driver and against the values the
// random CSV was written from: quotes, doubled quotes, commas and newlines
// inside fields, CRLF, blank lines and NULLs, cut into tiny regions so that
// region boundaries fall inside quoted fields and between CR and LF.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/csv/csv_tokenizer.h"

using namespace nudge;

namespace {

struct Truth {
  std::vector<uint64_t> id;
  std::vector<std::string> name;  // category, written quoted when needed
  std::vector<std::optional<int32_t>> n;
  std::vector<std::optional<float>> f;  // float32 values with 2 decimals
  std::vector<uint8_t> flag;
  std::vector<std::optional<int32_t>> day;
};

std::string quote_csv(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A random RS-1-like CSV with awkward text fields; fills `truth`.
std::string random_csv(std::mt19937_64& rng, std::size_t rows, Truth& truth) {
  static const char* kNames[] = {"Star",           "Nova", "Aurora", "a,b", "say \"hi\"", "two\nlines",
                                 "crlf\r\ninside", "",     "\"",     ",",   "x\ny\nz",    "plain"};
  std::string csv = "customer_id,name,n,f,flag,day\n";
  std::uniform_int_distribution<int> pick(0, 11), coin(0, 9);
  std::vector<uint64_t> ids(rows);
  for (std::size_t i = 0; i < rows; ++i) ids[i] = 6'000'000'000ull + i * 7 + (rng() % 5);
  std::shuffle(ids.begin(), ids.end(), rng);
  for (std::size_t i = 0; i < rows; ++i) {
    truth.id.push_back(ids[i]);
    const std::string name = kNames[pick(rng)];
    truth.name.push_back(name);
    const bool must_quote = name.find_first_of(",\"\r\n") != std::string::npos || name.empty();
    std::string line = std::to_string(ids[i]) + "," + (must_quote || coin(rng) < 2 ? quote_csv(name) : name) + ",";
    if (coin(rng) < 2) {
      truth.n.push_back(std::nullopt);
    } else {
      const int32_t v = static_cast<int32_t>(rng() % 2001) - 1000;
      truth.n.push_back(v);
      line += (coin(rng) < 2 ? " " : "") + std::to_string(v) + (coin(rng) < 2 ? " " : "");
    }
    line += ",";
    if (coin(rng) < 3) {
      truth.f.push_back(std::nullopt);
    } else {
      const long cents = static_cast<long>(rng() % 2000001) - 1000000;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%ld.%02ld", cents < 0 ? "-" : "", std::labs(cents) / 100,
                    std::labs(cents) % 100);
      truth.f.push_back(std::strtof(buf, nullptr));
      line += coin(rng) < 1 ? quote_csv(buf) : std::string(buf);
    }
    const uint8_t flag = rng() & 1;
    truth.flag.push_back(flag);
    line += "," + std::string(flag ? "1" : "0") + ",";
    if (coin(rng) < 1) {
      truth.day.push_back(std::nullopt);
    } else {
      const int32_t d = static_cast<int32_t>(rng() % 20000);
      truth.day.push_back(d);
      line += format_iso_date(d);
    }
    csv += line + (coin(rng) < 3 ? "\r\n" : "\n");
    if (coin(rng) == 0) csv += coin(rng) < 5 ? "\n" : "\r\n";  // blank line
  }
  return csv;
}

const char* kSchema = R"(
as_of = 2026-11-01
[[column]]
name = "f"
type = "float32"
[[column]]
name = "flag"
type = "bool"
[[column]]
name = "n"
type = "int32"
)";

ImportOptions options(int threads, std::size_t chunk) {
  ImportOptions o;
  o.schema = parse_import_schema(kSchema, "<schema>");
  o.threads = threads;
  o.chunk_bytes = chunk;
  return o;
}

void expect_same(const Population& a, const Population& b, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.num_columns(), b.num_columns());
  EXPECT_EQ(a.as_of(), b.as_of());
  EXPECT_EQ(a.id_column(), b.id_column());
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = a.column(c);
    const Column& y = b.column(c);
    SCOPED_TRACE(x.name());
    EXPECT_EQ(x.name(), y.name());
    ASSERT_EQ(x.type(), y.type());
    EXPECT_EQ(x.null_count(), y.null_count());
    EXPECT_EQ(x.dictionary(), y.dictionary());
    ASSERT_EQ(x.has_validity(), y.has_validity());
    const std::size_t bytes = padded_rows(x.rows()) * type_width(x.type());
    EXPECT_EQ(std::memcmp(x.values_buffer().data(), y.values_buffer().data(), bytes), 0);
    if (x.has_validity()) { EXPECT_EQ(std::memcmp(x.validity(), y.validity(), padded_rows(x.rows()) / 8), 0); }
  }
}

void expect_matches_truth(const Population& p, const Truth& t) {
  ASSERT_EQ(p.rows(), t.id.size());
  const Column& name = p.column("name");
  for (std::size_t i = 0; i < p.rows(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    ASSERT_EQ(p.column("customer_id").values<uint64_t>()[i], t.id[i]);
    ASSERT_EQ(name.dictionary().at(static_cast<std::size_t>(name.values<int32_t>()[i])), t.name[i]);
    ASSERT_EQ(p.column("n").is_null(i), !t.n[i].has_value());
    if (t.n[i]) { ASSERT_EQ(p.column("n").values<int32_t>()[i], *t.n[i]); }
    ASSERT_EQ(p.column("f").is_null(i), !t.f[i].has_value());
    if (t.f[i]) { ASSERT_EQ(p.column("f").values<float>()[i], *t.f[i]); }
    ASSERT_EQ(p.column("flag").values<uint8_t>()[i], t.flag[i]);
    ASSERT_EQ(p.column("day").is_null(i), !t.day[i].has_value());
    if (t.day[i]) { ASSERT_EQ(p.column("day").values<int32_t>()[i], *t.day[i]); }
  }
}

}  // namespace

TEST(CsvParallel, RegionsStartAtRecordStartsWhateverTheChunkSize) {
  const std::string text = "h\n\"a\nb\",1\n\"\"\"\n\",2\nplain,3\n";
  for (std::size_t chunk = 1; chunk < text.size() + 2; ++chunk) {
    auto regions = csv::split_regions(text, 2, 2, chunk, chunk % 2 == 0);
    std::vector<std::size_t> starts;
    for (const auto& r : regions) starts.push_back(r.begin);
    // Records start at 2 (line 2), 10 (line 4) and 18 (line 6); no other cut is legal.
    for (std::size_t s : starts) EXPECT_TRUE(s == 2 || s == 10 || s == 18 || s == text.size()) << chunk << " " << s;
    for (const auto& r : regions) {
      if (r.begin == 10) { EXPECT_EQ(r.first_line, 4u); }
      if (r.begin == 18) { EXPECT_EQ(r.first_line, 6u); }
    }
    EXPECT_EQ(regions.back().end, text.size());
  }
}

TEST(CsvParallel, ParallelAndSerialGiveIdenticalPopulationsOnRandomCsv) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    Truth truth;
    const std::size_t rows = seed == 1 ? 0 : seed == 2 ? 65 : 3000;
    const std::string csv = random_csv(rng, rows, truth);
    const ImportResult ref = import_csv_text(csv, "r.csv", options(1, csv.size() + 1));
    expect_matches_truth(ref.population, truth);
    for (std::size_t chunk : {1ul, 2ul, 7ul, 63ul, 1000ul}) {
      expect_same(ref.population, import_csv_text(csv, "r.csv", options(1, chunk)).population,
                  "serial, chunk " + std::to_string(chunk));
      tbb::task_arena arena(std::max(2, tbb::this_task_arena::max_concurrency()));
      arena.execute([&] {
        expect_same(ref.population, import_csv_text(csv, "r.csv", options(0, chunk)).population,
                    "parallel, chunk " + std::to_string(chunk));
      });
    }
  }
}

TEST(CsvParallel, ErrorsAndSkippedRowsDoNotDependOnTheThreadCount) {
  std::mt19937_64 rng(9);
  Truth truth;
  std::string csv = random_csv(rng, 2000, truth);
  // Break a few rows: a bad int, a bad bool, a stray quote in an unquoted field.
  for (std::size_t pos = csv.size() / 5, k = 0; k < 3; pos += csv.size() / 5, ++k) {
    while (pos < csv.size() && csv.substr(pos, 2) != ",0" && csv.substr(pos, 2) != ",1") ++pos;
    csv.replace(pos + 1, 1, k == 0 ? "x" : k == 1 ? "2" : "1\"");
  }
  ImportOptions ser = options(1, csv.size() + 1);
  std::string serial_error;
  try {
    import_csv_text(csv, "r.csv", ser);
  } catch (const Error& e) { serial_error = e.what(); }
  ASSERT_FALSE(serial_error.empty());
  ser.skip_bad_rows = true;
  const ImportResult ref = import_csv_text(csv, "r.csv", ser);
  EXPECT_GE(ref.rows_skipped, 1u);
  for (std::size_t chunk : {3ul, 50ul, 4096ul}) {
    ImportOptions par = options(0, chunk);
    tbb::task_arena arena(std::max(2, tbb::this_task_arena::max_concurrency()));
    arena.execute([&] {
      try {
        import_csv_text(csv, "r.csv", par);
        ADD_FAILURE() << "no error";
      } catch (const Error& e) { EXPECT_EQ(e.what(), serial_error); }
      par.skip_bad_rows = true;
      const ImportResult r = import_csv_text(csv, "r.csv", par);
      EXPECT_EQ(r.rows_skipped, ref.rows_skipped);
      EXPECT_EQ(r.reasons, ref.reasons);
      expect_same(ref.population, r.population, "skip, chunk " + std::to_string(chunk));
    });
  }
}
