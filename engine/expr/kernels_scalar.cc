// Executor compiled for scalar (engine/expr/kernels_impl.h; dispatch in engine/expr/program.cc).
#define NUDGE_EXPR_ISA_SCALAR 1
#include "engine/expr/kernels_impl.h"

void nudge::expr::execute_scalar(const ExecFrame& f) { Executor(f).run(); }
