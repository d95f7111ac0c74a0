// Streaming read: the memory-bandwidth baseline that benchmarks print beside
// every sweep ("how fast could any engine read these column bytes once?").
//
// stream_sum adds all bytes, taken as little-endian uint64 words, with
// wrap-around; the result is only a checksum that keeps the compiler from
// dropping the reads. SIMD kernels per instruction set (engine/base/simd.h) and a
// scalar reference give the same sum.
//
// Thread-safety: pure functions; stream_sum_parallel uses the calling
// thread's oneTBB arena (the caller decides the thread count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nudge {

// Sum of `words` uint64 words at `data` (8-byte aligned). Dispatches on simd::active_isa().
uint64_t stream_sum(const uint64_t* data, std::size_t words);
// The scalar reference.
uint64_t stream_sum_scalar(const uint64_t* data, std::size_t words) noexcept;
// Sum over several regions, each split into chunks read in parallel (oneTBB).
uint64_t stream_sum_parallel(const std::vector<std::span<const uint64_t>>& regions);

namespace detail {
template <class Arch>
uint64_t stream_sum_kernel(const uint64_t* data, std::size_t words) noexcept;
}  // namespace detail

}  // namespace nudge
