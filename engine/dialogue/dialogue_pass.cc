// Dialogue places in the sweep's batches (dialogue_pass.h).
#include "engine/dialogue/dialogue_pass.h"

#include <fmt/format.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>

#include "engine/base/error.h"

namespace nudge::dialogue {

BoundDialogues BoundDialogues::bind(const decide::BoundCampaign& bound, const history::History* history,
                                    const uint32_t* member_of_row, int32_t as_of) {
  const decide::Campaign& c = bound.campaign();
  BoundDialogues b;
  b.bound_ = &bound;
  b.c_ = &c;
  b.history_ = history && history->members() ? history : nullptr;
  b.member_of_row_ = b.history_ ? member_of_row : nullptr;
  if (b.history_ && !member_of_row) throw_usage("dialogues: a history needs the population's member map");
  b.as_of_ = as_of;
  b.dialogues_ = c.dialogues.size();
  b.words_ = expr::kBatchRows / 64;
  b.first_step_ = c.actions.size();
  for (std::size_t a = 0; a < c.actions.size(); ++a)
    if (c.actions[a].dialogue) {
      b.first_step_ = std::min(b.first_step_, a);
      ++b.steps_total_;
    }
  if (b.first_step_ + b.steps_total_ != c.actions.size())
    throw_internal("dialogue steps must follow the plain actions");
  std::size_t slot = 0;
  for (std::size_t d = 0; d < c.dialogues.size(); ++d) {
    const Dialogue& dl = c.dialogues[d];
    b.first_slot_.push_back(slot);
    slot += dl.steps.size();
    b.entry_pred_.push_back(bound.trigger_predicate(dl.steps[0].action));
    b.goal_pred_.push_back(bound.goal_predicate(d));
    b.max_window_ = std::max(b.max_window_, dl.reentry_days);
    if (dl.steps[0].action != b.first_step_ + b.first_slot_[d]) throw_internal("dialogue step order");
    b.until_column_.emplace_back(dl.steps.size(), nullptr);
    b.has_until_.push_back(false);
    for (std::size_t k = 0; k < dl.steps.size(); ++k) {
      const Step& st = dl.steps[k];
      if (st.wait_until.empty()) continue;
      const Column& col = bound.population().column(st.wait_until);  // throws, naming near columns
      if (col.type() != DataType::Date)
        throw_invalid_input(fmt::format("dialogue '{}' step '{}': wait_until column '{}' is {}, not a date", dl.name,
                                        c.actions[st.action].name, st.wait_until, type_name(col.type())));
      b.until_column_[d][k] = &col;
      b.has_until_[d] = b.any_until_ = true;
    }
  }
  if (!b.history_) return b;
  // History codes -> dialogue steps (by action name) and response kinds.
  const history::History& h = *b.history_;
  std::vector<uint16_t> step_of_action(h.actions().size(), kNone);
  for (std::size_t d = 0; d < c.dialogues.size(); ++d)
    for (std::size_t k = 0; k < c.dialogues[d].steps.size(); ++k) {
      const int32_t code = h.actions().find(c.actions[c.dialogues[d].steps[k].action].name);
      if (code >= 0) step_of_action[static_cast<std::size_t>(code)] = static_cast<uint16_t>(d << 8 | k);
    }
  b.step_of_profile_.resize(h.profiles().size(), kNone);
  for (std::size_t p = 0; p < h.profiles().size(); ++p) {
    const history::ContactProfile& pr = h.profiles()[p];
    if (!pr.control) b.step_of_profile_[p] = step_of_action[static_cast<std::size_t>(pr.action)];
  }
  b.response_bits_.assign(h.response_types().size(), 0);
  b.exit_bits_.assign(h.response_types().size(), 0);
  for (std::size_t d = 0; d < c.dialogues.size(); ++d) {
    for (const auto& t : c.dialogues[d].response_types)
      if (int32_t code = h.response_types().find(t); code >= 0) b.response_bits_[code] |= 1u << d;
    for (const auto& t : c.dialogues[d].exit_response_types)
      if (int32_t code = h.response_types().find(t); code >= 0) b.exit_bits_[code] |= 1u << d;
  }
  return b;
}

void BoundDialogues::until_dates(std::size_t row, std::size_t d, int32_t* out) const noexcept {
  const Dialogue& dl = c_->dialogues[d];
  for (std::size_t k = 0; k < dl.steps.size(); ++k) {
    const Column* col = until_column_[d][k];
    if (!col) continue;
    if (col->is_null(row)) {
      out[k] = kNullDate;
      continue;
    }
    // Clamped so that a date at the type's edge plus the offset stays a date (and never kNullDate).
    const int64_t v = int64_t{col->values<int32_t>()[row]} + dl.steps[k].wait_until_offset_days;
    out[k] = static_cast<int32_t>(std::clamp<int64_t>(v, int64_t{kNullDate} + 1, kNeverDue));
  }
}

void BoundDialogues::init(DialogueScratch& s) const {
  s.fired.assign(steps_total_ * words_, 0);
  s.funnel.assign(dialogues_, {});
  s.contacts.reserve(64);
  s.one.reserve(64);
}

void BoundDialogues::collect(uint32_t m, DialogueScratch& s) const {
  s.contacts.clear();
  s.contact_index.clear();
  s.dialogue_of.clear();
  if (m == history::kNoMember) return;
  const auto sent_on = history_->sent_on();
  const auto profile = history_->contact_profile();
  const int32_t D = as_of_, oldest = as_of_ - max_window_;
  const history::IndexRange cs = history_->contacts_of(m);
  for (uint32_t i = cs.last; i-- > cs.first;) {
    const int32_t day = sent_on[i];
    if (day <= oldest) break;
    if (day > D) continue;
    const uint32_t pc = profile[i];
    if (pc >= step_of_profile_.size()) [[unlikely]]
      history_->damaged("a contact profile code out of range");  // History::check_events
    const uint16_t code = step_of_profile_[pc];
    if (code == kNone) continue;
    const std::size_t d = code >> 8;
    if (day <= D - c_->dialogues[d].reentry_days) continue;
    s.contacts.push_back({day, static_cast<uint8_t>(code & 0xFF), false, false});
    s.contact_index.push_back(i);
    s.dialogue_of.push_back(static_cast<uint8_t>(d));
  }
  if (s.contacts.empty()) return;
  const auto responded_on = history_->responded_on();
  const auto rcontact = history_->response_contact();
  const auto rtype = history_->response_type();
  const history::IndexRange rs = history_->responses_of(m);
  for (uint32_t j = rs.first; j < rs.last && responded_on[j] <= D; ++j) {
    const uint16_t ty = rtype[j];
    if (ty >= response_bits_.size() || ty >= exit_bits_.size()) [[unlikely]]
      history_->damaged("a response type code out of range");
    const uint32_t resp = response_bits_[ty], ex = exit_bits_[ty];
    if (!(resp | ex)) continue;
    for (std::size_t k = 0; k < s.contacts.size(); ++k)
      if (s.contact_index[k] == rcontact[j]) {
        s.contacts[k].responded |= (resp >> s.dialogue_of[k]) & 1;
        s.contacts[k].exited |= (ex >> s.dialogue_of[k]) & 1;
      }
  }
}

Place BoundDialogues::place(std::size_t d, DialogueScratch& s, bool entry, bool goal, const int32_t* until) const {
  const StepContact* first = nullptr;
  std::size_t n = 0;
  if (!s.contacts.empty()) {
    s.one.clear();
    for (std::size_t k = 0; k < s.contacts.size(); ++k)
      if (s.dialogue_of[k] == d) s.one.push_back(s.contacts[k]);
    first = s.one.data(), n = s.one.size();
  }
  return place_of(c_->dialogues[d], as_of_, first, n, entry, goal, until);
}

namespace {
uint8_t code_of(const Place& p) { return static_cast<uint8_t>(static_cast<unsigned>(p.state) << 4 | p.step); }
}  // namespace

void BoundDialogues::summary_empty(PreparedDialogues& p) const {
  p.owner = this;
  DialogueScratch none;
  for (std::size_t d = 0; d < dialogues_; ++d)
    for (unsigned eg = 0; eg < 4; ++eg) p.empty[4 * d + eg] = code_of(place(d, none, eg >> 1, eg & 1));
}

void BoundDialogues::summarize(uint32_t m, DialogueScratch& s, const PreparedDialogues& p, uint8_t* out) const {
  collect(m, s);
  std::memcpy(out, p.empty.data(), 4 * dialogues_);
  if (s.contacts.empty()) return;
  for (std::size_t d = 0; d < dialogues_; ++d)
    if (std::find(s.dialogue_of.begin(), s.dialogue_of.end(), d) != s.dialogue_of.end())
      for (unsigned eg = 0; eg < 4; ++eg) out[4 * d + eg] = code_of(place(d, s, eg >> 1, eg & 1));
}

std::unique_ptr<PreparedDialogues> BoundDialogues::prepare() const {
  if (!summary_usable()) return nullptr;
  auto p = std::make_unique<PreparedDialogues>();
  summary_empty(*p);
  const std::size_t M = history_->members(), words = (dialogues_ + 1) / 2;
  p->table = history::MemberTable::take(pool_, M, words);
  history::MemberTable& t = p->table;
  const PreparedDialogues& pr = *p;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, M, 8192), [&](const tbb::blocked_range<std::size_t>& r) {
    DialogueScratch s;
    for (std::size_t m = r.begin(); m != r.end(); ++m) {
      std::memset(t.row(m), 0, words * 8);
      summarize(static_cast<uint32_t>(m), s, pr, reinterpret_cast<uint8_t*>(t.row(m)));
    }
  });
  return p;
}

void BoundDialogues::batch(std::size_t begin, std::size_t count, const expr::Workspace& ws, DialogueScratch& s,
                           const PreparedDialogues* prepared) const {
  if (dialogues_ == 0) return;
  const std::size_t words = (count + 63) / 64;
  std::fill(s.fired.begin(), s.fired.end(), 0);
  constexpr std::size_t kAhead = 16;
  if (prepared)
    for (std::size_t r = 0; r < std::min(kAhead, count); ++r)
      if (const uint32_t m = member_of(begin + r); m != history::kNoMember) __builtin_prefetch(prepared->row(m));
  for (std::size_t wi = 0; wi < words; ++wi) {
    const std::size_t live = std::min<std::size_t>(64, count - 64 * wi);
    for (unsigned r = 0; r < live; ++r) {
      const std::size_t row = begin + 64 * wi + r;
      const uint32_t m = member_of(row);
      const uint8_t* bytes = nullptr;
      if (prepared) {
        if (row + kAhead < begin + count)
          if (const uint32_t ma = member_of(row + kAhead); ma != history::kNoMember)
            __builtin_prefetch(prepared->row(ma));
        bytes = m == history::kNoMember ? prepared->empty.data() : prepared->row(m);
        if (any_until_) collect(m, s);
      } else {
        collect(m, s);
      }
      for (std::size_t d = 0; d < dialogues_; ++d) {
        const bool entry = ws.predicate_bits(entry_pred_[d])[wi] >> r & 1;
        const bool goal = goal_pred_[d] && (ws.predicate_bits(*goal_pred_[d])[wi] >> r & 1);
        std::size_t state, step;
        if (bytes && !has_until_[d]) {
          const uint8_t b = bytes[4 * d + 2 * entry + goal];
          state = b >> 4, step = b & 15;
        } else {  // no summary, or a step waits until the row's date: the member's events, read here
          int32_t until[kMaxSteps];
          if (has_until_[d]) until_dates(row, d, until);
          const Place p = place(d, s, entry, goal, has_until_[d] ? until : nullptr);
          state = static_cast<std::size_t>(p.state), step = p.step;
        }
        ++s.funnel[d].members[state][step];
        if (state == static_cast<std::size_t>(State::Due))
          s.fired[(first_slot_[d] + step) * words_ + wi] |= uint64_t{1} << r;
      }
    }
  }
}

Place BoundDialogues::explain(std::size_t row, std::size_t d, bool entry, bool goal,
                              std::vector<ReadEvent>* events) const {
  const Dialogue& dl = c_->dialogues[d];
  std::vector<StepContact> cs;
  std::vector<ReadEvent> ev;
  const uint32_t m = member_of(row);
  if (m != history::kNoMember) {
    const history::History& h = *history_;
    for (uint32_t i : h.contacts_of(m)) {
      const int32_t day = h.sent_on()[i];
      const uint16_t code = step_of_profile_[h.profile_code(i)];
      if (code == kNone || (code >> 8) != d || day > as_of_ || day <= as_of_ - dl.reentry_days) continue;
      ReadEvent e;
      e.contact = i, e.sent_on = day, e.step = static_cast<uint8_t>(code & 0xFF);
      for (uint32_t j : h.responses_of(m)) {
        if (h.response_contact()[j] != i || h.responded_on()[j] > as_of_) continue;
        const uint16_t t = h.type_code(j);
        e.responses.emplace_back(h.responded_on()[j], h.response_types().name(t));
        e.responded |= (response_bits_[t] >> d) & 1;
        e.exited |= (exit_bits_[t] >> d) & 1;
      }
      cs.push_back({e.sent_on, e.step, e.responded, e.exited});
      ev.push_back(std::move(e));
    }
  }
  if (events) *events = std::move(ev);
  int32_t until[kMaxSteps];
  if (has_until_[d]) until_dates(row, d, until);
  return place_of(dl, as_of_, cs.data(), cs.size(), entry, goal, has_until_[d] ? until : nullptr);
}

}  // namespace nudge::dialogue
