// The expression executor compiled for xsimd::avx512bw (executor_simd.h; dispatch in engine/expr/program.cc).
#include <immintrin.h>

#include "engine/expr/executor_simd.h"

// _mm256_zeroupper on the way out: the kernels leave the upper vector state
// dirty, and the caller's baseline (SSE) code then pays an AVX-to-SSE
// transition on every instruction until it is cleared. Measured: the sweep's
// churn scoring (libm exp, after evaluate) ran 2.5x slower without it
// (bench/README.md, "Before and after this round's merges").
void nudge::expr::execute_avx512(const ExecFrame& f) {
  Executor<xsimd::avx512bw>(f).run();
  _mm256_zeroupper();
}
