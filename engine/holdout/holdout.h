// Holdout (control group) assignment: a deterministic hash of
// (customer_id, salt) to a number u in [0, 1); a member is held out at a
// level (global, campaign, action) when u < that level's share.
//
// The hash (documented so that any tool can reproduce it):
//   key(salt)      = FNV-1a 64 of the salt's UTF-8 bytes
//                    (offset 0xcbf29ce484222325, prime 0x100000001b3)
//   mix(x)         = SplitMix64's finaliser (Steele, Lea, Flood 2014,
//                    "Fast splittable pseudorandom number generators"):
//                      x ^= x >> 30; x *= 0xbf58476d1ce4e5b9;
//                      x ^= x >> 27; x *= 0x94d049bb133111eb; x ^= x >> 31
//   h(id, salt)    = mix(mix(id ^ key) + key + 0x9e3779b97f4a7c15)
//   u(id, salt)    = (h >> 11) * 2^-53          (53 bits: every u is a double in [0, 1))
// mix is a bijection of uint64 with full avalanche, so u depends only on the
// member's id and the salt: stable across days, thread counts, batch sizes
// and machines, unchanged for existing members when the population grows, and
// (tests/holdout_hash_test.cc: chi-square over 1,000 buckets, a 10 x 10
// contingency chi-square and the correlation between two salts, over 10M
// sequential and 10M RS-1-like ids) uniform and independent between salts.
//
// Salts used by the sweep (engine/decide, campaign file [holdout]):
//   global    "nudge:global"               (or the campaign's global_salt)
//   campaign  "nudge:campaign:<campaign name>" (or the campaign's salt)
//   action    "nudge:action:<campaign name>:<action name>"
// A member is held out of an action when any level holding it says so
// (u_global < global share OR u_campaign < campaign share OR u_action <
// action share). Shares are fractions in [0, 1].
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace nudge::holdout {

inline constexpr uint64_t fnv1a64(std::string_view s) noexcept {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

inline constexpr uint64_t mix64(uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The 64-bit hash of a member under a salt key (key = fnv1a64(salt)).
inline constexpr uint64_t hash(uint64_t customer_id, uint64_t key) noexcept {
  return mix64(mix64(customer_id ^ key) + key + 0x9e3779b97f4a7c15ULL);
}

// u in [0, 1): the member's position under the salt key.
inline constexpr double unit(uint64_t customer_id, uint64_t key) noexcept {
  return static_cast<double>(hash(customer_id, key) >> 11) * 0x1.0p-53;
}

// True when the member falls in a holdout of `share` (0 = nobody, 1 = everyone).
inline constexpr bool held_out(uint64_t customer_id, uint64_t key, double share) noexcept {
  return unit(customer_id, key) < share;
}

// A salt and share, resolved once (key computed from the salt).
struct Level {
  uint64_t key = 0;
  double share = 0;
  bool active() const noexcept { return share > 0; }
  bool holds(uint64_t customer_id) const noexcept { return share > 0 && held_out(customer_id, key, share); }
};

inline Level make_level(std::string_view salt, double share) noexcept { return {fnv1a64(salt), share}; }

}  // namespace nudge::holdout
