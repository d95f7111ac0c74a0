// Trigger expressions: compile a campaign's conditions once, evaluate them all
// over the population in one vectorised pass.
//
// A CompiledSet holds any number of predicates (boolean expressions:
// triggers, suppression conditions) and number expressions (priorities),
// compiled together so that shared subexpressions are computed once.
// evaluate() computes all of them for one batch of rows in one pass over the
// columns.
//
//   auto set = nudge::expr::CompiledSet::compile(pop, {{"flights_3m < 2", "--expr"}});
//   nudge::expr::Workspace ws;                         // one per worker thread
//   set.evaluate(pop, begin, count, ws);               // count <= kBatchRows
//   const uint64_t* fired = ws.predicate_bits(0);      // bit r: row begin+r is TRUE
//
// Rows are evaluated in batches of kBatchRows (NUDGE_BATCH_ROWS, default
// 2048; a test build uses 64). Results never depend on the batch size, the
// thread count or the instruction set (engine/base/simd.h).
//
// Language, NULL rules, NaN rules and errors: see engine/expr/README.md.
//
// Thread-safety: a CompiledSet is immutable after compile() and may be shared
// by all threads; each thread needs its own Workspace.
//
// Errors: compile() throws as described there; evaluate() throws
// nudge::Error(Usage) when the rows are not a batch of `pop` or a column read
// has another type than at compile time. Workspace results are valid until the
// next evaluate() with that Workspace.
//
// Changes to the contract since it was fixed in main: added
// `#include <optional>` (reference_number uses it) and the notes above;
// added CompiledSet::same_predicate_as / same_number_as and
// Workspace::assign_results (several campaigns evaluating their common
// expressions once, engine/decide/shared_expressions.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/store/population.h"

namespace nudge::expr {

inline constexpr std::size_t kBatchRows = NUDGE_BATCH_ROWS;
static_assert(kBatchRows % 64 == 0 && kBatchRows >= 64, "batch must be whole 64-row words");

// One expression's text and where it came from, for error messages
// ("rs1.toml:14:11", "--expr", "argument 2"). Errors point inside `text` with
// line and column relative to `origin`'s position when origin has one.
struct Source {
  std::string text;
  std::string origin;
};

class Program;  // the compiled, vectorised program (implementation detail)

// Per-thread scratch space and the results of the last evaluate().
class Workspace {
 public:
  Workspace();
  ~Workspace();
  Workspace(Workspace&&) noexcept;
  Workspace& operator=(Workspace&&) noexcept;
  // TRUE bitmap of predicate i: ceil(count/64) words; bit r of the batch is 1
  // exactly when the predicate is TRUE (not FALSE, not NULL) on row begin+r.
  const uint64_t* predicate_bits(std::size_t i) const;
  // Values of number expression i for the batch: `count` doubles (NULL rows hold 0).
  const double* number_values(std::size_t i) const;
  // Validity of number expression i: bit r is 1 when the value is not NULL.
  const uint64_t* number_validity(std::size_t i) const;
  // Makes this workspace hold results another set's evaluate() left in
  // `from`: afterwards predicate i here reads as predicate predicates[i] of
  // `from`, number i as number numbers[i] (bits, values and validity copied,
  // whole kBatchRows rows). Valid like evaluate()'s results; `from` is only
  // read. Errors: Error(Usage) for an index `from` does not hold.
  void assign_results(const Workspace& from, const std::vector<std::size_t>& predicates,
                      const std::vector<std::size_t>& numbers);

 private:
  friend class CompiledSet;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class CompiledSet {
 public:
  // Parses, binds against pop's schema, simplifies and compiles. Throws
  // nudge::Error(InvalidInput) with "origin:line:col: message", the source
  // line and a caret, on syntax errors, unknown columns (with "did you mean"),
  // type errors (naming each operand's type), and windows longer than a series.
  static CompiledSet compile(const Population& pop, const std::vector<Source>& predicates,
                             const std::vector<Source>& numbers = {});
  CompiledSet(CompiledSet&&) noexcept;
  CompiledSet& operator=(CompiledSet&&) noexcept;
  ~CompiledSet();

  std::size_t num_predicates() const noexcept;
  std::size_t num_numbers() const noexcept;
  // Non-fatal findings, e.g. "'Platinum' is not a value of category column tier; it never matches".
  const std::vector<std::string>& warnings() const noexcept;
  // Column indices the compiled program reads (for bytes-read accounting).
  const std::vector<std::size_t>& columns_read() const noexcept;
  // The smallest index j <= i whose predicate (number) is the same
  // expression as predicate (number) i: equal after binding and
  // simplification (engine/expr/simplifier.h), so equal whatever the
  // spelling: whitespace, keyword case, `a < 2` / `2 > a`, `x IN (1)` /
  // `x = 1`. Equal indices give equal results on every row. Throws
  // std::out_of_range for i past the set.
  std::size_t same_predicate_as(std::size_t i) const;
  std::size_t same_number_as(std::size_t i) const;

  // Evaluates every predicate and number expression for rows
  // [begin, begin + count): begin a multiple of 64, count <= kBatchRows,
  // begin + count <= pop.rows(). `pop` must have the schema compiled against.
  void evaluate(const Population& pop, std::size_t begin, std::size_t count, Workspace& ws) const;

  // Row-at-a-time reference evaluator (obviously correct, slow): the value of
  // predicate i on `row` as TRUE/FALSE/NULL (1/0/-1), and of number i
  // (nullopt = NULL). Tests compare evaluate() against these.
  int reference_predicate(const Population& pop, std::size_t i, std::size_t row) const;
  std::optional<double> reference_number(const Population& pop, std::size_t i, std::size_t row) const;

 private:
  CompiledSet();
  std::unique_ptr<Program> program_;
};

// Whole population, batches in parallel (oneTBB): one TRUE bitmap per
// predicate, padded_rows(pop.rows()) / 64 words each.
std::vector<std::vector<uint64_t>> select_all(const Population& pop, const CompiledSet& set);

}  // namespace nudge::expr
