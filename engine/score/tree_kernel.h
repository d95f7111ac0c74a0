// Batched traversal of complete-layout trees (engine/score/tree_ensemble.h)
// over a block of rows: the hot loop of XGBoost scoring.
//
// Input: a feature-major float32 block matrix m, m[(f << stride_shift) + i]
// = feature f of the block's row i (NaN = missing), 2^stride_shift >= rows
// columns per feature. Output: acc[i] += leaf value of each tree, trees
// t_begin..t_end-1 in order, in float32 (so the sum is bit-identical to the
// per-row reference walk). Every tree in the range must have a complete
// layout (depth != kWalkTree).
//
// SIMD (xsimd, runtime dispatch on simd::active_isa()): lanes are rows; per
// level each lane gathers its slot's packed feature/default word and
// threshold, then its feature value, and steps to 2i+1 or 2i+2 without a
// branch. The root is the same for every lane, so level 0 is a broadcast and
// a contiguous load. Lanes beyond `rows`, up to the next multiple of
// kLanePadding, are
// computed and discarded: m and acc must hold them (any finite or NaN value).
// Up to kLanePadding rows are in flight at once (K register groups) so that
// gather latencies overlap.
// Isa::Scalar runs the same steps one row at a time in plain C++.
//
// Thread-safety: pure; distinct acc blocks may be scored concurrently.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/score/tree_ensemble.h"

namespace nudge::score {

// Raw views of an ensemble's complete layout (no containers: per-ISA code takes only pointers).
struct ForestView {
  const CompleteTree* trees;
  const int32_t* feature;  // feature index | default_left << 31, per slot
  const float* threshold;  // per slot
  const float* leaf;       // per leaf slot
};

inline constexpr std::size_t kLanePadding = 64;  // rows the SIMD kernels step by (several registers at once)

void score_forest_block(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m, int stride_shift,
                        std::size_t rows, float* acc);
// The plain path (Isa::Scalar), also the reference the SIMD paths are tested against.
void score_forest_block_scalar(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m,
                               int stride_shift, std::size_t rows, float* acc) noexcept;

namespace detail {
template <class Arch>
void forest_block_kernel(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m, int stride_shift,
                         std::size_t rows, float* acc) noexcept;
}  // namespace detail

}  // namespace nudge::score
