// The expression executor compiled for xsimd::avx2 (executor_simd.h; dispatch in engine/expr/program.cc).
#include "engine/expr/executor_simd.h"

void nudge::expr::execute_avx2(const ExecFrame& f) { Executor<xsimd::avx2>(f).run(); }
