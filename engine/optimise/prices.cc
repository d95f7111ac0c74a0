// Dual prices by clearing passes (prices.h).
#include "engine/optimise/prices.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace nudge::optimise {
namespace {

struct Bid {
  double price;  // value per unit
  double units;
};

struct PassOut {
  double value = 0;  // sum of V_m over the members walked
  std::vector<std::vector<Bid>> upper_bids;
  std::vector<std::vector<double>> lower_losses;
};

struct ThreadBids {
  std::vector<std::vector<Bid>> upper;
  std::vector<std::vector<double>> lower;
};

// One pass over `members` (indices) at (lambda, nu); bids when with_bids.
PassOut pass(const Problem& p, const std::vector<uint32_t>& members, const std::vector<double>& lambda,
             const std::vector<double>& nu, bool with_bids, std::vector<uint64_t>& set) {
  const ConstraintSet& cs = *p.cons;
  const std::size_t K = cs.upper.size(), Lw = cs.lower.size();
  std::vector<double> shift;
  cs.shifts(lambda, nu, shift);
  // Shifts with one price set to 0: the member's problem with that constraint free.
  std::vector<std::vector<double>> shift_free_upper(K), shift_free_lower(Lw);
  for (std::size_t k = 0; k < K; ++k) {
    auto l2 = lambda;
    l2[k] = 0;
    cs.shifts(l2, nu, shift_free_upper[k]);
  }
  for (std::size_t l = 0; l < Lw; ++l) {
    auto n2 = nu;
    n2[l] = 0;
    cs.shifts(lambda, n2, shift_free_lower[l]);
  }
  const std::size_t chunks = (members.size() + kChunk - 1) / kChunk;
  std::vector<double> part(chunks, 0.0);
  tbb::enumerable_thread_specific<ThreadBids> tb([&] {
    ThreadBids t;
    t.upper.resize(K);
    t.lower.resize(Lw);
    return t;
  });
  for_chunks(members.size(), [&](std::size_t chunk, std::size_t b, std::size_t e) {
    double v = 0;
    ThreadBids* bids = with_bids ? &tb.local() : nullptr;
    for (std::size_t i = b; i < e; ++i) {
      const std::size_t m = members[i];
      const MemberProblem mp = p.member(m);
      const MemberChoice ch = best_set(mp, shift.data());
      set[m] = ch.set;
      v += ch.value;
      if (!bids) continue;
      uint64_t touched = 0;
      for (std::size_t j = 0; j < mp.n; ++j) touched |= cs.action_upper_mask[mp.c[j].action];
      for (uint64_t t = touched; t; t &= t - 1) {
        const std::size_t k = static_cast<std::size_t>(__builtin_ctzll(t));
        const MemberChoice c0 = lambda[k] == 0 ? ch : best_set(mp, shift_free_upper[k].data());
        const double u = p.usage(m, c0.set, k);
        if (!(u > 0)) continue;
        uint64_t allowed = 0;
        for (std::size_t j = 0; j < mp.n; ++j)
          if (!(cs.action_upper_mask[mp.c[j].action] >> k & 1)) allowed |= uint64_t{1} << j;
        const MemberChoice cw = best_set(mp, shift.data(), allowed);
        bids->upper[k].push_back({(c0.value - cw.value) / u, u});
      }
      for (std::size_t j = 0; j < mp.n; ++j) {
        const int l = cs.action_lower[mp.c[j].action];
        if (l < 0) continue;
        const auto& sh = shift_free_lower[static_cast<std::size_t>(l)];
        const MemberChoice c0 = nu[static_cast<std::size_t>(l)] == 0 ? ch : best_set(mp, sh.data());
        if (c0.set >> j & 1) {
          bids->lower[static_cast<std::size_t>(l)].push_back(0.0);
          continue;
        }
        const MemberChoice cf = best_set(mp, sh.data(), ~uint64_t{0}, static_cast<int>(j));
        if (std::isfinite(cf.value)) bids->lower[static_cast<std::size_t>(l)].push_back(c0.value - cf.value);
      }
    }
    part[chunk] = v;
  });
  PassOut out;
  for (double v : part) out.value += v;
  if (with_bids) {
    out.upper_bids.resize(K);
    out.lower_losses.resize(Lw);
    for (ThreadBids& t : tb) {
      for (std::size_t k = 0; k < K; ++k)
        out.upper_bids[k].insert(out.upper_bids[k].end(), t.upper[k].begin(), t.upper[k].end());
      for (std::size_t l = 0; l < Lw; ++l)
        out.lower_losses[l].insert(out.lower_losses[l].end(), t.lower[l].begin(), t.lower[l].end());
    }
  }
  return out;
}

// The lowest price at which the units bidding strictly more fit the limit.
double clearing_price(std::vector<Bid>& bids, double limit, bool unit) {
  double total = 0;
  for (const Bid& b : bids) total += b.units;
  if (total <= limit) return 0;
  auto by_price = [](const Bid& a, const Bid& b) { return a.price > b.price; };
  if (unit && limit < static_cast<double>(bids.size())) {
    bool all_one = true;
    for (const Bid& b : bids) all_one &= b.units == 1;
    if (all_one) {
      const auto nth = bids.begin() + static_cast<std::ptrdiff_t>(limit);
      std::nth_element(bids.begin(), nth, bids.end(), by_price);
      return nth->price;
    }
  }
  auto order = [](const Bid& a, const Bid& b) { return a.price != b.price ? a.price > b.price : a.units < b.units; };
  auto end = bids.end();
  // Counts: every bid is at least one unit, so the cut is within the first floor(limit) + 1 bids in order;
  // only those are sorted (equal bids are interchangeable: the same sums).
  if (unit && limit + 1 < static_cast<double>(bids.size())) {
    end = bids.begin() + static_cast<std::ptrdiff_t>(limit) + 1;
    std::nth_element(bids.begin(), end, bids.end(), order);
  }
  std::sort(bids.begin(), end, order);
  // Units are summed in (price desc, units asc) order: the same for any input order.
  double cum = 0;
  for (auto it = bids.begin(); it != end; ++it) {
    const Bid& b = *it;
    cum += b.units;
    if (cum > limit) return b.price;
  }
  return 0;
}

// Just above the limit-th smallest loss (every member's when fewer can take it).
double lower_price(std::vector<double>& losses, double limit) {
  if (losses.empty() || limit <= 0) return 0;
  const std::size_t need = static_cast<std::size_t>(limit);
  double v;
  if (need >= losses.size()) {
    v = *std::max_element(losses.begin(), losses.end());
  } else {
    std::nth_element(losses.begin(), losses.begin() + static_cast<std::ptrdiff_t>(need - 1), losses.end());
    v = losses[need - 1];
  }
  return v > 0 ? std::nextafter(v, std::numeric_limits<double>::infinity()) : 0.0;
}

double dual_value(const Problem& p, double members_value, const std::vector<double>& lambda,
                  const std::vector<double>& nu) {
  double d = members_value;
  for (std::size_t k = 0; k < lambda.size(); ++k) d += lambda[k] * p.cons->upper[k].limit;
  for (std::size_t l = 0; l < nu.size(); ++l) d -= nu[l] * p.cons->lower[l].limit;
  return d;
}

std::vector<uint32_t> all_members(const Problem& p) {
  std::vector<uint32_t> v(p.store->members());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint32_t>(i);
  return v;
}

std::vector<uint32_t> inactive_members(const Problem& p) {
  std::vector<uint32_t> v;
  std::size_t j = 0;
  for (std::size_t m = 0; m < p.store->members(); ++m) {
    if (j < p.active.size() && p.active[j] == m) {
      ++j;
      continue;
    }
    v.push_back(static_cast<uint32_t>(m));
  }
  return v;
}

// Prices equal to 1e-9 relative (or 1e-9 absolute near 0).
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > 1e-9 * std::max(1.0, std::abs(b[i]))) return false;
  return true;
}

constexpr std::size_t kStall = 5;

}  // namespace

double solve_at(const Problem& p, const std::vector<double>& lambda, const std::vector<double>& nu,
                std::vector<uint64_t>& set) {
  set.assign(p.store->members(), 0);
  const PassOut o = pass(p, all_members(p), lambda, nu, false, set);
  return dual_value(p, o.value, lambda, nu);
}

Prices find_prices(const Problem& p, std::size_t max_passes, std::vector<uint64_t>& set) {
  using Clock = std::chrono::steady_clock;
  const ConstraintSet& cs = *p.cons;
  Prices r;
  r.lambda.assign(cs.upper.size(), 0.0);
  r.nu.assign(cs.lower.size(), 0.0);
  set.assign(p.store->members(), 0);
  // Inactive members' sets do not depend on the prices: solved once.
  const double fixed = pass(p, inactive_members(p), r.lambda, r.nu, false, set).value;
  std::vector<double> lambda = r.lambda, nu = r.nu;
  double best = std::numeric_limits<double>::infinity();
  std::size_t best_pass = 0;
  for (std::size_t t = 1; t <= max_passes; ++t) {
    const auto t0 = Clock::now();
    PassOut o = pass(p, p.active, lambda, nu, true, set);
    const double d = dual_value(p, fixed + o.value, lambda, nu);
    if (d < best) best = d, best_pass = t, r.lambda = lambda, r.nu = nu;
    std::vector<double> nl(lambda.size()), nn(nu.size());
    for (std::size_t k = 0; k < nl.size(); ++k)
      nl[k] = clearing_price(o.upper_bids[k], cs.upper[k].limit, cs.upper[k].unit);
    for (std::size_t l = 0; l < nn.size(); ++l) nn[l] = lower_price(o.lower_losses[l], cs.lower[l].limit);
    r.log.push_back({d, lambda, nu, std::chrono::duration<double>(Clock::now() - t0).count()});
    r.passes = t;
    if (same(nl, lambda) && same(nn, nu)) {
      r.converged = true;
      break;
    }
    if (t >= best_pass + kStall) {  // the bound stopped improving
      r.stalled = true;
      break;
    }
    lambda = std::move(nl), nu = std::move(nn);
  }
  r.dual_bound = best;
  // The sets in `set` are those of the last pass; re-solve unless that was the best one.
  if (best_pass != r.passes) pass(p, p.active, r.lambda, r.nu, false, set);
  return r;
}

}  // namespace nudge::optimise
