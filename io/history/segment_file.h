// Segment files: one History (engine/history/history.h) in one file that
// opens by mapping it (zero copy). A history folder holds one segment per
// add until `nudge history compact` merges them (io/history/history_store.h).
//
// Layout (format version 1; little-endian; every buffer 64-byte aligned):
//
//   offset 0     +------------------------------------------------------+
//                | header, 128 bytes:                                   |
//                |   0 "NUDGHIST"   8 u32 version   12 u32 0            |
//                |  16 u64 file size                                    |
//                |  24 u64 members M   32 u64 contacts C                |
//                |  40 u64 responses R 48 u64 skipped S                 |
//                |  56 u64 meta offset 64 u64 meta size                 |
//                |  72 u64 XXH3-64 of the meta bytes                    |
//                |  80 u64 XXH3-64 of bytes [128, meta offset) (data)   |
//                |  88..119 zero     120 u64 XXH3-64 of bytes 0..119    |
//   128          +------------------------------------------------------+
//                | customer_ids      u64[M]                             |
//                | contact_offsets   u32[M+1]                           |
//                | response_offsets  u32[M+1]                           |
//                | sent_on i32[C] | contact_profile u32[C] | batch u32[C]|
//                | response_contact u32[R] | responded_on i32[R]        |
//                | response_type u16[R] | response_value f64[R]         |
//                | skipped: 32-byte records[S] (customer_id u64,        |
//                |   action i32, sent_on i32, responded_on i32,         |
//                |   type u16, reason u8, 0, value f64)                 |
//                |   each buffer zero-padded to a multiple of 64 bytes  |
//   meta offset  +------------------------------------------------------+
//                | meta: JSON (nlohmann): the 7 dictionaries and the    |
//                |   profiles (small: one entry per distinct name or    |
//                |   profile, not per event)                            |
//   file size    +------------------------------------------------------+
//
// Bytes per event: 12 per contact + 18 per response + 16 per member (plus
// padding and the meta), e.g. 25 contacts and 5 responses a member: 11.9.
//
// open_segment checks: size, magic, version, header hash, file size, that
// the buffers lie between the header and the meta, the meta hash, JSON
// shape, the profiles' and skipped responses' codes, and (every open) the
// members' offsets and ids (io/history/segment_check.h, O(M)); the event
// codes a reader indexes with (profile codes, response contacts and types)
// are checked once when a reader scans every event (History::check_events,
// O(C + R)), or where a reader of a few events uses them
// (History::profile_code, ...). A damaged segment is thus an error naming the
// file, never a crash, and the open stays O(M). It does NOT hash the column data
// (~0.3 s per GB); verify_data = true also hashes the data area, which finds
// any change of values too (dates, costs, batch numbers), and checks the
// event codes at once.
// Errors: write_segment throws Error(Io) (nothing left behind: temp file,
// fsync, rename); open_segment throws Error(Io) when the file cannot be read
// and Error(InvalidInput) "<path>: <fault>" for any fault above.
// Thread-safety: reentrant; the returned History is immutable and keeps the
// mapping alive.
#pragma once

#include <filesystem>

#include "engine/history/history.h"

namespace nudge::history {

void write_segment(const History& h, const std::filesystem::path& path);

struct SegmentOpenOptions {
  bool verify_data = false;
};
History open_segment(const std::filesystem::path& path, const SegmentOpenOptions& options = {});

}  // namespace nudge::history
