// Snapshot reader: map the file, verify the header and the manifest, check
// each column's buffers against the rules listed in io/snapshot/snapshot.h, and wrap
// them as zero-copy Columns (layout pictured in io/snapshot/snapshot.h and
// io/snapshot/snapshot.cc).
//
// Order of checks: everything about the header and the manifest first (cheap,
// O(columns)); then the O(rows) content rules, one task per column in
// parallel (oneTBB); then, when asked, the XXH3 hash of every buffer. A fault
// becomes Error(InvalidInput) "<path>: <what is wrong>"; when several columns
// are faulty, the lowest-numbered one is reported (deterministic).
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/base/error.h"
#include "io/file/mapped_file.h"
#include "io/snapshot/snapshot.h"
#include "io/snapshot/snapshot_format.h"

namespace nudge {
namespace {

using snapshot::Header;

[[noreturn]] void corrupt(const std::filesystem::path& p, const std::string& what) {
  throw_invalid_input(p.string() + ": " + what);
}

struct Opened {
  std::shared_ptr<const MappedFile> file;
  Header header{};
  const fb::Manifest* manifest = nullptr;
};

Opened open_manifest(const std::filesystem::path& path) {
  Opened o;
  o.file = MappedFile::open(path);
  const std::size_t size = o.file->size();
  if (size < sizeof(Header)) {
    if (size >= sizeof snapshot::kMagic && std::memcmp(o.file->data(), snapshot::kMagic, sizeof snapshot::kMagic) == 0)
      corrupt(path, "truncated snapshot: " + std::to_string(size) + " bytes, fewer than the 64-byte header");
    corrupt(path, "not a nudge snapshot (" + std::to_string(size) + " bytes, no NUDGSNAP header)");
  }
  Header& h = o.header;
  std::memcpy(&h, o.file->data(), sizeof h);
  if (std::memcmp(h.magic, snapshot::kMagic, sizeof h.magic) != 0)
    corrupt(path, "not a nudge snapshot (the file does not start with NUDGSNAP)");
  if (h.version != snapshot::kSnapshotVersion)
    corrupt(path, "snapshot format version " + std::to_string(h.version) + "; this nudge reads version " +
                      std::to_string(snapshot::kSnapshotVersion));
  if (h.header_bytes != snapshot::kHeaderBytes || h.header_hash != snapshot::header_hash(h))
    corrupt(path, "corrupt snapshot header (its checksum does not match)");
  if (h.file_bytes != size)
    corrupt(path, std::string(size < h.file_bytes ? "truncated snapshot" : "snapshot has extra bytes at the end") +
                      ": the header says " + std::to_string(h.file_bytes) + " bytes, the file holds " +
                      std::to_string(size));
  // The writer puts the manifest last; FlatBuffers' own limit is 2 GiB.
  if (h.manifest_offset % snapshot::kFileAlignment != 0 || h.manifest_offset < sizeof(Header) ||
      h.manifest_offset > size || h.manifest_bytes != size - h.manifest_offset || h.manifest_bytes == 0 ||
      h.manifest_bytes >= (uint64_t{1} << 31))
    corrupt(path, "corrupt snapshot header (manifest at offset " + std::to_string(h.manifest_offset) + ", " +
                      std::to_string(h.manifest_bytes) + " bytes, does not end the file)");
  const auto* m = reinterpret_cast<const uint8_t*>(o.file->data() + h.manifest_offset);
  if (snapshot::hash_bytes(m, h.manifest_bytes) != h.manifest_hash)
    corrupt(path, "corrupt snapshot manifest (its checksum does not match)");
  flatbuffers::Verifier::Options opts;
  opts.max_tables = 10'000'000;
  flatbuffers::Verifier verifier(m, h.manifest_bytes, opts);
  if (!fb::VerifyManifestBuffer(verifier)) corrupt(path, "corrupt snapshot manifest (FlatBuffers verification failed)");
  o.manifest = fb::GetManifest(m);
  if (o.manifest->format_version() != h.version)
    corrupt(path, "corrupt snapshot manifest (version " + std::to_string(o.manifest->format_version()) +
                      " differs from the header's " + std::to_string(h.version) + ")");
  if (o.manifest->rows() > snapshot::kMaxRows)
    corrupt(path, "corrupt snapshot manifest (" + std::to_string(o.manifest->rows()) + " rows)");
  return o;
}

// A buffer must start 64-byte aligned inside the data area and hold exactly `want` bytes.
void check_ref(const Opened& o, const fb::BufferRef& ref, std::size_t want, const std::string& what) {
  const uint64_t begin = snapshot::kHeaderBytes, end = o.header.manifest_offset;
  if (ref.offset() % snapshot::kFileAlignment != 0 || ref.offset() < begin || ref.offset() > end ||
      ref.bytes() > end - ref.offset())
    corrupt(o.file->path(), what + " lies outside the data area or is misaligned (offset " +
                                std::to_string(ref.offset()) + ", " + std::to_string(ref.bytes()) + " bytes)");
  if (ref.bytes() != want)
    corrupt(o.file->path(),
            what + " holds " + std::to_string(ref.bytes()) + " bytes, rows and type need " + std::to_string(want));
}

Buffer view(const Opened& o, const fb::BufferRef& ref) {
  return Buffer::wrap(o.file->data() + ref.offset(), ref.bytes(), o.file);
}

// The O(rows) rules of io/snapshot/snapshot.h for one column; "" when it obeys them.
std::string check_content(const Column& c) {
  const std::string col = "column '" + c.name() + "'";
  const std::size_t rows = c.rows(), width = type_width(c.type()), padded = padded_rows(rows);
  const std::byte* bytes = c.values_buffer().data();
  for (std::size_t i = rows * width; i < padded * width; ++i)
    if (bytes[i] != std::byte{0}) return col + ": nonzero byte in the padding after the last row";
  if (c.has_validity()) {
    const uint64_t* w = c.validity();
    std::size_t valid = 0;
    for (std::size_t i = 0; i < padded / 64; ++i) valid += static_cast<std::size_t>(__builtin_popcountll(w[i]));
    if (rows % 64 && (w[rows / 64] >> (rows % 64)) != 0) return col + ": validity bits set beyond the last row";
    if (valid != rows - c.null_count())
      return col + ": validity bitmap marks " + std::to_string(rows - valid) + " NULLs, the manifest says " +
             std::to_string(c.null_count());
  }
  if (c.type() == DataType::Bool) {
    const uint8_t* v = c.values<uint8_t>();  // every slot, NULL rows included, is 0 or 1
    uint8_t max = 0;
    for (std::size_t i = 0; i < rows; ++i) max = std::max(max, v[i]);  // vectorised reduction (SSE2 pmaxub)
    if (max > 1)
      for (std::size_t i = 0; i < rows; ++i)
        if (v[i] > 1) return col + " row " + std::to_string(i) + ": bool holds " + std::to_string(v[i]);
  }
  if (c.type() == DataType::Category) {
    // Every slot, NULL rows included (the writer stores 0 there), must be a
    // code of the dictionary, so no lookup can go out of bounds.
    const int32_t* v = c.values<int32_t>();
    const std::size_t n = c.dictionary().size();
    if (n == 0 && c.null_count() != rows) return col + ": values but an empty dictionary";
    if (n > static_cast<std::size_t>(INT32_MAX)) return col + ": dictionary too large";
    const int32_t last = static_cast<int32_t>(std::max<std::size_t>(n, 1) - 1);
    uint32_t bad = 0;
    for (std::size_t i = 0; i < rows; ++i) bad |= static_cast<uint32_t>(v[i] > last) | static_cast<uint32_t>(v[i] < 0);
    if (bad)  // vectorised test above (SSE2 pcmpgtd); find the row only on failure
      for (std::size_t i = 0; i < rows; ++i)
        if (v[i] > last || v[i] < 0)
          return col + " row " + std::to_string(i) + ": code " + std::to_string(v[i]) + " outside its dictionary of " +
                 std::to_string(n);
  }
  return {};
}

Column build_column(const Opened& o, const fb::Column& fc, std::size_t rows) {
  const std::string col = "column '" + fc.name()->str() + "'";
  const auto type = snapshot::from_fb(fc.type());
  if (!type) corrupt(o.file->path(), col + " has unknown type code " + std::to_string(static_cast<int>(fc.type())));
  if (!fc.values()) corrupt(o.file->path(), col + " has no values buffer");
  check_ref(o, *fc.values(), padded_rows(rows) * type_width(*type), col + " values");
  if (fc.null_count() > rows)
    corrupt(o.file->path(),
            col + " claims " + std::to_string(fc.null_count()) + " NULLs in " + std::to_string(rows) + " rows");
  Buffer validity;
  if (fc.null_count() > 0) {
    if (!fc.validity()) corrupt(o.file->path(), col + " has NULLs but no validity bitmap");
    check_ref(o, *fc.validity(), padded_rows(rows) / 8, col + " validity bitmap");
    validity = view(o, *fc.validity());
  } else if (fc.validity()) {
    corrupt(o.file->path(), col + " has a validity bitmap but no NULLs");
  }
  std::vector<std::string> dict;
  if (fc.dictionary()) {
    if (*type != DataType::Category) corrupt(o.file->path(), col + " is not a category but has a dictionary");
    dict.reserve(fc.dictionary()->size());
    for (const auto* s : *fc.dictionary()) dict.push_back(s->str());
    // A string held twice would answer `tier = 'Star'` for one of its codes only.
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(dict.size());
    for (std::size_t k = 0; k < dict.size(); ++k)
      if (auto [it, fresh] = seen.emplace(dict[k], k); !fresh)
        corrupt(o.file->path(), col + ": dictionary holds '" + dict[k] + "' twice (codes " +
                                    std::to_string(it->second) + " and " + std::to_string(k) + ")");
  } else if (*type == DataType::Category) {
    corrupt(o.file->path(), col + " is a category without a dictionary");
  }
  return Column::from_buffers(fc.name()->str(), *type, rows, view(o, *fc.values()), std::move(validity),
                              std::move(dict), fc.null_count());
}

void verify_hashes(const Opened& o) {
  const auto* cols = o.manifest->columns();
  const std::size_t n = cols ? cols->size() : 0;
  std::vector<std::string> faults(n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    const fb::Column* c = cols->Get(i);
    for (const fb::BufferRef* ref : {c->values(), c->validity()}) {
      if (ref && snapshot::hash_bytes(o.file->data() + ref->offset(), ref->bytes()) != ref->xxh3())
        faults[i] = "column '" + c->name()->str() + "': " + (ref == c->values() ? "values" : "validity bitmap") +
                    " do not match their checksum (the file is corrupt)";
    }
  });
  for (const auto& f : faults)
    if (!f.empty()) corrupt(o.file->path(), f);
}

}  // namespace

Population open_snapshot(const std::filesystem::path& path, const SnapshotOpenOptions& options) {
  const Opened o = open_manifest(path);
  const fb::Manifest& m = *o.manifest;
  const std::size_t rows = m.rows();
  Population pop(rows, m.as_of());
  try {
    if (m.columns())
      for (const fb::Column* fc : *m.columns()) pop.add_column(build_column(o, *fc, rows));
    if (m.id_column() != -1) {
      if (m.id_column() < 0 || static_cast<uint64_t>(m.id_column()) >= pop.num_columns() ||
          pop.column(static_cast<std::size_t>(m.id_column())).type() != DataType::UInt64)
        corrupt(path, "the id column " + std::to_string(m.id_column()) + " is not a uint64 column");
      pop.set_id_column(static_cast<std::size_t>(m.id_column()));
    }
    if (m.series()) {
      for (const fb::Series* fs : *m.series()) {
        if (static_cast<uint8_t>(fs->unit()) > static_cast<uint8_t>(fb::BucketUnit::Month))
          corrupt(path, "series '" + fs->name()->str() + "' has an unknown bucket unit");
        Series s{fs->name()->str(), static_cast<BucketUnit>(fs->unit()), {}};
        if (fs->bucket_columns()) s.bucket_columns.assign(fs->bucket_columns()->begin(), fs->bucket_columns()->end());
        pop.add_series(std::move(s));
      }
    }
    // contact_history: reserved; version-1 readers ignore it.
  } catch (const Error& e) {
    if (std::string(e.what()).starts_with(path.string() + ": ")) throw;
    corrupt(path, e.what());  // duplicate names, bad series: name the file
  }

  std::vector<std::string> faults(pop.num_columns());
  // One task per column: the scans are memory-bound, columns are independent.
  tbb::parallel_for(std::size_t{0}, pop.num_columns(),
                    [&](std::size_t i) { faults[i] = check_content(pop.column(i)); });
  for (const auto& f : faults)
    if (!f.empty()) corrupt(path, f);
  if (options.verify_data) verify_hashes(o);
  pop.set_backing(o.file);
  return pop;
}

void verify_snapshot_data(const std::filesystem::path& path) {
  SnapshotOpenOptions options;
  options.verify_data = true;
  open_snapshot(path, options);  // the structure first: hashes only read checked ranges
}

SnapshotFileInfo read_snapshot_info(const std::filesystem::path& path) {
  const Opened o = open_manifest(path);
  SnapshotFileInfo info;
  info.format_version = o.header.version;
  info.file_bytes = o.file->size();
  info.manifest_bytes = o.header.manifest_bytes;
  if (o.manifest->writer()) info.writer = o.manifest->writer()->str();
  return info;
}

}  // namespace nudge
