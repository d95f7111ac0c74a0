// Kernel body of score_forest_block, instantiated once per instruction set by
// tree_kernel_{sse42,avx2,avx512}.cc. Include only from those files.
//
// Per level, each lane needs its slot's packed feature word and threshold, at
// the bottom its leaf value. Gathers are slow on many cores (AMD Zen 3: about
// a cycle per element), so tables of up to 64 slots are looked up with
// in-register permutes and blends instead (AVX2: vpermd over 8 slots;
// AVX-512: vpermd over 16, vpermt2d over 32). Deeper levels, and SSE4.2,
// gather. The first kEvalLevels levels below the root avoid the feature-value
// gather too: every slot of the level is evaluated for all lanes with
// contiguous loads of its feature, and each lane keeps its own slot's answer.
// Tables are read in whole registers from a level's first slot, up to 16
// slots past the end of a tree's (and the ensemble's) arrays, which
// build_ensemble pads (kSlotPadding).
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "engine/score/tree_kernel.h"

namespace nudge::score::detail {

inline constexpr int kEvalLevels = 2;  // levels below the root evaluated slot by slot (2 + 4 slots)

inline constexpr int kMaxLookupLevel = 5;  // up to 64 slots looked up in registers (AVX2, AVX-512)

// src[index] lane by lane. xsimd 8.1's batch::gather never reaches its AVX2 /
// AVX-512 overloads (their template parameters cannot match the call) and
// falls back to element-by-element inserts, so call the instructions here.
template <class Arch, class T>
inline xsimd::batch<T, Arch> gather(const T* src, const xsimd::batch<int32_t, Arch>& index) noexcept {
  if constexpr (std::is_same_v<Arch, xsimd::avx2>) {
    if constexpr (std::is_same_v<T, float>) return _mm256_i32gather_ps(src, index, 4);
    else return _mm256_i32gather_epi32(reinterpret_cast<const int*>(src), index, 4);
  } else if constexpr (std::is_same_v<Arch, xsimd::avx512bw>) {
    if constexpr (std::is_same_v<T, float>) return _mm512_i32gather_ps(index, src, 4);
    else return _mm512_i32gather_epi32(index, src, 4);
  } else {
    return xsimd::batch<T, Arch>::gather(src, index);
  }
}

// table[local] for the 2^level slots of one level (or the leaves), lane by lane.
template <class Arch, class T>
inline xsimd::batch<T, Arch> level_lookup(const T* table, const xsimd::batch<int32_t, Arch>& local,
                                          int level) noexcept {
  if constexpr (std::is_same_v<Arch, xsimd::avx2>) {
    if (level <= kMaxLookupLevel) {
      // 8 slots per register, vpermd by the low 3 bits of local; then blendv by
      // bits 3, 4, 5 (shifted into the sign bit, which blendv reads).
      __m256 r[8];
      const int regs = level <= 3 ? 1 : 1 << (level - 3);
      for (int j = 0; j < regs; ++j)
        r[j] = _mm256_permutevar8x32_ps(_mm256_loadu_ps(reinterpret_cast<const float*>(table) + 8 * j), local);
      for (int b = 3, n = regs; n > 1; ++b, n /= 2) {
        const __m256 sel = _mm256_castsi256_ps(_mm256_slli_epi32(local, 31 - b));
        for (int j = 0; j < n / 2; ++j) r[j] = _mm256_blendv_ps(r[2 * j], r[2 * j + 1], sel);
      }
      if constexpr (std::is_same_v<T, float>) return r[0];
      else return _mm256_castps_si256(r[0]);
    }
  } else if constexpr (std::is_same_v<Arch, xsimd::avx512bw>) {
    if (level <= kMaxLookupLevel) {
      // vpermd over 16 slots, vpermt2d over 32, two of those and a masked blend by bit 5 over 64.
      const float* t = reinterpret_cast<const float*>(table);
      __m512 r;
      if (level <= 4) r = _mm512_permutexvar_ps(local, _mm512_loadu_ps(t));
      else r = _mm512_permutex2var_ps(_mm512_loadu_ps(t), local, _mm512_loadu_ps(t + 16));
      if (level == 6) {
        const __m512 hi = _mm512_permutex2var_ps(_mm512_loadu_ps(t + 32), local, _mm512_loadu_ps(t + 48));
        r = _mm512_mask_blend_ps(_mm512_test_epi32_mask(local, _mm512_set1_epi32(32)), r, hi);
      }
      if constexpr (std::is_same_v<T, float>) return r;
      else return _mm512_castps_si512(r);
    }
  }
  return gather<Arch>(table, local);
}

// -1 where the lane goes left, else 0: x < th, or for a missing (NaN) x the
// default direction, the sign bit of the packed feature word fd.
template <class Arch>
inline xsimd::batch<int32_t, Arch> go_left(const xsimd::batch<float, Arch>& x, const xsimd::batch<float, Arch>& th,
                                           const xsimd::batch<int32_t, Arch>& fd) noexcept {
  using I = xsimd::batch<int32_t, Arch>;
  if constexpr (std::is_same_v<Arch, xsimd::avx2>) {
    // x < th is false for NaN; !(x >= th) is true for NaN. Blend by fd's sign bit.
    const __m256 lt = _mm256_cmp_ps(x, th, _CMP_LT_OQ), nge = _mm256_cmp_ps(x, th, _CMP_NGE_UQ);
    return _mm256_castps_si256(_mm256_blendv_ps(lt, nge, _mm256_castsi256_ps(fd)));
  } else {
    // (Not x != x for NaN: xsimd 8.1's AVX neq is the ordered compare.)
    auto as_int = [](xsimd::batch_bool<float, Arch> b) { return xsimd::bitwise_cast<I>(xsimd::bitwise_cast(b)); };
    return as_int(x < th) | (as_int(xsimd::isnan(x)) & (fd >> 31));
  }
}

template <class Arch>
void forest_block_kernel(const ForestView& f, std::size_t t_begin, std::size_t t_end, const float* m, int stride_shift,
                         std::size_t rows, float* acc) noexcept {
  using F = xsimd::batch<float, Arch>;
  using I = xsimd::batch<int32_t, Arch>;
  constexpr std::size_t W = F::size;
  // K register groups walk the tree together: each level's gather latency
  // overlaps K independent chains instead of stalling one.
  constexpr std::size_t K = kLanePadding / W;
  alignas(64) int32_t lane_ids[W];
  for (std::size_t k = 0; k < W; ++k) lane_ids[k] = int32_t(k);
  const I lane = I::load_aligned(lane_ids);
  const I feature_mask(int32_t(0x7fffffff));
  // -1 where b holds, else 0. (NaN test with isnan, not x != x: xsimd 8.1's AVX neq is the ordered compare.)
  auto as_int = [](xsimd::batch_bool<float, Arch> b) { return xsimd::bitwise_cast<I>(xsimd::bitwise_cast(b)); };

  for (std::size_t t = t_begin; t < t_end; ++t) {
    const CompleteTree& ct = f.trees[t];
    const int32_t* feat = f.feature + ct.node_offset;
    const float* thr = f.threshold + ct.node_offset;
    const int d = ct.depth;
    const float* leaf = f.leaf + ct.leaf_offset;
    if (d == 0) {  // a single leaf
      const F v(leaf[0]);
      for (std::size_t g = 0; g < rows; g += W) (F::load_unaligned(acc + g) + v).store_unaligned(acc + g);
      continue;
    }
    // Root: one slot for every lane, so a broadcast and a contiguous load.
    const float* root_x = m + (std::size_t(feat[0] & 0x7fffffff) << stride_shift);
    const F root_t(thr[0]);
    const I root_dl(feat[0] < 0 ? int32_t(-1) : 0);
    for (std::size_t g = 0; g < rows; g += K * W) {
      // local = slot index within its level; go_left is -1 (left) or 0 (right):
      // the child's local index is 2 * local + 1 + go_left.
      I local[K], row[K];
      for (std::size_t k = 0; k < K; ++k) {
        const F x0 = F::load_unaligned(root_x + g + k * W);
        local[k] = I(1) + (as_int(x0 < root_t) | (as_int(xsimd::isnan(x0)) & root_dl));
        row[k] = I(int32_t(g + k * W)) + lane;
      }
      const int eval_levels = std::min(d - 1, kEvalLevels);
      for (int level = 1; level <= eval_levels; ++level) {
        const int32_t first = (int32_t(1) << level) - 1, width = int32_t(1) << level;
        for (std::size_t k = 0; k < K; ++k) {
          I c[1 << kEvalLevels];  // c[j]: go_left of slot first + j, for every lane
          for (int32_t j = 0; j < width; ++j) {
            const int32_t fd = feat[first + j];
            const F x = F::load_unaligned(m + (std::size_t(fd & 0x7fffffff) << stride_shift) + g + k * W);
            const F th(thr[first + j]);
            // default left: !(x >= t) is true for NaN; default right: x < t is false for NaN.
            c[j] = fd < 0 ? ~as_int(x >= th) : as_int(x < th);
          }
          for (int b = 0; b < level; ++b) {  // keep, lane by lane, the candidate whose index is local
            const auto bit = (local[k] & I(1 << b)) != I(0);
            for (int32_t j = 0; j < (width >> (b + 1)); ++j) c[j] = xsimd::select(bit, c[2 * j + 1], c[2 * j]);
          }
          local[k] = local[k] + local[k] + I(1) + c[0];
        }
      }
      for (int level = eval_levels + 1; level < d; ++level) {
        const int32_t first = (int32_t(1) << level) - 1;  // slot number of the level's first slot
        for (std::size_t k = 0; k < K; ++k) {
          const I fd = level_lookup<Arch>(feat + first, local[k], level);
          const F th = level_lookup<Arch>(thr + first, local[k], level);
          const F x = gather<Arch>(m, ((fd & feature_mask) << stride_shift) + row[k]);
          local[k] = local[k] + local[k] + I(1) + go_left<Arch>(x, th, fd);
        }
      }
      for (std::size_t k = 0; k < K; ++k)
        (F::load_unaligned(acc + g + k * W) + gather<Arch>(leaf, local[k])).store_unaligned(acc + g + k * W);
    }
  }
}

}  // namespace nudge::score::detail
