// nudge._nudge.build_population: a Population from numpy arrays, without a
// copy where the array can be the column's memory, else with exactly one
// (converting, masking) copy. The Python side (nudge/_frames.py) turns pandas
// columns into these arrays; the rules are documented in nudge/__init__.py
// (Population.from_numpy) and tools/python/README.md.
//
// Zero copy (Buffer::wrap over the numpy buffer, the array kept alive) when:
//   - the array's dtype is the column's physical type (bool, int32, int64,
//     uint64, float32, float64; int32 codes for category; int32 days for date),
//   - it is contiguous and 64-byte aligned,
//   - its length is a multiple of 64 (the column padding rule of
//     engine/store/buffer.h), or it was allocated by nudge.empty() (which pads),
//   - and no row is NULL (no mask bit, no NaN taken as NULL, no category code -1).
// Otherwise one pass converts into a new padded Buffer, checking ranges (integers must
// fit, float32 must not overflow to inf). The id column must have no NULL and no
// repeated id (as `nudge import`: csv::find_duplicate_id), named by column and row.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/store/buffer.h"
#include "io/csv/csv_unique_ids.h"
#include "tools/python/src/bindings.h"

namespace nudge::py {
namespace {

constexpr const char* kBufferCapsule = "nudge.Buffer";

// A numpy array's memory as a keep-alive handle (the GIL is taken to release it).
std::shared_ptr<const void> keep_alive(pb::object o) {
  auto* h = new pb::object(std::move(o));
  return std::shared_ptr<const void>(h->ptr(), [h](const void*) {
    if (!Py_IsInitialized()) return;  // interpreter gone: leak rather than crash
    pb::gil_scoped_acquire gil;
    delete h;
  });
}

struct Source {
  const char* base = nullptr;
  pb::ssize_t stride = 0;
  char kind = 0;  // numpy kind: b, i, u, f
  std::size_t size = 0;
  template <class T>
  T at(std::size_t r) const {
    T v;
    std::memcpy(&v, base + static_cast<pb::ssize_t>(r) * stride, sizeof(T));
    return v;
  }
};

// Reads row r of any supported numeric source as the widest type of its kind.
struct Reader {
  Source s;
  int64_t i64(std::size_t r) const {
    switch (s.size) {
      case 1: return s.kind == 'u' || s.kind == 'b' ? s.at<uint8_t>(r) : s.at<int8_t>(r);
      case 2: return s.kind == 'u' ? s.at<uint16_t>(r) : s.at<int16_t>(r);
      case 4: return s.kind == 'u' ? static_cast<int64_t>(s.at<uint32_t>(r)) : s.at<int32_t>(r);
      default: return s.at<int64_t>(r);
    }
  }
  uint64_t u64(std::size_t r) const { return s.at<uint64_t>(r); }
  double f64(std::size_t r) const { return s.size == 4 ? s.at<float>(r) : s.at<double>(r); }
};

[[noreturn]] void bad_value(const std::string& col, std::size_t row, const std::string& what) {
  throw_invalid_input("column '" + col + "' row " + std::to_string(row) + ": " + what);
}

struct ColumnSpec {
  std::string name;
  DataType type;
  pb::array values;
  std::optional<pb::array_t<bool>> mask;  // True = NULL
  std::vector<std::string> dictionary;
  int64_t per_day = 1;  // date sources: values per day (1 = days, 86400e9 = ns)
  bool nan_is_null = false;
};

// Physical dtype check for zero copy.
bool same_physical(DataType t, char kind, std::size_t size) {
  switch (t) {
    case DataType::Bool: return kind == 'b';
    case DataType::Int32:
    case DataType::Category:
    case DataType::Date: return kind == 'i' && size == 4;
    case DataType::Int64: return kind == 'i' && size == 8;
    case DataType::UInt64: return kind == 'u' && size == 8;
    case DataType::Float32: return kind == 'f' && size == 4;
    case DataType::Float64: return kind == 'f' && size == 8;
  }
  return false;
}

// The Buffer of an array nudge.empty() made, when `a` starts at its first byte.
std::optional<Buffer> padded_buffer_of(const pb::array& a) {
  pb::handle base(pb::detail::array_proxy(a.ptr())->base);
  if (!base || !PyCapsule_CheckExact(base.ptr()) || !PyCapsule_IsValid(base.ptr(), kBufferCapsule)) return {};
  auto* b = static_cast<Buffer*>(PyCapsule_GetPointer(base.ptr(), kBufferCapsule));
  if (reinterpret_cast<const std::byte*>(a.data()) != b->data()) return {};
  return *b;
}

Column build_column(const ColumnSpec& c, std::size_t rows, bool& copied) {
  const pb::array& a = c.values;
  if (a.ndim() != 1 || static_cast<std::size_t>(a.shape(0)) != rows)
    throw_usage("column '" + c.name + "': expected a 1-D array of " + std::to_string(rows) + " values");
  if (c.mask && (c.mask->ndim() != 1 || static_cast<std::size_t>(c.mask->shape(0)) != rows))
    throw_usage("column '" + c.name + "': the NULL mask must be a 1-D bool array of " + std::to_string(rows));
  Source src{static_cast<const char*>(a.data()), a.ndim() ? a.strides(0) : 0, a.dtype().kind(),
             static_cast<std::size_t>(a.itemsize())};
  if (std::string("biuf").find(src.kind) == std::string::npos)
    throw_invalid_input("column '" + c.name + "': numpy dtype kind '" + std::string(1, src.kind) +
                        "' is not supported (bool, integer, float, datetime64 or text)");
  const Reader rd{src};
  const bool* mask = c.mask ? c.mask->data() : nullptr;
  const std::size_t width = type_width(c.type);
  const int64_t dict = static_cast<int64_t>(c.dictionary.size());

  // Scan: NULL rows (mask, NaN, code -1), and values a zero-copy column could not hold.
  bool any_null = false;
  for (std::size_t r = 0; r < rows && mask && !any_null; ++r) any_null = mask[r];
  if (!any_null && c.nan_is_null && src.kind == 'f')
    for (std::size_t r = 0; r < rows && !any_null; ++r) any_null = std::isnan(rd.f64(r));
  if (!any_null && c.type == DataType::Category)
    for (std::size_t r = 0; r < rows && !any_null; ++r) any_null = rd.i64(r) < 0;

  const bool contiguous = rows == 0 || src.stride == static_cast<pb::ssize_t>(src.size);
  const bool aligned = reinterpret_cast<std::uintptr_t>(src.base) % kAlignment == 0;
  if (!any_null && contiguous && aligned && same_physical(c.type, src.kind, src.size) && c.per_day == 1) {
    std::optional<Buffer> buf = padded_buffer_of(a);
    if (!buf && rows % kRowPadding == 0 && rows > 0) buf = Buffer::wrap(src.base, rows * width, keep_alive(a));
    if (buf) {
      if (c.type == DataType::Category)
        for (std::size_t r = 0; r < rows; ++r)
          if (rd.i64(r) >= dict)
            bad_value(c.name, r, "category code " + std::to_string(rd.i64(r)) + " is not in its dictionary");
      if (c.type == DataType::Bool)
        for (std::size_t r = 0; r < rows; ++r)
          if (src.at<uint8_t>(r) > 1) bad_value(c.name, r, "a bool byte that is neither 0 nor 1");
      copied = false;
      return Column::from_buffers(c.name, c.type, rows, std::move(*buf), Buffer(), c.dictionary, 0);
    }
  }

  // One converting copy.
  copied = true;
  Column col(c.name, c.type, rows);
  if (c.type == DataType::Category) col.set_dictionary(c.dictionary);
  std::vector<std::size_t> nulls;
  auto is_null = [&](std::size_t r) {
    if (mask && mask[r]) return true;
    if (c.nan_is_null && src.kind == 'f' && std::isnan(rd.f64(r))) return true;
    return false;
  };
  auto as_int = [&](std::size_t r, int64_t lo, int64_t hi, const char* type) -> int64_t {
    if (src.kind == 'f') {
      const double v = rd.f64(r);
      // hi + 1 as a double: 2^31 for int32, 2^63 for int64 (INT64_MAX itself rounds up to 2^63,
      // which would pass a `v > hi` test and overflow the cast).
      const double above = static_cast<double>(hi) + 1.0;
      if (!(v == std::floor(v)) || v < static_cast<double>(lo) || !(v < above))
        // A whole number below 1e19 in full ("9223372036854775808", not "9.223372036854776e+18").
        bad_value(c.name, r,
                  (v == std::floor(v) && std::fabs(v) < 1e19 ? fmt::format("{:.0f}", v) : fmt::format("{}", v)) +
                      " is not a whole number that fits " + type);
      return static_cast<int64_t>(v);
    }
    if (src.kind == 'u' && src.size == 8) {
      const uint64_t u = rd.u64(r);
      if (u > static_cast<uint64_t>(hi)) bad_value(c.name, r, std::to_string(u) + " does not fit " + type);
      return static_cast<int64_t>(u);
    }
    const int64_t v = rd.i64(r);
    if (v < lo || v > hi) bad_value(c.name, r, std::to_string(v) + " does not fit " + type);
    return v;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    if (is_null(r)) {
      nulls.push_back(r);
      continue;
    }
    switch (c.type) {
      case DataType::Bool:
        col.mutable_values<uint8_t>()[r] = static_cast<uint8_t>(as_int(r, 0, 1, "bool (0 or 1)"));
        break;
      case DataType::Int32:
        col.mutable_values<int32_t>()[r] = static_cast<int32_t>(as_int(r, INT32_MIN, INT32_MAX, "int32"));
        break;
      case DataType::Int64: col.mutable_values<int64_t>()[r] = as_int(r, INT64_MIN, INT64_MAX, "int64"); break;
      case DataType::UInt64:
        if (src.kind == 'u' && src.size == 8) col.mutable_values<uint64_t>()[r] = rd.u64(r);
        else col.mutable_values<uint64_t>()[r] = static_cast<uint64_t>(as_int(r, 0, INT64_MAX, "uint64"));
        break;
      case DataType::Float32:
      case DataType::Float64: {
        const double v = src.kind == 'f'                    ? rd.f64(r)
                         : src.kind == 'u' && src.size == 8 ? static_cast<double>(rd.u64(r))
                                                            : static_cast<double>(rd.i64(r));
        if (c.type == DataType::Float32) {
          // Range-checked like the CLI's float32 ("out of range"): a finite value beyond float32's
          // largest is refused, not stored as inf. NaN and +-inf stay themselves.
          const float f = static_cast<float>(v);
          if (std::isinf(f) && std::isfinite(v))
            bad_value(c.name, r,
                      fmt::format("{}", v) + " is out of float32's range (largest " +
                          fmt::format("{}", std::numeric_limits<float>::max()) + ")");
          col.mutable_values<float>()[r] = f;
        } else {
          col.mutable_values<double>()[r] = v;
        }
        break;
      }
      case DataType::Category: {
        const int64_t code = as_int(r, -1, INT32_MAX, "a category code");
        if (code == -1) {
          nulls.push_back(r);
          continue;
        }
        if (code >= dict) bad_value(c.name, r, "category code " + std::to_string(code) + " is not in its dictionary");
        col.mutable_values<int32_t>()[r] = static_cast<int32_t>(code);
        break;
      }
      case DataType::Date: {
        if (src.kind == 'i' && src.size == 8 && rd.i64(r) == INT64_MIN) {  // NaT
          nulls.push_back(r);
          continue;
        }
        const int64_t v = as_int(r, INT64_MIN, INT64_MAX, "a date");
        int64_t d = v / c.per_day;
        if (v % c.per_day != 0 && v < 0) --d;  // floor: a time before midnight is that day
        if (d < INT32_MIN || d > INT32_MAX) bad_value(c.name, r, "the date is out of range");
        col.mutable_values<int32_t>()[r] = static_cast<int32_t>(d);
        break;
      }
    }
  }
  for (std::size_t r : nulls) col.set_null(r);
  return col;
}

// The id column as `nudge import` requires it: no NULL (a NaN id is not id 0) and no id on two
// rows (explain, history joins and the decisions assume one row per member).
void check_ids(const Column& ids) {
  if (ids.null_count() > 0) {
    std::size_t r = 0;
    while (r < ids.rows() && ids.is_valid(r)) ++r;
    bad_value(ids.name(), r, "the customer id is NULL (NaN, None or NA); every member needs an id");
  }
  std::optional<csv::DuplicateId> dup;
  {
    pb::gil_scoped_release nogil;
    dup = csv::find_duplicate_id(ids.values<uint64_t>(), ids.rows(), true);
  }
  if (dup)
    bad_value(ids.name(), dup->second_row,
              "duplicate customer id " + std::to_string(dup->id) + " (first on row " + std::to_string(dup->first_row) +
                  "); customer ids must be unique, as `nudge import` requires");
}

}  // namespace

void bind_build(pb::module_& m) {
  m.def(
      "build_population",
      [](std::size_t rows, int32_t as_of, pb::list columns, pb::object id, bool check_id_values) {
        std::vector<ColumnSpec> specs;
        for (pb::handle h : columns) {
          auto t = h.cast<pb::tuple>();
          ColumnSpec s;
          s.name = t[0].cast<std::string>();
          const auto type = parse_type_name(t[1].cast<std::string>());
          if (!type) throw_usage("column '" + s.name + "': unknown type '" + t[1].cast<std::string>() + "'");
          s.type = *type;
          s.values = t[2].cast<pb::array>();
          if (!t[3].is_none()) s.mask = t[3].cast<pb::array_t<bool>>();
          if (!t[4].is_none()) s.dictionary = t[4].cast<std::vector<std::string>>();
          s.per_day = t[5].cast<int64_t>();
          s.nan_is_null = t[6].cast<bool>();
          if (s.per_day <= 0) throw_usage("column '" + s.name + "': per_day must be positive");
          specs.push_back(std::move(s));
        }
        std::vector<std::string> copied;
        auto pop = std::make_shared<Population>(rows, as_of);
        {
          pb::gil_scoped_release nogil;
          for (const ColumnSpec& s : specs) {
            bool c = false;
            pop->add_column(build_column(s, rows, c));
            if (c) copied.push_back(s.name);
          }
        }
        if (!id.is_none()) {
          const std::string name = id.cast<std::string>();
          auto i = pop->find(name);
          if (!i) throw_usage("id column '" + name + "' is not among the columns");
          if (pop->column(*i).type() != DataType::UInt64)
            throw_usage("id column '" + name + "' must be uint64, not " +
                        std::string(type_name(pop->column(*i).type())));
          pop->set_id_column(*i);
          if (check_id_values) check_ids(pop->column(*i));
        }
        return pb::make_tuple(pop, copied);
      },
      // check_ids=False: tests only, to make the repeated-id populations older code could write.
      pb::arg("rows"), pb::arg("as_of"), pb::arg("columns"), pb::arg("id"), pb::arg("check_ids") = true);

  m.def(
      "empty",
      [](std::size_t rows, const std::string& type) -> pb::array {
        const auto t = parse_type_name(type);
        if (!t) throw_usage("unknown type '" + type + "'");
        auto* buf = new Buffer(Buffer::allocate(padded_rows(rows) * type_width(*t)));
        pb::capsule base(buf, kBufferCapsule,
                         [](PyObject* cap) { delete static_cast<Buffer*>(PyCapsule_GetPointer(cap, kBufferCapsule)); });
        void* p = buf->mutable_data();
        const auto n = static_cast<pb::ssize_t>(rows);
        switch (*t) {
          case DataType::Bool: return pb::array_t<bool>({n}, {pb::ssize_t{1}}, static_cast<bool*>(p), base);
          case DataType::Int64: return pb::array_t<int64_t>({n}, {pb::ssize_t{8}}, static_cast<int64_t*>(p), base);
          case DataType::UInt64: return pb::array_t<uint64_t>({n}, {pb::ssize_t{8}}, static_cast<uint64_t*>(p), base);
          case DataType::Float32: return pb::array_t<float>({n}, {pb::ssize_t{4}}, static_cast<float*>(p), base);
          case DataType::Float64: return pb::array_t<double>({n}, {pb::ssize_t{8}}, static_cast<double*>(p), base);
          default: return pb::array_t<int32_t>({n}, {pb::ssize_t{4}}, static_cast<int32_t*>(p), base);
        }
      },
      pb::arg("rows"), pb::arg("type"));
}

}  // namespace nudge::py
