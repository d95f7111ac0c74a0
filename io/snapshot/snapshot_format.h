// Snapshot file header and helpers shared by the writer (io/snapshot/snapshot.cc) and
// the reader (io/snapshot/snapshot_open.cc). Internal to io/; the file layout is
// pictured in io/snapshot/snapshot.h.
//
// Header (64 bytes, little-endian; nudge runs on x86-64 only):
//   0  char[8]  magic "NUDGSNAP"
//   8  uint32   format version (kSnapshotVersion)
//   12 uint32   header size (64)
//   16 uint64   file size in bytes
//   24 uint64   manifest offset (64-byte aligned)
//   32 uint64   manifest size in bytes
//   40 uint64   XXH3-64 of the manifest bytes
//   48 uint64   reserved, 0
//   56 uint64   XXH3-64 of header bytes 0..55
//
// Thread-safety: pure functions and constants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/store/types.h"
#include "io/snapshot/snapshot_generated.h"

namespace nudge::snapshot {

inline constexpr char kMagic[8] = {'N', 'U', 'D', 'G', 'S', 'N', 'A', 'P'};
inline constexpr uint32_t kSnapshotVersion = 1;
inline constexpr std::size_t kHeaderBytes = 64;
inline constexpr std::size_t kFileAlignment = 64;  // every buffer and the manifest start here
// Rows beyond this are refused as corrupt (2^40: far above any population, far
// below where byte counts could overflow).
inline constexpr uint64_t kMaxRows = uint64_t{1} << 40;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t header_bytes;
  uint64_t file_bytes;
  uint64_t manifest_offset;
  uint64_t manifest_bytes;
  uint64_t manifest_hash;
  uint64_t reserved;
  uint64_t header_hash;
};
static_assert(sizeof(Header) == kHeaderBytes, "the header is exactly 64 bytes");

// XXH3-64 (seed 0) of `bytes` bytes: the hash of the header, the manifest and
// every buffer (https://github.com/Cyan4973/xxHash, Debian libxxhash-dev).
uint64_t hash_bytes(const void* data, std::size_t bytes) noexcept;
// Hash of header bytes 0..55.
uint64_t header_hash(const Header& h) noexcept;

fb::ColumnType to_fb(DataType t) noexcept;
std::optional<DataType> from_fb(fb::ColumnType t) noexcept;

}  // namespace nudge::snapshot
