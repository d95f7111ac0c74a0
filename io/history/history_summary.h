// Facts about a history folder for `nudge history inspect`: its batches,
// segments, date range, counts per action, channel, message type and
// response type, members with history, bytes per event.
// Errors: as open_history (io/history/history_store.h).
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/history/history_store.h"

namespace nudge::history {

struct HistorySummary {
  Manifest manifest;
  std::size_t members = 0, contacts = 0, control_contacts = 0, responses = 0;
  SkipCounts skipped;
  std::optional<int32_t> first_sent_on, last_sent_on, first_responded_on, last_responded_on;
  std::map<std::string, std::size_t> per_action, per_channel, per_message_type, per_response_type;
  std::size_t file_bytes = 0;    // segments + MANIFEST on disk
  std::size_t column_bytes = 0;  // History::column_bytes of the view
  double open_ms = 0;            // time open_history took
  double bytes_per_event() const noexcept {
    const std::size_t e = contacts + responses;
    return e ? static_cast<double>(file_bytes) / static_cast<double>(e) : 0.0;
  }
};

HistorySummary summarize_history(const std::filesystem::path& dir, bool verify_data = false);

// The summary as the text `nudge history inspect` prints.
std::string format_history_summary(const std::filesystem::path& dir, const HistorySummary& s);

}  // namespace nudge::history
