// Response model for `nudge simulate`: how members answer the contacts the
// simulation sends, as per-action and per-channel probabilities and delays,
// drawn from a seeded counter-based generator so that a run is the same for
// a seed whatever the thread count or the order contacts are drawn in.
//
// File (TOML; data/responses/README.md documents it with an example):
//
//   seed = 7                        # optional default seed (--seed overrides)
//   [[response]]
//   action = "rescue_email"         # optional: only contacts of this action
//   channel = "email"               # optional: only contacts on this channel
//   type = "open"                   # open, click, convert, unsubscribe, complaint or a user-defined type
//   probability = 0.25              # 0..1
//   delay_days = [0, 3]             # optional, default [0, 0]: whole days after sent_on, uniform, 0..365
//
// Draw for one sent contact (customer_id, action name, channel name, sent_on D):
// for each response type, the FIRST rule in file order whose action and
// channel match decides; rules for other types are independent draws. With
// rule index i (0-based, file order):
//   h = mix(seed, customer_id, fnv1a64(action), D, i)       (mix below)
//   the response happens when (h >> 11) * 2^-53 < probability;
//   its delay is min + mix1(h) % (max - min + 1) days, responded_on = D + delay.
// mix(s, a, b, c, i) = m(m(m(m(m(s) ^ a) ^ b) ^ uint64(uint32(c))) ^ i), with
// m = splitmix64's finaliser (x += 0x9E3779B97F4A7C15; then the two
// xor-shift-multiply rounds 0xBF58476D1CE4E5B9, 0x94D049BB133111EB and a
// final x ^ (x >> 31)), mix1(h) = m(h), and fnv1a64 the 64-bit FNV-1a hash
// of the name's bytes. The test reference re-implements this text.
//
// Errors: Error(InvalidInput) "file:line:col: message" for unknown keys,
// wrong types, a probability outside [0, 1], a delay [min, max] with
// min < 0 or max < min or max > 365, a rule without a type; Error(Io) when
// the file cannot be read.
// Thread-safety: immutable after loading; draw() is a pure function.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nudge::decide {
struct Campaign;
}

namespace nudge::dialogue {

struct ResponseRule {
  std::optional<std::string> action, channel;  // nullopt: any
  std::string type;
  double probability = 0;
  int32_t delay_min = 0, delay_max = 0;  // days
  std::string action_origin, channel_origin;  // "file:line:col" of action / channel (warnings)
};

struct DrawnResponse {
  std::size_t rule = 0;  // index into ResponseModel::rules
  int32_t responded_on = 0;
};

struct ResponseModel {
  std::optional<uint64_t> seed;
  std::vector<ResponseRule> rules;

  // The responses to one contact (at most one per response type), in rule order.
  void draw(uint64_t seed, uint64_t customer_id, std::string_view action, std::string_view channel, int32_t sent_on,
            std::vector<DrawnResponse>& out) const;
};

uint64_t fnv1a64(std::string_view s) noexcept;
uint64_t splitmix64_finalise(uint64_t x) noexcept;

ResponseModel load_response_model(const std::filesystem::path& path);

// Warnings, one per rule whose action or channel the campaign does not have
// (the rule never matches), like a string missing from a category's
// dictionary: "file:line:col: response rule #2: 'x' is not an action of the
// campaign (did you mean 'y'?); the rule never matches".
std::vector<std::string> response_model_warnings(const ResponseModel& m, const decide::Campaign& c);
ResponseModel parse_response_model(std::string_view text, const std::string& source_name);

}  // namespace nudge::dialogue
