#include "bench/stream_read/stream_read.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <xsimd/xsimd.hpp>

#include "engine/base/simd.h"

namespace nudge {

uint64_t stream_sum_scalar(const uint64_t* data, std::size_t words) noexcept {
  uint64_t s = 0;
  for (std::size_t i = 0; i < words; ++i) s += data[i];
  return s;
}

uint64_t stream_sum(const uint64_t* data, std::size_t words) {
  switch (simd::active_isa()) {
    case simd::Isa::Avx512: return detail::stream_sum_kernel<xsimd::avx512bw>(data, words);
    case simd::Isa::Avx2: return detail::stream_sum_kernel<xsimd::avx2>(data, words);
    case simd::Isa::Sse42: return detail::stream_sum_kernel<xsimd::sse4_2>(data, words);
    case simd::Isa::Scalar: break;
  }
  return stream_sum_scalar(data, words);
}

uint64_t stream_sum_parallel(const std::vector<std::span<const uint64_t>>& regions) {
  uint64_t total = 0;
  // Grain: 64 Ki words = 512 KiB per task, large enough to amortise task
  // overhead, small enough to balance two to sixteen cores.
  constexpr std::size_t kGrain = 64 * 1024;
  for (const auto& r : regions) {
    total += tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, r.size(), kGrain), uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& br, uint64_t acc) {
          return acc + stream_sum(r.data() + br.begin(), br.size());
        },
        [](uint64_t a, uint64_t b) { return a + b; });
  }
  return total;
}

}  // namespace nudge
