// The expression executor compiled for xsimd::sse4_2 (executor_simd.h; dispatch in engine/expr/program.cc).
#include "engine/expr/executor_simd.h"

void nudge::expr::execute_sse42(const ExecFrame& f) { Executor<xsimd::sse4_2>(f).run(); }
