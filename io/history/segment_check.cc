// The structural check of a segment's columns (segment_check.h).
#include "io/history/segment_check.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <string>

#include "engine/base/error.h"

namespace nudge::history {
namespace {

enum Fault : int {
  kOk = 0,
  kIdsNotAscending,
  kEmptyMember,
  kResponseOffsets,
  kProfile,
  kResponseType,
  kResponseContact,
  kResponseDate,
};

const char* fault_text(int f) {
  switch (f) {
    case kIdsNotAscending: return "customer ids not ascending";
    case kEmptyMember: return "member contact offsets not increasing (a member without contacts)";
    case kResponseOffsets: return "member response offsets decrease";
    case kProfile: return "a contact profile code out of range";
    case kResponseType: return "a response type code out of range";
    case kResponseContact: return "a response of another member's contact";
    case kResponseDate: return "a response dated before its contact";
    default: return "fault";
  }
}

// Members [m0, m1): the first fault found (kOk when none). The offsets at m0 .. m1 are read, so
// m1 <= M; the offsets are checked before the events they delimit are read.
int check_members(const HistoryStorage& s, std::size_t m0, std::size_t m1) {
  const std::size_t P = s.profiles.size(), T = s.response_types.size();
  for (std::size_t m = m0; m < m1; ++m) {
    if (m > 0 && s.customer_ids[m] <= s.customer_ids[m - 1]) return kIdsNotAscending;
    const uint32_t c0 = s.contact_offsets[m], c1 = s.contact_offsets[m + 1];
    const uint32_t r0 = s.response_offsets[m], r1 = s.response_offsets[m + 1];
    if (c1 <= c0) return kEmptyMember;
    if (r1 < r0) return kResponseOffsets;
    uint32_t worst = 0;  // branch-free: the largest profile code of the member
    for (uint32_t i = c0; i < c1; ++i) worst = std::max(worst, s.contact_profile[i]);
    if (worst >= P) return kProfile;
    for (uint32_t r = r0; r < r1; ++r) {
      const uint32_t c = s.response_contact[r];
      if (c < c0 || c >= c1) return kResponseContact;
      if (s.response_type[r] >= T) return kResponseType;
      if (s.responded_on[r] < s.sent_on[c]) return kResponseDate;
    }
  }
  return kOk;
}

std::string fault_message(int fault, const std::filesystem::path& path) {
  const std::string dir = path.has_parent_path() ? path.parent_path().string() : std::string(".");
  return path.string() + ": damaged segment: " + fault_text(fault) + " (`nudge history inspect " + dir +
         " --verify` checks every segment's data; restore the folder from a backup)";
}

}  // namespace

void check_segment_members(const HistoryStorage& s, const std::filesystem::path& path) {
  const std::size_t M = s.customer_ids.size(), C = s.sent_on.size(), R = s.response_contact.size();
  // Every offset lies in [0, C] / [0, R] once they are monotone between the checked ends; the ends
  // (offsets[0] = 0, offsets[M] = C or R) are open_segment's; check them again here for other callers.
  const bool ends = s.contact_offsets.size() == M + 1 && s.response_offsets.size() == M + 1 &&
                    s.contact_offsets[0] == 0 && s.contact_offsets[M] == C && s.response_offsets[0] == 0 &&
                    s.response_offsets[M] == R;
  int fault = ends ? kOk : kResponseOffsets;
  if (fault == kOk && M > 0)
    fault = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, M, 1 << 16), int(kOk),
        [&](const tbb::blocked_range<std::size_t>& r, int f) {
          if (f != kOk) return f;
          bool down_c = false, down_r = false;
          for (std::size_t m = r.begin(); m < r.end(); ++m) {
            down_c |= s.contact_offsets[m + 1] <= s.contact_offsets[m];
            down_r |= s.response_offsets[m + 1] < s.response_offsets[m];
          }
          return down_c ? int(kEmptyMember) : down_r ? int(kResponseOffsets) : int(kOk);
        },
        [](int a, int b) { return a != kOk ? a : b; });
  if (fault != kOk) throw_invalid_input(fault_message(fault, path));
}

std::string check_segment_events(const HistoryStorage& s, const std::filesystem::path& path) {
  const std::size_t M = s.customer_ids.size();
  // The member ranges are check_segment_members': each member's events lie inside the columns.
  const int fault = M == 0 ? int(kOk)
                           : tbb::parallel_reduce(
                                 tbb::blocked_range<std::size_t>(0, M, 4096), int(kOk),
                                 [&](const tbb::blocked_range<std::size_t>& r, int f) {
                                   return f != kOk ? f : check_members(s, r.begin(), r.end());
                                 },
                                 [](int a, int b) { return a != kOk ? a : b; });
  return fault == kOk ? std::string() : fault_message(fault, path);
}

}  // namespace nudge::history
