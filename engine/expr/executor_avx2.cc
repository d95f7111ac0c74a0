// The expression executor compiled for xsimd::avx2 (executor_simd.h; dispatch in engine/expr/program.cc).
#include <immintrin.h>

#include "engine/expr/executor_simd.h"

// _mm256_zeroupper on the way out, as in executor_avx512.cc: no AVX-to-SSE
// transition penalty for the caller's baseline code.
void nudge::expr::execute_avx2(const ExecFrame& f) {
  Executor<xsimd::avx2>(f).run();
  _mm256_zeroupper();
}
