// The activity import's parallel driver.
//
//   activity table (long form, N rows)
//     -> classify  (parallel over row ranges)   keys[row] = member_row * B + bucket, or kSkip
//                                               + counts (unknown, before, after) and the first bad row
//     -> compact + sort (tbb::parallel_sort)    (key, row) pairs of the rows kept, by key then row
//     -> group starts (serial scan)             one group per (member, bucket)
//     -> accumulate (parallel over groups)      repeated/exact-duplicate counts; sums in row
//                                               (= file) order written to the group's own cells
//   -> bucket columns "<series>@<k>" + Series entries added to the members.
//
// Each group owns distinct output cells, so the accumulate stage needs no
// atomics; counts are combined by parallel_reduce (sums and minima, so the
// result is the same for every split).
#include "io/activity/activity_import.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "engine/base/error.h"
#include "io/activity/activity_columns.h"
#include "io/csv/csv_import.h"
#include "io/csv/whitespace_table.h"

namespace nudge {
namespace {

using activity::ActivityColumns;
constexpr uint64_t kSkip = std::numeric_limits<uint64_t>::max();
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
// Rows per classify task and groups per accumulate task: large enough that
// scheduling costs vanish beside ~50 ns of work per row, small enough for
// balance on 405k rows.
constexpr std::size_t kClassifyGrain = 16384;
constexpr std::size_t kGroupGrain = 4096;

struct ClassifyCounts {
  std::size_t unknown = 0, before = 0, after = 0;
  std::size_t first_bad = kNone;      // first row breaking rule 1 or (policy error) rule 2
  std::size_t first_unknown = kNone;  // first unknown member row (skip policy)
  ClassifyCounts& operator+=(const ClassifyCounts& o) {
    unknown += o.unknown;
    before += o.before;
    after += o.after;
    first_bad = std::min(first_bad, o.first_bad);
    first_unknown = std::min(first_unknown, o.first_unknown);
    return *this;
  }
};

struct Context {
  const ActivityColumns& cols;
  const ActivitySpec& spec;
  int32_t as_of;
  const std::unordered_map<uint64_t, uint32_t>& index;
};

// Rule 1-3 for rows [b, e): writes keys[row]. Stops a range at its first bad row
// (later rows of the range cannot be the first bad row of the table).
ClassifyCounts classify(const Context& cx, std::size_t b, std::size_t e, uint64_t* keys) {
  ClassifyCounts c;
  const auto nb = static_cast<int64_t>(cx.spec.buckets);
  std::string why;
  for (std::size_t r = b; r < e; ++r) {
    keys[r] = kSkip;
    auto id = cx.cols.member_id(r);
    auto k = id ? cx.cols.bucket(r, cx.spec, cx.as_of, &why) : std::nullopt;
    if (!k) {
      c.first_bad = r;
      return c;
    }
    auto it = cx.index.find(*id);
    if (it == cx.index.end()) {
      if (cx.spec.unknown_members == UnknownMemberPolicy::Error) {
        c.first_bad = r;
        return c;
      }
      ++c.unknown;
      c.first_unknown = std::min(c.first_unknown, r);
      continue;
    }
    if (*k < 0) {
      ++c.after;
    } else if (*k >= nb) {
      ++c.before;
    } else {
      keys[r] = static_cast<uint64_t>(it->second) * static_cast<uint64_t>(nb) + static_cast<uint64_t>(*k);
    }
  }
  return c;
}

struct GroupCounts {
  std::size_t used = 0, repeated = 0, exact = 0, dropped = 0, nulls = 0;
  uint64_t overflow_key = kSkip;  // lowest (member, bucket) key whose int32 sum overflowed
  std::size_t overflow_metric = 0;
  __int128 overflow_sum = 0;
  GroupCounts& operator+=(const GroupCounts& o) {
    used += o.used;
    repeated += o.repeated;
    exact += o.exact;
    dropped += o.dropped;
    nulls += o.nulls;
    if (o.overflow_key < overflow_key) {
      overflow_key = o.overflow_key;
      overflow_metric = o.overflow_metric;
      overflow_sum = o.overflow_sum;
    }
    return *this;
  }
};

using KeyRow = std::pair<uint64_t, uint32_t>;

// Output cells: out[metric][bucket] is the values array of that bucket column.
struct Outputs {
  std::vector<std::vector<void*>> cells;
};

// Rules 4-5 for groups [gb, ge) of the sorted pairs.
GroupCounts accumulate(const Context& cx, const std::vector<KeyRow>& pairs, const std::vector<std::size_t>& starts,
                       std::size_t gb, std::size_t ge, const Outputs& out) {
  GroupCounts c;
  const uint64_t nb = cx.spec.buckets;
  std::vector<char> drop;
  std::vector<std::pair<uint64_t, std::size_t>> by_hash;
  for (std::size_t g = gb; g < ge; ++g) {
    const std::size_t s = starts[g], e = starts[g + 1], n = e - s;
    const uint64_t key = pairs[s].first;
    drop.assign(n, 0);
    if (n > 1) {
      c.repeated += n - 1;
      // Exact duplicates: rows with equal hashes are candidates; a row is a
      // duplicate when it equals an earlier (lower row) member of its run.
      by_hash.clear();
      for (std::size_t i = 0; i < n; ++i) by_hash.emplace_back(cx.cols.row_hash(pairs[s + i].second), i);
      std::sort(by_hash.begin(), by_hash.end());
      for (std::size_t a = 0; a < n;) {
        std::size_t z = a;
        while (z < n && by_hash[z].first == by_hash[a].first) ++z;
        for (std::size_t i = a + 1; i < z; ++i)
          for (std::size_t j = a; j < i; ++j)
            if (cx.cols.rows_equal(pairs[s + by_hash[i].second].second, pairs[s + by_hash[j].second].second)) {
              ++c.exact;
              if (cx.spec.repeated_rows == RepeatPolicy::DropExactDuplicates) drop[by_hash[i].second] = 1;
              break;
            }
        a = z;
      }
    }
    const std::size_t member = key / nb, bucket = key % nb;
    for (std::size_t m = 0; m < cx.spec.metrics.size(); ++m) {
      const Column& col = *cx.cols.metrics[m];
      if (cx.spec.metrics[m].type == DataType::Int32) {
        __int128 sum = 0;  // cannot overflow: < 2^32 rows of |value| <= 2^63
        for (std::size_t i = 0; i < n; ++i)
          if (!drop[i]) sum += activity::metric_int(col, pairs[s + i].second, cx.spec.metrics[m].decimals);
        if (sum < INT32_MIN || sum > INT32_MAX) {
          if (key < c.overflow_key) {
            c.overflow_key = key;
            c.overflow_metric = m;
            c.overflow_sum = sum;
          }
          continue;
        }
        static_cast<int32_t*>(out.cells[m][bucket])[member] = static_cast<int32_t>(sum);
      } else {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i)
          if (!drop[i]) sum += activity::metric_double(col, pairs[s + i].second);
        static_cast<float*>(out.cells[m][bucket])[member] = activity::to_float32(sum);
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (drop[i]) {
        ++c.dropped;
        continue;
      }
      ++c.used;
      for (const Column* col : cx.cols.metrics) c.nulls += col->is_null(pairs[s + i].second);
    }
  }
  return c;
}

template <class Counts, class Fn>
Counts reduce_ranges(std::size_t n, std::size_t grain, int threads, Fn fn) {
  if (threads == 1) return fn(std::size_t{0}, n);
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, grain), Counts{},
      [&](const tbb::blocked_range<std::size_t>& r, Counts acc) {
        acc += fn(r.begin(), r.end());
        return acc;
      },
      [](Counts a, const Counts& b) {
        a += b;
        return a;
      });
}

void check_names_free(const Population& members, const ActivitySpec& spec) {
  for (const auto& m : spec.metrics) {
    const std::string s = m.series_name();
    if (members.find_series(s)) throw_invalid_input("the members already have a series '" + s + "'");
    for (std::size_t k = 0; k < spec.buckets; ++k) {
      const std::string name = s + "@" + std::to_string(k);
      if (members.find(name)) throw_invalid_input("the members already have a column '" + name + "'");
    }
  }
}

}  // namespace

ActivityReport add_activity_series(Population& members, const Population& table, const ActivitySpec& spec,
                                   std::string_view source, int threads) {
  spec.validate(source);
  const ActivityColumns cols = ActivityColumns::resolve(table, spec, source);
  check_names_free(members, spec);
  if (table.rows() > UINT32_MAX) throw_usage(std::string(source) + ": more than 2^32-1 activity rows");
  if (members.rows() * spec.buckets >= kSkip / 2) throw_usage("members x buckets is too large");
  activity::check_series_size(members.rows(), spec, activity::half_physical_memory());
  const auto index = activity::member_index(members);
  const Context cx{cols, spec, members.as_of(), index};
  const std::size_t n = table.rows();

  std::vector<uint64_t> keys(n);
  const auto cc = reduce_ranges<ClassifyCounts>(
      n, kClassifyGrain, threads, [&](std::size_t b, std::size_t e) { return classify(cx, b, e, keys.data()); });
  if (cc.first_bad != kNone) {  // re-derive the message of the first bad row, serially
    std::string why;
    auto id = cols.member_id(cc.first_bad);
    if (!id)
      throw_invalid_input(cols.row_label(cc.first_bad) + ": column '" + cols.member->name() +
                          "' is empty; every activity row needs a member id");
    if (!cols.bucket(cc.first_bad, spec, cx.as_of, &why)) throw_invalid_input(why);
    activity::throw_unknown_member(cols, cc.first_bad, *id);
  }

  std::vector<KeyRow> pairs;
  pairs.reserve(n - cc.unknown - cc.before - cc.after);
  for (std::size_t r = 0; r < n; ++r)
    if (keys[r] != kSkip) pairs.emplace_back(keys[r], static_cast<uint32_t>(r));
  std::vector<uint64_t>().swap(keys);
  if (threads == 1) std::sort(pairs.begin(), pairs.end());
  else tbb::parallel_sort(pairs.begin(), pairs.end());

  ActivityReport rep;
  std::vector<std::size_t> starts;
  uint64_t last_member = kSkip;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i == 0 || pairs[i].first != pairs[i - 1].first) {
      starts.push_back(i);
      const uint64_t m = pairs[i].first / spec.buckets;
      rep.members_with_activity += m != last_member;
      last_member = m;
    }
  }
  const std::size_t groups = starts.size();
  starts.push_back(pairs.size());

  std::vector<Column> columns;
  Outputs out;
  for (const auto& m : spec.metrics) {
    out.cells.emplace_back();
    for (std::size_t k = 0; k < spec.buckets; ++k) {
      columns.emplace_back(m.series_name() + "@" + std::to_string(k), m.type, members.rows());
      out.cells.back().push_back(m.type == DataType::Int32
                                     ? static_cast<void*>(columns.back().mutable_values<int32_t>())
                                     : static_cast<void*>(columns.back().mutable_values<float>()));
    }
  }
  const auto gc = reduce_ranges<GroupCounts>(groups, kGroupGrain, threads, [&](std::size_t b, std::size_t e) {
    return accumulate(cx, pairs, starts, b, e, out);
  });
  if (gc.overflow_key != kSkip)
    activity::throw_overflow(members, spec, gc.overflow_metric, gc.overflow_key / spec.buckets,
                             gc.overflow_key % spec.buckets, gc.overflow_sum);

  std::size_t next = 0;
  for (const auto& m : spec.metrics) {
    Series s;
    s.name = m.series_name();
    s.unit = spec.unit;
    for (std::size_t k = 0; k < spec.buckets; ++k)
      s.bucket_columns.push_back(members.add_column(std::move(columns[next++])));
    members.add_series(std::move(s));
  }
  rep.rows = n;
  rep.rows_used = gc.used;
  rep.unknown_member_rows = cc.unknown;
  rep.rows_before_window = cc.before;
  rep.rows_after_as_of = cc.after;
  rep.repeated_rows = gc.repeated;
  rep.exact_duplicates = gc.exact;
  rep.dropped_duplicates = gc.dropped;
  rep.null_metric_values = gc.nulls;
  if (cc.first_unknown != kNone) rep.first_unknown_member = std::to_string(*cols.member_id(cc.first_unknown));
  return rep;
}

ImportOptions activity_table_options(const ActivitySpec& spec, int32_t as_of, int threads) {
  ImportOptions o;
  ImportSchema s;
  auto add = [&](const std::string& name, DataType t, std::string fmt = {}) {
    if (s.find(name)) return;
    ColumnSpec c;
    c.name = name;
    c.type = t;
    c.date_format = std::move(fmt);
    s.columns.push_back(std::move(c));
  };
  add(spec.member_column, DataType::UInt64);
  if (spec.period_rows()) {
    add(spec.year_column, DataType::Int64);
    add(spec.month_column, DataType::Int64);
  } else {
    add(spec.date_column, DataType::Date, spec.date_format);
  }
  for (const auto& m : spec.metrics)  // a column both metrics read as float64 when either needs decimals
    if (m.type == DataType::Float32 || m.decimals > 0) add(m.column, DataType::Float64);
  for (const auto& m : spec.metrics) add(m.column, DataType::Int64);
  s.id_column = "";
  o.schema = std::move(s);
  o.as_of = as_of;
  o.id_column = "";
  o.check_unique_ids = false;
  o.threads = threads;
  return o;
}

ActivityImport import_activity_text(std::string_view text, std::string_view file_name, const ActivitySpec& spec,
                                    Population& members, int threads) {
  spec.validate(file_name);
  const ImportOptions o = activity_table_options(spec, members.as_of(), threads);
  ImportResult r = spec.format == ActivityFormat::Whitespace
                       ? import_csv_text(whitespace_table_to_csv(text, file_name), file_name, o)
                       : import_csv_text(text, file_name, o);
  ActivityImport a;
  a.report = add_activity_series(members, r.population, spec, file_name, threads);
  a.activity = std::move(r.population);
  return a;
}

ImportResult read_activity_table(const std::filesystem::path& path, const ActivitySpec& spec, int32_t as_of,
                                 int threads) {
  spec.validate(path.string());
  const ImportOptions o = activity_table_options(spec, as_of, threads);
  if (spec.format == ActivityFormat::Whitespace)
    return import_csv_text(whitespace_table_to_csv_file(path.string()), path.string(), o);
  return import_csv(path, o);
}

ActivityImport import_activity_members(const std::filesystem::path& path, const ActivitySpec& spec, int32_t as_of,
                                       Population& members, int threads) {
  ImportResult r = read_activity_table(path, spec, as_of, threads);
  members = members_from_activity(r.population, spec, path.string(), as_of);
  ActivityImport a;
  a.report = add_activity_series(members, r.population, spec, path.string(), threads);
  a.activity = std::move(r.population);
  return a;
}

ActivityImport import_activity(const std::filesystem::path& path, const ActivitySpec& spec, Population& members,
                               int threads) {
  ImportResult r = read_activity_table(path, spec, members.as_of(), threads);
  ActivityImport a;
  a.report = add_activity_series(members, r.population, spec, path.string(), threads);
  a.activity = std::move(r.population);
  return a;
}

}  // namespace nudge
