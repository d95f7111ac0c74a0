// The import driver.
//
//   mmap -> read_header -> resolve_schema -> make_plan -> split_regions
//        -> for each region, in a oneTBB pipeline (or a plain loop):
//             parse   (parallel)        parse_region -> ChunkResult
//             merge   (serial, in file order)  row offset, dictionary remap,
//                                        bad-row accounting, line anchors;
//                                        fail mode: throws the first error
//             place   (parallel)        copy values into the final columns
//        -> Population (+ id uniqueness check)
//
// Final columns are allocated once for an upper bound of rows (LF bytes + 1)
// and handed to Column::from_buffers with the real row count; slots past it
// stay zero, which is the padding rule. Validity bitmaps are created by the
// merge stage the first time a chunk has a NULL in that column (all bits 1),
// and chunks clear their NULL bits with atomic AND (neighbouring chunks may
// share a 64-row word).
#include "io/csv/csv_import.h"

#include <sys/mman.h>

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <cmath>
#include <chrono>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "engine/base/error.h"
#include "engine/progress/progress.h"
#include "io/csv/csv_chunk_parser.h"
#include "io/csv/csv_plan.h"
#include "io/csv/csv_unique_ids.h"
#include "io/file/mapped_file.h"

namespace nudge {
namespace {

// Large fresh column buffers are filled once, front to back: 2 MiB pages
// (where transparent huge pages are in madvise mode) take 512x fewer page
// faults. Only a hint; nothing changes when the kernel declines.
void prefer_huge_pages(Buffer& b) {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(b.data());
  const std::uintptr_t lo = (begin + kHuge - 1) / kHuge * kHuge, hi = (begin + b.size()) / kHuge * kHuge;
  if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
}

// Output columns being filled, and the file-order bookkeeping of the merge stage.
struct Assembly {
  const csv::CsvPlan& plan;
  std::size_t capacity;  // upper bound of rows
  std::vector<Buffer> values, validity;
  std::vector<std::size_t> null_counts;
  std::vector<csv::CsvDictionary> dictionaries;  // first-seen category columns
  std::size_t rows = 0, bad_rows = 0;
  std::vector<std::string> reasons;
  std::vector<std::pair<std::size_t, uint64_t>> line_anchors;  // (global row, line)
  std::size_t max_errors;

  Assembly(const csv::CsvPlan& p, std::size_t cap, std::size_t max_err)
      : plan(p),
        capacity(cap),
        values(p.columns.size()),
        validity(p.columns.size()),
        null_counts(p.columns.size(), 0),
        dictionaries(p.columns.size()),
        max_errors(max_err) {
    for (std::size_t c = 0; c < p.columns.size(); ++c) {
      values[c] = Buffer::allocate(padded_rows(cap) * p.columns[c].width);
      prefer_huge_pages(values[c]);
    }
  }
};

// A parsed region on its way through merge and place.
struct Chunk {
  csv::ChunkResult result;
  std::size_t row_offset = 0;
  std::vector<std::vector<int32_t>> remap;  // per column: local code -> global code (first-seen categories)
};

void merge(Assembly& a, Chunk& ch) {
  csv::ChunkResult& r = ch.result;
  if (r.error) throw_invalid_input(*r.error);
  a.bad_rows += r.bad_rows;
  for (auto& m : r.reasons)
    if (a.reasons.size() < a.plan.max_reasons) a.reasons.push_back(std::move(m));
  if (a.bad_rows > a.max_errors)
    throw_invalid_input(std::to_string(a.bad_rows) + " bad rows, more than the " + std::to_string(a.max_errors) +
                        " allowed" + (a.reasons.empty() ? std::string() : "; the first: " + a.reasons.front()));
  ch.row_offset = a.rows;
  for (auto& [row, line] : r.line_anchors) a.line_anchors.emplace_back(a.rows + row, line);
  a.rows += r.rows;
  ch.remap.resize(a.plan.columns.size());
  for (std::size_t c = 0; c < a.plan.columns.size(); ++c) {
    const csv::PlanColumn& pc = a.plan.columns[c];
    csv::ChunkColumn& cc = r.columns[c];
    if (pc.type == DataType::Category && !pc.fixed_categories) {
      ch.remap[c].reserve(cc.dictionary.size());
      for (const auto& v : cc.dictionary.values()) ch.remap[c].push_back(a.dictionaries[c].find_or_add(v));
    }
    if (!cc.nulls.empty() && a.validity[c].empty()) {
      a.validity[c] = Buffer::allocate(padded_rows(a.capacity) / 8);
      std::memset(a.validity[c].mutable_data(), 0xff, a.validity[c].size());
    }
    a.null_counts[c] += cc.nulls.size();
  }
}

void place(Assembly& a, Chunk& ch) {
  const csv::ChunkResult& r = ch.result;
  for (std::size_t c = 0; c < a.plan.columns.size(); ++c) {
    const std::size_t w = a.plan.columns[c].width;
    const csv::ChunkColumn& cc = r.columns[c];
    unsigned char* dst = reinterpret_cast<unsigned char*>(a.values[c].mutable_data()) + ch.row_offset * w;
    if (!ch.remap[c].empty()) {
      const int32_t* src = reinterpret_cast<const int32_t*>(cc.data.get());
      int32_t* out = reinterpret_cast<int32_t*>(dst);
      const std::vector<int32_t>& map = ch.remap[c];
      for (std::size_t i = 0; i < r.rows; ++i) out[i] = map[static_cast<std::size_t>(src[i])];
    } else if (r.rows) {
      std::memcpy(dst, cc.data.get(), r.rows * w);
    }
    if (cc.nulls.empty()) continue;
    uint64_t* bits = a.validity[c].mutable_as<uint64_t>();
    for (uint32_t local : cc.nulls) {
      const std::size_t row = ch.row_offset + local;
      std::memset(dst + std::size_t{local} * w, 0, w);
      std::atomic_ref<uint64_t>(bits[row >> 6]).fetch_and(~(uint64_t{1} << (row & 63)), std::memory_order_relaxed);
    }
  }
}

uint64_t line_of_row(const Assembly& a, std::size_t row) {
  auto it = std::upper_bound(a.line_anchors.begin(), a.line_anchors.end(), row,
                             [](std::size_t r, const auto& anchor) { return r < anchor.first; });
  --it;  // the first row always has an anchor
  return it->second + (row - it->first);
}

Population build_population(Assembly& a, int32_t as_of) {
  Population pop(a.rows, as_of);
  for (std::size_t c = 0; c < a.plan.columns.size(); ++c) {
    const csv::PlanColumn& pc = a.plan.columns[c];
    Buffer validity;
    if (a.null_counts[c] > 0) {
      // Clear the bits of rows past the end (the bitmap was sized for the upper bound).
      uint64_t* w = a.validity[c].mutable_as<uint64_t>();
      const std::size_t words = a.validity[c].size() / 8;
      for (std::size_t i = a.rows / 64; i < words; ++i)
        w[i] = i == a.rows / 64 ? w[i] & ((uint64_t{1} << (a.rows % 64)) - 1) : 0;
      validity = a.validity[c];
    }
    std::vector<std::string> dict;
    if (pc.type == DataType::Category)
      dict = pc.fixed_categories ? pc.dictionary.values() : a.dictionaries[c].take_values();
    pop.add_column(
        Column::from_buffers(pc.out_name, pc.type, a.rows, a.values[c], validity, std::move(dict), a.null_counts[c]));
  }
  return pop;
}

// float32 keeps two decimals apart only below 2^17 = 131,072 (its spacing is 1/64 from there on:
// 200000.01 and 200000.02 are one float32), so the expression language's exact float32 comparisons
// (engine/expr/README.md, "float32 columns") hold for such values no more: say so per column.
void warn_float32_beyond_cents(const Population& pop, const Assembly& a, std::string_view file_name,
                               std::vector<std::string>& warnings) {
  constexpr float kLimit = 131072.0f;
  for (const Column& c : pop.columns()) {
    if (c.type() != DataType::Float32) continue;
    const float* v = c.values<float>();
    std::size_t n = 0, first = 0;
    for (std::size_t r = 0; r < c.rows(); ++r)
      if (std::fabs(v[r]) >= kLimit && std::isfinite(v[r]) && !c.is_null(r))
        if (n++ == 0) first = r;
    if (n == 0) continue;
    warnings.push_back(fmt::format(
        "{}: column '{}' is float32 and {} reach 131,072 or more in magnitude (the first on line {}, stored as {}); "
        "float32 cannot keep two decimals apart there (200000.01 and 200000.02 are one float32), so comparisons "
        "with constants near them may be off by a cent: declare the column float64 in the schema to keep them exact",
        file_name, c.name(), n == 1 ? std::string("1 value") : fmt::format("{} values", n), line_of_row(a, first),
        static_cast<double>(v[first])));
  }
}

ImportResult run_import(std::string_view text, std::string_view file_name, const ImportOptions& opt) {
  if (opt.chunk_bytes == 0) throw_usage("ImportOptions::chunk_bytes must be at least 1");
  if (opt.threads < 0) throw_usage("ImportOptions::threads must not be negative");
  const bool serial = opt.threads == 1;
  const csv::CsvLayout layout = csv::read_header(text, file_name);
  ImportResult res;
  res.bytes = text.size();
  res.schema = csv::resolve_schema(text, layout, file_name, opt, &res.warnings);
  int32_t as_of;
  if (opt.as_of) {
    as_of = *opt.as_of;
    res.as_of_source = AsOfSource::Option;
  } else if (res.schema.as_of) {
    as_of = *res.schema.as_of;
    res.as_of_source = AsOfSource::Schema;
  } else {
    as_of = today_utc();
    res.as_of_source = AsOfSource::Today;
  }
  res.schema.as_of = as_of;
  const csv::CsvPlan plan = csv::make_plan(res.schema, layout, file_name, opt);
  // At most 1 GiB per region keeps a region's row numbers within uint32 (ChunkColumn::nulls).
  const std::size_t chunk_bytes = std::min<std::size_t>(opt.chunk_bytes, std::size_t{1} << 30);
  const std::vector<csv::Region> regions =
      csv::split_regions(text, layout.data_begin, layout.data_line, chunk_bytes, !serial);
  std::size_t capacity = 1;
  for (const auto& r : regions) capacity += r.newlines;
  Assembly a(plan, capacity, opt.skip_bad_rows ? opt.max_errors : 0);
  // Bytes of the data merged so far (terminal only; engine/progress).
  std::optional<Progress> bar;
  if (opt.progress) bar.emplace("import", text.size() - layout.data_begin);

  if (serial) {
    for (const auto& region : regions) {
      Chunk ch{csv::parse_region(text, region, plan), 0, {}};
      merge(a, ch);
      place(a, ch);
      if (bar) bar->advance(region.end - region.begin);
    }
  } else {
    // Chunks live in per-region slots, so a cancelled pipeline (the first
    // error) frees whatever was in flight.
    std::vector<std::unique_ptr<Chunk>> slots(regions.size());
    std::size_t next = 0;
    // Enough tokens to keep every worker parsing while merge runs in order.
    const std::size_t tokens = 2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 2;
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void,
                         std::size_t>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> std::size_t {
          if (next == regions.size()) fc.stop();
          return next++;
        }) & tbb::make_filter<std::size_t, std::size_t>(tbb::filter_mode::parallel, [&](std::size_t i) {
          slots[i] = std::make_unique<Chunk>(Chunk{csv::parse_region(text, regions[i], plan), 0, {}});
          return i;
        }) & tbb::make_filter<std::size_t, std::size_t>(tbb::filter_mode::serial_in_order, [&](std::size_t i) {
          merge(a, *slots[i]);
          if (bar) bar->advance(regions[i].end - regions[i].begin);
          return i;
        }) & tbb::make_filter<std::size_t, void>(tbb::filter_mode::parallel, [&](std::size_t i) {
          place(a, *slots[i]);
          slots[i].reset();
        }));
  }

  if (bar) bar->finish();
  res.rows_read = a.rows + a.bad_rows;
  res.rows_skipped = a.bad_rows;
  res.reasons = a.reasons;
  res.population = build_population(a, as_of);
  warn_float32_beyond_cents(res.population, a, file_name, res.warnings);
  if (!res.schema.id_column->empty()) {
    const std::size_t idc = *res.population.find(*res.schema.id_column);
    res.population.set_id_column(idc);
    if (opt.check_unique_ids) {
      const Column& ids = res.population.column(idc);
      if (auto dup = csv::find_duplicate_id(ids.values<uint64_t>(), ids.rows(), !serial))
        throw_invalid_input(std::string(file_name) + ":" + std::to_string(line_of_row(a, dup->second_row)) +
                            ": duplicate customer id " + std::to_string(dup->id) + " in column '" + ids.name() +
                            "' (first on line " + std::to_string(line_of_row(a, dup->first_row)) + ")");
    }
  }
  return res;
}

}  // namespace

std::string_view as_of_source_name(AsOfSource s) noexcept {
  switch (s) {
    case AsOfSource::Option: return "--as-of";
    case AsOfSource::Schema: return "schema";
    case AsOfSource::Today: return "today (UTC)";
  }
  return "?";
}

int32_t today_utc() noexcept {
  using namespace std::chrono;
  return static_cast<int32_t>(floor<days>(system_clock::now()).time_since_epoch().count());
}

static std::string_view text_of(const MappedFile& f) noexcept {
  return {reinterpret_cast<const char*>(f.data()), f.size()};
}

ImportResult import_csv(const std::filesystem::path& path, const ImportOptions& options) {
  const auto f = MappedFile::open(path);
  return run_import(text_of(*f), path.string(), options);
}

ImportResult import_csv_text(std::string_view text, std::string_view file_name, const ImportOptions& options) {
  return run_import(text, file_name, options);
}

ImportSchema resolve_import_schema(const std::filesystem::path& path, const ImportOptions& options,
                                   std::vector<std::string>* warnings) {
  const auto f = MappedFile::open(path);
  return resolve_import_schema_text(text_of(*f), path.string(), options, warnings);
}

ImportSchema resolve_import_schema_text(std::string_view text, std::string_view file_name, const ImportOptions& options,
                                        std::vector<std::string>* warnings) {
  const csv::CsvLayout layout = csv::read_header(text, file_name);
  ImportSchema s = csv::resolve_schema(text, layout, file_name, options, warnings);
  if (options.as_of) s.as_of = options.as_of;
  return s;
}

}  // namespace nudge
