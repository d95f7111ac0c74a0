// The compiled form of a CompiledSet: a flat list of typed vector
// instructions over batch registers (engine/expr/compiler.cc builds it, the
// per-instruction-set executors in engine/expr/executor_*.cc run it).
//
// Registers hold one batch (kBatchRows rows) and come in three pools:
//   int    int64_t values[kBatchRows] + validity words[kBatchRows / 64]
//   double double  values[kBatchRows] + validity words
//   bool   value words + validity words (a value bit is set only where valid)
// A validity bit is 1 when the row's value is not NULL. Instructions compute
// whole 64-row words: rows64 = the batch's row count rounded up to 64 (column
// padding makes those reads safe); bits beyond the batch are cleared when the
// results are copied out.
//
// Plain data only (no std containers), because the per-ISA translation units
// include it (engine/base/simd.h, "Rule for per-ISA translation units").
#pragma once

#include <cstddef>
#include <cstdint>

namespace nudge::expr {

enum class Code : uint8_t {
  // -> bool register
  BLoadCol,    // bool column `col`
  BConst,      // ival: 1 TRUE, 0 FALSE, -1 NULL
  BCmpColI32,  // int32-stored column `col` (int32, date, category) `cmp` ival (in int32 range)
  BCmpColI64,  // int64 column `col` `cmp` ival
  BCmpColF32,  // float32 column `col` `cmp` fval (the float32 rule)
  BCmpColF64,  // float64 column `col` `cmp` dval
  BCmpCols,    // dval * double(column `col`) `cmp` dval2 * double(column `col2`), in double; st/st2 their
               // layouts (I32, F32, F64). The defection shape `flights_3m < 0.5 * flights_prev_3m`.
  BCmpI,       // int a `cmp` int b
  BCmpD,       // double a `cmp` double b (IEEE)
  BCmpIK,      // int a `cmp` ival (a constant: no register filled with it)
  BCmpDK,      // double a `cmp` dval (IEEE)
  BCmpB,       // bool a `cmp` bool b (= or <> only)
  BAnd,
  BOr,
  BNot,
  BIsNullB,
  BIsNullI,
  BIsNullD,   // a from the pool named by the suffix
  BSelect,    // where bool c is TRUE: a, else b
  BCoalesce,  // a where valid, else b
  // -> int register (int64, overflow gives NULL); IConst/DConst: ival/dval, or NULL when c = 1
  ILoadCol,
  IConst,
  INeg,
  IAdd,
  ISub,
  IMul,
  IMod,
  IAbs,
  ILeast,
  IGreatest,
  ISelect,
  ICoalesce,
  IDaysSince,
  // -> double register
  DLoadCol,
  DConst,
  DFromI,
  DNeg,
  DAdd,
  DSub,
  DMul,
  DDiv,
  DMod,
  DAbs,
  DLn,
  DExp,
  DSqrt,
  DLeast,
  DGreatest,
  DSelect,
  DCoalesce,
  // -> several int and double registers: window group `a` (ExecFrame::win_groups):
  // every fused windowed aggregate of one series, in one pass over its buckets.
  Window,
};

// Physical layout of a loaded column (engine/store/types.h): bool; int32 (int32, date,
// category); int64; uint64 (beyond INT64_MAX reads as NULL); float32; float64.
enum class Storage : uint8_t { U8, I32, I64, U64, F32, F64 };

// Comparison operator of the BCmp* codes.
enum class Cmp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

// A fused windowed aggregate (engine/expr/bound_expr.h, WindowSpec), over the
// group's buckets first .. last (group-relative, inclusive), into register dst
// (int pool for I32 storage and for Count, LastActive, Trend; else double). NULL
// buckets make Sum, Min, Max and Trend NULL and are inactive for Count and
// LastActive. Results, bit for bit, are those of the desugared trees (a NaN for a NaN):
//   Sum    I32: exact int64, taken as differences of one running prefix sum;
//          F32/F64: in double, left to right (the tree's order)
//   Min/Max left fold of least/greatest (the same value as the balanced tree:
//          the leftmost NaN, else the leftmost extreme; -0.0 and 0.0 tie)
//   Count  buckets with a non-NULL value <> 0; never NULL
//   LastActive  first_bucket + the smallest active bucket, NULL when none
//   Trend  (I32 only) sum of (n - 1 - 2i) * x_i, i window-relative, exact in int64;
//          the middle bucket of an odd window (coefficient 0) is not read
enum class WinKind : uint8_t { Sum, Min, Max, Count, LastActive, Trend };
struct WinOut {
  WinKind kind = WinKind::Sum;
  uint32_t first = 0, last = 0;
  uint32_t dst = 0;
};
// One series' fused windows: bucket columns win_cols[cols_begin + k], k = 0 ..
// n_buckets - 1 (group bucket k is series bucket first_bucket + k), all of
// storage st (I32 holding int32, F32 or F64); outputs win_outs[outs_begin ..).
struct WinGroup {
  uint32_t cols_begin = 0, n_buckets = 0;
  uint32_t outs_begin = 0, n_outs = 0;
  int64_t first_bucket = 0;
  Storage st = Storage::I32;
};

struct Instr {
  Code code = Code::BConst;
  Cmp cmp = Cmp::Eq;
  Storage st = Storage::I32;  // layout of `col` for loads
  uint32_t dst = 0, a = 0, b = 0, c = 0;
  uint32_t col = 0;
  int64_t ival = 0;
  double dval = 0;
  float fval = 0;
  uint32_t col2 = 0;
  Storage st2 = Storage::I32;
  double dval2 = 1;
};

// A column's memory as the executors see it.
struct ColumnRef {
  const void* values = nullptr;        // row 0
  const uint64_t* validity = nullptr;  // nullptr: no NULLs
  std::size_t padded_rows = 0;         // rows the buffer holds (for prefetch bounds)
};

// Everything one executor call needs (all pointers are 64-byte aligned).
struct ExecFrame {
  const Instr* code;
  std::size_t n_code;
  const ColumnRef* cols;  // indexed by population column index
  std::size_t begin;      // first row of the batch, a multiple of 64
  std::size_t rows64;     // rows in the batch rounded up to 64, <= kBatchRows
  int64_t as_of;          // population's as_of (days since 1970-01-01)
  std::size_t batch;      // kBatchRows: register stride in values
  int64_t* ireg;          // int register r: ireg + r * batch
  uint64_t* ivalid;       // its validity: ivalid + r * batch / 64
  double* dreg;
  uint64_t* dvalid;
  uint64_t* bval;  // bool register r: bval + r * batch / 64
  uint64_t* bvalid;
  const WinGroup* win_groups;  // Code::Window's side tables (Program)
  const WinOut* win_outs;
  const uint32_t* win_cols;
};

// One executor per instruction set (engine/expr/executor_*.cc); identical results.
void execute_scalar(const ExecFrame& f);
void execute_sse42(const ExecFrame& f);
void execute_avx2(const ExecFrame& f);
void execute_avx512(const ExecFrame& f);

}  // namespace nudge::expr
