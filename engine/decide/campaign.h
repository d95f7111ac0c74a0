// Campaign: what a sweep decides about, as declared in a campaign file.
//
// A campaign is a list of actions (a trigger, a message type, a channel, a
// priority) plus the rules that stand between a fired trigger and a contact:
// channel consent, suppression rules, frequency caps, the contact-pressure
// basket, the most decisions per member and global channel capacities.
// The file format (TOML) is documented in data/campaigns/README.md and read by
// engine/decide/campaign_loader.h; this header is the parsed, validated model.
//
// Units: costs, budgets and basket sizes are contact-pressure points (double);
// value is in the campaign's value unit (CAD in RS-1); weight and factor are
// plain multipliers; counts are contacts; capacities are decisions.
//
// Every name a campaign refers to (message type, channel) is resolved to an
// index by the loader; column names (consent, basket, contact counts) are kept
// as text with the file position they came from, because they can only be
// checked against a population (engine/decide/bound_campaign.h).
//
// Thread-safety: an immutable value after loading; share freely.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/dialogue/dialogue.h"
#include "engine/expr/program.h"

namespace nudge::decide {

// Limits: the sweep keeps one bit per action and per frequency cap of a member.
inline constexpr std::size_t kMaxActions = 64;
// Channels per campaign: a history's unsubscribes revoke channels as bits of one word
// (engine/policy/history_policy.h).
inline constexpr std::size_t kMaxChannels = 64;

// A column name written in the campaign file and where ("rs1.toml:12:11").
struct ColumnRef {
  std::string name;
  std::string origin;
};

struct MessageType {
  std::string name;
  double base_cost = 0;  // points, >= 0
  // An exclusive message type (by default only "calamity") suppresses every
  // candidate of the same member, in the same sweep, whose type is not
  // exclusive; exclusive candidates do not suppress each other
  // (data/campaigns/README.md, arbitration step 5).
  bool exclusive = false;
};

struct Channel {
  std::string name;
  double factor = 1;                 // intrusiveness: cost = base_cost(type) * factor, >= 0
  ColumnRef consent;                 // bool column; TRUE = consent; FALSE or NULL = no consent
  std::optional<uint64_t> capacity;  // most decisions on this channel in one sweep
  // Or a capacity as a share of the population swept (N members):
  // floor(capacity_share * N + 1e-9) decisions (capacity_for below).
  std::optional<double> capacity_share;
  // With a history: an `unsubscribe` response to a contact on any of these
  // channels (and on this one) revokes this channel's consent from then on.
  std::vector<std::string> revoked_by;
};

// The capacity of channel ch for a population of `members` rows (nullopt = uncapped).
inline std::optional<uint64_t> capacity_for(const Channel& ch, std::size_t members) noexcept {
  if (ch.capacity) return ch.capacity;
  if (!ch.capacity_share) return std::nullopt;
  // 1e-9 absorbs the binary rounding of a decimal share (0.29 * 100 = 28.999999999999996).
  // Campaign files hold shares in [0, 1] (the loader refuses others); a share set in code that
  // is negative or NaN gives 0 and one whose product passes 2^64 saturates (no undefined cast).
  const double v = std::floor(*ch.capacity_share * static_cast<double>(members) + 1e-9);
  if (!(v > 0)) return uint64_t{0};
  if (v >= 18446744073709551616.0) return UINT64_MAX;
  return static_cast<uint64_t>(v);
}

// The contact-pressure basket every member has per period; all brands share it.
// Either a column holds the points used (the precomputed route), or, without
// `used_column`, they are the costs of the member's contacts in the history
// dated in as_of's calendar period up to as_of (engine/policy/history_policy.h).
struct Basket {
  double points_per_period = 0;  // points
  ColumnRef used;                // points already spent this period (NULL = basket unknown: fits nothing); "" = history
  std::string period = "month";  // "month", "week" (ISO, Monday first) or "day" from the history; else a label
  bool from_history() const noexcept { return used.name.empty(); }
};

// While `when` is TRUE for a member, actions whose message type is in
// message_types (empty = every type) AND whose channel is in channels (empty =
// every channel) are suppressed.
struct SuppressionRule {
  std::string name;
  expr::Source when;
  std::vector<std::size_t> message_types;  // indices into Campaign::message_types
  std::vector<std::size_t> channels;       // indices into Campaign::channels
};

// At most `max` contacts per period on the covered channels (empty = every
// channel: an overall cap), counted from `count_column` (contacts already made
// this period; NULL = unknown = capped) plus the decisions kept in this sweep.
// Without a count column the count comes from the history: contacts with
// as_of - window_days < sent_on <= as_of that match every filter below
// (empty = any). A candidate is covered when its channel, message type, name,
// brand and this campaign's name pass the same filters.
// The longest history cap window (about 2,700 years: longer than any history;
// keeps as_of - window_days inside the int32 day range). The loader refuses
// more, file:line:col.
inline constexpr int64_t kMaxWindowDays = 1000000;

struct FrequencyCap {
  std::string name;
  ColumnRef count_column;  // "" = from the history
  int64_t max = 0;
  std::vector<std::size_t> channels;                    // indices into Campaign::channels
  int64_t window_days = 0;                              // history caps: the last N days (includes as_of), 1..kMaxWindowDays
  std::vector<std::size_t> message_types;               // indices into Campaign::message_types
  std::vector<std::string> actions, brands, campaigns;  // names, matched as written
  bool from_history() const noexcept { return count_column.name.empty(); }
};

enum class PriorityKind : uint8_t {
  WeightValueChurn,  // weight * value * churn   (evaluated left to right in double)
  WeightValue,       // weight * value
  Expression,        // a number expression over the population's columns (optionally * churn)
};

struct Action {
  std::string name;
  std::string name_origin;  // "file:line:col" of the name in the campaign file
  expr::Source trigger;
  std::size_t message_type = 0;  // index into Campaign::message_types
  std::size_t channel = 0;       // index into Campaign::channels
  double value = 0;
  double weight = 1;
  std::string brand;  // optional label; all brands share one basket
  PriorityKind priority_kind = PriorityKind::WeightValue;
  std::string priority_text;  // as written in the file
  // Expression priorities only: the expression (without a trailing "* churn")
  // and whether the result is multiplied by the churn score.
  expr::Source priority_expression;
  bool priority_times_churn = false;
  // Dialogue steps only (engine/dialogue/dialogue.h): the dialogue and the
  // 0-based step. A step's `trigger` is its dialogue's entry condition; the
  // sweep fires it from the member's place in the dialogue instead.
  std::optional<std::size_t> dialogue;  // index into Campaign::dialogues
  std::size_t step = 0;
  // Population optimisation only ([arbitration] mode = "optimise"):
  std::optional<uint64_t> min_volume;  // at least this many decisions of this action (best effort, reported)
  std::optional<uint64_t> max_volume;  // at most this many decisions of this action
  double money_cost = 0;               // CAD one decision costs, counted against [arbitration] money_budget
  // Share of members held out of this action (control group), in [0, 1]; salt
  // "nudge:action:<campaign name>:<action name>" (engine/holdout/holdout.h).
  double holdout = 0;

  bool uses_churn() const noexcept {
    return priority_kind == PriorityKind::WeightValueChurn ||
           (priority_kind == PriorityKind::Expression && priority_times_churn);
  }
};

// How the decisions of all members are chosen together ([arbitration] table).
enum class ArbitrationMode : uint8_t {
  Greedy,    // RS-1: each member's walk, then channel capacity keeps the highest (the default; RS-1's contract)
  Optimise,  // maximise the total priority under every member and global constraint (engine/optimise/README.md)
};
struct Arbitration {
  ArbitrationMode mode = ArbitrationMode::Greedy;
  std::optional<double> money_budget;  // CAD: sum of money_cost over the kept decisions (optimise only)
  std::size_t max_passes = 30;         // price passes of the optimiser
};

// Control groups (campaign file [holdout]; engine/holdout/holdout.h has the
// hash). A member held out at any level still goes through every gate; a
// decision it keeps is written with control = true: not to be sent.
struct Holdout {
  double global = 0;  // share of all members held out of every campaign (global control group)
  std::string global_salt = "nudge:global";
  double campaign = 0;            // share held out of every action of this campaign
  std::string campaign_salt;      // "" = "nudge:campaign:<campaign name>"
  int64_t attribution_days = 14;  // `nudge report`: days after a contact a response counts, 0..2^31-1 (engine/report/uplift.h)
};

struct Campaign {
  std::string name;
  std::string description;
  std::filesystem::path source_path;                // the campaign file ("" when parsed from text)
  std::optional<std::filesystem::path> model_path;  // churn/propensity model, resolved against the file's folder
  std::size_t max_decisions_per_member = 1;
  std::optional<std::size_t> top_k;  // nullopt = every decision
  Basket basket;
  std::vector<MessageType> message_types;
  std::vector<Channel> channels;
  std::vector<SuppressionRule> suppressions;
  std::vector<FrequencyCap> frequency_caps;
  std::vector<Action> actions;  // plain actions, then every dialogue's steps
  std::vector<dialogue::Dialogue> dialogues;
  Arbitration arbitration;
  Holdout holdout;

  // Points one contact of action a costs: base_cost(type) * factor(channel).
  double cost(const Action& a) const noexcept {
    return message_types[a.message_type].base_cost * channels[a.channel].factor;
  }
  // True when a policy (basket, a cap) is computed from the contact history.
  bool needs_history() const noexcept {
    if (basket.from_history()) return true;
    for (const auto& f : frequency_caps)
      if (f.from_history()) return true;
    return false;
  }
  bool any_uses_churn() const noexcept {
    for (const auto& a : actions)
      if (a.uses_churn()) return true;
    return false;
  }
};

}  // namespace nudge::decide
