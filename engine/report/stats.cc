// Wilson, Newcombe and Welch intervals (stats.h).
#include "engine/report/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nudge::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Continued fraction of the incomplete beta function (Lentz), as in
// Numerical Recipes 3rd ed. 6.4 (betacf).
double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m < 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return h;
}

// Regularised incomplete beta I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double lbt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return std::exp(lbt) * beta_cf(a, b, x) / a;
  return 1 - std::exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

// P(T <= t), t >= 0, Student t with df degrees of freedom.
double student_t_cdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, x);
  return t >= 0 ? 1 - tail : tail;
}

}  // namespace

Interval wilson(uint64_t x, uint64_t n, double z) {
  if (n == 0) return {kNaN, kNaN};
  const double nn = static_cast<double>(n), p = static_cast<double>(x) / nn, z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval newcombe_difference(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z) {
  if (n1 == 0 || n2 == 0) return {kNaN, kNaN};
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  const Interval w1 = wilson(x1, n1, z), w2 = wilson(x2, n2, z);
  const double d = p1 - p2;
  return {d - std::sqrt((p1 - w1.low) * (p1 - w1.low) + (w2.high - p2) * (w2.high - p2)),
          d + std::sqrt((w1.high - p1) * (w1.high - p1) + (p2 - w2.low) * (p2 - w2.low))};
}

double Moments::mean() const noexcept { return n ? sum / static_cast<double>(n) : kNaN; }

double Moments::variance() const noexcept {
  if (n < 2) return kNaN;
  const double nn = static_cast<double>(n);
  const double v = (sum_sq - sum * sum / nn) / (nn - 1);
  return v < 0 ? 0 : v;  // rounding on constant values
}

double student_t_quantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) return kNaN;
  if (p == 0.5) return 0;
  if (p < 0.5) return -student_t_quantile(1 - p, df);
  double lo = 0, hi = 1;
  while (student_t_cdf(hi, df) < p && hi < 1e12) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, hi); ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Interval welch_difference(const Moments& a, const Moments& b, double alpha) {
  const double va = a.variance(), vb = b.variance();
  if (std::isnan(va) || std::isnan(vb)) return {kNaN, kNaN};
  const double sa = va / static_cast<double>(a.n), sb = vb / static_cast<double>(b.n);
  const double se = std::sqrt(sa + sb), d = a.mean() - b.mean();
  if (se == 0) return {d, d};
  const double df =
      (sa + sb) * (sa + sb) / (sa * sa / static_cast<double>(a.n - 1) + sb * sb / static_cast<double>(b.n - 1));
  const double t = student_t_quantile(1 - alpha / 2, df);
  return {d - t * se, d + t * se};
}

}  // namespace nudge::report
