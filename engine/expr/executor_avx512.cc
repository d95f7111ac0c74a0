// The expression executor compiled for xsimd::avx512bw (executor_simd.h; dispatch in engine/expr/program.cc).
#include "engine/expr/executor_simd.h"

void nudge::expr::execute_avx512(const ExecFrame& f) { Executor<xsimd::avx512bw>(f).run(); }
