// EventTable: contacts and responses encoded against insertion-order
// dictionaries, the input of build(). Readers (CSV, records, an existing
// History) fill it without building strings per row; build() makes the
// dictionaries canonical (sorted) and applies RS-2's rules
// (engine/history/history.h).
//
//   EventTable t;
//   uint32_t src = t.add_source("contacts.csv");
//   ContactProfile p; p.action = t.intern(Dict::Action, "birthday"); ...
//   t.contacts.push_back({id, day, t.intern_profile(p), batch, EventTable::origin(src, line)});
//   History h = build(std::move(t));
//
// Origins: every raw row carries (source index << 40 | line), so errors can
// say "contacts.csv:12" or "history batch 3". Line 0 = no line.
// Errors: build() throws as build_history does (history.h).
// Thread-safety: an EventTable is single-writer; build() uses oneTBB inside.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/history/history.h"

namespace nudge::history {

enum class Dict : uint8_t { Action, Channel, MessageType, Campaign, Brand, Dialogue, ResponseType };
inline constexpr std::size_t kDictCount = 7;
std::string_view dict_name(Dict d) noexcept;  // "action", "channel", ... "type"

struct RawContact {
  uint64_t customer_id;
  int32_t sent_on;
  uint32_t profile;  // index into EventTable::profiles
  uint32_t batch;
  uint64_t origin;
};

struct RawResponse {
  uint64_t customer_id;
  int32_t action;  // code into the Action dictionary
  int32_t sent_on;
  int32_t responded_on;
  int32_t type;  // code into the ResponseType dictionary
  double value;  // NaN = none
  uint64_t origin;
};

class EventTable {
 public:
  EventTable();

  // Code of `name` in dictionary `d`, adding it when new. For Campaign, Brand
  // and Dialogue an empty name is "none" and returns -1.
  int32_t intern(Dict d, std::string_view name);
  const std::vector<std::string>& names(Dict d) const noexcept { return dicts_[static_cast<std::size_t>(d)].names; }

  uint32_t intern_profile(const ContactProfile& p);
  const std::vector<ContactProfile>& profiles() const noexcept { return profiles_; }

  uint32_t add_source(std::string name);
  static uint64_t origin(uint32_t source, uint64_t line) noexcept { return (uint64_t{source} << 40) | line; }
  // "file.csv:12", or the source name alone when the line is 0.
  std::string describe(uint64_t origin) const;

  // Appends every event of `h` (contacts with their batch, attached and
  // skipped responses) with origins "<label> batch N" / "<label>".
  void append(const History& h, const std::string& label);

  std::vector<RawContact> contacts;
  std::vector<RawResponse> responses;

 private:
  struct DictState {
    std::vector<std::string> names;
    std::unordered_map<std::string, int32_t> codes;
  };
  struct ProfileHash {
    std::size_t operator()(const ContactProfile& p) const noexcept;
  };
  std::array<DictState, kDictCount> dicts_;
  std::vector<ContactProfile> profiles_;
  std::unordered_map<ContactProfile, uint32_t, ProfileHash> profile_codes_;
  std::vector<std::string> sources_;
};

// Applies the rules of history.h to the events and returns the view
// (dictionaries sorted; response types: built-ins first).
History build(EventTable&& table, const BuildOptions& options = {});

}  // namespace nudge::history
