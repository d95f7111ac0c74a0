// Benchmark settings from the environment (bench_env.h).
#include "bench/support/bench_env.h"

#include <cstdlib>

namespace nudge::bench {

std::size_t bench_members() {
  const char* env = std::getenv("NUDGE_BENCH_MEMBERS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

}  // namespace nudge::bench
