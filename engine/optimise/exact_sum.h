// ExactSum: the exact sum of finite doubles, whatever the order they are
// added in (a "superaccumulator": fixed-point limbs covering every double's
// exponent). The optimiser's totals (objective, greedy objective, the dual
// bound's fixed part) are summed this way where members are added by the
// sweep's threads in no fixed order, so they are the same for any thread
// count and batch size.
//
//   ExactSum s;
//   s.add(0.1); s.add(1e300); s.add(-1e300);
//   s.value();  // 0.1
//
// Shapes: 72 limbs of 32 bits (as int64 with headroom); a double is split
// over three limbs. value() rounds the exact sum to the nearest double (ties
// as the hardware's __int128 -> double conversion; deterministic). Adding a
// non-finite value is not allowed (the callers' priorities are finite).
// Memory: 584 bytes. Thread-safety: one object per thread; merge with add(ExactSum).
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace nudge::optimise {

class ExactSum {
 public:
  void add(double x) noexcept {
    const uint64_t bits = std::bit_cast<uint64_t>(x);
    const int e = static_cast<int>(bits >> 52 & 0x7ff);
    uint64_t m = bits & ((uint64_t{1} << 52) - 1);
    if (e) m |= uint64_t{1} << 52;
    if (!m) return;
    // x = +-m * 2^(max(e, 1) - 1075); bit position from 2^-1074.
    const int p = (e ? e : 1) - 1;
    const unsigned __int128 v = static_cast<unsigned __int128>(m) << (p & 31);
    const std::size_t i = static_cast<std::size_t>(p >> 5);
    const int64_t lo = static_cast<int64_t>(v & 0xffffffffu), mid = static_cast<int64_t>(v >> 32 & 0xffffffffu),
                  hi = static_cast<int64_t>(v >> 64);
    if (bits >> 63) limb_[i] -= lo, limb_[i + 1] -= mid, limb_[i + 2] -= hi;
    else limb_[i] += lo, limb_[i + 1] += mid, limb_[i + 2] += hi;
    if (++adds_ == kAddsBeforeCarry) carry();
  }

  void add(const ExactSum& o) noexcept {
    ExactSum b = o;
    b.carry();
    carry();
    for (std::size_t i = 0; i < kLimbs; ++i) limb_[i] += b.limb_[i];
    carry();
  }

  double value() const noexcept {
    ExactSum s = *this;
    s.carry();  // limbs 0..kLimbs-2 in [0, 2^32), the top one signed
    bool negative = s.limb_[kLimbs - 1] < 0;
    if (negative) {
      for (auto& l : s.limb_) l = -l;
      s.carry();
    }
    std::size_t t = kLimbs;
    while (t > 0 && s.limb_[t - 1] == 0) --t;
    if (t == 0) return 0.0;
    // The top three limbs as an integer; every lower limb only as a sticky bit.
    const std::size_t low = t >= 3 ? t - 3 : 0;
    unsigned __int128 v = 0;
    for (std::size_t i = t; i-- > low;) v = v << 32 | static_cast<uint32_t>(s.limb_[i]);
    bool sticky = false;
    for (std::size_t i = 0; i < low; ++i) sticky |= s.limb_[i] != 0;
    if (sticky) v |= 1;
    const double r = std::ldexp(static_cast<double>(v), static_cast<int>(32 * low) - 1074);
    return negative ? -r : r;
  }

 private:
  static constexpr std::size_t kLimbs = 72;  // 2^-1074 .. 2^1230: every double, and carries of 2^63 adds
  static constexpr uint32_t kAddsBeforeCarry = uint32_t{1} << 30;

  // Carries: every limb but the top one into [0, 2^32).
  void carry() noexcept {
    for (std::size_t i = 0; i + 1 < kLimbs; ++i) {
      const int64_t c = limb_[i] >> 32;  // floor division by 2^32
      limb_[i] -= c * (int64_t{1} << 32);
      limb_[i + 1] += c;
    }
    adds_ = 0;
  }

  int64_t limb_[kLimbs] = {};
  uint32_t adds_ = 0;
};

}  // namespace nudge::optimise
