// Population snapshots: a whole Population in one file that opens in
// milliseconds by mapping it into memory (zero copy).
//
//   nudge::write_snapshot(pop, "members.snap");
//   nudge::Population p = nudge::open_snapshot("members.snap");   // columns point into the mapping
//
// File layout (format version 1; all integers little-endian):
//
//   offset 0          +-------------------------------------------------+
//                     | header, 64 bytes (io/snapshot/snapshot_format.h):        |
//                     |   magic "NUDGSNAP", format version, file size,  |
//                     |   manifest offset + size + XXH3 hash,           |
//                     |   XXH3 hash of the header's first 56 bytes      |
//   64                +-------------------------------------------------+
//                     | column 0 values  (padded_rows(rows) * width)    |
//                     | zero padding up to a multiple of 64             |
//                     | column 0 validity (padded_rows(rows) / 8 bytes, |
//                     |   only when the column has NULLs) + padding     |
//                     | column 1 values ...                             |
//                     |   ... every buffer starts 64-byte aligned       |
//   manifest offset   +-------------------------------------------------+
//   (64-aligned)      | manifest: FlatBuffers `nudge.fb.Manifest`       |
//                     |   (io/snapshot/snapshot.fbs): as_of, rows, id column,    |
//                     |   per column name, type, null count,            |
//                     |   dictionary, offset/size/XXH3 of its buffers;  |
//                     |   series metadata; reserved contact history     |
//   file size         +-------------------------------------------------+
//
// Buffers are each far below 2 GiB for any realistic population (a 100M-row
// uint64 column is 800 MB); only the manifest is a FlatBuffers buffer, so the
// file as a whole has no size limit. The values buffers are byte-for-byte the
// in-memory column layout (engine/store/column.h), which is what makes zero-copy
// opening possible.
//
// What open_snapshot() verifies, and so reports as nudge::Error(InvalidInput)
// naming the file and the fault, instead of crashing or answering wrongly:
//   - header: size, magic, format version, header hash, file size (truncation
//     or appended bytes);
//   - manifest: lies inside the file, its XXH3 hash, the FlatBuffers verifier,
//     a version equal to the header's;
//   - every column: a known type, a unique name, buffers 64-byte aligned and
//     inside the data area (between header and manifest), sizes exactly as
//     rows and type require, validity present exactly when null_count > 0 and
//     its popcount equal to rows - null_count, bitmap padding bits 0;
//     values in the padding rows 0; in every slot (NULL rows included) bools
//     0 or 1 and category codes within the dictionary (an O(rows) vectorised
//     scan of each category and bool column, columns in parallel: a few ms
//     per 10M rows, and it guards every later dictionary lookup); no string
//     twice in a dictionary (O(dictionary) hashing); id column and
//     series refer to existing columns of the right type.
// Not checked: whether two buffers overlap (harmless: views only read).
// So any change to the header or the manifest (truncation, a flipped byte,
// appended garbage) is detected. A flipped byte inside a values buffer is
// detected only where it breaks one of the rules above (a category code out of
// range, a bool not 0/1, a set padding byte, a validity bit); a changed
// number in an int, float or date column (NULL rows' slots included) is NOT
// detected by open_snapshot(): opening
// would have to hash every byte, which costs ~100 ms per GB and defeats the
// millisecond open. verify_snapshot_data() (or SnapshotOpenOptions::verify_data, or
// `nudge inspect --verify`) checks every buffer against its XXH3 hash.
//
// Errors: write_snapshot throws Error(Io) when the file cannot be written
// (nothing is left behind: temp file + fsync + rename, io/file/atomic_file.h);
// open_snapshot throws Error(Io) when the file cannot be opened or mapped,
// Error(InvalidInput) "<path>: <fault>" for any fault above.
// Thread-safety: functions are reentrant; an opened Population is immutable
// (its buffers are read-only views) and may be read from any thread. The
// mapping stays alive as long as the Population or any copy of its Buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "engine/store/population.h"

namespace nudge {

// Writes `pop` (columns, NULLs, dictionaries, as_of, id column, series) to
// `path` atomically. Hashing the buffers runs in parallel (oneTBB).
void write_snapshot(const Population& pop, const std::filesystem::path& path);

struct SnapshotOpenOptions {
  // Also check every buffer against its XXH3 hash (reads the whole file).
  bool verify_data = false;
};

// Maps `path` and returns a Population whose columns point into the mapping.
Population open_snapshot(const std::filesystem::path& path, const SnapshotOpenOptions& options = {});

// Checks every buffer of an opened snapshot `path` against its hash; throws
// Error(InvalidInput) naming the first column whose bytes differ.
void verify_snapshot_data(const std::filesystem::path& path);

// Facts about a snapshot file for `nudge inspect`.
struct SnapshotFileInfo {
  uint32_t format_version = 0;
  std::size_t file_bytes = 0;
  std::size_t manifest_bytes = 0;
  std::string writer;
};
// Reads and verifies the header and manifest only (no column data).
SnapshotFileInfo read_snapshot_info(const std::filesystem::path& path);

}  // namespace nudge
