// HistoryPolicy's per-sweep member summary (history_policy.h, "Method"):
// the pre-pass over the history in member order, the record encoding, and
// the batches' gather.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "engine/dialogue/dialogue_pass.h"
#include "engine/expr/program.h"
#include "engine/policy/history_policy.h"

namespace nudge::policy {

using expr::HistoryAggregate;

// Record (bytes; policy_bytes_ of them, then a fused pre-pass's dialogue bytes): [0, 8) basket used
// (double), [8, 16) revoked-channel mask, then 4 bytes per history cap (its count, history_caps_
// order), then per aggregate at agg_off_[k]: points a double (8 bytes), days_since_contact the
// newest matching day as int32 (INT32_MIN: none), others the count as uint32 (exact: a member's
// contacts and responses are indexed by uint32).
namespace {
template <class T>
void put(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}
template <class T>
T get(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace

void HistoryPolicy::pack(const Walked& w, uint8_t* rec) const {
  put(rec, w.used);
  put(rec + 8, w.revoked);
  for (std::size_t i = 0; i < history_caps_.size(); ++i)
    put(rec + 16 + 4 * i, static_cast<uint32_t>(w.caps[history_caps_[i]]));
  for (std::size_t k = 0; k < aggs_.size(); ++k) {
    const auto kind = aggs_[k].call.kind;
    uint8_t* at = rec + agg_off_[k];
    if (kind == HistoryAggregate::Points) put(at, w.dval[k]);
    else if (kind == HistoryAggregate::DaysSinceContact) put(at, w.newest[k]);
    else put(at, static_cast<uint32_t>(w.ival[k]));
  }
}

void HistoryPolicy::write_record(const uint8_t* rec, std::size_t row, std::size_t r, decide::MemberInputs& out) const {
  constexpr std::size_t B = expr::kBatchRows;
  out.basket_used[r] = get<double>(rec);
  for (uint64_t b = get<uint64_t>(rec + 8); b; b &= b - 1)
    out.revoked[static_cast<std::size_t>(__builtin_ctzll(b)) * (B / 64) + r / 64] |= uint64_t{1} << (r % 64);
  for (std::size_t i = 0; i < history_caps_.size(); ++i)
    out.cap_counts[history_caps_[i] * B + r] = get<uint32_t>(rec + 16 + 4 * i);
  for (std::size_t k = 0; k < aggs_.size(); ++k) {
    const Agg& a = aggs_[k];
    const uint8_t* at = rec + agg_off_[k];
    if (a.call.kind == HistoryAggregate::Points) {
      static_cast<double*>(a.values)[row] = get<double>(at);
    } else if (a.call.kind == HistoryAggregate::DaysSinceContact) {
      const int32_t newest = get<int32_t>(at);
      const bool have = newest != INT32_MIN;
      static_cast<int64_t*>(a.values)[row] = have ? int64_t{as_of_} - newest : 0;
      if (have) a.validity[row >> 6] |= uint64_t{1} << (row & 63);
      else a.validity[row >> 6] &= ~(uint64_t{1} << (row & 63));
    } else {
      static_cast<int64_t*>(a.values)[row] = get<uint32_t>(at);
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
  fast_.first = lookback_first_;
  fast_.on = true;
}

// The fast walk's tables extended back to a fused pre-pass's dialogue window (as_of - max reentry
// days, exclusive): bit 15 marks the window's days and the dialogues' step profiles, so that a
// contact with both bits tells the walk that the member has a dialogue contact in the window.
HistoryPolicy::FastWalk HistoryPolicy::fast_walk_with(const dialogue::BoundDialogues& dlg) const {
  FastWalk f = fast_;
  const int32_t oldest = dlg.oldest_day();  // exclusive
  const int64_t first = std::min<int64_t>(f.first, int64_t{oldest} + 1);
  if (!f.on || int64_t{as_of_} - first + 1 > 65536 || oldest >= as_of_) {
    f.on = false;
    return f;
  }
  f.first = static_cast<int32_t>(first);
  f.day.resize(static_cast<std::size_t>(as_of_ - f.first + 1), 0);
  for (int32_t t = as_of_; t > oldest; --t) f.day[static_cast<std::size_t>(as_of_ - t)] |= kDialogueBit;
  for (std::size_t p = 0; p < f.profile.size(); ++p)
    if (dlg.is_step_profile(p)) f.profile[p] |= kDialogueBit;
  return f;
}

// The rare part of the fast walk's consent check: an unsubscribe dated up to as_of (as revoked_by_unsubscribes).
uint64_t HistoryPolicy::revoked_by(uint32_t response, history::IndexRange contacts) const {
  const ProfileClass& pc = profiles_[h_.profile_code(h_.contact_of_response(response, contacts))];
  return pc.control ? 0 : pc.revokes;
}

// Members [m0, m1) by the fast walk, records at t.row(m); false members need the general walk (walked
// by the caller, whose flags say so: need_general[m - m0]). Every column pointer is held in a local
// (the record stores are char stores, which would otherwise reload them after every write).
void HistoryPolicy::walk_fast(std::size_t m0, std::size_t m1, history::MemberTable& t, const FastWalk& fw,
                              uint8_t* need_general, uint8_t* dialogue_contact) const {
  // One 16-bit lane per window bit 1..8: kLanes[b] adds 1 to lane i for each bit i of b.
  static constexpr uint64_t kLanes[16] = {0x0000000000000000, 0x0000000000000001, 0x0000000000010000,
                                          0x0000000000010001, 0x0000000100000000, 0x0000000100000001,
                                          0x0000000100010000, 0x0000000100010001, 0x0001000000000000,
                                          0x0001000000000001, 0x0001000000010000, 0x0001000000010001,
                                          0x0001000100000000, 0x0001000100000001, 0x0001000100010000,
                                          0x0001000100010001};
  const uint32_t* coff = h_.contact_offsets().data();
  const uint32_t* roff = h_.response_offsets().data();
  const int32_t* sent = h_.sent_on().data();
  const uint32_t* prof = h_.contact_profile().data();
  const uint16_t* rtype = h_.response_type().data();
  const int32_t* ron = h_.responded_on().data();
  const uint16_t* day = fw.day.data();
  const uint16_t* pbits = fw.profile.data();
  const double* cost = fw.cost.data();
  const int32_t first = fw.first, as_of = as_of_;
  const std::size_t np = fw.profile.size();
  const std::size_t lanes = history_caps_.size() + aggs_.size();  // caps first, then aggregates: 4 bytes each
  constexpr std::size_t kAhead = 8;  // software prefetch of the newest events kAhead members on
  for (std::size_t m = m0; m != m1; ++m) {
    if (m + kAhead < m1) {
      if (const uint32_t e = coff[m + kAhead + 1]; e > coff[m + kAhead])
        __builtin_prefetch(sent + e - 1), __builtin_prefetch(prof + e - 1);
      if (const uint32_t q = roff[m + kAhead]; roff[m + kAhead + 1] > q) __builtin_prefetch(rtype + q);
    }
    const history::IndexRange cr{coff[m], coff[m + 1]};
    if (cr.last - cr.first > 65535) {  // a counter lane could overflow: the general walk
      need_general[m - m0] = 1;
      continue;
    }
    uint32_t i = cr.last;
    while (i > cr.first && sent[i - 1] > as_of) --i;  // dated after as_of: ignored
    // Newest first, as walk(): the same additions to `used` in the same order (adding +0.0 changes nothing).
    double used = 0;
    uint64_t lo = 0, hi = 0;
    unsigned seen = 0;
    for (; i > cr.first; --i) {
      const int32_t d = sent[i - 1];
      if (d < first) break;
      if (d > as_of) [[unlikely]]
        continue;  // dated after as_of (only out of order in a damaged segment): ignored, as above
      const uint32_t p = prof[i - 1];
      if (p >= np) [[unlikely]]
        h_.damaged("a contact profile code out of range");  // a damaged segment (History::check_events)
      const unsigned hit = day[as_of - d] & pbits[p];
      // cost[p] or +0.0 by masking its bits: no branch (whether the basket's period holds the day is
      // close to a coin toss per contact) and the same sum as the general walk's.
      used += std::bit_cast<double>(std::bit_cast<uint64_t>(cost[p]) & (uint64_t{0} - (hit & 1)));
      lo += kLanes[(hit >> 1) & 15];
      hi += kLanes[(hit >> 5) & 15];
      seen |= hit;
    }
    if (dialogue_contact) dialogue_contact[m - m0] = (seen & kDialogueBit) != 0;
    // Channels revoked by unsubscribes dated up to as_of (revoked_by_unsubscribes; unsubscribes are rare).
    uint64_t revoked = 0;
    for (uint32_t k = roff[m], e = roff[m + 1]; k < e; ++k)
      if (rtype[k] == history::kUnsubscribe) [[unlikely]]
        if (ron[k] <= as_of) revoked |= revoked_by(k, cr);
    // pack()'s layout (written here without a Walked: pack's per-kind branches cost about 15 %):
    // used, revoked, the caps' counts, then the aggregates' (all uint32 counts here).
    uint8_t* rec = reinterpret_cast<uint8_t*>(t.row(m));
    put(rec, used);
    put(rec + 8, revoked);
    for (std::size_t n = 0; n < lanes; ++n)
      put(rec + 16 + 4 * n, static_cast<uint32_t>((n < 4 ? lo >> (16 * n) : hi >> (16 * (n - 4))) & 0xFFFF));
    need_general[m - m0] = 0;
  }
}

std::unique_ptr<decide::PreparedInputs> HistoryPolicy::prepare() const { return prepare_summary(nullptr); }

std::unique_ptr<decide::PreparedInputs> HistoryPolicy::prepare_with_dialogues(
    const dialogue::BoundDialogues& dialogues) const {
  // Fused only when the dialogues read this policy's history, member map and day.
  const history::History* dh = dialogues.history();
  const bool same = dialogues.summary_usable() && dh && dh->members() == h_.members() &&
                    dh->sent_on().data() == h_.sent_on().data() && dialogues.as_of() == as_of_ &&
                    dialogues.member_map() == member_of_row_->data();
  return prepare_summary(same ? &dialogues : nullptr);
}

std::unique_ptr<decide::PreparedInputs> HistoryPolicy::prepare_summary(const dialogue::BoundDialogues* dlg) const {
  auto p = std::make_unique<Prepared>();
  const std::size_t M = h_.members();
  const std::size_t words = dlg ? record_words_for(policy_bytes_ + dlg->summary_bytes()) : record_words_;
  p->table = history::MemberTable::take(pool_, M, words);
  if (dlg) {
    dlg->summary_empty(p->dlg);
    p->dlg.table = p->table;
    p->dlg.offset = policy_bytes_;
  }
  history::MemberTable& t = p->table;
  const dialogue::PreparedDialogues& pd = p->dlg;
  // With dialogues, the fast walk reads back to their window too and says which members have a dialogue contact.
  FastWalk extended;
  if (dlg && fast_.on) extended = fast_walk_with(*dlg);
  const FastWalk& fw = dlg && fast_.on ? extended : fast_;
  // Member ranges in order: each range streams its members' offsets, newest contacts and responses.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, M, 8192), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<uint32_t> scratch;
    Walked w;
    dialogue::DialogueScratch ds;
    // Flags per member of the range: the general walk is needed; a dialogue contact was read.
    std::vector<uint8_t> general(r.size(), 1), dcontact(r.size(), 1);  // 1: unknown, the dialogues read events
    if (fw.on) walk_fast(r.begin(), r.end(), t, fw, general.data(), dlg ? dcontact.data() : nullptr);
    const int32_t* sent = h_.sent_on().data();
    const uint32_t* prof = h_.contact_profile().data();
    const uint16_t* rtype = h_.response_type().data();
    constexpr std::size_t kAhead = 8;  // software prefetch of the newest events kAhead members on
    for (std::size_t m = r.begin(); m != r.end(); ++m) {
      if (!fw.on && m + kAhead < r.end()) {
        const uint32_t ma = static_cast<uint32_t>(m + kAhead);
        if (const history::IndexRange c = h_.contacts_of(ma); c.last > c.first)
          __builtin_prefetch(sent + c.last - 1), __builtin_prefetch(prof + c.last - 1);
        if (const history::IndexRange q = h_.responses_of(ma); q.last > q.first) __builtin_prefetch(rtype + q.first);
      }
      uint8_t* rec = reinterpret_cast<uint8_t*>(t.row(m));
      if (general[m - r.begin()]) {
        walk(static_cast<uint32_t>(m), w, scratch);
        pack(w, rec);
      }
      if (!dlg) continue;
      if (dcontact[m - r.begin()]) dlg->summarize(static_cast<uint32_t>(m), ds, pd, rec + policy_bytes_);
      else std::memcpy(rec + policy_bytes_, pd.empty.data(), dlg->summary_bytes());  // = summarize()'s bytes
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
  const bool counts_only = std::all_of(aggs_.begin(), aggs_.end(), [](const Agg& a) {
    return a.call.kind != HistoryAggregate::Points && a.call.kind != HistoryAggregate::DaysSinceContact;
  });
  if (counts_only && history_caps_.size() + aggs_.size() <= 16) {
    // write_record for records of uint32 counts only (RS-2's shape), with every destination in a local.
    const std::size_t nc = history_caps_.size(), na = aggs_.size();
    int64_t* cap_dst[16];
    int64_t* agg_dst[16];
    for (std::size_t i = 0; i < nc; ++i) cap_dst[i] = out.cap_counts.data() + history_caps_[i] * B;
    for (std::size_t k = 0; k < na; ++k) agg_dst[k] = static_cast<int64_t*>(aggs_[k].values) + begin;
    double* used = out.basket_used.data();
    uint64_t* revoked = out.revoked.data();
    const std::size_t nch = std::min<std::size_t>(c_.channels.size(), 64);  // revoked bits: campaign channel indices
    for (std::size_t r = 0; r < count; ++r) {
      if (r + kAhead < count && map[r + kAhead] != history::kNoMember) __builtin_prefetch(t.row(map[r + kAhead]));
      const uint32_t m = map[r];
      if (m == history::kNoMember) {  // write_none: counts are 0 (no validity: never NULL)
        for (std::size_t k = 0; k < na; ++k) agg_dst[k][r] = 0;
        continue;
      }
      const uint8_t* rec = reinterpret_cast<const uint8_t*>(t.row(m));
      used[r] = get<double>(rec);
      // Every channel's bit, set or not: a fixed trip count (about a quarter of the members have a
      // revoked channel, so a test for any would be mispredicted).
      const uint64_t b = get<uint64_t>(rec + 8);
      for (std::size_t ch = 0; ch < nch; ++ch) revoked[ch * (B / 64) + r / 64] |= (b >> ch & 1) << (r % 64);
      for (std::size_t i = 0; i < nc; ++i) cap_dst[i][r] = get<uint32_t>(rec + 16 + 4 * i);
      for (std::size_t k = 0; k < na; ++k) agg_dst[k][r] = get<uint32_t>(rec + 16 + 4 * (nc + k));
    }
    return;
  }
  for (std::size_t r = 0; r < count; ++r) {
    if (r + kAhead < count && map[r + kAhead] != history::kNoMember) __builtin_prefetch(t.row(map[r + kAhead]));
    const uint32_t m = map[r];
    if (m == history::kNoMember) write_none(begin + r);
    else write_record(reinterpret_cast<const uint8_t*>(t.row(m)), begin + r, r, out);
  }
}

}  // namespace nudge::policy
