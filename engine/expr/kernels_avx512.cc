// Executor compiled for avx512 (engine/expr/kernels_impl.h; dispatch in engine/expr/program.cc).
#define NUDGE_EXPR_ISA_AVX512 1
#include "engine/expr/kernels_impl.h"

void nudge::expr::execute_avx512(const ExecFrame& f) { Executor(f).run(); }
