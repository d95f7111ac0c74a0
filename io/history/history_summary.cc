// `nudge history inspect`: summary of a history folder.
#include "io/history/history_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "engine/store/types.h"
#include "io/history/history_manifest.h"

namespace nudge::history {

HistorySummary summarize_history(const std::filesystem::path& dir, bool verify_data) {
  HistorySummary s;
  s.manifest = read_manifest(dir);
  const auto t0 = std::chrono::steady_clock::now();
  HistoryOpenOptions o;
  o.verify_data = verify_data;
  const History h = open_history(dir, o);
  h.check_events();  // the summary indexes with every code
  s.open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  s.members = h.members();
  s.contacts = h.contacts();
  s.responses = h.responses();
  s.skipped = h.count_skipped(INT32_MAX);
  s.column_bytes = h.column_bytes();
  std::error_code ec;
  s.file_bytes = std::filesystem::file_size(dir / kManifestName, ec);
  for (const std::string& seg : s.manifest.segments) s.file_bytes += std::filesystem::file_size(dir / seg, ec);

  std::vector<std::size_t> per_profile(h.profiles().size());
  for (uint32_t p : h.contact_profile()) ++per_profile[p];
  for (std::size_t p = 0; p < per_profile.size(); ++p) {
    const ContactProfile& x = h.profiles()[p];
    s.per_action[h.actions().name(x.action)] += per_profile[p];
    s.per_channel[h.channels().name(x.channel)] += per_profile[p];
    s.per_message_type[h.message_types().name(x.message_type)] += per_profile[p];
    if (x.control) s.control_contacts += per_profile[p];
  }
  std::vector<std::size_t> per_type(h.response_types().size());
  for (uint16_t t : h.response_type()) ++per_type[t];
  for (std::size_t t = 0; t < per_type.size(); ++t)
    if (per_type[t]) s.per_response_type[h.response_types().name(static_cast<int32_t>(t))] = per_type[t];
  if (h.contacts()) {
    const auto [lo, hi] = std::minmax_element(h.sent_on().begin(), h.sent_on().end());
    s.first_sent_on = *lo;
    s.last_sent_on = *hi;
  }
  if (h.responses()) {
    const auto [lo, hi] = std::minmax_element(h.responded_on().begin(), h.responded_on().end());
    s.first_responded_on = *lo;
    s.last_responded_on = *hi;
  }
  return s;
}

std::string format_history_summary(const std::filesystem::path& dir, const HistorySummary& s) {
  std::string o;
  auto date = [](const std::optional<int32_t>& d) { return d ? format_iso_date(*d) : std::string("-"); };
  o += fmt::format("history      {} ({} segment{}, {} batch{})\n", dir.string(), s.manifest.segments.size(),
                   s.manifest.segments.size() == 1 ? "" : "s", s.manifest.batches.size(),
                   s.manifest.batches.size() == 1 ? "" : "es");
  o += fmt::format("members      {} with history\n", s.members);
  o += fmt::format("contacts     {} ({} control), sent_on {} .. {}\n", s.contacts, s.control_contacts,
                   date(s.first_sent_on), date(s.last_sent_on));
  o += fmt::format(
      "responses    {} attached, responded_on {} .. {}; skipped {} (no such contact {}, before "
      "the contact {})\n",
      s.responses, date(s.first_responded_on), date(s.last_responded_on), s.skipped.total(), s.skipped.no_contact,
      s.skipped.before_contact);
  const double events = static_cast<double>(std::max<std::size_t>(1, s.contacts + s.responses));
  o += fmt::format("bytes        {} on disk = {:.1f} bytes per event; columns {:.1f} bytes per event\n", s.file_bytes,
                   s.bytes_per_event(), static_cast<double>(s.column_bytes) / events);
  o += fmt::format("opened in    {:.1f} ms{}\n", s.open_ms,
                   s.manifest.segments.size() > 1 ? " (segments merged in memory; `nudge history compact` makes it "
                                                    "a zero-copy open)"
                                                  : "");
  auto table = [&](const char* title, const std::map<std::string, std::size_t>& m) {
    o += fmt::format("\n{}\n", title);
    for (const auto& [k, n] : m) o += fmt::format("  {:<28} {:>12}\n", k, n);
  };
  table("contacts per action", s.per_action);
  table("contacts per channel", s.per_channel);
  table("contacts per message type", s.per_message_type);
  table("responses per type", s.per_response_type);
  o += "\nbatches\n";
  // contacts: new to the history; repeated: rows the history already held; in file: rows repeating an
  // earlier row of the same file (same customer_id, action, sent_on).
  o += fmt::format("  {:>5}  {:<9}  {:<10}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}  {}\n", "batch", "kind", "sent_on",
                   "contacts", "repeated", "in file", "responses", "unattached", "source (added at)");
  for (const BatchInfo& b : s.manifest.batches)
    o += fmt::format("  {:>5}  {:<9}  {:<10}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}  {} ({})\n", b.batch, b.kind,
                     b.sent_on ? format_iso_date(*b.sent_on) : std::string("-"), b.contacts_added, b.contacts_repeated,
                     b.contacts_repeated_in_file, b.responses_read, b.responses_skipped, b.source, b.added_at);
  return o;
}

}  // namespace nudge::history
