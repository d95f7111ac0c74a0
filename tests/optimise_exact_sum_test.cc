// ExactSum (engine/optimise/exact_sum.h): the exact sum of doubles, the same
// in any order and any split into partial sums, against a reference that is
// exact for the inputs chosen (__float128 sums of values whose exponents span
// less than its 113-bit significand), and on adversarial inputs
// (cancellation, subnormals, signed zeros, the largest doubles, empty).
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "engine/optimise/exact_sum.h"

using nudge::optimise::ExactSum;

namespace {

double sum_of(const std::vector<double>& v) {
  ExactSum s;
  for (double x : v) s.add(x);
  return s.value();
}

// Split into `parts` partial sums at random cut points, merged in a random order.
double split_sum(const std::vector<double>& v, std::size_t parts, std::mt19937_64& rng) {
  std::vector<ExactSum> p(parts);
  for (double x : v) p[rng() % parts].add(x);
  std::shuffle(p.begin(), p.end(), rng);
  ExactSum total;
  for (const ExactSum& s : p) total.add(s);
  return total.value();
}

}  // namespace

TEST(OptimiseExactSum, EqualsAnExactReferenceInAnyOrderAndSplit) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = round % 7 == 0 ? 1 + round % 5 : 1 + rng() % 999;  // sizes not a multiple of anything
    std::vector<double> v;
    __float128 ref = 0;
    for (std::size_t i = 0; i < n; ++i) {
      // Exponents within [-20, 20] and 53-bit significands: the __float128 sum is exact.
      std::uniform_real_distribution<double> m(0.5, 1.0);
      double x = std::ldexp(m(rng), static_cast<int>(rng() % 41) - 20);
      if (rng() % 3 == 0) x = -x;
      v.push_back(x);
      ref += x;
    }
    const double expected = static_cast<double>(ref);
    EXPECT_EQ(sum_of(v), expected) << "round " << round;
    std::shuffle(v.begin(), v.end(), rng);
    EXPECT_EQ(sum_of(v), expected) << "round " << round;
    EXPECT_EQ(split_sum(v, 1 + rng() % 8, rng), expected) << "round " << round;
  }
}

TEST(OptimiseExactSum, AdversarialInputs) {
  EXPECT_EQ(ExactSum().value(), 0.0);
  EXPECT_EQ(sum_of({0.0, -0.0}), 0.0);
  EXPECT_EQ(sum_of({1e300, 1.0, -1e300}), 1.0);  // cancellation: a double sum gives 0
  EXPECT_EQ(sum_of({1.0, 1e-30, -1.0}), 1e-30);
  // 0.1 + 0.2 + 0.3 exactly, rounded once (a double sum gives 0.6000000000000001).
  EXPECT_EQ(sum_of({0.1, 0.2, 0.3}), static_cast<double>(static_cast<__float128>(0.1) + 0.2 + 0.3));
  EXPECT_EQ(sum_of({0.1, 0.2, 0.3}), 0.6);
  const double tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(sum_of({tiny, tiny, tiny}), 3 * tiny);
  EXPECT_EQ(sum_of({DBL_MIN, -tiny}), DBL_MIN - tiny);
  EXPECT_EQ(sum_of({DBL_MAX, -DBL_MAX, DBL_MAX}), DBL_MAX);
  EXPECT_EQ(sum_of({-2.5, -0.5}), -3.0);
  EXPECT_EQ(sum_of({-1e-300, 1e-300}), 0.0);
  // Many equal terms (carries through the limbs): 3e6 x 0.1 exactly, rounded once.
  ExactSum s;
  for (int i = 0; i < 3'000'000; ++i) s.add(0.1);
  EXPECT_EQ(s.value(), static_cast<double>(static_cast<__float128>(0.1) * 3'000'000));
  // Rounding of a sum that needs more than 96 bits: 2^80 + 1 + 2^-60 rounds to 2^80.
  EXPECT_EQ(sum_of({std::ldexp(1.0, 80), 1.0, std::ldexp(1.0, -60)}), std::ldexp(1.0, 80));
  // 1 + 2^-53 + 2^-100 is above the halfway point: rounds up (the sticky bit counts).
  EXPECT_EQ(sum_of({1.0, std::ldexp(1.0, -53), std::ldexp(1.0, -100)}), 1.0 + std::ldexp(1.0, -52));
}
