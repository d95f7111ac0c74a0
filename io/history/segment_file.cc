// Segment file writer and reader (layout: segment_file.h).
#include "io/history/segment_file.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <array>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "engine/base/error.h"
#include "engine/base/utf8.h"
#include "io/file/atomic_file.h"
#include "io/file/mapped_file.h"
#include "io/history/segment_check.h"

namespace nudge::history {
namespace {

constexpr char kMagic[8] = {'N', 'U', 'D', 'G', 'H', 'I', 'S', 'T'};
constexpr uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 128;

struct Header {
  char magic[8];
  uint32_t version, zero;
  uint64_t file_size, members, contacts, responses, skipped, meta_offset, meta_size, meta_hash, data_hash;
  uint64_t reserved[4];
  uint64_t header_hash;
};
static_assert(sizeof(Header) == kHeaderBytes);

struct SkippedRecord {
  uint64_t customer_id;
  int32_t action, sent_on, responded_on;
  uint16_t type;
  uint8_t reason, zero;
  double value;
};
static_assert(sizeof(SkippedRecord) == 32);

constexpr std::size_t pad64(std::size_t n) { return (n + 63) / 64 * 64; }

// The buffers in file order.
std::vector<std::span<const std::byte>> buffers(const History& h, const std::vector<SkippedRecord>& sk) {
  auto b = [](auto s) { return std::as_bytes(s); };
  return {b(h.customer_ids()),
          b(h.contact_offsets()),
          b(h.response_offsets()),
          b(h.sent_on()),
          b(h.contact_profile()),
          b(h.contact_batch()),
          b(h.response_contact()),
          b(h.responded_on()),
          b(h.response_type()),
          b(h.response_value()),
          b(std::span<const SkippedRecord>(sk))};
}

nlohmann::json meta_json(const History& h) {
  // The meta is JSON, which holds UTF-8 only (the CSV readers refuse other text with file:line:col;
  // this catches the other ways in, e.g. build_history's records).
  auto utf8 = [](const char* dict, const std::vector<std::string>& names) -> const std::vector<std::string>& {
    for (const std::string& n : names)
      if (auto bad = invalid_utf8(n); bad != std::string_view::npos)
        throw_invalid_input(std::string("cannot write the history: the ") + dict + " name " +
                            nlohmann::json(n).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace) +
                            " is not UTF-8 text (at byte " + std::to_string(bad + 1) + ")");
    return names;
  };
  nlohmann::json j;
  j["dictionaries"] = {{"action", utf8("action", h.actions().names())},
                       {"channel", utf8("channel", h.channels().names())},
                       {"message_type", utf8("message_type", h.message_types().names())},
                       {"campaign", utf8("campaign", h.campaigns().names())},
                       {"brand", utf8("brand", h.brands().names())},
                       {"dialogue", utf8("dialogue", h.dialogues().names())},
                       {"type", utf8("type", h.response_types().names())}};
  nlohmann::json p = nlohmann::json::array();
  for (const ContactProfile& x : h.profiles())
    p.push_back(
        {x.action, x.channel, x.message_type, x.campaign, x.brand, x.dialogue, x.step, x.cost, x.control ? 1 : 0});
  j["profiles"] = std::move(p);
  return j;
}

[[noreturn]] void bad(const std::filesystem::path& path, const std::string& what) {
  throw_invalid_input(path.string() + ": " + what + " (not a nudge history segment, or damaged)");
}

// Storage that points into a mapped segment.
struct MappedHistory : HistoryStorage {
  std::shared_ptr<const MappedFile> file;
};

}  // namespace

void write_segment(const History& h, const std::filesystem::path& path) {
  h.check_events();  // never copy a damaged segment's codes into a fresh one (free for a view built in memory)
  std::vector<SkippedRecord> sk;
  sk.reserve(h.skipped().size());
  for (const SkippedResponse& s : h.skipped())
    sk.push_back(
        {s.customer_id, s.action, s.sent_on, s.responded_on, s.type, static_cast<uint8_t>(s.reason), 0, s.value});
  const auto bufs = buffers(h, sk);
  static const std::array<std::byte, 64> zeros{};
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  std::size_t data_bytes = 0;
  for (const auto& b : bufs) {
    XXH3_64bits_update(st, b.data(), b.size());
    XXH3_64bits_update(st, zeros.data(), pad64(b.size()) - b.size());
    data_bytes += pad64(b.size());
  }
  const uint64_t data_hash = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  const std::string meta = meta_json(h).dump();

  Header hd{};
  std::memcpy(hd.magic, kMagic, 8);
  hd.version = kVersion;
  hd.members = h.members();
  hd.contacts = h.contacts();
  hd.responses = h.responses();
  hd.skipped = sk.size();
  hd.meta_offset = kHeaderBytes + data_bytes;
  hd.meta_size = meta.size();
  hd.file_size = hd.meta_offset + meta.size();
  hd.meta_hash = XXH3_64bits(meta.data(), meta.size());
  hd.data_hash = data_hash;
  hd.header_hash = XXH3_64bits(&hd, offsetof(Header, header_hash));

  AtomicFile out(path);
  out.write(&hd, sizeof hd);
  for (const auto& b : bufs) {
    out.write(b.data(), b.size());
    out.pad_to(64);
    if (b.size() >= (std::size_t{8} << 20)) out.start_writeback();  // the disk writes while the next column copies
  }
  out.write(meta);
  out.commit();
}

History open_segment(const std::filesystem::path& path, const SegmentOpenOptions& options) {
  auto file = MappedFile::open(path);
  const std::byte* base = file->data();
  const std::size_t size = file->size();
  if (size < kHeaderBytes) bad(path, "shorter than the 128-byte header");
  Header hd;
  std::memcpy(&hd, base, sizeof hd);
  if (std::memcmp(hd.magic, kMagic, 8) != 0) bad(path, "wrong magic");
  if (hd.header_hash != XXH3_64bits(&hd, offsetof(Header, header_hash))) bad(path, "header hash mismatch");
  if (hd.version != kVersion) bad(path, "format version " + std::to_string(hd.version) + ", expected 1");
  if (hd.file_size != size)
    bad(path, "file size " + std::to_string(size) + ", header says " + std::to_string(hd.file_size));
  if (hd.meta_offset < kHeaderBytes || hd.meta_offset > size || hd.meta_size != size - hd.meta_offset)
    bad(path, "meta outside the file");
  if (hd.members >= kNoMember || hd.contacts >= kNoMember || hd.responses >= kNoMember) bad(path, "counts too large");
  const char* meta_p = reinterpret_cast<const char*>(base + hd.meta_offset);
  if (XXH3_64bits(meta_p, hd.meta_size) != hd.meta_hash) bad(path, "meta hash mismatch");

  auto s = std::make_shared<MappedHistory>();
  s->file = file;
  std::size_t at = kHeaderBytes;
  auto take = [&]<class T>(std::span<const T>& dst, uint64_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (at + bytes > hd.meta_offset) bad(path, "column data runs into the meta");
    dst = {reinterpret_cast<const T*>(base + at), static_cast<std::size_t>(n)};
    at += pad64(bytes);
  };
  take(s->customer_ids, hd.members);
  take(s->contact_offsets, hd.members + 1);
  take(s->response_offsets, hd.members + 1);
  take(s->sent_on, hd.contacts);
  take(s->contact_profile, hd.contacts);
  take(s->contact_batch, hd.contacts);
  take(s->response_contact, hd.responses);
  take(s->responded_on, hd.responses);
  take(s->response_type, hd.responses);
  take(s->response_value, hd.responses);
  std::span<const SkippedRecord> sk;
  take(sk, hd.skipped);
  if (at != hd.meta_offset) bad(path, "the columns do not end where the meta starts");
  if (s->contact_offsets[0] != 0 || s->contact_offsets[hd.members] != hd.contacts || s->response_offsets[0] != 0 ||
      s->response_offsets[hd.members] != hd.responses)
    bad(path, "member offsets do not cover the events");
  if (hd.members == 0 && hd.contacts != 0) bad(path, "contacts without members");
  s->skipped.reserve(sk.size());
  for (const SkippedRecord& r : sk) {
    if (r.reason > 1) bad(path, "a skipped response with an unknown reason");
    s->skipped.push_back(
        {r.customer_id, r.action, r.sent_on, r.responded_on, r.type, r.value, static_cast<SkipReason>(r.reason)});
  }

  try {
    const auto j = nlohmann::json::parse(std::string_view(meta_p, hd.meta_size));
    const auto& d = j.at("dictionaries");
    auto dict = [&](const char* k) { return Dictionary(d.at(k).get<std::vector<std::string>>()); };
    s->actions = dict("action");
    s->channels = dict("channel");
    s->message_types = dict("message_type");
    s->campaigns = dict("campaign");
    s->brands = dict("brand");
    s->dialogues = dict("dialogue");
    s->response_types = dict("type");
    for (const auto& p : j.at("profiles")) {
      ContactProfile x;
      x.action = p.at(0).get<int32_t>();
      x.channel = p.at(1).get<int32_t>();
      x.message_type = p.at(2).get<int32_t>();
      x.campaign = p.at(3).get<int32_t>();
      x.brand = p.at(4).get<int32_t>();
      x.dialogue = p.at(5).get<int32_t>();
      x.step = p.at(6).get<int32_t>();
      x.cost = p.at(7).get<double>();
      x.control = p.at(8).get<int>() != 0;
      auto in = [](int32_t c, const Dictionary& dd, bool optional) {
        return (optional && c == -1) || (c >= 0 && static_cast<std::size_t>(c) < dd.size());
      };
      if (!in(x.action, s->actions, false) || !in(x.channel, s->channels, false) ||
          !in(x.message_type, s->message_types, false) || !in(x.campaign, s->campaigns, true) ||
          !in(x.brand, s->brands, true) || !in(x.dialogue, s->dialogues, true))
        bad(path, "a profile code out of its dictionary");
      s->profiles.push_back(x);
    }
  } catch (const nlohmann::json::exception& e) { bad(path, std::string("malformed meta: ") + e.what()); }
  for (const SkippedResponse& r : s->skipped)
    if (r.action < 0 || static_cast<std::size_t>(r.action) >= s->actions.size() || r.type >= s->response_types.size())
      bad(path, "a skipped response code out of its dictionary");
  if (options.verify_data && XXH3_64bits(base + kHeaderBytes, hd.meta_offset - kHeaderBytes) != hd.data_hash)
    bad(path, "column data hash mismatch");
  check_segment_members(*s, path);  // every open, O(M): the member ranges lie inside the columns
  s->origin = path.string();
  if (options.verify_data) {  // the codes at once; else once, when a reader scans every event
    if (std::string e = check_segment_events(*s, path); !e.empty()) throw_invalid_input(e);
  } else {
    s->events_check = std::make_shared<HistoryStorage::LazyCheck>();
    const std::filesystem::path p = path;
    s->events_check->run = [p](const HistoryStorage& st) { return check_segment_events(st, p); };
  }
  s->keep_alive = file;
  return History(std::shared_ptr<const HistoryStorage>(s));
}

}  // namespace nudge::history
