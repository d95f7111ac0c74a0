#include "engine/score/tree_kernel.h"

#include <xsimd/xsimd.hpp>

#include "engine/base/simd.h"

namespace nudge::score {

void score_forest_block_scalar(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m,
                               int stride_shift, std::size_t rows, float* acc) noexcept {
  for (std::size_t t = t_begin; t < t_end; ++t) {
    const CompleteTree& ct = f.trees[t];
    const int32_t* feat = f.feature + ct.node_offset;
    const float* thr = f.threshold + ct.node_offset;
    const std::size_t internal = (std::size_t{1} << ct.depth) - 1;
    for (std::size_t i = 0; i < rows; ++i) {
      std::size_t slot = 0;
      for (int level = 0; level < ct.depth; ++level) {
        const int32_t fd = feat[slot];
        const float x = m[(std::size_t(fd & 0x7fffffff) << stride_shift) + i];
        const bool go_left = x != x ? fd < 0 : x < thr[slot];  // NaN (missing): the default direction
        slot = 2 * slot + (go_left ? 1 : 2);
      }
      acc[i] += f.leaf[ct.leaf_offset + slot - internal];
    }
  }
}

void score_forest_block(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m, int stride_shift,
                        std::size_t rows, float* acc) {
  switch (simd::active_isa()) {
    case simd::Isa::Avx512:
      return detail::forest_block_kernel<xsimd::avx512bw>(f, t_begin, t_end, m, stride_shift, rows, acc);
    case simd::Isa::Avx2:
      return detail::forest_block_kernel<xsimd::avx2>(f, t_begin, t_end, m, stride_shift, rows, acc);
    case simd::Isa::Sse42:
      return detail::forest_block_kernel<xsimd::sse4_2>(f, t_begin, t_end, m, stride_shift, rows, acc);
    case simd::Isa::Scalar: break;
  }
  score_forest_block_scalar(f, t_begin, t_end, m, stride_shift, rows, acc);
}

}  // namespace nudge::score
