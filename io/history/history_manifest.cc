// MANIFEST of a history folder: JSON read and atomic write.
//
//   {"format": "nudge-history", "version": 1, "next_batch": 3, "next_segment": 3,
//    "segments": ["seg-000001.nhs", "seg-000002.nhs"],
//    "batches": [{"batch": 1, "kind": "contacts", "source": "decisions.csv",
//                 "content_hash": "9f...", "sent_on": "2026-11-15", "added_at": "2026-11-15T06:00:00Z",
//                 "contacts_read": 10, "contacts_added": 10, "contacts_repeated": 0,
//                 "contacts_repeated_in_file": 0 (absent in MANIFESTs before it: read as 0),
//                 "responses_read": 0, "responses_skipped": 0}, ...]}
#include "io/history/history_manifest.h"

#include <nlohmann/json.hpp>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "engine/store/types.h"
#include "io/file/atomic_file.h"

namespace nudge::history {

Manifest read_manifest(const std::filesystem::path& dir) {
  const auto path = dir / kManifestName;
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
    throw_invalid_input(dir.string() +
                        ": is a file, not a history folder (a history is the folder `nudge history add` "
                        "makes)");
  if (!std::filesystem::is_directory(dir, ec))
    throw_invalid_input(dir.string() + ": no such history folder (create one with `nudge history add`)");
  if (!std::filesystem::exists(path, ec)) throw_invalid_input(dir.string() + ": not a history folder (no MANIFEST)");
  const std::string text = read_file(path, "history MANIFEST");
  Manifest m;
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.at("format").get<std::string>() != "nudge-history")
      throw_invalid_input(path.string() + ": not a nudge history MANIFEST");
    if (j.at("version").get<int>() != 1)
      throw_invalid_input(path.string() + ": MANIFEST version " + std::to_string(j.at("version").get<int>()) +
                          ", this nudge reads version 1");
    m.next_batch = j.at("next_batch").get<uint32_t>();
    m.next_segment = j.at("next_segment").get<uint32_t>();
    m.segments = j.at("segments").get<std::vector<std::string>>();
    for (const auto& b : j.at("batches")) {
      BatchInfo x;
      x.batch = b.at("batch").get<uint32_t>();
      x.kind = b.at("kind").get<std::string>();
      x.source = b.at("source").get<std::string>();
      x.content_hash = b.at("content_hash").get<std::string>();
      if (b.contains("sent_on") && !b.at("sent_on").is_null()) {
        auto d = parse_iso_date(b.at("sent_on").get<std::string>());
        if (!d) throw_invalid_input(path.string() + ": batch " + std::to_string(x.batch) + ": bad sent_on");
        x.sent_on = *d;
      }
      x.added_at = b.value("added_at", "");
      x.contacts_read = b.value("contacts_read", uint64_t{0});
      x.contacts_added = b.value("contacts_added", uint64_t{0});
      x.contacts_repeated = b.value("contacts_repeated", uint64_t{0});
      x.contacts_repeated_in_file = b.value("contacts_repeated_in_file", uint64_t{0});
      x.responses_read = b.value("responses_read", uint64_t{0});
      x.responses_skipped = b.value("responses_skipped", uint64_t{0});
      m.batches.push_back(std::move(x));
    }
  } catch (const nlohmann::json::exception& e) {
    throw_invalid_input(path.string() + ": damaged MANIFEST: " + e.what());
  }
  for (const std::string& s : m.segments)
    if (s.empty() || s.find('/') != std::string::npos || s.find("..") != std::string::npos)
      throw_invalid_input(path.string() + ": bad segment name '" + s + "'");
  return m;
}

void write_manifest(const std::filesystem::path& dir, const Manifest& m,
                    const std::function<void(std::string_view)>& on_stage) {
  nlohmann::json j;
  j["format"] = "nudge-history";
  j["version"] = 1;
  j["next_batch"] = m.next_batch;
  j["next_segment"] = m.next_segment;
  j["segments"] = m.segments;
  nlohmann::json bs = nlohmann::json::array();
  for (const BatchInfo& b : m.batches) {
    nlohmann::json x = {{"batch", b.batch},
                        {"kind", b.kind},
                        {"source", b.source},
                        {"content_hash", b.content_hash},
                        {"sent_on", b.sent_on ? nlohmann::json(format_iso_date(*b.sent_on)) : nlohmann::json()},
                        {"added_at", b.added_at},
                        {"contacts_read", b.contacts_read},
                        {"contacts_added", b.contacts_added},
                        {"contacts_repeated", b.contacts_repeated},
                        {"contacts_repeated_in_file", b.contacts_repeated_in_file},
                        {"responses_read", b.responses_read},
                        {"responses_skipped", b.responses_skipped}};
    bs.push_back(std::move(x));
  }
  j["batches"] = std::move(bs);
  AtomicFile out(dir / kManifestName);
  // A source path that is not UTF-8 (a Latin-1 file name) is a label only: its bad bytes become U+FFFD.
  out.write(j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  if (on_stage) on_stage("manifest-written-to-temp");
  out.commit();
}

}  // namespace nudge::history
