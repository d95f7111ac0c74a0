// CompiledSet, Workspace and select_all (engine/expr/program.h).
//
// evaluate() for one batch:
//   columns  --(instructions, one executor per ISA)-->  registers
//   registers --(copy, clear bits past `count`, zero NULL numbers)--> outputs
// Outputs live in the Workspace, not in registers, so registers can be reused
// and constants refilled on every batch.
#include "engine/expr/program.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/expr/binder.h"
#include "engine/expr/compiled_program.h"
#include "engine/expr/parser.h"
#include "engine/expr/reference.h"
#include "engine/expr/simplifier.h"
#include "engine/store/buffer.h"

namespace nudge::expr {

namespace {
constexpr std::size_t kWords = kBatchRows / 64;

std::string origin_or_default(const Source& s) { return s.origin.empty() ? std::string("expression") : s.origin; }

}  // namespace

struct Workspace::Impl {
  Buffer ireg, ivalid, dreg, dvalid, bval, bvalid;  // registers (64-byte aligned)
  std::vector<ColumnRef> cols;
  std::vector<uint64_t> pred_out;       // kWords per predicate
  std::vector<double> num_out;          // kBatchRows per number
  std::vector<uint64_t> num_valid_out;  // kWords per number

  static void ensure(Buffer& b, std::size_t bytes) {
    if (b.empty() || b.size() < bytes) b = Buffer::allocate(std::max<std::size_t>(bytes, 64));
  }
  void prepare(const Program& p, std::size_t n_columns) {
    ensure(ireg, p.n_int * kBatchRows * 8);
    ensure(ivalid, p.n_int * kWords * 8);
    ensure(dreg, p.n_dbl * kBatchRows * 8);
    ensure(dvalid, p.n_dbl * kWords * 8);
    ensure(bval, p.n_bool * kWords * 8);
    ensure(bvalid, p.n_bool * kWords * 8);
    if (cols.size() < n_columns) cols.resize(n_columns);
    pred_out.resize(p.predicate_regs.size() * kWords);
    num_out.resize(p.number_regs.size() * kBatchRows);
    num_valid_out.resize(p.number_regs.size() * kWords);
  }
};

Workspace::Workspace() : impl_(std::make_unique<Impl>()) {}
Workspace::~Workspace() = default;
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
const uint64_t* Workspace::predicate_bits(std::size_t i) const { return impl_->pred_out.data() + i * kWords; }
const double* Workspace::number_values(std::size_t i) const { return impl_->num_out.data() + i * kBatchRows; }
const uint64_t* Workspace::number_validity(std::size_t i) const { return impl_->num_valid_out.data() + i * kWords; }

void Workspace::assign_results(const Workspace& from, const std::vector<std::size_t>& predicates,
                               const std::vector<std::size_t>& numbers) {
  Impl& w = *impl_;
  const Impl& f = *from.impl_;
  for (std::size_t i : predicates)
    if (i >= f.pred_out.size() / kWords) throw_usage("Workspace::assign_results: no such predicate in the source");
  for (std::size_t i : numbers)
    if (i >= f.num_valid_out.size() / kWords) throw_usage("Workspace::assign_results: no such number in the source");
  w.pred_out.resize(predicates.size() * kWords);
  w.num_out.resize(numbers.size() * kBatchRows);
  w.num_valid_out.resize(numbers.size() * kWords);
  for (std::size_t i = 0; i < predicates.size(); ++i)
    std::memcpy(w.pred_out.data() + i * kWords, f.pred_out.data() + predicates[i] * kWords, kWords * 8);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    std::memcpy(w.num_out.data() + i * kBatchRows, f.num_out.data() + numbers[i] * kBatchRows, kBatchRows * 8);
    std::memcpy(w.num_valid_out.data() + i * kWords, f.num_valid_out.data() + numbers[i] * kWords, kWords * 8);
  }
}

CompiledSet::CompiledSet() : program_(std::make_unique<Program>()) {}
CompiledSet::CompiledSet(CompiledSet&&) noexcept = default;
CompiledSet& CompiledSet::operator=(CompiledSet&&) noexcept = default;
CompiledSet::~CompiledSet() = default;

CompiledSet CompiledSet::compile(const Population& pop, const std::vector<Source>& predicates,
                                 const std::vector<Source>& numbers) {
  CompiledSet set;
  Program& p = *set.program_;
  for (const auto& s : predicates) {
    std::string origin = origin_or_default(s);
    ParsedPtr tree = parse(s.text, origin);
    p.predicates.push_back(Binder(pop, s.text, origin, &p.warnings).bind_predicate(*tree));
  }
  for (const auto& s : numbers) {
    std::string origin = origin_or_default(s);
    ParsedPtr tree = parse(s.text, origin);
    p.numbers.push_back(Binder(pop, s.text, origin, &p.warnings).bind_number(*tree));
  }
  Simplifier simplifier(pop);
  std::vector<BoundPtr> pred_roots, num_roots;
  for (const auto& e : p.predicates) pred_roots.push_back(simplifier.simplify(e));
  for (const auto& e : p.numbers) num_roots.push_back(simplifier.simplify(e));
  // Equal inputs give the same canonical node (hash-consing), so equal roots are equal pointers.
  auto firsts = [](const std::vector<BoundPtr>& roots) {
    std::vector<std::size_t> f(roots.size());
    std::unordered_map<const void*, std::size_t> first;  // linear in the expressions, not quadratic
    for (std::size_t i = 0; i < roots.size(); ++i) f[i] = first.try_emplace(roots[i].get(), i).first->second;
    return f;
  };
  p.predicate_first = firsts(pred_roots), p.number_first = firsts(num_roots);
  compile_program(p, pred_roots, num_roots, pop);
  return set;
}

std::size_t CompiledSet::num_predicates() const noexcept { return program_->predicates.size(); }
std::size_t CompiledSet::num_numbers() const noexcept { return program_->numbers.size(); }
const std::vector<std::string>& CompiledSet::warnings() const noexcept { return program_->warnings; }
const std::vector<std::size_t>& CompiledSet::columns_read() const noexcept { return program_->columns_read; }
std::size_t CompiledSet::same_predicate_as(std::size_t i) const { return program_->predicate_first.at(i); }
std::size_t CompiledSet::same_number_as(std::size_t i) const { return program_->number_first.at(i); }

void CompiledSet::evaluate(const Population& pop, std::size_t begin, std::size_t count, Workspace& ws) const {
  const Program& p = *program_;
  if (begin % 64 != 0 || count > kBatchRows || begin > pop.rows() || count > pop.rows() - begin)
    throw_usage("CompiledSet::evaluate: rows [" + std::to_string(begin) + ", " + std::to_string(begin + count) +
                ") are not a batch of a " + std::to_string(pop.rows()) + "-row population (begin a multiple of 64, " +
                "at most " + std::to_string(kBatchRows) + " rows)");
  if (pop.num_columns() < p.n_columns)
    throw_usage("CompiledSet::evaluate: the population has fewer columns than the one compiled against");
  Workspace::Impl& w = *ws.impl_;
  w.prepare(p, pop.num_columns());
  for (std::size_t k = 0; k < p.columns_read.size(); ++k) {
    const Column& c = pop.column(p.columns_read[k]);
    if (c.type() != p.column_types[k])
      throw_usage("CompiledSet::evaluate: column '" + c.name() + "' is " + std::string(type_name(c.type())) +
                  ", the expressions were compiled for " + std::string(type_name(p.column_types[k])));
    w.cols[p.columns_read[k]] = ColumnRef{c.values_buffer().data(), c.validity(), padded_rows(c.rows())};
  }

  const std::size_t rows64 = (count + 63) / 64 * 64, words = rows64 / 64;
  if (count > 0) {
    ExecFrame f{p.code.data(),
                p.code.size(),
                w.cols.data(),
                begin,
                rows64,
                pop.as_of(),
                kBatchRows,
                w.ireg.mutable_as<int64_t>(),
                w.ivalid.mutable_as<uint64_t>(),
                w.dreg.mutable_as<double>(),
                w.dvalid.mutable_as<uint64_t>(),
                w.bval.mutable_as<uint64_t>(),
                w.bvalid.mutable_as<uint64_t>(),
                p.win_groups.data(),
                p.win_outs.data(),
                p.win_cols.data()};
    switch (simd::active_isa()) {
      case simd::Isa::Avx512: execute_avx512(f); break;
      case simd::Isa::Avx2: execute_avx2(f); break;
      case simd::Isa::Sse42: execute_sse42(f); break;
      case simd::Isa::Scalar: execute_scalar(f); break;
    }
  }
  // Copy out: bits past `count` cleared; NULL numbers hold 0.
  const uint64_t tail = count % 64 == 0 ? ~uint64_t{0} : (uint64_t{1} << (count % 64)) - 1;
  for (std::size_t i = 0; i < p.predicate_regs.size(); ++i) {
    const uint64_t* v = w.bval.as<uint64_t>() + p.predicate_regs[i] * kWords;
    uint64_t* out = w.pred_out.data() + i * kWords;
    for (std::size_t k = 0; k < words; ++k) out[k] = v[k];
    if (words) out[words - 1] &= tail;
  }
  for (std::size_t i = 0; i < p.number_regs.size(); ++i) {
    const double* v = w.dreg.as<double>() + p.number_regs[i] * kBatchRows;
    const uint64_t* m = w.dvalid.as<uint64_t>() + p.number_regs[i] * kWords;
    double* out = w.num_out.data() + i * kBatchRows;
    uint64_t* mout = w.num_valid_out.data() + i * kWords;
    for (std::size_t k = 0; k < words; ++k) mout[k] = m[k];
    if (words) mout[words - 1] &= tail;
    for (std::size_t r = 0; r < count; ++r) out[r] = (mout[r / 64] >> (r % 64)) & 1 ? v[r] : 0.0;
  }
}

int CompiledSet::reference_predicate(const Population& pop, std::size_t i, std::size_t row) const {
  Value v = reference_eval(*program_->predicates.at(i), pop, row);
  return v.null ? -1 : (v.i ? 1 : 0);
}

std::optional<double> CompiledSet::reference_number(const Population& pop, std::size_t i, std::size_t row) const {
  Value v = reference_eval(*program_->numbers.at(i), pop, row);
  if (v.null) return std::nullopt;
  return v.d;
}

std::vector<std::vector<uint64_t>> select_all(const Population& pop, const CompiledSet& set) {
  const std::size_t rows = pop.rows(), words = padded_rows(rows) / 64;
  std::vector<std::vector<uint64_t>> out(set.num_predicates(), std::vector<uint64_t>(words, 0));
  const std::size_t batches = (rows + kBatchRows - 1) / kBatchRows;
  tbb::enumerable_thread_specific<Workspace> workspaces;
  // Grain 4 batches (8192 rows at the default batch size): a task of tens of
  // microseconds, enough to amortise scheduling, fine enough to balance cores.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 4), [&](const tbb::blocked_range<std::size_t>& r) {
    Workspace& ws = workspaces.local();
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      const std::size_t begin = b * kBatchRows, count = std::min(kBatchRows, rows - begin);
      set.evaluate(pop, begin, count, ws);
      const std::size_t nw = (count + 63) / 64;
      for (std::size_t i = 0; i < out.size(); ++i)
        std::memcpy(out[i].data() + begin / 64, ws.predicate_bits(i), nw * sizeof(uint64_t));
    }
  });
  return out;
}

}  // namespace nudge::expr
