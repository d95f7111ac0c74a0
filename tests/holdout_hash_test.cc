// The holdout hash (engine/holdout/holdout.h): golden values computed by an
// independent Python implementation of the documented formula (so the hash
// is the same on every machine), uniformity (chi-square over 1,000 buckets)
// and independence between salts (Pearson correlation and a 10 x 10
// contingency chi-square) over 10M ids, for sequential ids and RS-1-like ids
// (6e9 + stride with jitter), and the share boundaries.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/holdout/holdout.h"

using namespace nudge::holdout;

namespace {

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kIds = 1'000'000;  // sanitizer build: keep it short
#else
constexpr std::size_t kIds = 10'000'000;
#endif

// Sequential ids from 0, or RS-1-like ids (6e9 + 1000 * i + jitter in [0, 1000)).
uint64_t make_id(std::size_t i, bool rs1_like) {
  return rs1_like ? 6'000'000'000ULL + 1000 * i + (i * 2654435761ULL >> 7) % 1000 : i;
}

double chi_square(const std::vector<uint64_t>& count, double expected) {
  double chi = 0;
  for (uint64_t c : count) chi += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
  return chi;
}

}  // namespace

TEST(HoldoutHash, GoldenValuesFromIndependentPythonImplementation) {
  EXPECT_EQ(fnv1a64("nudge:global"), 0xf6f9b4e4e7c00281ULL);
  EXPECT_EQ(hash(0, fnv1a64("nudge:global")), 0x97d5a091be9ce37aULL);
  EXPECT_EQ(hash(1, fnv1a64("nudge:global")), 0x2f634e08c70fd25cULL);
  EXPECT_EQ(hash(6000000123ULL, fnv1a64("nudge:global")), 0x5ed4b130af31d723ULL);
  EXPECT_EQ(fnv1a64("nudge:action:rs1:birthday"), 0x8931745173d444fULL);
  EXPECT_EQ(hash(6000000123ULL, fnv1a64("nudge:action:rs1:birthday")), 0x5ff846325da66682ULL);
  EXPECT_DOUBLE_EQ(unit(1, fnv1a64("nudge:global")), 0.18510902132317075);
  EXPECT_DOUBLE_EQ(unit(0, fnv1a64("nudge:action:rs1:birthday")), 0.3961724762061908);
}

TEST(HoldoutHash, SharesZeroAndOneAndUnitRange) {
  const Level none = make_level("s", 0), all = make_level("s", 1);
  for (uint64_t id : {0ULL, 1ULL, 42ULL, ~0ULL}) {
    EXPECT_FALSE(none.holds(id));
    EXPECT_TRUE(all.holds(id));
    const double u = unit(id, fnv1a64("s"));
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

// 1,000 buckets, 999 degrees of freedom: the 0.999 quantile is about 1143.
// Independence: 10 x 10 contingency table of (u_a, u_b), 81 degrees of
// freedom, 0.999 quantile about 124; Pearson |r| < 5 / sqrt(n) (5 sigma).
TEST(HoldoutHash, UniformAndIndependentBetweenSaltsOver10MIdsRelease1MSanitizer) {
  for (bool rs1_like : {false, true}) {
    SCOPED_TRACE(rs1_like ? "RS-1-like ids" : "sequential ids");
    const uint64_t ka = fnv1a64("nudge:action:rs1:birthday"), kb = fnv1a64("nudge:action:rs1:tier_nudge");
    std::vector<uint64_t> bucket_a(1000, 0), bucket_b(1000, 0), cell(100, 0);
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (std::size_t i = 0; i < kIds; ++i) {  // streamed: no 10M-element vectors
      const uint64_t id = make_id(i, rs1_like);
      const double a = unit(id, ka), b = unit(id, kb);
      ++bucket_a[static_cast<std::size_t>(a * 1000)], ++bucket_b[static_cast<std::size_t>(b * 1000)];
      sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b;
      ++cell[static_cast<std::size_t>(a * 10) * 10 + static_cast<std::size_t>(b * 10)];
    }
    const double n = static_cast<double>(kIds);
    EXPECT_LT(chi_square(bucket_a, n / 1000), 1143.0);
    EXPECT_LT(chi_square(bucket_b, n / 1000), 1143.0);
    const double r = (sab - sa * sb / n) / std::sqrt((saa - sa * sa / n) * (sbb - sb * sb / n));
    EXPECT_LT(std::fabs(r), 5.0 / std::sqrt(n)) << "r = " << r;
    EXPECT_LT(chi_square(cell, n / 100), 124.0);
    // A 5% holdout holds 5% of members, within 5 sigma.
    const Level five = make_level("nudge:global", 0.05);
    std::size_t held = 0;
    for (std::size_t i = 0; i < kIds; ++i) held += five.holds(make_id(i, rs1_like));
    EXPECT_NEAR(static_cast<double>(held) / n, 0.05, 5 * std::sqrt(0.05 * 0.95 / n));
  }
}
