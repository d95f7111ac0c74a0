// History view: member lookups, population mapping, skip counts.
// The builder (records -> view) is history_builder.cc; the file format is
// io/history/.
#include "engine/history/history.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "engine/base/error.h"
#include "engine/store/population.h"

namespace nudge::history {

int32_t Dictionary::find(std::string_view name) const noexcept {
  auto it = std::lower_bound(names_.begin(), names_.end(), name,
                             [](const std::string& a, std::string_view b) { return a < b; });
  if (it != names_.end() && *it == name) return static_cast<int32_t>(it - names_.begin());
  // Response types are not sorted as a whole (built-ins first): fall back to a scan.
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int32_t>(i);
  return -1;
}

namespace {
std::shared_ptr<const HistoryStorage> empty_storage() {
  static const std::shared_ptr<const HistoryStorage> s = [] {
    auto st = std::make_shared<HistoryStorage>();
    static const uint32_t zero[1] = {0};
    st->contact_offsets = {zero, 1};
    st->response_offsets = {zero, 1};
    std::vector<std::string> types(std::begin(kBuiltinResponseTypes), std::end(kBuiltinResponseTypes));
    st->response_types = Dictionary(std::move(types));
    return st;
  }();
  return s;
}
}  // namespace

History::History() : s_(empty_storage()) {}
History::History(std::shared_ptr<const HistoryStorage> storage) : s_(std::move(storage)) {
  if (!s_) s_ = empty_storage();
}

void History::check_events() const {
  HistoryStorage::LazyCheck* c = s_->events_check.get();
  if (!c) return;
  std::call_once(c->once, [&] { c->error = c->run(*s_); });
  if (!c->error.empty()) throw_invalid_input(c->error);
}

void History::damaged(std::string_view what) const {
  if (s_->origin.empty()) throw_invalid_input(fmt::format("history: damaged columns: {}", what));
  const std::filesystem::path seg(s_->origin);
  const std::string dir = seg.has_parent_path() ? seg.parent_path().string() : std::string(".");
  throw_invalid_input(fmt::format("{}: damaged segment: {} (`nudge history inspect {} --verify` checks every "
                                  "segment's data; restore the folder from a backup)",
                                  s_->origin, what, dir));
}

uint32_t History::find_member(uint64_t customer_id) const noexcept {
  const auto ids = s_->customer_ids;
  auto it = std::lower_bound(ids.begin(), ids.end(), customer_id);
  if (it == ids.end() || *it != customer_id) return kNoMember;
  return static_cast<uint32_t>(it - ids.begin());
}

uint32_t History::member_of_contact(uint32_t contact) const noexcept {
  const auto off = s_->contact_offsets;
  // The last m with off[m] <= contact (members have >= 1 contact, so it is unique).
  auto it = std::upper_bound(off.begin(), off.end(), contact);
  return static_cast<uint32_t>(it - off.begin()) - 1;
}

std::vector<uint32_t> History::map_rows(std::span<const uint64_t> ids) const {
  std::vector<uint32_t> out(ids.size(), kNoMember);
  const auto members = s_->customer_ids;
  if (ids.empty() || members.empty()) return out;
  if (std::is_sorted(ids.begin(), ids.end())) {  // merge join
    std::size_t m = 0;
    for (std::size_t r = 0; r < ids.size(); ++r) {
      while (m < members.size() && members[m] < ids[r]) ++m;
      if (m < members.size() && members[m] == ids[r]) out[r] = static_cast<uint32_t>(m);
    }
    return out;
  }
  // Bucket index: bucket b covers ids [lo + b*width, lo + (b+1)*width); first[b]
  // is the first member at or above its start. A lookup binary-searches one bucket.
  const uint64_t lo = members.front(), hi = members.back();
  const std::size_t buckets = std::max<std::size_t>(1, members.size() / 8);
  const uint64_t span = hi - lo;
  const uint64_t width = span / buckets + 1;
  std::vector<uint32_t> first(buckets + 1);
  {
    std::size_t m = 0;
    for (std::size_t b = 0; b <= buckets; ++b) {
      const unsigned __int128 start = static_cast<unsigned __int128>(lo) + static_cast<unsigned __int128>(b) * width;
      while (m < members.size() && static_cast<unsigned __int128>(members[m]) < start) ++m;
      first[b] = static_cast<uint32_t>(m);
    }
  }
  // Grain: 16K lookups, enough to amortise task overhead, small enough to balance 2 cores.
  // Ids arrive in random order, so each lookup misses the cache twice, the second miss
  // depending on the first (first[b], then the bucket's members). A three-stage software
  // pipeline overlaps them: row r + 2K computes its bucket and prefetches first[b]; row r + K
  // prefetches the bucket's first members; row r searches, by then mostly in cache. The
  // search itself is the one above, so the result does not depend on the pipeline.
  constexpr std::size_t K = 16, kRing = 4 * K;   // kRing: a power of two > 2K
  constexpr std::size_t kOut = ~std::size_t{0};  // an id outside [lo, hi]
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ids.size(), 16384), [&](const auto& range) {
    std::size_t ring[kRing];
    const std::size_t r0 = range.begin(), r1 = range.end();
    auto stage1 = [&](std::size_t r) {
      const uint64_t id = ids[r];
      std::size_t b = kOut;
      if (id >= lo && id <= hi) {
        b = static_cast<std::size_t>((id - lo) / width);
        __builtin_prefetch(&first[b]);
      }
      ring[r % kRing] = b;
    };
    auto stage2 = [&](std::size_t r) {
      if (const std::size_t b = ring[r % kRing]; b != kOut) __builtin_prefetch(members.data() + first[b]);
    };
    for (std::size_t r = r0; r < std::min(r1, r0 + 2 * K); ++r) stage1(r);
    for (std::size_t r = r0; r < std::min(r1, r0 + K); ++r) stage2(r);
    for (std::size_t r = r0; r != r1; ++r) {
      if (r + 2 * K < r1) stage1(r + 2 * K);
      if (r + K < r1) stage2(r + K);
      const std::size_t b = ring[r % kRing];
      if (b == kOut) continue;
      const uint64_t id = ids[r];
      const uint64_t* begin = members.data() + first[b];
      const uint64_t* end = members.data() + first[b + 1];
      const uint64_t* it = std::lower_bound(begin, end, id);
      if (it != end && *it == id) out[r] = static_cast<uint32_t>(it - members.data());
    }
  });
  return out;
}

std::vector<uint32_t> History::map_population(const Population& pop) const {
  const auto idc = pop.id_column();
  if (!idc) throw_invalid_input("the population has no customer id column to match the history against");
  const Column& c = pop.column(*idc);
  return map_rows({c.values<uint64_t>(), pop.rows()});
}

SkipCounts History::count_skipped(int32_t as_of) const noexcept {
  SkipCounts n;
  for (const SkippedResponse& s : s_->skipped) {
    if (s.responded_on > as_of) continue;
    if (s.reason == SkipReason::BeforeContact && s.sent_on <= as_of) ++n.before_contact;
    else ++n.no_contact;
  }
  return n;
}

std::size_t History::column_bytes() const noexcept {
  const HistoryStorage& s = *s_;
  return s.customer_ids.size_bytes() + s.contact_offsets.size_bytes() + s.response_offsets.size_bytes() +
         s.sent_on.size_bytes() + s.contact_profile.size_bytes() + s.contact_batch.size_bytes() +
         s.response_contact.size_bytes() + s.responded_on.size_bytes() + s.response_type.size_bytes() +
         s.response_value.size_bytes() + s.skipped.size() * sizeof(SkippedResponse) +
         s.profiles.size() * sizeof(ContactProfile);
}

}  // namespace nudge::history
