// Benchmark settings from the environment and shared helpers (bench_env.h).
#include "bench/support/bench_env.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"

namespace nudge::bench {

std::size_t bench_members() {
  const char* env = std::getenv("NUDGE_BENCH_MEMBERS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

std::size_t env_size(const char* name, std::size_t dflt) {
  const char* e = std::getenv(name);
  return e ? std::strtoull(e, nullptr, 10) : dflt;
}

void die(std::string_view who, const std::string& message) {
  std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(who.size()), who.data(), message.c_str());
  std::exit(1);
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

Population rs1_snapshot(std::size_t n) {
  auto snap = std::filesystem::temp_directory_path() / ("nudge_sweep_bench_" + std::to_string(n) + ".snap");
  if (!std::filesystem::exists(snap)) write_snapshot(generate_rs1(n, 42), snap);
  return open_snapshot(snap);
}

}  // namespace nudge::bench
