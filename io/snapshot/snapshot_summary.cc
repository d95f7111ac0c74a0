// Column statistics for `nudge inspect`: one sequential scan per column,
// columns in parallel.
#include "io/snapshot/snapshot_summary.h"

#include <tbb/parallel_for.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace nudge {
namespace {

template <class T>
std::string number_text(T v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Min and max over valid rows; NaN skipped and counted.
template <class T>
void min_max(const Column& c, ColumnSummary& s, bool is_date = false) {
  const T* v = c.values<T>();
  bool any = false;
  T lo{}, hi{};
  for (std::size_t i = 0; i < c.rows(); ++i) {
    if (!c.is_valid(i)) continue;
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v[i])) {
        ++s.nan_count;
        continue;
      }
    }
    if (!any) lo = hi = v[i], any = true;
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  if (!any) return;
  if constexpr (std::is_same_v<T, int32_t>) {
    if (is_date) {
      s.min = format_iso_date(lo);
      s.max = format_iso_date(hi);
      return;
    }
  }
  s.min = number_text(lo);
  s.max = number_text(hi);
}

ColumnSummary summarize_column(const Column& c) {
  ColumnSummary s;
  s.name = c.name();
  s.type = c.type();
  s.nulls = c.null_count();
  s.bytes = c.memory_bytes();
  switch (c.type()) {
    case DataType::Bool: {
      std::size_t ones = 0;
      for (std::size_t i = 0; i < c.rows(); ++i) ones += c.is_valid(i) && c.values<uint8_t>()[i];
      s.counts = {{"0", c.rows() - c.null_count() - ones}, {"1", ones}};
      break;
    }
    case DataType::Category: {
      std::vector<std::size_t> n(c.dictionary().size(), 0);
      const int32_t* v = c.values<int32_t>();
      for (std::size_t i = 0; i < c.rows(); ++i)
        if (c.is_valid(i) && v[i] >= 0 && static_cast<std::size_t>(v[i]) < n.size()) ++n[v[i]];
      for (std::size_t k = 0; k < n.size(); ++k) s.counts.emplace_back(c.dictionary()[k], n[k]);
      break;
    }
    case DataType::Int32: min_max<int32_t>(c, s); break;
    case DataType::Date: min_max<int32_t>(c, s, true); break;
    case DataType::Int64: min_max<int64_t>(c, s); break;
    case DataType::UInt64: min_max<uint64_t>(c, s); break;
    case DataType::Float32: min_max<float>(c, s); break;
    case DataType::Float64: min_max<double>(c, s); break;
  }
  return s;
}

}  // namespace

PopulationSummary summarize_population(const Population& pop) {
  PopulationSummary s;
  s.rows = pop.rows();
  s.as_of = pop.as_of();
  if (auto id = pop.id_column()) s.id_column = pop.column(*id).name();
  s.memory_bytes = pop.memory_bytes();
  s.bytes_per_member = s.rows ? static_cast<double>(s.memory_bytes) / static_cast<double>(s.rows) : 0.0;
  s.columns.resize(pop.num_columns());
  tbb::parallel_for(std::size_t{0}, pop.num_columns(),
                    [&](std::size_t i) { s.columns[i] = summarize_column(pop.column(i)); });
  s.series = pop.series();
  return s;
}

namespace {

// printf-style append (the table keeps printf's byte-counted padding).
template <class... A>
void appendf(std::string& out, const char* format, A... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  if (n <= 0) return;
  const std::size_t old = out.size();
  out.resize(old + static_cast<std::size_t>(n) + 1);
  std::snprintf(out.data() + old, static_cast<std::size_t>(n) + 1, format, args...);
  out.resize(old + static_cast<std::size_t>(n));
}

std::string percent(std::size_t part, std::size_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%",
                whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

}  // namespace

std::string format_column_table(const PopulationSummary& s) {
  std::string out;
  appendf(out, "%-3s %-26s %-9s %10s  %-18s %-18s %12s\n", "#", "column", "type", "nulls", "min", "max", "bytes");
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    const auto& c = s.columns[i];
    const std::string type(type_name(c.type));
    if (!c.counts.empty() || c.type == DataType::Category || c.type == DataType::Bool) {
      std::string counts;
      for (const auto& [value, n] : c.counts) {
        if (!counts.empty()) counts += ", ";
        counts += (c.type == DataType::Bool ? (value == "1" ? "true " : "false ") : value + " ") + std::to_string(n) +
                  " (" + percent(n, s.rows) + ")";
      }
      appendf(out, "%-3zu %-26s %-9s %10zu  %-37s %12zu\n", i, c.name.c_str(), type.c_str(), c.nulls, counts.c_str(),
              c.bytes);
    } else {
      std::string max = c.max;
      if (c.nan_count) max += " (" + std::to_string(c.nan_count) + " NaN)";
      appendf(out, "%-3zu %-26s %-9s %10zu  %-18s %-18s %12zu\n", i, c.name.c_str(), type.c_str(), c.nulls,
              c.min.empty() ? "-" : c.min.c_str(), max.empty() ? "-" : max.c_str(), c.bytes);
    }
  }
  return out;
}

}  // namespace nudge
