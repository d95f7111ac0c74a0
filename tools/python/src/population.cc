// nudge._nudge._Population: a Population held by shared_ptr, its columns as
// zero-copy read-only numpy views, snapshots, generation and select.
#include <pybind11/stl.h>

#include <cstring>

#include "engine/base/error.h"
#include "engine/base/names.h"
#include "engine/expr/program.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tools/python/src/bindings.h"

namespace nudge::py {
namespace {

const Column& column_at(const Population& p, std::size_t i) {
  if (i >= p.num_columns()) throw_usage("column index " + std::to_string(i) + " is out of range");
  return p.column(i);
}

// The column's values as a numpy view over its own memory (mapping or Buffer).
pb::array values_view(const PopPtr& p, std::size_t i) {
  const Column& c = column_at(*p, i);
  const std::size_t n = c.rows();
  switch (c.type()) {
    case DataType::Bool: return readonly_view(c.values<bool>(), n, p);
    case DataType::Int32:
    case DataType::Category:
    case DataType::Date: return readonly_view(c.values<int32_t>(), n, p);
    case DataType::Int64: return readonly_view(c.values<int64_t>(), n, p);
    case DataType::UInt64: return readonly_view(c.values<uint64_t>(), n, p);
    case DataType::Float32: return readonly_view(c.values<float>(), n, p);
    case DataType::Float64: return readonly_view(c.values<double>(), n, p);
  }
  throw_internal("unknown column type");
}

// True where the row holds a value; None when the column has no NULLs.
pb::object validity_mask(const Population& p, std::size_t i) {
  const Column& c = column_at(p, i);
  if (!c.has_validity()) return pb::none();
  pb::array_t<bool> out(static_cast<pb::ssize_t>(c.rows()));
  bool* o = out.mutable_data();
  const uint64_t* v = c.validity();
  for (std::size_t r = 0; r < c.rows(); ++r) o[r] = (v[r >> 6] >> (r & 63)) & 1;
  return out;
}

// Bit r of bits -> out[r] for r < rows.
pb::array_t<bool> unpack(const std::vector<uint64_t>& bits, std::size_t rows) {
  pb::array_t<bool> out(static_cast<pb::ssize_t>(rows));
  bool* o = out.mutable_data();
  for (std::size_t r = 0; r < rows; ++r) o[r] = (bits[r >> 6] >> (r & 63)) & 1;
  return out;
}

}  // namespace

void bind_population(pb::module_& m) {
  pb::class_<Population, std::shared_ptr<Population>>(m, "_Population")
      .def_property_readonly("rows", &Population::rows)
      .def_property_readonly("as_of", &Population::as_of)
      .def_property_readonly("num_columns", &Population::num_columns)
      .def_property_readonly("memory_bytes", &Population::memory_bytes)
      .def_property_readonly("id_column",
                             [](const Population& p) -> pb::object {
                               auto i = p.id_column();
                               return i ? pb::cast(p.column(*i).name()) : pb::none();
                             })
      .def("column_info",
           [](const Population& p, std::size_t i) {
             const Column& c = column_at(p, i);
             return pb::make_tuple(c.name(), std::string(type_name(c.type())), c.null_count(), c.dictionary());
           })
      .def("find", [](const Population& p, const std::string& name) { return p.find(name); })
      .def("index_of",  // as expressions look names up (engine/expr/binder.cc): as written, then by the
                        // normalised alias ("CLV", "Loyalty Number"); else the engine's "no column 'x' in
                        // the population (did you mean 'y'?)"
           [](const Population& p, const std::string& name) {
             if (auto i = p.find(name)) return *i;
             if (auto i = p.find(normalize_name(name))) return *i;
             (void)p.column(name);  // throws
             throw_internal("column lookup");
           })
      .def("values", [](const std::shared_ptr<Population>& p, std::size_t i) { return values_view(p, i); })
      .def("validity", &validity_mask)
      .def("with_as_of",
           [](const Population& p, int32_t as_of) {
             auto q = std::make_shared<Population>(p);  // columns share their buffers
             q->set_as_of(as_of);
             return q;
           })
      .def("save", [](const std::shared_ptr<Population>& p,
                      const std::string& path) { run_released(0, [&] { write_snapshot(*p, path); }); })
      .def(
          "select",
          [](const std::shared_ptr<Population>& p, const std::string& expression, bool ids, int threads) {
            auto set = expr::CompiledSet::compile(*p, {{expression, "EXPR"}});
            std::vector<std::vector<uint64_t>> bits = run_released(threads, [&] { return expr::select_all(*p, set); });
            pb::object result;
            if (ids) {
              auto id = p->id_column();
              if (!id) throw_invalid_input("the population has no customer id column to list");
              const uint64_t* v = p->column(*id).values<uint64_t>();
              std::vector<uint64_t> out;
              for (std::size_t r = 0; r < p->rows(); ++r)
                if ((bits[0][r >> 6] >> (r & 63)) & 1) out.push_back(v[r]);
              result = to_numpy(std::move(out));
            } else {
              result = unpack(bits[0], p->rows());
            }
            return pb::make_tuple(result, set.warnings());
          },
          pb::arg("expression"), pb::arg("ids"), pb::arg("threads"));

  m.def(
      "open_snapshot",
      [](const std::string& path, bool verify) {
        SnapshotOpenOptions o;
        o.verify_data = verify;
        return run_released(0, [&] { return std::make_shared<Population>(open_snapshot(path, o)); });
      },
      pb::arg("path"), pb::arg("verify") = false);
  m.def(
      "generate_rs1",
      [](std::size_t members, uint64_t seed, int32_t as_of, int threads) {
        return run_released(threads, [&] { return std::make_shared<Population>(generate_rs1(members, seed, as_of)); });
      },
      pb::arg("members"), pb::arg("seed"), pb::arg("as_of"), pb::arg("threads"));
  m.def("parse_date", [](const std::string& s) -> pb::object {
    auto d = parse_iso_date(s);
    return d ? pb::cast(*d) : pb::none();
  });
  m.def("format_date", &format_iso_date);
  m.def("days_from_civil", [](int y, unsigned mo, unsigned d) { return days_from_civil(y, mo, d); });
  // Is [addr, addr + bytes) inside one of the population's column buffers? (zero-copy checks)
  m.def("_buffer_of", [](const Population& p, std::size_t i) {
    const Column& c = column_at(p, i);
    return pb::make_tuple(reinterpret_cast<std::uintptr_t>(c.values_buffer().data()), c.values_buffer().size(),
                          c.values_buffer().owned());
  });
}

}  // namespace nudge::py
