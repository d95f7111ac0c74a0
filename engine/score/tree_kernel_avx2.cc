// score_forest_block kernel compiled for xsimd::avx2 (see engine/base/simd.h).
#include "engine/score/tree_kernel_simd.h"

template void nudge::score::detail::forest_block_kernel<xsimd::avx2>(const ForestView&, std::size_t, std::size_t,
                                                                     const float*, int, std::size_t, float*) noexcept;
