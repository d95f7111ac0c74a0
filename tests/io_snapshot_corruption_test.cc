// Snapshots that are truncated, have flipped bytes, or carry a manifest that
// is well-formed FlatBuffers with correct checksums but lies about the data:
// opening gives nudge::Error(InvalidInput) naming the file and the fault,
// never a crash (this suite also runs under ASan+UBSan) or a wrong answer.
// What open_snapshot() does and does not detect is listed in io/snapshot/snapshot.h.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <random>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "io/snapshot/snapshot_format.h"
#include "tests/io_snapshot_fixtures.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  // A new file each time: ext4 flushes a file truncated and rewritten in place
  // on close (auto_da_alloc), which makes thousands of rewrites crawl.
  std::filesystem::remove(p);
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The error open_snapshot throws on `p`, or nullopt when it opens.
std::optional<Error> open_error(const std::filesystem::path& p, bool verify_data = false) {
  try {
    SnapshotOpenOptions o;
    o.verify_data = verify_data;
    open_snapshot(p, o);
    return std::nullopt;
  } catch (const Error& e) { return e; }
}

void expect_invalid(const std::filesystem::path& p, const std::string& fragment) {
  const auto e = open_error(p);
  ASSERT_TRUE(e) << "opened without error; expected: " << fragment;
  EXPECT_EQ(e->kind(), ErrorKind::InvalidInput) << e->what();
  const std::string msg = e->what();
  EXPECT_EQ(msg.rfind(p.string() + ": ", 0), 0u) << msg;  // names the file first
  EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
}

snapshot::Header header_of(const std::string& bytes) {
  snapshot::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  return h;
}

// A plain copy of a manifest that tests edit and serialise again with
// correct hashes, so only the structural checks can catch the lie.
struct ColumnEdit {
  std::string name;
  uint8_t type;
  uint64_t null_count;
  fb::BufferRef values;
  std::optional<fb::BufferRef> validity;
  std::optional<std::vector<std::string>> dictionary;
};
struct ManifestEdit {
  uint32_t version;
  int32_t as_of;
  uint64_t rows;
  int64_t id_column;
  std::vector<ColumnEdit> columns;
  std::vector<std::pair<std::string, std::vector<uint32_t>>> series;
};

std::string rewrite_manifest(const std::string& file, const std::function<void(ManifestEdit&)>& edit) {
  snapshot::Header h = header_of(file);
  const auto* m = fb::GetManifest(file.data() + h.manifest_offset);
  ManifestEdit e{m->format_version(), m->as_of(), m->rows(), m->id_column(), {}, {}};
  for (const auto* c : *m->columns()) {
    ColumnEdit ce{c->name()->str(), static_cast<uint8_t>(c->type()), c->null_count(), *c->values(), {}, {}};
    if (c->validity()) ce.validity = *c->validity();
    if (c->dictionary()) {
      ce.dictionary.emplace();
      for (const auto* s : *c->dictionary()) ce.dictionary->push_back(s->str());
    }
    e.columns.push_back(ce);
  }
  if (m->series())
    for (const auto* s : *m->series())
      e.series.emplace_back(s->name()->str(),
                            std::vector<uint32_t>(s->bucket_columns()->begin(), s->bucket_columns()->end()));
  edit(e);
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<fb::Column>> cols;
  for (const auto& c : e.columns) {
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> dict;
    if (c.dictionary) dict = fbb.CreateVectorOfStrings(*c.dictionary);
    cols.push_back(fb::CreateColumn(fbb, fbb.CreateString(c.name), static_cast<fb::ColumnType>(c.type), c.null_count,
                                    &c.values, c.validity ? &*c.validity : nullptr, dict));
  }
  std::vector<flatbuffers::Offset<fb::Series>> series;
  for (const auto& [name, buckets] : e.series)
    series.push_back(fb::CreateSeries(fbb, fbb.CreateString(name), fb::BucketUnit::Week, fbb.CreateVector(buckets)));
  fb::FinishManifestBuffer(fbb, fb::CreateManifest(fbb, e.version, e.as_of, e.rows, e.id_column, fbb.CreateVector(cols),
                                                   fbb.CreateVector(series)));
  std::string out = file.substr(0, h.manifest_offset);
  out.append(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  h.file_bytes = out.size();
  h.manifest_bytes = fbb.GetSize();
  h.manifest_hash = snapshot::hash_bytes(fbb.GetBufferPointer(), fbb.GetSize());
  h.header_hash = snapshot::header_hash(h);
  std::memcpy(out.data(), &h, sizeof h);
  return out;
}

// The index of `name` in the edit.
ColumnEdit& col(ManifestEdit& e, const std::string& name) {
  for (auto& c : e.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

class SnapshotCorruption : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("snap_corrupt");
    original_ = test::make_every_type_population(65, 4);
    write_snapshot(original_, dir_ / "good.snap");
    good_ = read_file(dir_ / "good.snap");
  }
  std::filesystem::path dir_;
  Population original_;
  std::string good_;
};

}  // namespace

TEST_F(SnapshotCorruption, EveryTruncationIsAnError) {
  const auto p = dir_ / "cut.snap";
  for (std::size_t n = 0; n < good_.size(); ++n) {
    write_bytes(p, good_.substr(0, n));
    const auto e = open_error(p);
    ASSERT_TRUE(e) << "a file cut at " << n << " of " << good_.size() << " bytes opened";
    ASSERT_EQ(e->kind(), ErrorKind::InvalidInput) << e->what();
  }
  write_bytes(p, good_.substr(0, good_.size() - 1));
  expect_invalid(p, "truncated snapshot: the header says " + std::to_string(good_.size()) + " bytes, the file holds " +
                        std::to_string(good_.size() - 1));
}

TEST_F(SnapshotCorruption, EveryFlippedByteOutsideColumnDataIsAnErrorAndInsideNeverAWrongAnswerUnverified) {
  const auto p = dir_ / "flip.snap";
  const uint64_t data_end = header_of(good_).manifest_offset;
  std::size_t opened = 0;
  for (std::size_t pos = 0; pos < good_.size(); ++pos) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string bad = good_;
      bad[pos] = static_cast<char>(bad[pos] ^ mask);
      write_bytes(p, bad);
      const auto e = open_error(p);
      if (e) {
        ASSERT_EQ(e->kind(), ErrorKind::InvalidInput) << e->what();
        continue;
      }
      // Only a byte of column data (values or bitmap) or of the padding between
      // buffers may go unnoticed by the structural checks...
      ASSERT_TRUE(pos >= snapshot::kHeaderBytes && pos < data_end) << "flip at " << pos << " opened";
      ++opened;
      // ...and then either the data checksums catch it, or it was padding and
      // the population is the original.
      if (!open_error(p, /*verify_data=*/true)) test::expect_same_population(original_, open_snapshot(p));
    }
  }
  EXPECT_GT(opened, 0u);  // int and float data flips are left to the checksums
}

TEST_F(SnapshotCorruption, SampledTruncationsAndFlipsOfALargeSnapshotAreErrorsNotCrashes) {
  const auto big = dir_ / "big.snap";
  write_snapshot(generate_rs1(20000, 3), big);
  const std::string bytes = read_file(big);
  const auto p = dir_ / "big_bad.snap";
  std::mt19937_64 rng(17);
  for (int i = 0; i < 60; ++i) {
    const std::size_t n = i < 10 ? bytes.size() - 1 - i : rng() % bytes.size();
    write_bytes(p, bytes.substr(0, n));
    const auto e = open_error(p);
    ASSERT_TRUE(e) << "cut at " << n;
    ASSERT_EQ(e->kind(), ErrorKind::InvalidInput);
  }
  const uint64_t data_end = header_of(bytes).manifest_offset;
  for (int i = 0; i < 300; ++i) {
    std::string bad = bytes;
    // Half the flips in the header and manifest, half anywhere.
    const std::size_t pos =
        i % 2 ? rng() % bytes.size() : (i % 4 == 0 ? rng() % 64 : data_end + rng() % (bytes.size() - data_end));
    bad[pos] = static_cast<char>(bad[pos] ^ (1 << (rng() % 8)));
    write_bytes(p, bad);
    const auto e = open_error(p, /*verify_data=*/true);
    if (e) {
      ASSERT_EQ(e->kind(), ErrorKind::InvalidInput);
    } else {
      ASSERT_TRUE(pos >= 64 && pos < data_end) << pos;  // padding between buffers
    }
  }
}

TEST_F(SnapshotCorruption, HeaderFaultsHaveClearMessages) {
  const auto p = dir_ / "h.snap";
  write_bytes(p, "");
  expect_invalid(p, "not a nudge snapshot (0 bytes");
  write_bytes(p, "customer_id,tier\n1,Star\n" + std::string(100, 'x'));
  expect_invalid(p, "not a nudge snapshot (the file does not start with NUDGSNAP)");
  std::string bad = good_;
  snapshot::Header h = header_of(bad);
  h.version = 2;
  h.header_hash = snapshot::header_hash(h);
  std::memcpy(bad.data(), &h, sizeof h);
  write_bytes(p, bad);
  expect_invalid(p, "snapshot format version 2; this nudge reads version 1");
  write_bytes(p, good_ + "junk");
  expect_invalid(p, "extra bytes at the end");
  bad = good_;
  bad[20] ^= 4;  // file size field
  write_bytes(p, bad);
  expect_invalid(p, "corrupt snapshot header (its checksum does not match)");
  bad = good_;
  bad[bad.size() - 3] ^= 1;
  write_bytes(p, bad);
  expect_invalid(p, "corrupt snapshot manifest (its checksum does not match)");
}

TEST_F(SnapshotCorruption, DataFaultsThatBreakInvariantsAreFoundAtOpen) {
  const snapshot::Header h = header_of(good_);
  const auto* m = fb::GetManifest(good_.data() + h.manifest_offset);
  auto column = [&](const std::string& name) {
    for (const auto* c : *m->columns())
      if (c->name()->str() == name) return c;
    throw std::runtime_error(name);
  };
  const auto p = dir_ / "d.snap";
  auto patch = [&](uint64_t at, const void* v, std::size_t n) {
    std::string bad = good_;
    std::memcpy(bad.data() + at, v, n);
    write_bytes(p, bad);
  };
  const int32_t code = 7;
  patch(column("tier")->values()->offset() + 4 * 10, &code, 4);
  expect_invalid(p, "column 'tier' row 10: code 7 outside its dictionary of 4");
  const uint8_t two = 2;
  patch(column("flag")->values()->offset() + 3, &two, 1);
  expect_invalid(p, "column 'flag' row 3: bool holds 2");
  patch(column("i32")->values()->offset() + 4 * 65, &code, 4);  // first padding row
  expect_invalid(p, "column 'i32': nonzero byte in the padding after the last row");
  const uint64_t all = ~uint64_t{0};
  patch(column("f32")->validity()->offset(), &all, 8);
  expect_invalid(p, "column 'f32': validity bitmap marks 0 NULLs, the manifest says");
  patch(column("f32")->validity()->offset() + 8, &all, 8);  // rows 64..127: only 64 is a row
  expect_invalid(p, "column 'f32': validity bits set beyond the last row");
  // A changed float value is only found by the data checksums.
  const float x = 123.25f;
  patch(column("f64")->values()->offset() + 8, &x, 4);
  EXPECT_FALSE(open_error(p));
  const auto e = open_error(p, /*verify_data=*/true);
  ASSERT_TRUE(e);
  EXPECT_NE(std::string(e->what()).find("column 'f64': values do not match their checksum"), std::string::npos)
      << e->what();
  EXPECT_THROW(verify_snapshot_data(p), Error);
}

TEST_F(SnapshotCorruption, ManifestsThatLieAboutTheDataAreRejected) {
  const auto p = dir_ / "m.snap";
  auto lie = [&](const std::function<void(ManifestEdit&)>& edit, const std::string& fragment) {
    write_bytes(p, rewrite_manifest(good_, edit));
    SCOPED_TRACE(fragment);
    expect_invalid(p, fragment);
  };
  write_bytes(p, rewrite_manifest(good_, [](ManifestEdit&) {}));
  ASSERT_FALSE(open_error(p)) << "the rewrite itself must be faithful";
  test::expect_same_population(original_, open_snapshot(p));

  // 66 rows still fit the 128 padded rows, so the bitmaps give the lie away.
  lie([](ManifestEdit& e) { e.rows = 66; }, "column 'flag': validity bitmap marks 10 NULLs, the manifest says 9");
  lie([](ManifestEdit& e) { e.rows = 129; }, "column 'customer_id' values holds 1024 bytes, rows and type need 1536");
  lie([](ManifestEdit& e) { e.rows = uint64_t{1} << 62; }, "corrupt snapshot manifest (4611686018427387904 rows)");
  lie([](ManifestEdit& e) { e.version = 7; }, "version 7 differs from the header's 1");
  lie([](ManifestEdit& e) { col(e, "i32").type = 42; }, "column 'i32' has unknown type code 42");
  lie([](ManifestEdit& e) { col(e, "i32").type = static_cast<uint8_t>(fb::ColumnType::Int64); },
      "column 'i32' values holds 512 bytes, rows and type need 1024");
  lie(
      [](ManifestEdit& e) {
        auto& v = col(e, "i64").values;
        v = fb::BufferRef(v.offset() + 8, v.bytes(), v.xxh3());
      },
      "column 'i64' values lies outside the data area or is misaligned");
  lie(
      [](ManifestEdit& e) {
        auto& v = col(e, "i64").values;
        v = fb::BufferRef(1u << 30, v.bytes(), v.xxh3());
      },
      "column 'i64' values lies outside the data area");
  lie(
      [](ManifestEdit& e) {
        auto& v = col(e, "i64").values;
        v = fb::BufferRef(0, v.bytes(), v.xxh3());
      },
      "column 'i64' values lies outside the data area");
  lie([](ManifestEdit& e) { col(e, "f32").null_count = 66; }, "column 'f32' claims 66 NULLs in 65 rows");
  lie([](ManifestEdit& e) { col(e, "f32").null_count += 1; }, "column 'f32': validity bitmap marks");
  lie([](ManifestEdit& e) { col(e, "f32").validity.reset(); }, "column 'f32' has NULLs but no validity bitmap");
  lie([](ManifestEdit& e) { col(e, "i32").validity = col(e, "f32").validity; },
      "column 'i32' has a validity bitmap but no NULLs");
  lie([](ManifestEdit& e) { col(e, "tier").dictionary->pop_back(); }, "outside its dictionary of 3");
  // Fails before the fix: the snapshot opened and `tier = 'Star'` matched one of the two codes.
  lie([](ManifestEdit& e) { (*col(e, "tier").dictionary)[2] = (*col(e, "tier").dictionary)[0]; },
      "column 'tier': dictionary holds '" + original_.column("tier").dictionary()[0] + "' twice (codes 0 and 2)");
  lie([](ManifestEdit& e) { col(e, "tier").dictionary.reset(); }, "column 'tier' is a category without a dictionary");
  lie([](ManifestEdit& e) { col(e, "i32").dictionary = std::vector<std::string>{"a"}; },
      "column 'i32' is not a category but has a dictionary");
  lie([](ManifestEdit& e) { col(e, "i32").name = "i64"; }, "column 'i64' clashes with existing column 'i64'");
  lie([](ManifestEdit& e) { e.id_column = 2; }, "the id column 2 is not a uint64 column");
  lie([](ManifestEdit& e) { e.id_column = 99; }, "the id column 99 is not a uint64 column");
  lie([](ManifestEdit& e) { e.series[0].second.push_back(10); }, "series 'visits' names a column that does not exist");
  lie([](ManifestEdit& e) { e.series.push_back(e.series[0]); }, "series 'visits' is defined twice");
}
