// One simulated day added to a history view in memory (`nudge simulate`):
// the day's contacts (all dated `day`) and the responses drawn for them,
// merged into a new history::History with the view's invariants (members by
// customer_id, a member's contacts by (sent_on, action name), its responses
// by (responded_on, contact, type, value), sorted dictionaries).
//
//   history::History next = append_day(h, day, contacts, responses);
//
// Preconditions (checked): every contact of `h` is dated before `day`
// (simulate starts after the history; Error(InvalidInput) otherwise: exit 1), no two new
// contacts share (customer_id, action), each response names a new contact
// by index and is dated on or after `day`. Responses the history skipped
// (no contact) stay skipped. Cost: O(members + contacts +
// responses) per call plus sorting the day's own events; the old columns are
// copied (the view is immutable), as whole ranges between the members the
// day touches (memcpy speed; 1M members with 25 contacts each: tens of ms).
// Thread-safety: pure function; `h` is only read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/history/history.h"

namespace nudge::dialogue {

struct DayContact {
  uint64_t customer_id = 0;
  std::string action, channel, message_type, campaign, dialogue;  // campaign, dialogue: "" = none
  int32_t step = 0;                                               // 1-based; 0 = none
  double cost = 0;
  bool control = false;  // a held-out decision (Decision::control): a control contact
};

struct DayResponse {
  std::size_t contact = 0;  // index into the day's contacts
  int32_t responded_on = 0;
  std::string type;
};

history::History append_day(const history::History& h, int32_t day, const std::vector<DayContact>& contacts,
                            const std::vector<DayResponse>& responses);

// append_day for a loop of days (simulate): the columns of views that no
// History holds any more (the day before yesterday's, once the caller has
// dropped it) are reused for the next day instead of allocating new ones, so
// the copy runs into memory that is already mapped. Same result as
// append_day. Keeps at most one set of columns per view still alive plus one.
// Thread-safety: one appender per thread; the views it returns are
// immutable and may be read by any number of threads.
class DayAppender {
 public:
  DayAppender();
  ~DayAppender();
  DayAppender(const DayAppender&) = delete;
  DayAppender& operator=(const DayAppender&) = delete;
  history::History append(const history::History& h, int32_t day, const std::vector<DayContact>& contacts,
                          const std::vector<DayResponse>& responses);

 private:
  struct Columns;
  std::vector<std::shared_ptr<Columns>> pool_;
};

}  // namespace nudge::dialogue
