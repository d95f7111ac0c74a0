// The dialogue part of the sweep's parallel pass: every member's place in
// every dialogue of the campaign at day D, read from the contact and response
// history (engine/history/history.h) in the same batches as the triggers,
// and the "fired" bits of the dialogues' step actions.
//
//   auto dlg = nudge::dialogue::BoundDialogues::bind(bound, &history, member_of_row, as_of);
//   nudge::decide::SweepOptions opt; opt.dialogues = &dlg;    // sweep.h
//
// Per batch (BoundDialogues::batch, called by the sweep after the expression
// evaluation): for each member, the member's contacts with
// D - reentry_days < sent_on <= D whose action is a step of a dialogue (by
// action name; control contacts are ignored), and the member's attached
// responses with responded_on <= D to those contacts, become StepContacts;
// dialogue::place_of gives the place; a member Due for step k of dialogue d
// fires step action k of d. Entry and goal are the TRUE bits of the batch's
// expression workspace. The result depends on the member alone, so it is the
// same for any thread count and batch size.
//
// Cost per member: a backward scan of its contacts until the oldest window
// (contacts are sorted by sent_on), and a scan of its responses only when a
// dialogue contact is in the window.
//
// Method (per-sweep summary, prepare()): population rows reach the history's
// members in random order, so that scan, done per row, costs several
// dependent cache/TLB misses. The sweep (run_sweep) therefore calls prepare()
// at its start, inside its timed pass (SweepTimes::prepare_wall; run_sweeps:
// once for all the sweeps of the pass with these dialogues): a pre-pass
// over the HISTORY in member order (parallel over member ranges, streaming)
// that stores, per member and dialogue, the place for each of the four
// (entry, goal) values, one byte each (state << 4 | step), in a
// member-indexed history::MemberTable (4 bytes a dialogue; members without a
// dialogue contact in the window get the precomputed places of "no contact").
// batch() with that summary gathers one record per row (prefetched 16 rows
// ahead) and picks the byte of the row's entry and goal bits; without it
// (prepared == null) it scans each row's member as above. place_of depends on
// the contacts, entry and goal only, so both give identical places. A
// dialogue with a step that waits until a date column (Step::wait_until) also
// depends on the row's date: its places are always computed per row from the
// member's events (the scan), so such dialogues do not get the summary's speed.
// Fused (the usual case with --history): when the sweep's history source is
// the campaign's policy::HistoryPolicy over the same history, member map and
// day, the sweep asks it for both summaries at once
// (MemberInputSource::prepare_with_dialogues): its pre-pass calls
// summarize() for each member into the bytes after the policy record
// (PreparedDialogues::offset), so one walk reads each member's events and a
// batch's policy gather brings the dialogue bytes into cache with it; its
// fast walk also reads back to oldest_day() and calls summarize() only for
// members with a step-profile contact there (the others get `empty`'s bytes,
// which is what summarize() writes for them).
// Errors: bind throws Error(InvalidInput) when a wait_until column is missing
// (naming near columns) or not a date.
//
// Counts: DialogueFunnel::members[state][step] per dialogue (Outside counts
// at step 0).
//
// Errors: bind throws Error(InvalidInput) when a dialogue's step action names
// a history action whose contacts carry another dialogue's name (none here:
// steps are matched by action name only, so bind does not throw for data);
// Error(Usage) when member_of_row is null while the history has members.
// Thread-safety: immutable after bind; batch() writes only the caller's
// scratch and counts; prepare() may be called by several sweeps at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/dialogue/dialogue.h"
#include "engine/expr/program.h"
#include "engine/history/history.h"
#include "engine/history/member_table.h"

namespace nudge::dialogue {

// Members of one dialogue per state and step.
struct DialogueFunnel {
  std::array<std::array<uint64_t, kMaxSteps>, kStateCount> members{};
  uint64_t at(State s, std::size_t step) const noexcept { return members[static_cast<std::size_t>(s)][step]; }
  uint64_t in(State s) const noexcept {
    uint64_t n = 0;
    for (uint64_t v : members[static_cast<std::size_t>(s)]) n += v;
    return n;
  }
  void add(const DialogueFunnel& o) noexcept {
    for (std::size_t s = 0; s < kStateCount; ++s)
      for (std::size_t k = 0; k < kMaxSteps; ++k) members[s][k] += o.members[s][k];
  }
};

// One contact (and its responses) as `nudge explain` shows it.
struct ReadEvent {
  uint32_t contact = 0;  // index into the history's contacts
  int32_t sent_on = 0;
  uint8_t step = 0;
  std::vector<std::pair<int32_t, std::string>> responses;  // (responded_on, type) with responded_on <= D
  bool responded = false, exited = false;
};

// Per worker.
struct DialogueScratch {
  std::vector<uint64_t> fired;  // [step slot * words + word]: step slot = action - first step action
  std::vector<StepContact> contacts;
  std::vector<uint32_t> contact_index;  // history contact of contacts[i]
  std::vector<uint8_t> dialogue_of;     // dialogue of contacts[i]
  std::vector<StepContact> one;         // one dialogue's contacts
  std::vector<DialogueFunnel> funnel;   // per dialogue
};

class BoundDialogues;

// One sweep's summary (BoundDialogues::prepare, or a history source's fused
// pre-pass: engine/policy/history_policy.h). Member m's bytes are at byte
// `offset` of table row m: 4 a dialogue, byte 4d + 2 entry + goal.
struct PreparedDialogues {
  const BoundDialogues* owner = nullptr;           // the dialogues these places are for
  history::MemberTable table;                      // shared with the fused pre-pass's record table, if any
  std::size_t offset = 0;                          // bytes into each row
  std::array<uint8_t, 4 * kMaxDialogues> empty{};  // the same bytes for a member without dialogue contacts
  const uint8_t* row(uint32_t m) const noexcept { return reinterpret_cast<const uint8_t*>(table.row(m)) + offset; }
};

class BoundDialogues {
 public:
  // `history` may be null (no history: every member is outside). member_of_row
  // maps population rows to history members (History::map_population); it
  // must outlive this object and may be null only when the history is null or
  // empty. `as_of` is D, days since 1970-01-01.
  static BoundDialogues bind(const decide::BoundCampaign& bound, const history::History* history,
                             const uint32_t* member_of_row, int32_t as_of);

  bool empty() const noexcept { return dialogues_ == 0; }
  std::size_t dialogues() const noexcept { return dialogues_; }
  std::size_t first_step_action() const noexcept { return first_step_; }
  int32_t as_of() const noexcept { return as_of_; }
  const history::History* history() const noexcept { return history_; }
  uint32_t member_of(std::size_t row) const noexcept {
    return member_of_row_ ? member_of_row_[row] : history::kNoMember;
  }

  void init(DialogueScratch& s) const;
  // Rows [begin, begin + count) of a batch whose expressions `ws` holds:
  // fills s.fired and adds to s.funnel.
  // prepared: this sweep's prepare() result or null (then each row's member is scanned).
  void batch(std::size_t begin, std::size_t count, const expr::Workspace& ws, DialogueScratch& s,
             const PreparedDialogues* prepared = nullptr) const;
  // The per-sweep summary ("Method" above); null when there is no history or no dialogue.
  std::unique_ptr<PreparedDialogues> prepare() const;
  // The same summary computed inside another pre-pass over the same history in member
  // order (HistoryPolicy's, engine/policy/history_policy.h: one walk and one record a member
  // for both). summary_usable(): prepare() would not be null. summary_empty() sets p.owner
  // and p.empty; summarize() writes member m's summary_bytes() bytes to `out` (s: the
  // calling thread's scratch). Same bytes as prepare() writes.
  bool summary_usable() const noexcept { return dialogues_ != 0 && history_ != nullptr; }
  std::size_t summary_bytes() const noexcept { return 4 * dialogues_; }
  const uint32_t* member_map() const noexcept { return member_of_row_; }
  // summarize() writes summary_empty()'s bytes for a member without a contact of a step
  // profile (is_step_profile: a history contact profile whose action is a dialogue step, not
  // control) dated in (oldest_day(), as_of].
  int32_t oldest_day() const noexcept { return as_of_ - max_window_; }
  bool is_step_profile(std::size_t profile) const noexcept {
    return profile < step_of_profile_.size() && step_of_profile_[profile] != kNone;
  }
  void summary_empty(PreparedDialogues& p) const;
  void summarize(uint32_t m, DialogueScratch& s, const PreparedDialogues& p, uint8_t* out) const;
  // Bits of step action `action` (>= first_step_action()) for word `wi` of the batch.
  uint64_t fired(const DialogueScratch& s, std::size_t action, std::size_t wi) const noexcept {
    return s.fired[(action - first_step_) * words_ + wi];
  }

  // One member, row by row (explain): the place in dialogue d and the events
  // it was read from. entry/goal: the member's values (TRUE or not).
  Place explain(std::size_t row, std::size_t d, bool entry, bool goal, std::vector<ReadEvent>* events) const;

 private:
  const decide::BoundCampaign* bound_ = nullptr;
  const decide::Campaign* c_ = nullptr;
  const history::History* history_ = nullptr;
  const uint32_t* member_of_row_ = nullptr;
  int32_t as_of_ = 0;
  int32_t max_window_ = 0;
  std::size_t dialogues_ = 0, first_step_ = 0, steps_total_ = 0, words_ = 0;
  std::vector<uint16_t> step_of_profile_;  // history profile -> dialogue << 8 | step, kNone
  std::vector<uint32_t> response_bits_;    // response type code -> bit d: a response of d
  std::vector<uint32_t> exit_bits_;        // response type code -> bit d: an exit response of d
  std::vector<std::size_t> entry_pred_;    // per dialogue
  std::vector<std::optional<std::size_t>> goal_pred_;
  std::vector<std::size_t> first_slot_;  // per dialogue: slot of its step 0
  // Steps that wait until a date column: per dialogue, per step, the column (nullptr: none).
  std::vector<std::vector<const Column*>> until_column_;
  std::vector<bool> has_until_;  // per dialogue; such a dialogue's places are read per row, not from the summary
  bool any_until_ = false;
  // The member's dates (+ offsets) of dialogue d's wait_until steps, for place_of's `until`.
  void until_dates(std::size_t row, std::size_t d, int32_t* out) const noexcept;
  static constexpr uint16_t kNone = 0xFFFF;
  // Member m's dialogue contacts in the window into s.contacts, s.contact_index, s.dialogue_of.
  void collect(uint32_t m, DialogueScratch& s) const;
  // Dialogue d's place from the contacts collect() left in s (until: place_of's dates, or nullptr).
  Place place(std::size_t d, DialogueScratch& s, bool entry, bool goal, const int32_t* until = nullptr) const;
  std::shared_ptr<history::TablePool> pool_ = std::make_shared<history::TablePool>();
};

}  // namespace nudge::dialogue
