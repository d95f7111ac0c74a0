// HistoryPolicy: a campaign's policies computed from the contact and response
// history at the sweep's as_of (issue 10, WORKLOAD.md RS-2 "Policies computed
// from the history"), as the sweep's MemberInputSource.
//
//   nudge::policy::HistoryPolicy hp(campaign, pop, history, as_of);
//   auto bound = nudge::decide::BoundCampaign::bind(campaign, hp.population());
//   nudge::decide::SweepOptions opt; opt.inputs = &hp;
//   auto result = nudge::decide::run_sweep(bound, opt);
//
// With D = as_of, for each member (events with sent_on > D or responded_on > D
// are ignored; contacts with `control` set are ignored by every policy and so
// are responses to them):
//   - basket used (campaign basket without used_column): the sum of `cost`
//     over contacts dated in D's calendar period up to D: month (the 1st to
//     D), week (ISO week: Monday to D) or day (D);
//   - frequency cap j without count_column: contacts with
//     D - window_days < sent_on <= D matching the cap's filters (channel,
//     message type, action, brand, campaign, compared by name);
//   - consent: an `unsubscribe` response dated <= D to a contact on channel X
//     revokes every campaign channel that is X or lists X in `revoked_by`;
//   - history aggregates of the campaign's expressions
//     (engine/expr/history_calls.h): one extra column each in population(),
//     filled for the batch's rows by fill(), before the sweep evaluates the
//     batch. Values: contacts/responses/answered are integers (Int64),
//     points a double (Float64), days_since_contact an integer, NULL when no
//     contact matches.
// Each member's values come from one walk over its events: contacts newest
// first, stopping at the oldest day a basket, cap or windowed aggregate reads
// (days_since_contact reads on to its newest match), then the responses dated
// up to as_of (every one: an unsubscribe never expires). A member without
// history has zeros (and NULL days_since_contact). Costs are summed in double,
// newest first (exact for RS-2's multiples of 0.5).
//
// Method (the sweep's prepare, decide/member_inputs.h): population rows reach
// the history's members in random order, so walking each row's events costs
// about six dependent cache/TLB misses. prepare() therefore walks the HISTORY
// in member order (parallel over member ranges, streaming) and packs each
// member's result into a member-indexed history::MemberTable (record_words()
// uint64 words a member, layout below); fill() with that table gathers one
// record per row through the row -> member map, prefetching 32 rows ahead.
// The pre-pass prefetches each member's newest contacts and first responses
// 8 members ahead. Fast walk (fast_walk()): when every aggregate is a
// windowed contacts() count, no response aggregate or days_since_contact is
// read, caps plus aggregates are at most 8 and the look-back is at most
// 65,536 days, each contact costs two table lookups, (window bits of its
// day) & (window bits its profile counts in), added to 16-bit counter lanes
// without branches; a member with more than 65,535 contacts takes the
// general walk. Same record, same order of cost additions (tests:
// PolicyHistory.FastWalkEqualsGeneralWalkOnRandomHistories).
// Record: 16 bytes (basket used, revoked-channel mask), 4 per history cap, 4 per
// aggregate (8 for points), padded to 32 or 64 bytes (else whole cache lines).
// prepare_with_dialogues(): the campaign's dialogue places
// (engine/dialogue/dialogue_pass.h, BoundDialogues::summarize) in the same
// member walk, stored after the policy bytes of the same record; the fast walk
// then reads back to the dialogues' window as well (day and profile tables
// extended with a "dialogue" bit) and the dialogue places are computed only
// for members with a dialogue-step contact there.
// fill() without it (prepared == null: reports, explain, tests) walks each
// row's member directly, the same walk and the same record encoding, so both
// give identical values. run_sweep times prepare() inside the pass
// (SweepTimes::prepare_wall).
//
// Cost: the constructor maps population rows to history members
// (History::map_population; a sharing policy reuses its first's map) and
// classifies each contact profile once (O(profiles x (caps + aggregates))). prepare(): O(contacts in the look-back
// window + responses) over all history members, record_words() x 8 bytes a
// member (RS-2: 32; RS-3 with its dialogue's 4 bytes: 32), buffers recycled
// between sweeps.
// Errors: Error(Usage) for more than 64 history aggregates (the union's, with
// `also`) or 64 channels; for a sharing policy whose campaign reads an
// aggregate that the shared population lacks.
// Ownership: keeps a copy of the History (shared storage) and of pop's
// columns (shared buffers); `pop` itself need not outlive it. Not movable
// after a BoundCampaign has been bound to population().
// Thread-safety: fill(), prepare() and explain() may run concurrently.
//
// Two campaigns on one population (`nudge diff --history`, issue 15): the
// first policy, built with `also` = {&B}, adds a column for every aggregate
// of its campaign's expressions and then of B's (the union, its campaign's
// first and in their own order; equal calls once). The second,
// HistoryPolicy(B, first), SHARES the first's population, aggregate columns,
// history, as_of and row -> member map (no second map_population), and keeps
// its own basket, caps, consent and profile classes (B's campaign). Its
// fill() writes the same aggregate columns with the same values (same calls,
// history and day), so B is right swept alone too; its walk computes every
// aggregate of the union (and both take the general walk where caps plus the
// union's aggregates exceed the fast walk's 8 lanes). Both report the same columns_key() (the shared
// population), so run_sweeps evaluates the expressions the campaigns have in
// common once (engine/decide/shared_expressions.h). The two write the same
// memory: a sweep with one must not run on other threads while a sweep with
// the other runs (run_sweeps/run_passes sweep each batch for every job in
// turn on one thread, so one pass with both is fine). Neither policy need
// outlive the other (the shared parts are reference counted); each campaign
// must outlive its policy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/member_inputs.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/expr/history_calls.h"
#include "engine/history/history.h"
#include "engine/history/member_table.h"
#include "engine/store/population.h"

namespace nudge::policy {

// First day of as_of's calendar period ("month", "week": ISO week from Monday, "day").
int32_t period_start(int32_t as_of, const std::string& period);

class HistoryPolicy final : public decide::MemberInputSource {
 public:
  // `also`: further campaigns whose history aggregates become columns of population() too ("Two campaigns").
  HistoryPolicy(const decide::Campaign& campaign, const Population& pop, history::History h, int32_t as_of,
                const std::vector<const decide::Campaign*>& also = {});
  // `campaign`'s policies on `shared`'s population, aggregate columns, history, as_of and row map
  // ("Two campaigns"); Error(Usage) when `campaign` reads an aggregate `shared` has no column for.
  HistoryPolicy(const decide::Campaign& campaign, const HistoryPolicy& shared);
  HistoryPolicy(const HistoryPolicy&) = delete;
  HistoryPolicy& operator=(const HistoryPolicy&) = delete;

  // pop plus one column per history aggregate (of the union with `also`): bind the campaign to this.
  const Population& population() const noexcept { return *pop_; }
  const std::vector<expr::HistoryCall>& aggregates() const noexcept { return calls_; }
  int32_t as_of() const noexcept { return as_of_; }
  const history::History& history() const noexcept { return h_; }
  // History member of a population row (history::kNoMember: none).
  uint32_t member_of(std::size_t row) const noexcept { return (*member_of_row_)[row]; }
  // Every row's history member (for engine/dialogue/dialogue_pass.h, which reads the same map).
  const std::vector<uint32_t>& member_map() const noexcept { return *member_of_row_; }
  // The population whose aggregate columns fill() writes (shared by a sharing policy and its first).
  const void* columns_key() const noexcept override { return pop_.get(); }

  // The per-sweep member summary described at the top.
  std::unique_ptr<decide::PreparedInputs> prepare() const override;
  // The same, with the places of `dialogues` in the same walk and the same record when they read
  // this policy's history, member map and as_of ("Method"); else as prepare().
  std::unique_ptr<decide::PreparedInputs> prepare_with_dialogues(
      const dialogue::BoundDialogues& dialogues) const override;
  void fill(std::size_t begin, std::size_t count, decide::MemberInputs& out,
            const decide::PreparedInputs* prepared = nullptr) const override;
  // uint64 words of a member's record in prepare()'s table.
  std::size_t record_words() const noexcept { return record_words_; }
  // Whether prepare() walks members with the fast walk ("Method"; else the general walk).
  bool fast_walk() const noexcept { return fast_.on; }
  std::string explain(std::size_t row) const override;

 private:
  struct Agg {
    expr::HistoryCall call;
    int32_t first = 0, last = 0;   // window (inclusive), clipped to as_of
    std::size_t column = 0;        // in pop_
    void* values = nullptr;        // int64_t or double, pop_ rows
    uint64_t* validity = nullptr;  // days_since_contact only
    std::vector<bool> type_ok;     // response type code -> passes the type filter
  };
  struct ProfileClass {
    double cost = 0;
    bool control = false;
    uint64_t caps = 0;     // bit j: history cap j counts it
    uint64_t aggs = 0;     // bit k: aggregate k's contact filters pass
    uint64_t revokes = 0;  // bit ch: an unsubscribe to it revokes campaign channel ch
  };
  // One member's walk (aggregate values only for the first aggregates().size(), caps for history_caps_).
  struct Walked {
    double used = 0;
    uint64_t revoked = 0;
    int64_t caps[64], ival[64];
    double dval[64];
    int32_t newest[64];
  };
  struct Prepared final : decide::PreparedInputs {
    history::MemberTable table;
    dialogue::PreparedDialogues dlg;  // a fused pre-pass's view of `table` (owner null: none)
    const dialogue::PreparedDialogues* dialogues() const override { return dlg.owner ? &dlg : nullptr; }
  };
  static std::size_t record_words_for(std::size_t bytes);
  std::unique_ptr<decide::PreparedInputs> prepare_summary(const dialogue::BoundDialogues* dlg) const;
  // The aggregate columns of calls_ in pop_ (a copy of pop's columns), the campaign's policies.
  void add_aggregate_columns(const Population& pop);
  void setup_policies();
  void walk(uint32_t m, Walked& w, std::vector<uint32_t>& scratch) const;
  void setup_fast_walk();

  // Channels revoked by the member's unsubscribes dated up to as_of (both walks).
  uint64_t revoked_by_unsubscribes(uint32_t m) const;
  void pack(const Walked& w, uint8_t* rec) const;
  // Writes a record's values for `row` (r = row - batch begin); write_none: a row without history.
  void write_record(const uint8_t* rec, std::size_t row, std::size_t r, decide::MemberInputs& out) const;
  void write_none(std::size_t row) const;
  void fill_prepared(const history::MemberTable& t, std::size_t begin, std::size_t count,
                     decide::MemberInputs& out) const;

  const decide::Campaign& c_;
  history::History h_;
  int32_t as_of_ = 0, period_first_ = 0;
  std::shared_ptr<Population> pop_;                             // shared with a sharing policy
  std::shared_ptr<const std::vector<uint32_t>> member_of_row_;  // likewise
  std::vector<expr::HistoryCall> calls_;
  std::vector<Agg> aggs_;
  std::vector<std::size_t> history_caps_;  // campaign cap indices counted from the history
  std::vector<int32_t> cap_first_;         // per campaign cap: first day of its window
  int32_t lookback_first_ = 0;             // oldest day a basket, cap or windowed contact aggregate reads
  uint64_t contact_mask_ = 0, days_since_mask_ = 0, response_mask_ = 0, answered_mask_ = 0;  // aggregate kinds
  std::vector<ProfileClass> profiles_;
  std::size_t policy_bytes_ = 0, record_words_ = 0;  // prepare()'s record layout (history_summary.cc, pack)
  std::vector<std::size_t> agg_off_;                // byte offset of each aggregate's value in a record
  struct FastWalk {
    bool on = false;
    int32_t first = 0;              // oldest day read
    std::vector<uint16_t> day;      // as_of - sent_on -> window bits containing that day
    std::vector<uint16_t> profile;  // profile -> window bits it counts in (0: control)
    std::vector<double> cost;       // profile -> cost
  } fast_;
  static constexpr unsigned kDialogueBit = 0x8000;
  FastWalk fast_walk_with(const dialogue::BoundDialogues& dlg) const;
  // The fast walk ("Method") over members [m0, m1): each member's record in pack()'s layout at t.row(m),
  // need_general[m - m0] = 0; or 1 (nothing written) where the member needs the general walk.
  // dialogue_contact (may be null): [m - m0] set to whether a contact with fw's dialogue bit was read
  // (left as it was for a member that needs the general walk).
  void walk_fast(std::size_t m0, std::size_t m1, history::MemberTable& t, const FastWalk& fw, uint8_t* need_general,
                 uint8_t* dialogue_contact) const;
  uint64_t revoked_by(uint32_t response, history::IndexRange contacts) const;  // walk_fast's rare unsubscribe
  std::shared_ptr<history::TablePool> pool_ = std::make_shared<history::TablePool>();
};

}  // namespace nudge::policy
