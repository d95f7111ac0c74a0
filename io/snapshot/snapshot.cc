// Snapshot writer. The file it writes (format version 1):
//
//   0                 +------------------------------------------+
//                     | header (64 B): "NUDGSNAP", version,      |
//                     | file size, manifest offset/size/hash,    |
//                     | header hash          (snapshot_format.h) |
//   64                +------------------------------------------+
//                     | col 0 values | pad to 64 | col 0 validity |
//                     | pad | col 1 values | pad | ...            |
//                     |   (buffer i starts at a multiple of 64)  |
//   manifest offset   +------------------------------------------+
//                     | FlatBuffers Manifest (snapshot.fbs)      |
//   file size         +------------------------------------------+
//
// One sequential pass: the header is written as a placeholder, each buffer
// is streamed to the file through an XXH3 hasher (no copy of the
// population), then the manifest with the buffers' offsets and hashes, and
// finally the real header over the placeholder, before fsync and rename
// (io/file/atomic_file.h). Bytes written for a column are canonical whatever its
// memory holds outside its rows: padding rows and NULL rows are written as
// 0, validity padding bits as 0.
#include "io/snapshot/snapshot.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "io/file/atomic_file.h"
#include "io/snapshot/snapshot_format.h"

namespace nudge {
namespace {

using snapshot::kFileAlignment;

// Appends bytes to the file while hashing them; one instance per buffer.
class HashingSink {
 public:
  explicit HashingSink(AtomicFile& file) : file_(file), state_(XXH3_createState()) {
    if (!state_) throw std::bad_alloc();
    XXH3_64bits_reset(state_);
    file_.pad_to(kFileAlignment);
    offset_ = file_.offset();
  }
  ~HashingSink() { XXH3_freeState(state_); }
  void put(const void* data, std::size_t bytes) {
    XXH3_64bits_update(state_, data, bytes);
    file_.write(data, bytes);
  }
  void put_zeros(std::size_t bytes) {
    static const std::byte zeros[4096] = {};
    for (std::size_t n; bytes > 0; bytes -= n) {
      n = std::min(bytes, sizeof zeros);
      put(zeros, n);
    }
  }
  fb::BufferRef ref() const { return fb::BufferRef(offset_, file_.offset() - offset_, XXH3_64bits_digest(state_)); }

 private:
  AtomicFile& file_;
  XXH3_state_t* state_;
  std::size_t offset_ = 0;
};

// Refuses to write a column that breaks the store's invariants, so every file
// written can be opened (the reader rejects such values as corruption).
void check_column(const Column& c) {
  if (c.values_buffer().size() < padded_rows(c.rows()) * type_width(c.type()))
    throw_internal("column '" + c.name() + "' holds fewer bytes than its rows need");
  if (c.type() == DataType::Bool) {
    const uint8_t* v = c.values<uint8_t>();
    for (std::size_t i = 0; i < c.rows(); ++i)
      if (v[i] > 1 && c.is_valid(i))
        throw_internal("bool column '" + c.name() + "' row " + std::to_string(i) + " holds " + std::to_string(v[i]));
  }
  if (c.type() == DataType::Category) {
    const int32_t* v = c.values<int32_t>();
    const auto n = static_cast<int64_t>(c.dictionary().size());
    for (std::size_t i = 0; i < c.rows(); ++i)
      if ((v[i] < 0 || v[i] >= n) && c.is_valid(i))
        throw_internal("category column '" + c.name() + "' row " + std::to_string(i) + " holds code " +
                       std::to_string(v[i]) + " outside its dictionary of " + std::to_string(n));
  }
}

// NULL rows counted from the bitmap (not trusted from null_count).
std::size_t count_nulls(const Column& c) {
  if (!c.has_validity()) return 0;
  std::size_t valid = 0;
  for (std::size_t w = 0; w < c.rows() / 64; ++w)
    valid += static_cast<std::size_t>(__builtin_popcountll(c.validity()[w]));
  for (std::size_t r = c.rows() / 64 * 64; r < c.rows(); ++r) valid += c.is_valid(r);
  return c.rows() - valid;
}

fb::BufferRef write_values(AtomicFile& file, const Column& c, bool with_nulls) {
  HashingSink sink(file);
  const std::size_t width = type_width(c.type()), rows = c.rows();
  const std::byte* data = c.values_buffer().data();
  if (!with_nulls) {
    sink.put(data, rows * width);
  } else {
    // Stage blocks of 4096 rows so NULL slots go out as 0 whatever memory holds.
    constexpr std::size_t kBlock = 4096;
    auto stage = std::make_unique<std::byte[]>(kBlock * 8);
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
      const std::size_t n = std::min(kBlock, rows - begin);
      std::memcpy(stage.get(), data + begin * width, n * width);
      for (std::size_t r = 0; r < n; ++r)
        if (c.is_null(begin + r)) std::memset(stage.get() + r * width, 0, width);
      sink.put(stage.get(), n * width);
    }
  }
  sink.put_zeros((padded_rows(rows) - rows) * width);
  return sink.ref();
}

fb::BufferRef write_validity(AtomicFile& file, const Column& c) {
  HashingSink sink(file);
  const std::size_t rows = c.rows(), words = padded_rows(rows) / 64;
  const uint64_t* w = c.validity();
  if (words > 0) {
    sink.put(w, (words - 1) * 8);
    uint64_t last = w[words - 1];
    if (rows % 64) last &= (uint64_t{1} << (rows % 64)) - 1;  // padding bits 0
    sink.put(&last, 8);
  }
  return sink.ref();
}

fb::BucketUnit to_fb(BucketUnit u) {
  static_assert(static_cast<int>(BucketUnit::Day) == static_cast<int>(fb::BucketUnit::Day) &&
                static_cast<int>(BucketUnit::Week) == static_cast<int>(fb::BucketUnit::Week) &&
                static_cast<int>(BucketUnit::Month) == static_cast<int>(fb::BucketUnit::Month));
  return static_cast<fb::BucketUnit>(u);
}

}  // namespace

void write_snapshot(const Population& pop, const std::filesystem::path& path) {
  for (const Column& c : pop.columns()) check_column(c);

  AtomicFile file(path);
  snapshot::Header header{};
  file.write(&header, sizeof header);  // placeholder, rewritten at the end

  flatbuffers::FlatBufferBuilder fbb(4096);
  std::vector<flatbuffers::Offset<fb::Column>> columns;
  for (const Column& c : pop.columns()) {
    const std::size_t nulls = count_nulls(c);
    const fb::BufferRef values = write_values(file, c, nulls > 0);
    std::optional<fb::BufferRef> validity;
    if (nulls > 0) validity = write_validity(file, c);
    auto name = fbb.CreateString(c.name());
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> dict;
    if (c.type() == DataType::Category) dict = fbb.CreateVectorOfStrings(c.dictionary());
    columns.push_back(
        fb::CreateColumn(fbb, name, snapshot::to_fb(c.type()), nulls, &values, validity ? &*validity : nullptr, dict));
  }
  std::vector<flatbuffers::Offset<fb::Series>> series;
  for (const Series& s : pop.series()) {
    std::vector<uint32_t> buckets(s.bucket_columns.begin(), s.bucket_columns.end());
    series.push_back(fb::CreateSeries(fbb, fbb.CreateString(s.name), to_fb(s.unit), fbb.CreateVector(buckets)));
  }
  const auto id = pop.id_column();
  auto manifest =
      fb::CreateManifest(fbb, snapshot::kSnapshotVersion, pop.as_of(), pop.rows(), id ? static_cast<int64_t>(*id) : -1,
                         fbb.CreateVector(columns), fbb.CreateVector(series), /*contact_history=*/0,
                         fbb.CreateString("nudge " NUDGE_VERSION));
  fb::FinishManifestBuffer(fbb, manifest);

  const std::size_t manifest_offset = file.pad_to(kFileAlignment);
  file.write(fbb.GetBufferPointer(), fbb.GetSize());

  std::memcpy(header.magic, snapshot::kMagic, sizeof header.magic);
  header.version = snapshot::kSnapshotVersion;
  header.header_bytes = snapshot::kHeaderBytes;
  header.file_bytes = file.offset();
  header.manifest_offset = manifest_offset;
  header.manifest_bytes = fbb.GetSize();
  header.manifest_hash = snapshot::hash_bytes(fbb.GetBufferPointer(), fbb.GetSize());
  header.header_hash = snapshot::header_hash(header);
  std::FILE* f = file.stream();
  if (std::fflush(f) != 0 || std::fseek(f, 0, SEEK_SET) != 0 || std::fwrite(&header, sizeof header, 1, f) != 1)
    throw_io("cannot write the header of '" + file.temp_path().string() + "'");
  file.commit();
}

}  // namespace nudge
