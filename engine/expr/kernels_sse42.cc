// Executor compiled for sse42 (engine/expr/kernels_impl.h; dispatch in engine/expr/program.cc).
#define NUDGE_EXPR_ISA_SSE42 1
#include "engine/expr/kernels_impl.h"

void nudge::expr::execute_sse42(const ExecFrame& f) { Executor(f).run(); }
