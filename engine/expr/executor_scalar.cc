// The expression executor compiled for ScalarArch (executor_simd.h; dispatch in engine/expr/program.cc).
#include "engine/expr/executor_simd.h"

void nudge::expr::execute_scalar(const ExecFrame& f) { Executor<ScalarArch>(f).run(); }
