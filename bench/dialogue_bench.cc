// RS-3 end to end: data/campaigns/rs3.toml (RS-2's history policies plus the
// three-step defection_rescue dialogue) swept over a population with 12
// months of contact history, beside rs2.toml on the same data (the cost of
// the dialogue), and a 30-day `simulate` (engine/dialogue/simulate.h).
//
// Run:
//   build/release/bench/dialogue_bench --benchmark_counters_tabular=true
// Sizes: NUDGE_BENCH_MEMBERS (sweep, default 10M), NUDGE_BENCH_SIM_MEMBERS
// (simulate, default 1M), NUDGE_BENCH_SIM_DAYS (default 30).
// The population is RS-1's generator (a superset of RS-2's columns); the
// history is built straight into a History view: per member about 25
// contacts over the 365 days up to as_of 2026-11-15 from RS-2's 15 actions,
// and for members whose RS-3 entry condition holds (and 1% of the others) a
// dialogue sequence (1-3 rescue steps 7+ days apart, the latest 0-120 days
// before as_of), about 0.2 responses per contact (open, click, convert,
// unsubscribe, complaint). Before timing, the sweep with 2 threads is checked
// against 1 thread; a mismatch aborts.
// Counters: cpu_s = CPU seconds of all threads per sweep (or per simulation):
// on a loaded machine wall time says little, cpu_s / threads is what an idle
// machine's wall time would be with perfect balance; prepare_s = HistoryPolicy construction (rows -> members, profile
// classes) + dialogue binding (once per sweep command, not in the sweep);
// summary_s / dialogue_summary_s = wall seconds per sweep of the sweep's own
// pre-passes over the history in member order (HistoryPolicy::prepare,
// BoundDialogues::prepare; INSIDE the sweep's wall time; since the fused
// pre-pass, HistoryPolicy's holds both and dialogue_summary_s is ~0); dialogue_s /
// history_s = thread seconds of those pass phases per sweep (the per-batch
// gathers from the summaries).
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "bench/support/bench_env.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/dialogue/response_model.h"
#include "engine/dialogue/simulate.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "io/gen/rs1_generator.h"
#include "io/gen/rs2_generator.h"
#include "io/gen/rs3_generator.h"

namespace {

using namespace nudge;
using bench::mix;
using bench::process_cpu_seconds;
using Clock = std::chrono::steady_clock;

struct Columns {
  std::vector<uint64_t> ids;
  std::vector<uint32_t> coff, roff, profile, batch, rcontact;
  std::vector<int32_t> sent, responded;
  std::vector<uint16_t> rtype;
  std::vector<double> rvalue;
};

// The history described at the top, as a History view (ids ascending).
history::History synthetic_history(const Population& pop, int32_t D) {
  auto st = std::make_shared<history::HistoryStorage>();
  auto cols = std::make_shared<Columns>();
  // Actions: RS-2's 15 and RS-3's 3 steps, dictionary sorted by name.
  std::vector<Rs2HistoryAction> acts(kRs2HistoryActions, kRs2HistoryActions + 15);
  acts.insert(acts.end(), kRs3Steps, kRs3Steps + 3);
  std::vector<std::string> names, chans, types;
  for (const auto& a : acts)
    names.emplace_back(a.name), chans.emplace_back(a.channel), types.emplace_back(a.message_type);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  st->actions = history::Dictionary(sorted(names));
  st->channels = history::Dictionary(sorted(chans));
  st->message_types = history::Dictionary(sorted(types));
  st->response_types = history::Dictionary(
      std::vector<std::string>(std::begin(history::kBuiltinResponseTypes), std::end(history::kBuiltinResponseTypes)));
  for (const auto& a : acts) {
    history::ContactProfile p;
    p.action = st->actions.find(a.name), p.channel = st->channels.find(a.channel);
    p.message_type = st->message_types.find(a.message_type), p.cost = a.cost;
    st->profiles.push_back(p);
  }
  // Members in id order.
  const uint64_t* ids = pop.column("customer_id").values<uint64_t>();
  const int32_t* f3 = pop.column("flights_3m").values<int32_t>();
  const int32_t* fp = pop.column("flights_prev_3m").values<int32_t>();
  std::vector<uint32_t> order(pop.rows());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
  Columns& c = *cols;
  c.coff.push_back(0), c.roff.push_back(0);
  c.ids.reserve(pop.rows());
  c.sent.reserve(pop.rows() * 26), c.profile.reserve(pop.rows() * 26), c.batch.reserve(pop.rows() * 26);
  struct K {
    int32_t day;
    uint32_t profile;
  };
  std::vector<K> mine;
  struct R {
    int32_t on;
    uint32_t contact;
    uint16_t type;
  };
  std::vector<R> rs;
  for (uint32_t row : order) {
    uint64_t h = mix(ids[row] ^ 0x5EED);
    mine.clear();
    const int n = static_cast<int>(h % 51);  // 0..50, mean 25
    for (int k = 0; k < n; ++k) {
      h = mix(h);
      mine.push_back({D - static_cast<int32_t>(h % 365), static_cast<uint32_t>((h >> 20) % 15)});
    }
    const bool entry = fp[row] >= 2 && f3[row] < 0.5 * fp[row];
    h = mix(h);
    if (entry ? (h % 10) < 7 : (h % 100) == 0) {
      const int steps = 1 + static_cast<int>((h >> 8) % 3);
      int32_t day = D - static_cast<int32_t>((h >> 16) % 120);
      for (int k = steps - 1; k >= 0; --k, day -= 7 + static_cast<int32_t>((h >> (24 + k)) % 4))
        mine.push_back({day, 15u + static_cast<uint32_t>(k)});
    }
    std::sort(mine.begin(), mine.end(), [&](const K& a, const K& b) {
      if (a.day != b.day) return a.day < b.day;
      return st->profiles[a.profile].action < st->profiles[b.profile].action;
    });
    mine.erase(std::unique(mine.begin(), mine.end(),
                           [&](const K& a, const K& b) {
                             return a.day == b.day && st->profiles[a.profile].action == st->profiles[b.profile].action;
                           }),
               mine.end());
    if (mine.empty()) continue;
    rs.clear();
    for (const K& k : mine) {
      const uint32_t idx = static_cast<uint32_t>(c.sent.size());
      c.sent.push_back(k.day), c.profile.push_back(k.profile), c.batch.push_back(1);
      h = mix(h);
      if (h % 5 == 0)
        rs.push_back({k.day + static_cast<int32_t>((h >> 8) % 10), idx, static_cast<uint16_t>((h >> 16) % 5)});
    }
    std::sort(rs.begin(), rs.end(), [](const R& a, const R& b) {
      return a.on != b.on ? a.on < b.on : a.contact != b.contact ? a.contact < b.contact : a.type < b.type;
    });
    for (const R& r : rs)
      c.responded.push_back(r.on), c.rcontact.push_back(r.contact), c.rtype.push_back(r.type),
          c.rvalue.push_back(std::numeric_limits<double>::quiet_NaN());
    c.ids.push_back(ids[row]);
    c.coff.push_back(static_cast<uint32_t>(c.sent.size()));
    c.roff.push_back(static_cast<uint32_t>(c.responded.size()));
  }
  st->customer_ids = c.ids, st->contact_offsets = c.coff, st->response_offsets = c.roff;
  st->sent_on = c.sent, st->contact_profile = c.profile, st->contact_batch = c.batch;
  st->response_contact = c.rcontact, st->responded_on = c.responded, st->response_type = c.rtype;
  st->response_value = c.rvalue;
  st->keep_alive = cols;
  return history::History(std::move(st));
}

struct Data {
  Population pop;
  history::History h;
  int32_t D;
};

const Data& data() {
  static Data d = [] {
    const int32_t D = rs2_as_of();
    Data x{generate_rs1(bench::bench_members(), 42, D), history::History(), D};
    x.h = synthetic_history(x.pop, D);
    std::fprintf(stderr, "dialogue_bench: %zu members, %zu contacts, %zu responses\n", x.pop.rows(), x.h.contacts(),
                 x.h.responses());
    return x;
  }();
  return d;
}

decide::SweepResult sweep_once(const decide::BoundCampaign& b, const policy::HistoryPolicy& hp,
                               const dialogue::BoundDialogues* dlg) {
  decide::SweepOptions opt;
  opt.inputs = &hp;
  opt.dialogues = dlg;
  return decide::run_sweep(b, opt);
}

void BM_Sweep(benchmark::State& state, const char* file) {
  const Data& d = data();
  const auto c = decide::load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/" + file);
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  const auto t0 = Clock::now();
  policy::HistoryPolicy hp(c, d.pop, d.h, d.D);
  const auto bound = decide::BoundCampaign::bind(c, hp.population());
  std::optional<dialogue::BoundDialogues> dlg;
  if (!c.dialogues.empty()) dlg = dialogue::BoundDialogues::bind(bound, &d.h, hp.member_map().data(), d.D);
  const double prepare = std::chrono::duration<double>(Clock::now() - t0).count();
  {  // 2 threads against 1: the same decisions
    decide::SweepResult one, two;
    tbb::task_arena a1(1), a2(2);
    a1.execute([&] { one = sweep_once(bound, hp, dlg ? &*dlg : nullptr); });
    a2.execute([&] { two = sweep_once(bound, hp, dlg ? &*dlg : nullptr); });
    if (one.ranked.size() != two.ranked.size()) std::abort();
    for (std::size_t i = 0; i < one.ranked.size(); ++i)
      if (one.ranked[i].customer_id != two.ranked[i].customer_id || one.ranked[i].action != two.ranked[i].action)
        std::abort();
  }
  double dialogue_s = 0, history_s = 0, summary_s = 0, dialogue_summary_s = 0;
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) {
    decide::SweepResult r;
    arena.execute([&] { r = sweep_once(bound, hp, dlg ? &*dlg : nullptr); });
    dialogue_s += r.times.dialogue_cpu, history_s += r.times.history_cpu;
    summary_s += r.times.history_prepare_wall, dialogue_summary_s += r.times.dialogue_prepare_wall;
    benchmark::DoNotOptimize(r.ranked.data());
  }
  state.counters["cpu_s"] = (process_cpu_seconds() - cpu0) / static_cast<double>(state.iterations());
  state.counters["members"] = static_cast<double>(d.pop.rows());
  state.counters["prepare_s"] = prepare;
  state.counters["dialogue_s"] = dialogue_s / static_cast<double>(state.iterations());
  state.counters["summary_s"] = summary_s / static_cast<double>(state.iterations());
  state.counters["dialogue_summary_s"] = dialogue_summary_s / static_cast<double>(state.iterations());
  state.counters["history_s"] = history_s / static_cast<double>(state.iterations());
}
BENCHMARK_CAPTURE(BM_Sweep, rs3, "rs3.toml")->Arg(2)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK_CAPTURE(BM_Sweep, rs2, "rs2.toml")->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);

void BM_Simulate(benchmark::State& state) {
  const int32_t D = rs2_as_of();
  const std::size_t n = bench::env_size("NUDGE_BENCH_SIM_MEMBERS", 1'000'000);
  const int days = static_cast<int>(bench::env_size("NUDGE_BENCH_SIM_DAYS", 30));
  const Population pop = generate_rs1(n, 43, D);
  const history::History h = synthetic_history(pop, D);
  const auto c = decide::load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/rs3.toml");
  const auto model = dialogue::load_response_model(std::string(NUDGE_SOURCE_DIR) + "/data/responses/rs3.toml");
  dialogue::SimulateOptions opt;
  opt.from = D + 1, opt.days = days, opt.seed = 7;
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  double sweep = 0, record = 0, sent = 0;
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) {
    dialogue::SimulateResult r;
    arena.execute([&] { r = dialogue::simulate(c, pop, h, model, opt); });
    for (const auto& d : r.days) {
      sweep += d.sweep_seconds, record += d.record_seconds;
      for (uint64_t v : d.sent) sent += static_cast<double>(v);
    }
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["cpu_s"] = (process_cpu_seconds() - cpu0) / it;
  state.counters["members"] = static_cast<double>(n);
  state.counters["days"] = days;
  state.counters["sweeps_s"] = sweep / it;
  state.counters["record_s"] = record / it;
  state.counters["contacts"] = sent / it;
}
BENCHMARK(BM_Simulate)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
