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

std::unique_ptr<decide::PreparedInputs> HistoryPolicy::prepare() const {
  auto p = std::make_unique<Prepared>();
  const std::size_t M = h_.members();
  p->table = history::MemberTable::take(pool_, M, record_words_);
  history::MemberTable& t = p->table;
  // Member ranges in order: each range streams its members' offsets, newest contacts and responses.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, M, 8192), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<uint32_t> scratch;
    Walked w;
    for (std::size_t m = r.begin(); m != r.end(); ++m) {
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
  constexpr std::size_t kAhead = 16;
  const uint32_t* map = member_of_row_.data() + begin;
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
