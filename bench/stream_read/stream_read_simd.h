// Kernel body of stream_sum, instantiated once per instruction set by
// stream_read_{sse42,avx2,avx512}.cc. Include only from those files.
#pragma once

#include <xsimd/xsimd.hpp>

#include "bench/stream_read/stream_read.h"

namespace nudge::detail {

template <class Arch>
uint64_t stream_sum_kernel(const uint64_t* data, std::size_t words) noexcept {
  using B = xsimd::batch<uint64_t, Arch>;
  constexpr std::size_t W = B::size;
  B a0(uint64_t{0}), a1(uint64_t{0}), a2(uint64_t{0}), a3(uint64_t{0});  // 4 accumulators hide add latency
  std::size_t i = 0;
  for (; i + 4 * W <= words; i += 4 * W) {
    a0 += B::load_unaligned(data + i);
    a1 += B::load_unaligned(data + i + W);
    a2 += B::load_unaligned(data + i + 2 * W);
    a3 += B::load_unaligned(data + i + 3 * W);
  }
  for (; i + W <= words; i += W) a0 += B::load_unaligned(data + i);
  uint64_t s = xsimd::hadd(a0 + a1 + a2 + a3);
  for (; i < words; ++i) s += data[i];  // callers' buffers are padded, but the kernel stays safe for any length
  return s;
}

}  // namespace nudge::detail
