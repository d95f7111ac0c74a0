// Program: everything a CompiledSet holds (engine/expr/program.h's
// implementation detail): the bound trees for the reference evaluator, the
// instruction list for the vectorised executors, register counts, outputs.
//
// Thread-safety: immutable after compile_program(); shared by all threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/expr/bound_expr.h"
#include "engine/expr/instructions.h"
#include "engine/store/population.h"

namespace nudge::expr {

class Program {
 public:
  std::vector<BoundPtr> predicates, numbers;  // as bound (before simplification): the reference's input
  std::vector<std::string> warnings;
  std::vector<Instr> code;
  uint32_t n_int = 0, n_dbl = 0, n_bool = 0;  // registers per pool
  std::vector<uint32_t> predicate_regs;       // bool register of predicate i
  std::vector<uint32_t> number_regs;          // double register of number i
  std::vector<std::size_t> columns_read;      // sorted population column indices
  std::vector<DataType> column_types;         // type of each read column at compile time (schema check)
  std::size_t n_columns = 0;                  // columns of the population compiled against
  std::vector<WinGroup> win_groups;           // Code::Window side tables (engine/expr/window_plan.h)
  std::vector<WinOut> win_outs;
  std::vector<uint32_t> win_cols;
  // Per predicate / number: the smallest index whose simplified root is the
  // same node (structurally identical after binding and simplification).
  std::vector<std::size_t> predicate_first, number_first;
};

// Fills p.code, registers, outputs and columns_read from the simplified roots
// (predicates first, then numbers; see engine/expr/simplifier.h).
void compile_program(Program& p, const std::vector<BoundPtr>& predicate_roots,
                     const std::vector<BoundPtr>& number_roots, const Population& pop);

}  // namespace nudge::expr
