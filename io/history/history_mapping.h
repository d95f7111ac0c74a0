// History mappings: how an external contacts or responses file (an e-mail
// platform's send log, a call-centre export) maps onto RS-2's columns.
// A TOML 1.0 file (toml++), documented with an example in
// data/schemas/README.md ("History mappings"), e.g. data/schemas/history_esp_responses.toml:
//
//   kind = "responses"               # "contacts" or "responses"
//   date_format = "%d/%m/%Y"         # optional; io/csv/csv_number.h DateFormat; default "%Y-%m-%d"
//   timestamps = true                # optional: a date may be followed by " hh:mm[:ss[.f]][Z|+hh:mm]" or "Thh:mm..." (ignored; anything else is an error)
//
//   [columns]                        # RS-2 column = header text in the file
//   customer_id = "SubscriberKey"
//   action = "EmailName"
//   sent_on = "SendDate"
//   responded_on = "EventDate"
//   type = "EventType"
//
//   [constants]                      # RS-2 column = one value for every row
//   channel = "email"                # (contacts: channel, message_type, cost, campaign, ...)
//
//   [types]                          # responses: the file's type text -> response type
//   Open = "open"
//   Click = "click"
//   Unsubscribe = "unsubscribe"
//   Bounce = ""                      # "" = drop these rows (counted in the add's report)
//
// A column neither in [columns] nor [constants] is looked up by its RS-2
// name in the file's header, as without a mapping. Types not in [types]
// pass through unchanged.
// Errors: parse_history_mapping throws Error(InvalidInput) naming the file
// and the line (toml++) or key: an unknown key or column name, a column both
// mapped and constant, a bad date format, a kind other than the two.
// Thread-safety: plain values; functions are pure.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nudge::history {

struct HistoryMapping {
  std::string kind;  // "contacts" or "responses"
  std::string date_format = "%Y-%m-%d";
  bool timestamps = false;
  std::map<std::string, std::string> columns;    // RS-2 name -> file header text
  std::map<std::string, std::string> constants;  // RS-2 name -> value text
  std::map<std::string, std::string> types;      // file text -> response type ("" = drop)
  std::string source;                            // the mapping file, for messages
};

// The RS-2 column names of each kind (contacts: customer_id, sent_on, action,
// channel, message_type, cost, control, campaign, brand, dialogue, step;
// responses: customer_id, action, sent_on, responded_on, type, value).
const std::vector<std::string_view>& history_columns(std::string_view kind);

HistoryMapping parse_history_mapping(std::string_view toml_text, const std::string& source_name);
HistoryMapping load_history_mapping(const std::filesystem::path& path);

}  // namespace nudge::history
