// The daily simulation loop (simulate.h).
#include "engine/dialogue/simulate.h"

#include <fmt/format.h>

#include <chrono>
#include <set>

#include "engine/decide/bound_campaign.h"
#include "engine/dialogue/history_append.h"
#include "engine/policy/history_policy.h"
#include "engine/score/model.h"
#include "engine/store/types.h"

namespace nudge::dialogue {
namespace {

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

SimulateResult simulate(const decide::Campaign& c, const Population& pop, history::History start,
                        const ResponseModel& model, const SimulateOptions& opt) {
  SimulateResult out;
  history::History h = std::move(start);
  std::vector<DrawnResponse> drawn;
  DayAppender appender;
  std::shared_ptr<const score::Model> churn;  // loaded once for every day
  if (c.model_path) churn = score::load_model(*c.model_path);
  for (int i = 0; i < opt.days; ++i) {
    const int32_t D = opt.from + i;
    DayReport rep;
    rep.day = D;
    const auto t0 = Clock::now();
    const policy::HistoryPolicy hp(c, pop, h, D);
    const auto bound = decide::BoundCampaign::bind(c, hp.population(), churn);
    const BoundDialogues dlg = BoundDialogues::bind(bound, &hp.history(), hp.member_map().data(), D);
    decide::SweepOptions so;
    so.inputs = &hp;
    so.dialogues = &dlg;
    so.top_k = opt.top_k;
    decide::SweepResult r = decide::run_sweep(bound, so);
    const auto t1 = Clock::now();
    rep.sent.assign(c.actions.size(), 0);
    std::vector<DayContact> contacts;
    std::vector<DayResponse> responses;
    contacts.reserve(r.ranked.size());
    for (const decide::Decision& d : r.ranked) {
      const decide::Action& a = c.actions[d.action];
      DayContact k;
      k.customer_id = d.customer_id;
      k.action = a.name;
      k.channel = c.channels[a.channel].name;
      k.message_type = c.message_types[a.message_type].name;
      k.campaign = c.name;
      if (a.dialogue) k.dialogue = c.dialogues[*a.dialogue].name, k.step = static_cast<int32_t>(a.step) + 1;
      k.cost = c.cost(a);
      k.control = d.control;
      if (d.control) {  // held out: recorded as a control contact, not sent (no response drawn)
        contacts.push_back(std::move(k));
        continue;
      }
      ++rep.sent[d.action];
      rep.points += k.cost;
      drawn.clear();
      model.draw(opt.seed, k.customer_id, k.action, k.channel, D, drawn);
      for (const DrawnResponse& x : drawn) {
        responses.push_back({contacts.size(), x.responded_on, model.rules[x.rule].type});
        ++rep.responses[model.rules[x.rule].type];
      }
      contacts.push_back(std::move(k));
    }
    h = appender.append(h, D, contacts, responses);
    rep.dialogues = std::move(r.dialogues);
    rep.funnel = std::move(r.funnel);
    rep.sweep_seconds = seconds(t0, t1);
    rep.record_seconds = seconds(t1, Clock::now());
    out.days.push_back(std::move(rep));
  }
  out.history = std::move(h);
  return out;
}

namespace {

std::set<std::string> response_types_of(const SimulateResult& r) {
  std::set<std::string> t;
  for (const auto& d : r.days)
    for (const auto& [k, v] : d.responses) t.insert(k);
  return t;
}

uint64_t left_of(const DialogueFunnel& f) {
  uint64_t n = 0;
  for (State s : {State::LeftExit, State::LeftResponse, State::LeftGoal, State::LeftFinished, State::LeftExpired})
    n += f.in(s);
  return n;
}

}  // namespace

std::string format_simulation(const decide::Campaign& c, const SimulateResult& r) {
  const auto types = response_types_of(r);
  std::string s = fmt::format("{:<10} {:>8} {:>9}", "day", "contacts", "points");
  for (const auto& a : c.actions) s += fmt::format(" {:>{}}", a.name, std::max<std::size_t>(a.name.size(), 6));
  for (const auto& t : types) s += fmt::format(" {:>{}}", t, std::max<std::size_t>(t.size(), 6));
  for (const auto& d : c.dialogues)
    s += fmt::format(" | {}: {:>8} {:>8} {:>8} {:>8}", d.name, "outside", "waiting", "due", "left");
  s += "\n";
  for (const DayReport& d : r.days) {
    uint64_t total = 0;
    for (uint64_t v : d.sent) total += v;
    s += fmt::format("{:<10} {:>8} {:>9}", format_iso_date(d.day), total, d.points);
    for (std::size_t a = 0; a < c.actions.size(); ++a)
      s += fmt::format(" {:>{}}", d.sent[a], std::max<std::size_t>(c.actions[a].name.size(), 6));
    for (const auto& t : types) {
      auto it = d.responses.find(t);
      s += fmt::format(" {:>{}}", it == d.responses.end() ? 0 : it->second, std::max<std::size_t>(t.size(), 6));
    }
    for (std::size_t k = 0; k < c.dialogues.size(); ++k) {
      const DialogueFunnel& f = d.dialogues[k];
      s += fmt::format(" | {:>{}} {:>8} {:>8} {:>8}", f.in(State::Outside), c.dialogues[k].name.size() + 10,
                       f.in(State::Waiting), f.in(State::Due), left_of(f));
    }
    s += "\n";
  }
  return s;
}

std::string simulation_csv(const decide::Campaign& c, const SimulateResult& r) {
  const auto types = response_types_of(r);
  std::string s = "day,contacts,points";
  for (const auto& a : c.actions) s += ",sent." + a.name;
  for (const auto& t : types) s += ",responses." + t;
  for (const auto& d : c.dialogues) {
    s += fmt::format(",{}.outside", d.name);
    for (State st : {State::Waiting, State::Due, State::LeftResponse, State::LeftExit, State::LeftGoal,
                     State::LeftFinished, State::LeftExpired}) {
      std::string name(state_name(st));
      for (char& ch : name)
        if (ch == ':' || ch == ' ') ch = '_';
      std::string clean;
      for (char ch : name)
        if (!(ch == '_' && !clean.empty() && clean.back() == '_')) clean += ch;
      for (std::size_t k = 0; k < d.steps.size(); ++k) s += fmt::format(",{}.{}.{}", d.name, clean, k + 1);
    }
  }
  s += "\n";
  for (const DayReport& d : r.days) {
    uint64_t total = 0;
    for (uint64_t v : d.sent) total += v;
    s += fmt::format("{},{},{}", format_iso_date(d.day), total, d.points);
    for (uint64_t v : d.sent) s += fmt::format(",{}", v);
    for (const auto& t : types) {
      auto it = d.responses.find(t);
      s += fmt::format(",{}", it == d.responses.end() ? 0 : it->second);
    }
    for (std::size_t k = 0; k < c.dialogues.size(); ++k) {
      const DialogueFunnel& f = d.dialogues[k];
      s += fmt::format(",{}", f.in(State::Outside));
      for (State st : {State::Waiting, State::Due, State::LeftResponse, State::LeftExit, State::LeftGoal,
                       State::LeftFinished, State::LeftExpired})
        for (std::size_t j = 0; j < c.dialogues[k].steps.size(); ++j) s += fmt::format(",{}", f.at(st, j));
    }
    s += "\n";
  }
  return s;
}

}  // namespace nudge::dialogue
