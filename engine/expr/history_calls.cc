// History aggregates in expressions: parsing, canonical keys, binding
// (history_calls.h).
#include "engine/expr/history_calls.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "engine/base/error.h"
#include "engine/expr/functions.h"
#include "engine/expr/parser.h"
#include "engine/store/types.h"

namespace nudge::expr {
namespace {

struct Kind {
  std::string_view name;
  HistoryAggregate kind;
};
constexpr std::array<Kind, 5> kKinds{{{"contacts", HistoryAggregate::Contacts},
                                      {"points", HistoryAggregate::Points},
                                      {"days_since_contact", HistoryAggregate::DaysSinceContact},
                                      {"responses", HistoryAggregate::Responses},
                                      {"answered", HistoryAggregate::Answered}}};
constexpr std::array<std::string_view, 6> kFields{"action", "brand", "campaign", "channel", "message_type", "type"};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

std::string_view kind_name(HistoryAggregate k) {
  for (const auto& x : kKinds)
    if (x.kind == k) return x.name;
  return "?";
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

int64_t to_int(const ParsedExpr& e) {
  int64_t v = 0;
  std::from_chars(e.text.data(), e.text.data() + e.text.size(), v);
  return v;
}

}  // namespace

void HistoryWindow::range(int32_t as_of, int32_t& first, int32_t& last) const noexcept {
  switch (unit) {
    case Unit::Days:
      first = static_cast<int32_t>(as_of - to + 1);
      last = static_cast<int32_t>(as_of - from + 1);
      return;
    case Unit::Weeks:
      first = static_cast<int32_t>(as_of - 7 * to + 1);
      last = static_cast<int32_t>(as_of - 7 * from + 7);
      return;
    case Unit::Months: {
      int y;
      unsigned m, d;
      civil_from_days(as_of, y, m, d);
      auto month_start = [&](int64_t back) {  // first day of the month `back` months before D's
        int64_t idx = int64_t{y} * 12 + (m - 1) - back;
        int64_t yy = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
        return days_from_civil(static_cast<int>(yy), static_cast<unsigned>(idx - yy * 12 + 1), 1);
      };
      first = month_start(to - 1);
      last = month_start(from - 2) - 1;  // the day before the month after bucket A
      return;
    }
  }
}

const HistoryFilter* HistoryCall::filter(std::string_view field) const noexcept {
  for (const auto& f : filters)
    if (f.field == field) return &f;
  return nullptr;
}

std::string HistoryCall::key() const {
  std::string s(kind_name(kind));
  s += '(';
  bool first = true;
  if (window) {
    const char* u = window->unit == HistoryWindow::Unit::Days    ? "days"
                    : window->unit == HistoryWindow::Unit::Weeks ? "weeks"
                                                                 : "months";
    s += std::string(u) + " " + std::to_string(window->from) + " to " + std::to_string(window->to) + " ago";
    first = false;
  }
  for (const auto& f : filters) {
    s += first ? "" : ", ";
    first = false;
    s += f.field + " IN (";
    for (std::size_t i = 0; i < f.values.size(); ++i) s += (i ? ", " : "") + quote(f.values[i]);
    s += ')';
  }
  if (kind == HistoryAggregate::Answered) s += ", within = " + std::to_string(within);
  return s + ')';
}

bool is_history_function(std::string_view lower_name) noexcept {
  for (const auto& k : kKinds)
    if (k.name == lower_name) return true;
  return false;
}

std::string history_column_name(const HistoryCall& c) { return "@history " + c.key(); }

HistoryCall parse_history_call(const ParsedExpr& call,
                               const std::function<void(std::size_t, const std::string&)>& fail) {
  HistoryCall h;
  const std::string name = lower(call.text);
  for (const auto& k : kKinds)
    if (k.name == name) h.kind = k.kind;
  const bool wants_window = h.kind != HistoryAggregate::DaysSinceContact;
  const bool responses = h.kind == HistoryAggregate::Responses || h.kind == HistoryAggregate::Answered;
  std::size_t i = 0;
  if (wants_window) {
    if (call.args.empty() || call.args[0]->kind != PKind::Window)
      fail(call.args.empty() ? call.end - 1 : call.args[0]->begin,
           name + " needs a window first, e.g. " + name + "(last 30 days" +
               (h.kind == HistoryAggregate::Answered ? ", within = 7)" : ")"));
    const ParsedExpr& w = *call.args[0];
    HistoryWindow win;
    win.unit = w.text == "days"    ? HistoryWindow::Unit::Days
               : w.text == "weeks" ? HistoryWindow::Unit::Weeks
                                   : HistoryWindow::Unit::Months;
    win.from = to_int(*w.args[0]);
    win.to = to_int(*w.args[1]);
    const std::string wtext = w.text + " " + std::to_string(win.from) + " to " + std::to_string(win.to);
    if (win.from < 1) fail(w.begin, "window '" + wtext + " ago' starts at 0; the newest bucket is 1 (holds as_of)");
    if (win.to == 0)  // "last 0 days": no bucket at all (swapping the bounds would give day 0)
      fail(w.begin, "window '" + wtext + " ago' holds no " + w.text + "; a window holds at least one (last 1 " +
                        w.text + ")");
    if (win.from > win.to)
      fail(w.begin, "window '" + wtext + " ago' runs backwards; write " + w.text + " " + std::to_string(win.to) +
                        " to " + std::to_string(win.from) + " ago");
    if (win.to > 100000) fail(w.begin, "window reaches back more than 100000 " + w.text);
    h.window = win;
    i = 1;
  }
  bool have_within = false;
  for (; i < call.args.size(); ++i) {
    const ParsedExpr& a = *call.args[i];
    if (a.kind == PKind::Window) fail(a.begin, name + " takes one window, as its first argument");
    const bool eq = a.kind == PKind::Compare && a.op == Tok::Eq;
    const bool in = a.kind == PKind::In && !a.flag;
    if ((!eq && !in) || a.args[0]->kind != PKind::Column)
      fail(a.begin, name +
                        ": a filter is field = 'value' or field IN ('a', ...), with field one of channel, "
                        "message_type, action, brand, campaign" +
                        std::string(responses ? ", type" : "") +
                        (h.kind == HistoryAggregate::Answered ? " (and within = N days)" : ""));
    const std::string field = lower(a.args[0]->text);
    if (field == "within") {
      if (h.kind != HistoryAggregate::Answered) fail(a.begin, "within = N belongs to answered(...), not " + name);
      if (!eq || a.args[1]->kind != PKind::Integer) fail(a.args[1]->begin, "within needs a whole number of days");
      h.within = to_int(*a.args[1]);
      have_within = true;
      continue;
    }
    if (std::find(kFields.begin(), kFields.end(), field) == kFields.end())
      fail(a.args[0]->begin, "unknown history field '" + a.args[0]->text +
                                 "' (fields: channel, message_type, action, brand, campaign, type)");
    if (field == "type" && !responses)
      fail(a.args[0]->begin, "type filters responses: use it in responses(...) or answered(...), not " + name);
    if (h.filter(field)) fail(a.args[0]->begin, "field '" + field + "' is filtered twice");
    HistoryFilter f;
    f.field = field;
    for (std::size_t k = 1; k < a.args.size(); ++k) {
      if (a.args[k]->kind != PKind::String)
        fail(a.args[k]->begin, "history filter values are 'strings' (e.g. " + field + " = 'email')");
      f.values.push_back(a.args[k]->text);
    }
    std::sort(f.values.begin(), f.values.end());
    f.values.erase(std::unique(f.values.begin(), f.values.end()), f.values.end());
    h.filters.push_back(std::move(f));
  }
  if (h.kind == HistoryAggregate::Answered && !have_within)
    fail(call.end - 1, "answered needs within = N (days between the contact and its response)");
  std::sort(h.filters.begin(), h.filters.end(), [](const auto& x, const auto& y) { return x.field < y.field; });
  return h;
}

namespace {

void collect(const ParsedExpr& e, std::vector<HistoryCall>& out) {
  if (e.kind == PKind::Call && is_history_function(lower(e.text))) {
    struct Bad {};
    try {
      HistoryCall h = parse_history_call(e, [](std::size_t, const std::string&) { throw Bad{}; });
      const std::string k = h.key();
      if (std::none_of(out.begin(), out.end(), [&](const HistoryCall& c) { return c.key() == k; }))
        out.push_back(std::move(h));
    } catch (const Bad&) {}
    return;
  }
  for (const auto& a : e.args) collect(*a, out);
}

}  // namespace

std::vector<HistoryCall> collect_history_calls(const std::vector<Source>& sources) {
  std::vector<HistoryCall> out;
  for (const auto& s : sources) {
    try {
      ParsedPtr p = parse(s.text, s.origin);
      collect(*p, out);
    } catch (const Error&) {  // a syntax error: compiling reports it
    }
  }
  return out;
}

// The binder's side: one FunctionDef per aggregate (functions.cc) calls this.
BoundPtr bind_history_call(Binder& b, const ParsedExpr& call) {
  HistoryCall h = parse_history_call(call, [&](std::size_t off, const std::string& m) { b.fail(off, m); });
  const std::string col = history_column_name(h);
  auto idx = b.population().find(col);
  if (!idx)
    b.fail(call.begin,
           lower(call.text) +
               "(...) reads the contact history: give the sweep a history (nudge sweep ... --history HIST)");
  const Column& c = b.population().column(*idx);
  auto n = std::make_shared<BoundExpr>();
  n->op = Op::Column;
  n->column = *idx;
  n->ctype = c.type();
  n->type = c.type() == DataType::Float64 ? Type::Double : Type::Int;
  n->begin = call.begin;
  n->end = call.end;
  return n;
}

}  // namespace nudge::expr
