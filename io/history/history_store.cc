// History folders: open (merge segments), add (one atomic batch), compact.
// Folder layout and crash safety: history_store.h.
#include "io/history/history_store.h"

#define XXH_INLINE_ALL
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_set>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "engine/base/error.h"
#include "engine/history/owned_history.h"
#include "engine/store/types.h"
#include "io/history/batch_responses.h"
#include "io/history/history_manifest.h"
#include "io/history/segment_file.h"

namespace nudge::history {
namespace {

namespace fs = std::filesystem;

// flock on dir/LOCK for the life of the object.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& dir) {
    const auto p = dir / kLockName;
    fd_ = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw_io(p.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw_io(dir.string() +
               ": another process (`nudge history add`, `compact` or `sweep --record`) holds this history's LOCK; "
               "retry when it has finished");
    }
  }
  ~FolderLock() { ::close(fd_); }  // closing releases the flock
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

Manifest read_or_create(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / kManifestName, ec)) return read_manifest(dir);
  return Manifest{};
}

// Names nudge writes in a history folder: seg-NNNNNN.nhs, "<target>.tmp-<pid>-<n>" (atomic_file.h).
bool is_segment_name(const std::string& n) {
  if (n.size() != 14 || n.rfind("seg-", 0) != 0 || n.compare(10, 4, ".nhs") != 0) return false;
  return std::all_of(n.begin() + 4, n.begin() + 10, [](char c) { return c >= '0' && c <= '9'; });
}
bool is_temp_name(const std::string& n) {
  const std::size_t at = n.rfind(".tmp-");
  const std::string tail = at == std::string::npos ? std::string() : n.substr(at + 5);
  const std::size_t dash = tail.find('-');
  auto digits = [](std::string_view v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return dash != std::string::npos && digits(std::string_view(tail).substr(0, dash)) &&
         digits(std::string_view(tail).substr(dash + 1));
}

// A folder without a MANIFEST becomes a history only when it holds nothing but what an interrupted
// first add leaves (LOCK, temporary files, a segment that does not open): else it is some other
// folder (a project, "."), or a history whose MANIFEST is lost (its segments are no strays).
void refuse_foreign_folder(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / kManifestName, ec) || !fs::is_directory(dir, ec)) return;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (is_segment_name(name)) {
      std::optional<History> seg;
      try {
        seg = open_segment(e.path());
      } catch (const Error&) {  // a partial segment of an interrupted first add: a stray
      }
      if (seg)
        throw_invalid_input(fmt::format(
            "{}: holds the segment {} ({} contacts, {} responses) but no MANIFEST: a history whose MANIFEST was "
            "lost, or a first add interrupted after writing its segment; restore the MANIFEST from a backup, or "
            "move the segment files away to start a new history (nothing was changed)",
            dir.string(), name, seg->contacts(), seg->responses()));
      continue;
    }
    if (name != kLockName && !is_temp_name(name))
      throw_invalid_input(dir.string() + ": not a history folder (no MANIFEST) and not empty (it holds '" + name +
                          "'); give `nudge history add` a new or empty folder");
  }
}

// Deletes what an interrupted add or compact left: segments the MANIFEST does not list and nudge's
// temporary files (is_segment_name, is_temp_name; other files stay). Call with the lock held.
void remove_strays(const fs::path& dir, const Manifest& m) {
  std::unordered_set<std::string> live(m.segments.begin(), m.segments.end());
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if ((is_segment_name(name) && !live.count(name)) || is_temp_name(name)) fs::remove(e.path(), ec);
  }
}

std::string segment_name(uint32_t n) { return fmt::format("seg-{:06}.nhs", n); }

std::string now_utc() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

// Content hash of the events as read: same file (or same sweep) -> same hash.
std::string content_hash(const EventTable& t) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  for (std::size_t d = 0; d < kDictCount; ++d)
    for (const std::string& n : t.names(static_cast<Dict>(d))) XXH3_64bits_update(st, n.c_str(), n.size() + 1);
  for (const ContactProfile& p : t.profiles()) {  // field by field: the struct has padding bytes
    const int32_t v[8] = {p.action, p.channel, p.message_type, p.campaign, p.brand, p.dialogue, p.step, p.control};
    XXH3_64bits_update(st, v, sizeof v);
    XXH3_64bits_update(st, &p.cost, sizeof p.cost);
  }
  {  // the same bytes as one update per contact, in blocks (a streaming hash: same digest)
    constexpr std::size_t kBlock = 4096;
    std::vector<uint64_t> buf(3 * kBlock);
    for (std::size_t i = 0; i < t.contacts.size(); i += kBlock) {
      const std::size_t e = std::min(t.contacts.size(), i + kBlock);
      uint64_t* v = buf.data();
      for (std::size_t j = i; j < e; ++j, v += 3) {
        const RawContact& c = t.contacts[j];
        v[0] = c.customer_id;
        v[1] = static_cast<uint64_t>(static_cast<uint32_t>(c.sent_on));
        v[2] = c.profile;
      }
      XXH3_64bits_update(st, buf.data(), (e - i) * 3 * sizeof(uint64_t));
    }
  }
  for (const RawResponse& r : t.responses) {
    const int32_t v[4] = {r.action, r.sent_on, r.responded_on, r.type};
    XXH3_64bits_update(st, &r.customer_id, 8);
    XXH3_64bits_update(st, v, sizeof v);
    XXH3_64bits_update(st, &r.value, 8);
  }
  const uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return fmt::format("{:016x}", h);
}

// For each dictionary: table code -> code in `h` (-2: not in h).
DictCodes codes_in(const EventTable& t, const History& h) {
  const Dictionary* dicts[kDictCount] = {&h.actions(), &h.channels(),  &h.message_types(), &h.campaigns(),
                                         &h.brands(),  &h.dialogues(), &h.response_types()};
  DictCodes out;
  for (std::size_t d = 0; d < kDictCount; ++d) {
    for (const std::string& n : t.names(static_cast<Dict>(d))) {
      const int32_t c = dicts[d]->find(n);
      out[d].push_back(c < 0 ? -2 : c);
    }
  }
  return out;
}

}  // namespace

History open_history(const fs::path& dir, const HistoryOpenOptions& options) {
  SegmentOpenOptions so;
  so.verify_data = options.verify_data;
  // A compact may delete the segments of the MANIFEST read just before it
  // swapped in its own: then the MANIFEST has changed, and one more read
  // sees the new segment (a compact needs far longer than this loop).
  for (int attempt = 0;; ++attempt) {
    const Manifest m = read_manifest(dir);
    try {
      if (m.segments.empty()) return History();
      if (m.segments.size() == 1) return open_segment(dir / m.segments[0], so);
      std::vector<History> parts;
      for (const std::string& s : m.segments) parts.push_back(open_segment(dir / s, so));
      return merge_views(parts);
    } catch (const Error&) {
      std::error_code ec;
      bool missing = false;
      for (const std::string& s : m.segments) missing = missing || !fs::exists(dir / s, ec);
      if (!missing || attempt >= 2) throw;
    }
  }
}

namespace {
// open_history with every segment's data hashed and checked: compact deletes
// the segments it merges, so a damaged one is refused (naming its file) before
// anything is written or deleted.
History open_verified(const fs::path& dir) {
  try {
    return open_history(dir, {.verify_data = true});
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::InvalidInput) throw;
    throw_invalid_input(std::string(e.what()) +
                        "; compact refused, nothing written or deleted (nudge history inspect " + dir.string() +
                        " --verify checks every segment)");
  }
}

// Writes the merged view as one segment, swaps the MANIFEST, deletes the old
// segments. Call with the lock held; updates `m`. Returns the segments merged.
std::size_t compact_locked(const fs::path& dir, Manifest& m) {
  if (m.segments.size() <= 1) return m.segments.size();
  const History all = open_verified(dir);
  const std::string seg = segment_name(m.next_segment);
  write_segment(all, dir / seg);
  const std::vector<std::string> old = m.segments;
  m.segments = {seg};
  ++m.next_segment;
  write_manifest(dir, m);
  std::error_code ec;
  for (const std::string& s : old) fs::remove(dir / s, ec);
  return old.size();
}
}  // namespace

AddResult add_batch(const fs::path& dir, EventTable&& events, BatchInfo info, const AddOptions& options) {
  std::error_code ec;
  refuse_foreign_folder(dir);
  fs::create_directories(dir, ec);
  if (ec) throw_io(dir.string() + ": cannot create the history folder: " + ec.message());
  FolderLock lock(dir);
  Manifest m = read_or_create(dir);
  remove_strays(dir, m);

  AddResult res;
  info.content_hash = content_hash(events);
  info.contacts_read = events.contacts.size();
  info.responses_read = events.responses.size();
  for (const BatchInfo& b : m.batches) {
    if (b.content_hash == info.content_hash && b.kind == info.kind) {
      res.already_added = true;
      res.batch = b.batch;
      res.info = b;
      res.message = fmt::format("{}: the same {} were added as batch {} ({}, {}); nothing added", info.source,
                                info.kind == "responses" ? "responses" : "contacts", b.batch, b.source, b.added_at);
      return res;
    }
  }
  const uint32_t batch = m.next_batch;
  info.batch = batch;
  info.added_at = now_utc();

  // Before a compact, the segments it will merge (and delete) are verified first: nothing is written
  // when one is damaged.
  const History existing =
      m.segments.empty() ? History() : (options.compact_after ? open_verified(dir) : open_history(dir));

  // Contacts the history already holds: drop when equal, error when not.
  const auto codes = codes_in(events, existing);
  if (existing.members() == 0) {  // an empty history: nothing to compare with
    for (RawContact& c : events.contacts) c.batch = batch;
  } else {
    std::vector<uint64_t> ids(events.contacts.size());
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = events.contacts[i].customer_id;
    const std::vector<uint32_t> member = existing.map_rows(ids);
    const auto& prof = events.profiles();
    auto code = [&](Dict d, int32_t c) { return c < 0 ? -1 : codes[static_cast<std::size_t>(d)][c]; };
    std::size_t kept = 0;
    for (std::size_t i = 0; i < events.contacts.size(); ++i) {
      RawContact c = events.contacts[i];
      c.batch = batch;
      bool repeated = false;
      if (member[i] != kNoMember) {
        const ContactProfile& p = prof[c.profile];
        const int32_t action = code(Dict::Action, p.action);
        for (uint32_t j : existing.contacts_of(member[i])) {
          if (existing.sent_on()[j] != c.sent_on || existing.profile_of(j).action != action) continue;
          ContactProfile q = p;
          q.action = action;
          q.channel = code(Dict::Channel, p.channel);
          q.message_type = code(Dict::MessageType, p.message_type);
          q.campaign = code(Dict::Campaign, p.campaign);
          q.brand = code(Dict::Brand, p.brand);
          q.dialogue = code(Dict::Dialogue, p.dialogue);
          if (!(q == existing.profile_of(j)))
            throw_invalid_input(events.describe(c.origin) + ": contact (customer_id " + std::to_string(c.customer_id) +
                                ", action '" + events.names(Dict::Action)[p.action] + "', sent_on " +
                                format_iso_date(c.sent_on) + ") is already in the history (batch " +
                                std::to_string(existing.contact_batch()[j]) +
                                ") with other fields (channel, message_type, cost, campaign, brand, dialogue, "
                                "step or control differ)");
          repeated = true;
          break;
        }
      }
      if (repeated) {
        ++info.contacts_repeated;
        continue;
      }
      events.contacts[kept++] = c;
    }
    events.contacts.resize(kept);
  }

  // Responses: those already held are dropped; which will attach (to a new contact or one already held)?
  const ResponseCounts rc = sort_out_responses(events, existing, codes, options.strict_responses);
  info.responses_skipped = rc.skipped;
  info.responses_repeated = rc.already_held;

  const std::size_t kept = events.contacts.size();
  const std::size_t responses = events.responses.size();
  const History fresh_view = build(std::move(events));
  info.contacts_added = fresh_view.contacts();  // build() merged repeats of a triple within the input
  info.contacts_repeated_in_file = kept - fresh_view.contacts();
  if (fresh_view.contacts() == 0 && responses == 0) {
    res.info = info;
    res.message = info.kind == "responses"
                      ? fmt::format("{}: nothing new ({} responses already in the history); nothing added",
                                    info.source, info.responses_repeated)
                      : fmt::format("{}: nothing new ({} contacts already in the history); nothing added",
                                    info.source, info.contacts_repeated);
    return res;
  }
  const std::string seg = segment_name(m.next_segment);
  write_segment(fresh_view, dir / seg);
  if (options.on_stage) options.on_stage("segment-written");
  m.segments.push_back(seg);
  m.batches.push_back(info);
  ++m.next_batch;
  ++m.next_segment;
  write_manifest(dir, m, options.on_stage);
  res.added = true;
  res.batch = batch;
  res.info = info;
  res.message = info.kind == "responses"
                    ? fmt::format(
                          "{}: batch {}: {} responses added{}; {} of them attach to no contact (kept, skipped "
                          "and counted until their contact is added)",
                          info.source, batch, responses,
                          info.responses_repeated
                              ? fmt::format(" ({} more already in the history)", info.responses_repeated)
                              : std::string(),
                          info.responses_skipped)
                    : fmt::format("{}: batch {}: {} contacts added, {} repeated within the file, {} already in the "
                                  "history",
                                  info.source, batch, info.contacts_added, info.contacts_repeated_in_file,
                                  info.contacts_repeated);
  if (options.compact_after) {
    const std::size_t n = compact_locked(dir, m);
    if (n > 1) res.message += fmt::format("; compacted {} segments into one", n);
  }
  return res;
}

std::size_t compact_history(const fs::path& dir) {
  read_manifest(dir);  // a clear error when `dir` is not a history
  FolderLock lock(dir);
  Manifest m = read_manifest(dir);
  remove_strays(dir, m);
  return compact_locked(dir, m);
}

}  // namespace nudge::history
