// Benchmark settings read from the environment, the same in every benchmark.
//
//   NUDGE_BENCH_MEMBERS   members in the generated population (default 10,000,000)
#pragma once

#include <cstddef>

namespace nudge::bench {

// NUDGE_BENCH_MEMBERS, or 10,000,000.
std::size_t bench_members();

}  // namespace nudge::bench
