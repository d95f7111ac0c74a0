// Instruction-set selection for nudge's SIMD kernels (runtime dispatch).
//
// The library is compiled for baseline x86-64. Each SIMD kernel is written
// once as a template over an xsimd architecture (Arch) and instantiated in one
// small translation unit per instruction set, compiled with that set's flags
// by CMake (nudge_isa_sources), following xsimd's dispatching recipe. At run
// time the kernel's dispatcher switches on active_isa(), which defaults to the
// widest set the CPU (and OS) supports. Isa::Scalar selects the plain scalar
// implementation: a real, selectable path (simdjson's "fallback"), used as a
// reference by tests and reachable from the CLI with `--simd=scalar`.
//
// The one recipe and naming pattern for per-ISA files (engine/expr executor,
// engine/score tree_kernel, bench/stream_read):
//   <name>.h / <name>.cc   the API and the dispatcher on active_isa();
//   <name>_simd.h          the kernel body, templates over Arch only; included
//                          by the per-ISA files and nothing else;
//   <name>_<isa>.cc        isa = sse42, avx2, avx512 (and scalar where the
//                          scalar path is the same body with plain loops):
//                          only the instantiation for its Arch (an explicit
//                          template instantiation, or the entry function
//                          calling it), no #define before the include.
//
// Rule for per-ISA translation units: keep them to loops over raw pointers and
// xsimd batches; no std containers or allocation, and every helper either a
// template over Arch or in an anonymous namespace, so no out-of-line inline
// function compiled for a wide ISA can be picked by the linker for callers
// that run on a narrower CPU.
//
// Thread-safety: active_isa() is an atomic read; set_active_isa() is meant for
// program start-up (CLI) and tests, not while a sweep is running.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace nudge::simd {

enum class Isa : uint8_t {
  Scalar = 0,  // plain C++, no explicit SIMD (the reference path)
  Sse42 = 1,   // 128-bit: SSE4.2 + POPCNT (xsimd::sse4_2)
  Avx2 = 2,    // 256-bit: AVX2 + FMA + BMI2 (xsimd::avx2)
  Avx512 = 3,  // 512-bit: AVX-512 F/BW/DQ/VL/CD (xsimd::avx512bw)
};

std::string_view isa_name(Isa isa) noexcept;  // "scalar", "sse4.2", "avx2", "avx512"
// Accepts the names above plus "sse42", "avx512bw" and "best" (= best_isa()).
std::optional<Isa> parse_isa(std::string_view name) noexcept;

bool cpu_supports(Isa isa) noexcept;  // the CPU and OS can run it
Isa best_isa() noexcept;              // the widest supported set
std::vector<Isa> supported_isas();    // every supported set, Scalar first

Isa active_isa() noexcept;  // the set kernels dispatch to now
// Selects the set kernels use. Throws nudge::Error(Usage) when the CPU lacks it.
void set_active_isa(Isa isa);

// RAII: selects `isa` for the lifetime of the object, then restores (tests).
class ScopedIsa {
 public:
  explicit ScopedIsa(Isa isa) : saved_(active_isa()) { set_active_isa(isa); }
  ~ScopedIsa() { set_active_isa(saved_); }
  ScopedIsa(const ScopedIsa&) = delete;
  ScopedIsa& operator=(const ScopedIsa&) = delete;

 private:
  Isa saved_;
};

}  // namespace nudge::simd
