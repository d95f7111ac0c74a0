// Kernel body of score_forest_block, instantiated once per instruction set by
// tree_kernel_{sse42,avx2,avx512}.cc. Include only from those files.
#pragma once

#include <xsimd/xsimd.hpp>

#include "engine/score/tree_kernel.h"

namespace nudge::score::detail {

template <class Arch>
void forest_block_kernel(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m, int stride_shift,
                         std::size_t rows, float* acc) noexcept {
  using F = xsimd::batch<float, Arch>;
  using I = xsimd::batch<int32_t, Arch>;
  constexpr std::size_t W = F::size;
  alignas(64) int32_t lane_ids[W];
  for (std::size_t k = 0; k < W; ++k) lane_ids[k] = int32_t(k);
  const I lane = I::load_aligned(lane_ids);
  const I feature_mask(int32_t(0x7fffffff));
  // -1 where b holds, else 0. (Not x != x for NaN: xsimd 8.1's AVX neq is the ordered compare.)
  auto as_int = [](xsimd::batch_bool<float, Arch> b) { return xsimd::bitwise_cast<I>(xsimd::bitwise_cast(b)); };

  for (std::size_t t = t_begin; t < t_end; ++t) {
    const CompleteTree& ct = f.trees[t];
    const int32_t* feat = f.feature + ct.node_offset;
    const float* thr = f.threshold + ct.node_offset;
    const int d = ct.depth;
    const int32_t internal = (int32_t(1) << d) - 1;
    const float* leaf = f.leaf + ct.leaf_offset - internal;  // indexed by slot number of a bottom slot
    if (d == 0) {  // a single leaf
      const F v(leaf[0]);
      for (std::size_t g = 0; g < rows; g += W) (F::load_unaligned(acc + g) + v).store_unaligned(acc + g);
      continue;
    }
    // Root: one slot for every lane.
    const float* root_x = m + (std::size_t(feat[0] & 0x7fffffff) << stride_shift);
    const F root_t(thr[0]);
    const I root_dl(feat[0] < 0 ? int32_t(-1) : 0);
    for (std::size_t g = 0; g < rows; g += W) {
      const F x0 = F::load_unaligned(root_x + g);
      // go_left is -1 (left) or 0 (right); slot = 2 * slot + 2 + go_left.
      I go_left = as_int(x0 < root_t) | (as_int(xsimd::isnan(x0)) & root_dl);
      I slot = I(2) + go_left;
      const I row = I(int32_t(g)) + lane;
      for (int level = 1; level < d; ++level) {
        const I fd = I::gather(feat, slot);
        const F th = F::gather(thr, slot);
        const F x = F::gather(m, ((fd & feature_mask) << stride_shift) + row);
        go_left = as_int(x < th) | (as_int(xsimd::isnan(x)) & (fd >> 31));  // NaN: the default direction (sign bit)
        slot = slot + slot + I(2) + go_left;
      }
      (F::load_unaligned(acc + g) + F::gather(leaf, slot)).store_unaligned(acc + g);
    }
  }
}

}  // namespace nudge::score::detail
