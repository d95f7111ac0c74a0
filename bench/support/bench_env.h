// Benchmark settings read from the environment, the same in every benchmark,
// and the small helpers several benchmarks share.
//
//   NUDGE_BENCH_MEMBERS   members in the generated population (default 10,000,000)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/store/population.h"

namespace nudge::bench {

// NUDGE_BENCH_MEMBERS, or 10,000,000.
std::size_t bench_members();

// The environment variable `name` as a whole number, or dflt when unset.
std::size_t env_size(const char* name, std::size_t dflt);

// Prints "<who>: <message>" to stderr and exits with status 1 (a benchmark's
// self-check failed: its answer must not be timed).
[[noreturn]] void die(std::string_view who, const std::string& message);

// CPU seconds used by every thread of this process so far (CLOCK_PROCESS_CPUTIME_ID).
// On a shared, busy machine wall time includes waiting for a core; this does not.
double process_cpu_seconds();

// SplitMix64's finaliser of x + the golden ratio: a well-mixed 64-bit hash, deterministic.
uint64_t mix(uint64_t x);

// The RS-1 population of n members (seed 42), written once as a snapshot in the
// temp directory (nudge_sweep_bench_<n>.snap, shared by the sweep and optimise
// benchmarks) and opened from there (memory-mapped). Throws nudge::Error on I/O errors.
Population rs1_snapshot(std::size_t n);

}  // namespace nudge::bench
