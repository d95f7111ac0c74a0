// HistoryPolicy's per-sweep member summary (history_policy.h, "Method"):
// the pre-pass over the history in member order, the record encoding, and
// the batches' gather.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstring>

#include "engine/expr/program.h"
#include "engine/policy/history_policy.h"

namespace nudge::policy {

using expr::HistoryAggregate;

// Record: [0] basket used (double bits), [1] revoked-channel mask, [2, 2 + cap_words_) the history
// caps' counts as uint32 (history_caps_ order, two a word), then one word per aggregate: points a
// double's bits, days_since_contact the newest matching day (INT32_MIN: none), others the count.
void HistoryPolicy::pack(const Walked& w, uint64_t* rec) const {
  std::memcpy(&rec[0], &w.used, 8);
  rec[1] = w.revoked;
  uint64_t* caps = rec + 2;
  for (std::size_t i = 0; i < cap_words_; ++i) caps[i] = 0;
  for (std::size_t i = 0; i < history_caps_.size(); ++i)
    caps[i / 2] |= uint64_t{static_cast<uint32_t>(w.caps[history_caps_[i]])} << (32 * (i % 2));
  uint64_t* ag = caps + cap_words_;
  for (std::size_t k = 0; k < aggs_.size(); ++k) {
    const auto kind = aggs_[k].call.kind;
    if (kind == HistoryAggregate::Points) std::memcpy(&ag[k], &w.dval[k], 8);
    else if (kind == HistoryAggregate::DaysSinceContact) ag[k] = static_cast<uint64_t>(int64_t{w.newest[k]});
    else ag[k] = static_cast<uint64_t>(w.ival[k]);
  }
}

void HistoryPolicy::write_record(const uint64_t* rec, std::size_t row, std::size_t r, decide::MemberInputs& out) const {
  constexpr std::size_t B = expr::kBatchRows;
  std::memcpy(&out.basket_used[r], &rec[0], 8);
  for (uint64_t b = rec[1]; b; b &= b - 1)
    out.revoked[static_cast<std::size_t>(__builtin_ctzll(b)) * (B / 64) + r / 64] |= uint64_t{1} << (r % 64);
  const uint64_t* caps = rec + 2;
  for (std::size_t i = 0; i < history_caps_.size(); ++i)
    out.cap_counts[history_caps_[i] * B + r] =
        static_cast<int64_t>(static_cast<uint32_t>(caps[i / 2] >> (32 * (i % 2))));
  const uint64_t* ag = caps + cap_words_;
  for (std::size_t k = 0; k < aggs_.size(); ++k) {
    const Agg& a = aggs_[k];
    if (a.call.kind == HistoryAggregate::Points) {
      std::memcpy(&static_cast<double*>(a.values)[row], &ag[k], 8);
    } else if (a.call.kind == HistoryAggregate::DaysSinceContact) {
      const int64_t newest = static_cast<int64_t>(ag[k]);
      const bool have = newest != INT32_MIN;
      static_cast<int64_t*>(a.values)[row] = have ? as_of_ - newest : 0;
      if (have) a.validity[row >> 6] |= uint64_t{1} << (row & 63);
      else a.validity[row >> 6] &= ~(uint64_t{1} << (row & 63));
    } else {
      static_cast<int64_t*>(a.values)[row] = static_cast<int64_t>(ag[k]);
    }
  }
}

void HistoryPolicy::write_none(std::size_t row) const {
  for (const Agg& a : aggs_) {
    if (a.validity) a.validity[row >> 6] &= ~(uint64_t{1} << (row & 63));
    if (a.call.kind == HistoryAggregate::Points) static_cast<double*>(a.values)[row] = 0;
    else static_cast<int64_t*>(a.values)[row] = 0;
  }
}

// The fast walk (history_policy.h "Method"): usable when every aggregate is a windowed contacts()
// count and caps plus aggregates number at most 8 (one 16-bit counter lane each).
void HistoryPolicy::setup_fast_walk() {
  fast_ = {};
  if (response_mask_ || days_since_mask_ || lookback_first_ > as_of_) return;
  if (history_caps_.size() + aggs_.size() > 8) return;
  for (const Agg& a : aggs_)
    if (a.call.kind != HistoryAggregate::Contacts || !a.call.window) return;
  const int64_t days = int64_t{as_of_} - lookback_first_ + 1;
  if (days > 65536) return;
  // Window bits: 0 = as_of's basket period, 1 + i = history cap i (history_caps_ order), 1 + caps + k = aggregate k.
  const std::size_t nc = history_caps_.size();
  fast_.day.assign(static_cast<std::size_t>(days), 0);
  for (int64_t d = 0; d < days; ++d) {
    const int32_t t = static_cast<int32_t>(as_of_ - d);
    uint16_t bits = t >= period_first_ ? 1 : 0;
    for (std::size_t i = 0; i < nc; ++i)
      if (t >= cap_first_[history_caps_[i]]) bits |= static_cast<uint16_t>(1u << (1 + i));
    for (std::size_t k = 0; k < aggs_.size(); ++k)
      if (t >= aggs_[k].first && t <= aggs_[k].last) bits |= static_cast<uint16_t>(1u << (1 + nc + k));
    fast_.day[static_cast<std::size_t>(d)] = bits;
  }
  for (const ProfileClass& pc : profiles_) {
    uint16_t bits = 0;
    if (!pc.control) {
      bits = 1;
      for (std::size_t i = 0; i < nc; ++i)
        if (pc.caps >> history_caps_[i] & 1) bits |= static_cast<uint16_t>(1u << (1 + i));
      for (std::size_t k = 0; k < aggs_.size(); ++k)
        if (pc.aggs >> k & 1) bits |= static_cast<uint16_t>(1u << (1 + nc + k));
    }
    fast_.profile.push_back(bits);
    fast_.cost.push_back(pc.cost);
  }
  fast_.on = true;
}

bool HistoryPolicy::walk_fast(uint32_t m, uint64_t* rec) const {
  const history::IndexRange cr = h_.contacts_of(m);
  if (cr.last - cr.first > 65535) return false;  // a counter lane could overflow: the general walk
  // One 16-bit lane per window bit 1..8: kLanes[b] adds 1 to lane i for each bit i of b.
  static constexpr uint64_t kLanes[16] = {0x0000000000000000, 0x0000000000000001, 0x0000000000010000,
                                          0x0000000000010001, 0x0000000100000000, 0x0000000100000001,
                                          0x0000000100010000, 0x0000000100010001, 0x0001000000000000,
                                          0x0001000000000001, 0x0001000000010000, 0x0001000000010001,
                                          0x0001000100000000, 0x0001000100000001, 0x0001000100010000,
                                          0x0001000100010001};
  const int32_t* sent = h_.sent_on().data();
  const uint32_t* prof = h_.contact_profile().data();
  const uint16_t* day = fast_.day.data();
  const uint16_t* pbits = fast_.profile.data();
  const double* cost = fast_.cost.data();
  uint32_t i = cr.last;
  while (i > cr.first && sent[i - 1] > as_of_) --i;  // dated after as_of: ignored
  // Newest first, as walk(): the same additions to `used` in the same order (adding +0.0 changes nothing).
  double used = 0;
  uint64_t lo = 0, hi = 0;
  for (; i > cr.first; --i) {
    const int32_t t = sent[i - 1];
    if (t < lookback_first_) break;
    const uint32_t p = prof[i - 1];
    const unsigned hit = day[as_of_ - t] & pbits[p];
    used += (hit & 1) ? cost[p] : 0.0;
    lo += kLanes[(hit >> 1) & 15];
    hi += kLanes[(hit >> 5) & 15];
  }
  // pack()'s layout (written here without a Walked: pack's per-kind branches cost about 15 %):
  // used, revoked, cap counts as uint32 pairs, one word per aggregate.
  const uint64_t revoked = revoked_by_unsubscribes(m);
  std::memcpy(&rec[0], &used, 8);
  rec[1] = revoked;
  auto lane = [&](std::size_t n) { return (n < 4 ? lo >> (16 * n) : hi >> (16 * (n - 4))) & 0xFFFF; };
  const std::size_t nc = history_caps_.size();
  uint64_t* caps = rec + 2;
  for (std::size_t n = 0; n < cap_words_; ++n) caps[n] = 0;
  for (std::size_t n = 0; n < nc; ++n) caps[n / 2] |= lane(n) << (32 * (n % 2));
  uint64_t* ag = caps + cap_words_;
  for (std::size_t k = 0; k < aggs_.size(); ++k) ag[k] = lane(nc + k);
  return true;
}

std::unique_ptr<decide::PreparedInputs> HistoryPolicy::prepare() const {
  auto p = std::make_unique<Prepared>();
  const std::size_t M = h_.members();
  p->table = history::MemberTable::take(pool_, M, record_words_);
  history::MemberTable& t = p->table;
  // Member ranges in order: each range streams its members' offsets, newest contacts and responses.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, M, 8192), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<uint32_t> scratch;
    Walked w;
    const int32_t* sent = h_.sent_on().data();
    const uint32_t* prof = h_.contact_profile().data();
    const uint16_t* rtype = h_.response_type().data();
    constexpr std::size_t kAhead = 8;  // software prefetch of the newest events kAhead members on
    for (std::size_t m = r.begin(); m != r.end(); ++m) {
      if (m + kAhead < r.end()) {
        const uint32_t ma = static_cast<uint32_t>(m + kAhead);
        if (const history::IndexRange c = h_.contacts_of(ma); c.last > c.first)
          __builtin_prefetch(sent + c.last - 1), __builtin_prefetch(prof + c.last - 1);
        if (const history::IndexRange q = h_.responses_of(ma); q.last > q.first) __builtin_prefetch(rtype + q.first);
      }
      if (fast_.on && walk_fast(static_cast<uint32_t>(m), t.row(m))) continue;
      walk(static_cast<uint32_t>(m), w, scratch);
      pack(w, t.row(m));
    }
  });
  return p;
}

void HistoryPolicy::fill_prepared(const history::MemberTable& t, std::size_t begin, std::size_t count,
                                  decide::MemberInputs& out) const {
  constexpr std::size_t B = expr::kBatchRows;
  out.basket_used.assign(B, 0.0);
  out.cap_counts.assign(c_.frequency_caps.size() * B, 0);
  out.revoked.assign(c_.channels.size() * (B / 64), 0);
  // One record per row, at random places of the table: prefetch kAhead rows ahead.
  constexpr std::size_t kAhead = 32;
  const uint32_t* map = member_of_row_->data() + begin;
  for (std::size_t r = 0; r < std::min(kAhead, count); ++r)
    if (map[r] != history::kNoMember) __builtin_prefetch(t.row(map[r]));
  for (std::size_t r = 0; r < count; ++r) {
    if (r + kAhead < count && map[r + kAhead] != history::kNoMember) __builtin_prefetch(t.row(map[r + kAhead]));
    const uint32_t m = map[r];
    if (m == history::kNoMember) write_none(begin + r);
    else write_record(t.row(m), begin + r, r, out);
  }
}

}  // namespace nudge::policy
