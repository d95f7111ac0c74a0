// The generators' random numbers (io/gen/rs2_generator.cc, rs3_generator.cc):
// SplitMix64 over a 64-bit state, deterministic for a given seed on every
// platform. Internal to io/gen; not thread-safe (one per row or per thread).
#pragma once

#include <cstdint>

namespace nudge::gen {

struct SplitMix {
  uint64_t s;  // the state; seed it directly
  uint64_t next() noexcept {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 bits.
  double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n), n > 0 (modulo: a slight bias, kept for reproducibility).
  int64_t below(int64_t n) noexcept { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
  // True with probability p.
  bool chance(double p) noexcept { return unit() < p; }
};

}  // namespace nudge::gen
