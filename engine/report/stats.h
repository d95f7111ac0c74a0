// Confidence intervals for uplift (nudge report, engine/report/uplift.h).
//
//   Proportions (response rates): the difference p1 - p2 of two independent
//   binomial proportions with Newcombe's hybrid score interval (R. G.
//   Newcombe, "Interval estimation for the difference between independent
//   proportions: comparison of eleven methods", Statistics in Medicine 17,
//   1998, method 10), built from the two Wilson score intervals:
//     (l_i, u_i) = Wilson interval of p_i at z
//     low  = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2)
//     high = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2)
//   It stays inside [-1, 1] and behaves at rates of 0 and 1 and small groups.
//   Wilson (E. B. Wilson, JASA 22, 1927):
//     centre = (p + z^2 / 2n) / (1 + z^2 / n),
//     half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2).
//   Means (value per member): Welch's t interval (B. L. Welch, Biometrika
//   34, 1947): (m1 - m2) +- t_{1 - a/2, df} * sqrt(v1/n1 + v2/n2) with the
//   Welch-Satterthwaite df = (v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) +
//   (v2/n2)^2/(n2-1)); v = sample variance (n - 1 denominator).
// z = 1.959963984540054 (95%). Student t quantiles are found by bisection
// on the regularised incomplete beta function (continued fraction, Lentz's
// method), accurate to about 1e-10.
//
// Empty groups (n = 0) give NaN bounds; a mean with n < 2 in a group gives
// NaN bounds (no variance). Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace nudge::report {

inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double low = 0, high = 0;
};

// Wilson score interval of x successes in n trials.
Interval wilson(uint64_t x, uint64_t n, double z = kZ95);

// Newcombe hybrid score interval of x1/n1 - x2/n2.
Interval newcombe_difference(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z = kZ95);

// Sums of one group's values: n, sum, sum of squares.
struct Moments {
  uint64_t n = 0;
  double sum = 0, sum_sq = 0;
  double mean() const noexcept;
  double variance() const noexcept;  // sample variance (n - 1); NaN for n < 2
};

// Welch interval of mean(a) - mean(b) at the two-sided level 1 - alpha.
Interval welch_difference(const Moments& a, const Moments& b, double alpha = 0.05);

// Student t quantile: P(T <= t) = p for df degrees of freedom (df > 0, 0 < p < 1).
double student_t_quantile(double p, double df);

}  // namespace nudge::report
