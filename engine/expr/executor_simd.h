// The expression executor: runs a compiled program (engine/expr/instructions.h)
// over one batch, written once as templates over Arch (an xsimd architecture,
// or ScalarArch for plain loops) and instantiated by executor_{scalar,sse42,
// avx2,avx512}.cc, each compiled with its set's flags (the per-ISA recipe of
// engine/base/simd.h). Include only from those files. Everything here has
// internal linkage (anonymous namespace), so no function compiled with
// wide-ISA flags can be picked by the linker for another ISA.
//
// The hot kernels (column-against-constant and register comparisons, which
// turn 64 rows into one bitmap word) use xsimd batches and a movemask per
// instruction set; the others are plain loops that the compiler vectorises
// with the TU's flags. With ScalarArch every kernel is a plain loop. All
// kernels compute identical bits and values: comparisons are exact,
// + - * / and sqrt are correctly rounded IEEE operations in every set (no
// contraction into FMA: ISO C++ mode), and ln, exp and fmod call libm per lane.
// Kernels are total: any bit pattern in a NULL lane is computed without traps.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "engine/expr/instructions.h"

#include <immintrin.h>

#include <xsimd/xsimd.hpp>

namespace nudge::expr {
namespace {

// The Arch of the plain-loop executor (Isa::Scalar): no xsimd batches.
struct ScalarArch {};
template <class Arch>
inline constexpr bool kSimd = !std::is_same_v<Arch, ScalarArch>;

// Lane i of the comparison -> bit i.
template <class Arch, class T>
inline uint64_t mask_of(const xsimd::batch_bool<T, Arch>& b) {
  auto r = static_cast<typename xsimd::batch_bool<T, Arch>::register_type>(b);
  if constexpr (std::is_same_v<Arch, xsimd::sse4_2>) {
    if constexpr (std::is_same_v<T, float>) return static_cast<unsigned>(_mm_movemask_ps(r));
    else if constexpr (std::is_same_v<T, double>) return static_cast<unsigned>(_mm_movemask_pd(r));
    else if constexpr (sizeof(T) == 4) return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(r)));
    else return static_cast<unsigned>(_mm_movemask_pd(_mm_castsi128_pd(r)));
  } else if constexpr (std::is_same_v<Arch, xsimd::avx2>) {
    if constexpr (std::is_same_v<T, float>) return static_cast<unsigned>(_mm256_movemask_ps(r));
    else if constexpr (std::is_same_v<T, double>) return static_cast<unsigned>(_mm256_movemask_pd(r));
    else if constexpr (sizeof(T) == 4) return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(r)));
    else return static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(r)));
  } else {
    static_assert(std::is_same_v<Arch, xsimd::avx512bw>, "an Arch the executor does not know");
    return static_cast<uint64_t>(r);  // AVX-512 comparisons already produce a lane mask
  }
}

template <Cmp kOp, class X, class Y>
inline auto apply_cmp(const X& x, const Y& y) {
  if constexpr (kOp == Cmp::Eq) return x == y;
  else if constexpr (kOp == Cmp::Lt) return x < y;
  else if constexpr (kOp == Cmp::Le) return x <= y;
  else if constexpr (kOp == Cmp::Gt) return x > y;
  else return x >= y;
}

// out[w] = bits of (x[r] op y[r]) for 64-row words; y is a constant when kConst.
template <class Arch, Cmp kOp, bool kConst, class T>
inline void cmp_words(const T* x, const T* y, T c, std::size_t words, uint64_t* out, const char* pf) {
  // Computed as the negation of another comparison: <> always (NOT =, so NaN
  // gives TRUE), and for integers <= / >= (NOT >, NOT <: one instruction
  // instead of two on x86).
  constexpr bool kInt = std::is_integral_v<T>;
  constexpr bool kNegate = kOp == Cmp::Ne || (kInt && (kOp == Cmp::Le || kOp == Cmp::Ge));
  constexpr Cmp op = kOp == Cmp::Ne ? Cmp::Eq : !kInt ? kOp : kOp == Cmp::Le ? Cmp::Gt : kOp == Cmp::Ge ? Cmp::Lt : kOp;
  for (std::size_t w = 0; w < words; ++w) {
    const T* xs = x + w * 64;
    // Ask for the same rows of the next batch now, spread over this batch's
    // work: a batch jumps between many columns, and the hardware prefetcher
    // restarts at every jump (and every 4 KiB page).
    if (pf)
      for (std::size_t b = 0; b < 64 * sizeof(T); b += 64) __builtin_prefetch(pf + w * 64 * sizeof(T) + b, 0, 3);
    uint64_t bits = 0;
    if constexpr (kSimd<Arch>) {
      using B = xsimd::batch<T, Arch>;
      constexpr std::size_t N = B::size;
      const B vc(c);
      if constexpr (kConst) {
        for (std::size_t j = 0; j < 64; j += N)
          bits |= mask_of<Arch, T>(apply_cmp<op>(B::load_aligned(xs + j), vc)) << j;
      } else {
        const T* ys = y + w * 64;
        for (std::size_t j = 0; j < 64; j += N)
          bits |= mask_of<Arch, T>(apply_cmp<op>(B::load_aligned(xs + j), B::load_aligned(ys + j))) << j;
      }
    } else {
      for (std::size_t j = 0; j < 64; ++j)
        bits |= static_cast<uint64_t>(apply_cmp<op>(xs[j], kConst ? c : y[w * 64 + j])) << j;
    }
    out[w] = kNegate ? ~bits : bits;
  }
}

template <class Arch, bool kConst, class T>
inline void cmp_dispatch(Cmp op, const T* x, const T* y, T c, std::size_t words, uint64_t* out,
                         const char* pf = nullptr) {
  switch (op) {
    case Cmp::Eq: return cmp_words<Arch, Cmp::Eq, kConst>(x, y, c, words, out, pf);
    case Cmp::Ne: return cmp_words<Arch, Cmp::Ne, kConst>(x, y, c, words, out, pf);
    case Cmp::Lt: return cmp_words<Arch, Cmp::Lt, kConst>(x, y, c, words, out, pf);
    case Cmp::Le: return cmp_words<Arch, Cmp::Le, kConst>(x, y, c, words, out, pf);
    case Cmp::Gt: return cmp_words<Arch, Cmp::Gt, kConst>(x, y, c, words, out, pf);
    case Cmp::Ge: return cmp_words<Arch, Cmp::Ge, kConst>(x, y, c, words, out, pf);
  }
}

constexpr int64_t kInt64Min = -9223372036854775807LL - 1;
constexpr uint64_t kInt64Max = 9223372036854775807ULL;

template <class Arch>
class Executor {
 public:
  explicit Executor(const ExecFrame& f) : f_(f), W_(f.rows64 / 64), S_(f.batch), SW_(f.batch / 64) {}

  void run() {
    for (std::size_t k = 0; k < f_.n_code; ++k) step(f_.code[k]);
  }

 private:
  int64_t* I(uint32_t r) const { return f_.ireg + r * S_; }
  uint64_t* IV(uint32_t r) const { return f_.ivalid + r * SW_; }
  double* D(uint32_t r) const { return f_.dreg + r * S_; }
  uint64_t* DV(uint32_t r) const { return f_.dvalid + r * SW_; }
  uint64_t* BV(uint32_t r) const { return f_.bval + r * SW_; }
  uint64_t* BM(uint32_t r) const { return f_.bvalid + r * SW_; }

  template <class T>
  const T* col(const Instr& in) const {
    return static_cast<const T*>(f_.cols[in.col].values) + f_.begin;
  }
  // The column's rows of the next batch (for prefetching), or nullptr past its end.
  template <class T>
  const char* next_batch(uint32_t c) const {
    if (f_.begin + f_.batch + f_.rows64 > f_.cols[c].padded_rows) return nullptr;
    return reinterpret_cast<const char*>(static_cast<const T*>(f_.cols[c].values) + f_.begin + f_.batch);
  }
  // Validity words of the column for this batch (all ones when it has no NULLs).
  void col_valid(const Instr& in, uint64_t* out) const {
    const uint64_t* v = f_.cols[in.col].validity;
    for (std::size_t w = 0; w < W_; ++w) out[w] = v ? v[f_.begin / 64 + w] : ~uint64_t{0};
  }
  void and_valid(const uint64_t* a, const uint64_t* b, uint64_t* out) const {
    for (std::size_t w = 0; w < W_; ++w) out[w] = a[w] & b[w];
  }
  // Comparison result: value = bits & validity.
  void finish_cmp(const Instr& in) const {
    uint64_t* v = BV(in.dst);
    const uint64_t* m = BM(in.dst);
    for (std::size_t w = 0; w < W_; ++w) v[w] &= m[w];
  }

  // Integer binary operation with overflow -> NULL. F(a, b, &r) returns true on overflow.
  template <class F>
  void int_binary(const Instr& in, F op) const {
    const int64_t *a = I(in.a), *b = I(in.b);
    int64_t* d = I(in.dst);
    const uint64_t *va = IV(in.a), *vb = IV(in.b);
    uint64_t* vd = IV(in.dst);
    for (std::size_t w = 0; w < W_; ++w) {
      uint64_t bad = 0;
      for (std::size_t j = 0; j < 64; ++j) {
        std::size_t i = w * 64 + j;
        bad |= static_cast<uint64_t>(op(a[i], b[i], &d[i])) << j;
      }
      vd[w] = va[w] & vb[w] & ~bad;
    }
  }
  template <class F>
  void int_unary(const Instr& in, F op) const {
    const int64_t* a = I(in.a);
    int64_t* d = I(in.dst);
    const uint64_t* va = IV(in.a);
    uint64_t* vd = IV(in.dst);
    for (std::size_t w = 0; w < W_; ++w) {
      uint64_t bad = 0;
      for (std::size_t j = 0; j < 64; ++j) {
        std::size_t i = w * 64 + j;
        bad |= static_cast<uint64_t>(op(a[i], &d[i])) << j;
      }
      vd[w] = va[w] & ~bad;
    }
  }
  template <class F>
  void dbl_binary(const Instr& in, F op) const {
    const double *a = D(in.a), *b = D(in.b);
    double* d = D(in.dst);
    for (std::size_t i = 0; i < f_.rows64; ++i) d[i] = op(a[i], b[i]);
    and_valid(DV(in.a), DV(in.b), DV(in.dst));
  }
  template <class F>
  void dbl_unary(const Instr& in, F op) const {
    const double* a = D(in.a);
    double* d = D(in.dst);
    for (std::size_t i = 0; i < f_.rows64; ++i) d[i] = op(a[i]);
    const uint64_t* va = DV(in.a);
    uint64_t* vd = DV(in.dst);
    for (std::size_t w = 0; w < W_; ++w) vd[w] = va[w];
  }
  // Clears validity where pred(value) holds (division by zero, ln of <= 0, ...).
  template <class F>
  void dbl_null_where(const double* x, uint64_t* vd, F pred) const {
    for (std::size_t w = 0; w < W_; ++w) {
      uint64_t bad = 0;
      for (std::size_t j = 0; j < 64; ++j) bad |= static_cast<uint64_t>(pred(x[w * 64 + j])) << j;
      vd[w] &= ~bad;
    }
  }
  // Per-row choice: take[w] bit set -> a, else b (values and validity).
  template <class T>
  void select(const uint64_t* take, const T* a, const uint64_t* va, const T* b, const uint64_t* vb, T* d,
              uint64_t* vd) const {
    for (std::size_t w = 0; w < W_; ++w) {
      uint64_t t = take[w];
      for (std::size_t j = 0; j < 64; ++j) {
        std::size_t i = w * 64 + j;
        d[i] = ((t >> j) & 1) ? a[i] : b[i];
      }
      vd[w] = (t & va[w]) | (~t & vb[w]);
    }
  }

  // out[j] = k * double(column value) for the 64 rows of word w.
  void load_scaled(uint32_t c, Storage st, double k, std::size_t w, double* out) const {
    const std::size_t r0 = f_.begin + w * 64;
    const char* pf = st == Storage::F64 ? next_batch<double>(c) : next_batch<int32_t>(c);
    const std::size_t width = st == Storage::F64 ? 8 : 4;
    if (pf)
      for (std::size_t b = 0; b < 64 * width; b += 64) __builtin_prefetch(pf + w * 64 * width + b, 0, 3);
    if (st == Storage::I32) {
      const int32_t* p = static_cast<const int32_t*>(f_.cols[c].values) + r0;
      for (std::size_t j = 0; j < 64; ++j) out[j] = k * static_cast<double>(p[j]);
    } else if (st == Storage::F32) {
      const float* p = static_cast<const float*>(f_.cols[c].values) + r0;
      for (std::size_t j = 0; j < 64; ++j) out[j] = k * static_cast<double>(p[j]);
    } else {
      const double* p = static_cast<const double*>(f_.cols[c].values) + r0;
      for (std::size_t j = 0; j < 64; ++j) out[j] = k * p[j];
    }
  }

  void step(const Instr& in) const;
  void window_group(const WinGroup& g) const;

  const ExecFrame& f_;
  std::size_t W_, S_, SW_;
};

#include "engine/expr/executor_step.inc"
#include "engine/expr/executor_window.inc"

}  // namespace
}  // namespace nudge::expr
