// Executor compiled for avx2 (engine/expr/kernels_impl.h; dispatch in engine/expr/program.cc).
#define NUDGE_EXPR_ISA_AVX2 1
#include "engine/expr/kernels_impl.h"

void nudge::expr::execute_avx2(const ExecFrame& f) { Executor(f).run(); }
