// Bit tricks of the sweep's 64-row bitmap words (sweep.cc), inline and
// branch-free. Internal to engine/decide; pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <cstring>

namespace nudge::decide {

// Bits set in x. The library targets baseline x86-64 (no POPCNT instruction),
// where std::popcount becomes a libgcc call; this SWAR count stays inline.
inline uint64_t bits_set(uint64_t x) noexcept {
#if defined(__POPCNT__)
  return static_cast<uint64_t>(__builtin_popcountll(x));
#else
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return (x * 0x0101010101010101ULL) >> 56;
#endif
}

// Bit r of the result = byte r of b[0..64), bytes being 0 or 1 (bool column
// layout; the column's zero padding makes the 64-byte read safe). Per 8
// bytes, the multiply moves byte i's low bit to bit 56+i with no carries
// (each product bit comes from exactly one (byte, shift) pair).
inline uint64_t pack_bools(const uint8_t* b) noexcept {
  uint64_t out = 0;
  for (int k = 0; k < 8; ++k) {
    uint64_t x;
    std::memcpy(&x, b + 8 * k, 8);
    x &= 0x0101010101010101ULL;
    out |= ((x * 0x0102040810204080ULL) >> 56) << (8 * k);
  }
  return out;
}

}  // namespace nudge::decide
