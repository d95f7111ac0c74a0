#include "engine/base/simd.h"

#include <atomic>
#include <string>

#include "engine/base/error.h"

namespace nudge::simd {
namespace {
std::atomic<Isa>& active() {
  static std::atomic<Isa> a{best_isa()};
  return a;
}
}  // namespace

std::string_view isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::Scalar: return "scalar";
    case Isa::Sse42: return "sse4.2";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
  }
  return "?";
}

std::optional<Isa> parse_isa(std::string_view n) noexcept {
  if (n == "scalar") return Isa::Scalar;
  if (n == "sse4.2" || n == "sse42") return Isa::Sse42;
  if (n == "avx2") return Isa::Avx2;
  if (n == "avx512" || n == "avx512bw") return Isa::Avx512;
  if (n == "best") return best_isa();
  return std::nullopt;
}

bool cpu_supports(Isa isa) noexcept {
  // __builtin_cpu_supports consults CPUID and, for AVX and AVX-512, whether
  // the OS saves the wide registers (XGETBV), unlike a bare CPUID test.
  __builtin_cpu_init();
  switch (isa) {
    case Isa::Scalar: return true;
    case Isa::Sse42: return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
    case Isa::Avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
    case Isa::Avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512cd") && cpu_supports(Isa::Avx2);
  }
  return false;
}

Isa best_isa() noexcept {
  for (Isa i : {Isa::Avx512, Isa::Avx2, Isa::Sse42})
    if (cpu_supports(i)) return i;
  return Isa::Scalar;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa i : {Isa::Scalar, Isa::Sse42, Isa::Avx2, Isa::Avx512})
    if (cpu_supports(i)) out.push_back(i);
  return out;
}

Isa active_isa() noexcept { return active().load(std::memory_order_relaxed); }

void set_active_isa(Isa isa) {
  if (!cpu_supports(isa))
    throw_usage("this CPU does not support the " + std::string(isa_name(isa)) + " instruction set");
  active().store(isa, std::memory_order_relaxed);
}

}  // namespace nudge::simd
