// stream_sum kernel compiled for xsimd::sse4_2 (see engine/base/simd.h).
#include "bench/stream_read/stream_read_simd.h"

template uint64_t nudge::detail::stream_sum_kernel<xsimd::sse4_2>(const uint64_t*, std::size_t) noexcept;
