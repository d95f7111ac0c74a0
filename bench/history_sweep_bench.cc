// RS-2 end to end: data/campaigns/rs2.toml swept with a contact history
// (basket per calendar month, two frequency caps, calamity suppression through
// a history aggregate, unsubscribes), beside RS-1's sweep of the same members
// and a plain streaming read of the history's bytes, in the same run.
//
// Run (10M members, about 25 contacts each by default; NUDGE_BENCH_MEMBERS
// and NUDGE_BENCH_CONTACTS override):
//   build/release/bench/history_sweep_bench --benchmark_counters_tabular=true
// The history is built straight into a History view (engine/history/history.h
// HistoryStorage) from a deterministic generator with RS-2's shape (the 15
// actions of io/gen/rs2_generator.h, dates over the 365 days up to as_of
// 2026-11-15, about 0.2 responses per contact, 1.2% of contacts answered by
// an unsubscribe); it holds the columns the policies read (sent_on, profile,
// response contact, date and type), not the batch and value columns.
// Before timing, 2 threads are checked against 1 thread; a mismatch aborts.
// Counters: prepare_s = HistoryPolicy construction (population rows ->
// history members, profile classes; once per sweep command, not in the
// sweep), summary_s = the sweep's own pre-pass over the history in member
// order (HistoryPolicy::prepare, wall seconds per sweep, INSIDE the sweep's
// wall time; summary_cpu_s: the same pre-pass run alone, CPU seconds of
// all threads), history_s / evaluate_s / walk_s = pass phases (thread seconds
// per sweep; history_s is the per-batch gather from the summary), cpu_s = CPU seconds of all threads per
// sweep, ratio_to_rs1 = RS-2 sweep / RS-1 sweep wall time, ratio_to_stream =
// RS-2 sweep / streaming read of the history's bytes.
#include <benchmark/benchmark.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <numeric>
#include <span>

#include "bench/stream_read/stream_read.h"
#include "bench/support/bench_env.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "io/gen/rs1_generator.h"
#include "io/gen/rs2_generator.h"

namespace {

using namespace nudge;
using bench::mix;
using bench::process_cpu_seconds;
using namespace nudge::decide;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& m) { bench::die("history_sweep_bench", m); }

// Owned columns of a synthetic history view.
struct Columns {
  std::vector<uint64_t> ids;
  std::vector<uint32_t> coff, roff, profile, rcontact;
  std::vector<int32_t> sent, responded;
  std::vector<uint16_t> rtype;
};

history::History synthetic_history(const Population& pop, double per_member, int32_t D) {
  auto cols = std::make_shared<Columns>();
  Columns& c = *cols;
  const uint64_t* pid = pop.column("customer_id").values<uint64_t>();
  c.ids.assign(pid, pid + pop.rows());
  std::sort(c.ids.begin(), c.ids.end());
  const std::size_t M = c.ids.size();
  // Contacts per member: uniform in [per/2, 3per/2], at least 1; responses: about 0.2 per contact.
  std::vector<uint32_t> nc(M), nr(M);
  const uint64_t span = std::max<uint64_t>(1, static_cast<uint64_t>(per_member) + 1);
  for (std::size_t m = 0; m < M; ++m) {
    const uint64_t h = mix(c.ids[m]);
    nc[m] = static_cast<uint32_t>(std::max<uint64_t>(1, static_cast<uint64_t>(per_member / 2) + h % span));
  }
  c.coff.assign(M + 1, 0);
  for (std::size_t m = 0; m < M; ++m) c.coff[m + 1] = c.coff[m] + nc[m];
  const std::size_t C = c.coff[M];
  c.sent.resize(C);
  c.profile.resize(C);
  // Profiles: one per action of kRs2HistoryActions, codes by sorted names.
  std::vector<std::string> names, channels, types;
  for (const auto& a : kRs2HistoryActions) {
    names.emplace_back(a.name), channels.emplace_back(a.channel), types.emplace_back(a.message_type);
  }
  auto sorted_unique = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  const auto dn = sorted_unique(names), dc = sorted_unique(channels), dt = sorted_unique(types);
  auto code = [](const std::vector<std::string>& d, const std::string& s) {
    return static_cast<int32_t>(std::lower_bound(d.begin(), d.end(), s) - d.begin());
  };
  auto storage = std::make_shared<history::HistoryStorage>();
  std::vector<uint32_t> profile_of_action(15);
  for (std::size_t a = 0; a < 15; ++a) {
    history::ContactProfile p;
    p.action = code(dn, names[a]), p.channel = code(dc, channels[a]), p.message_type = code(dt, types[a]);
    p.cost = kRs2HistoryActions[a].cost;
    profile_of_action[a] = static_cast<uint32_t>(storage->profiles.size());
    storage->profiles.push_back(p);
  }
  // Everyday mix as the generator's; calamity messages rare.
  static constexpr int w[15] = {2, 6, 6, 4, 3, 4, 3, 2, 8, 3, 30, 8, 10, 1, 1};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, M, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::pair<int32_t, int>> ev;
    for (std::size_t m = r.begin(); m != r.end(); ++m) {
      uint64_t s = mix(c.ids[m] ^ 0x5151);
      ev.clear();
      for (uint32_t k = 0; k < nc[m]; ++k) {
        s = mix(s);
        int x = static_cast<int>((s >> 8) % 92), a = 0;
        while (x >= w[a]) x -= w[a], ++a;
        ev.push_back({static_cast<int32_t>(D - static_cast<int32_t>(s % 365)), a});
      }
      // (sent_on, action name): two contacts of one action on one day are one contact; nudge them apart.
      std::sort(ev.begin(), ev.end(), [&](auto& p, auto& q) {
        return p.first != q.first
                   ? p.first < q.first
                   : names[static_cast<std::size_t>(p.second)] < names[static_cast<std::size_t>(q.second)];
      });
      for (std::size_t k = 1; k < ev.size(); ++k)
        if (ev[k].first <= ev[k - 1].first && ev[k].second == ev[k - 1].second) ev[k].second = (ev[k].second + 1) % 15;
      std::sort(ev.begin(), ev.end(), [&](auto& p, auto& q) {
        return p.first != q.first
                   ? p.first < q.first
                   : names[static_cast<std::size_t>(p.second)] < names[static_cast<std::size_t>(q.second)];
      });
      uint32_t nresp = 0;
      for (uint32_t k = 0; k < nc[m]; ++k) {
        c.sent[c.coff[m] + k] = ev[k].first;
        c.profile[c.coff[m] + k] = profile_of_action[static_cast<std::size_t>(ev[k].second)];
        nresp += mix(s + k) % 5 == 0;
      }
      nr[m] = nresp;
    }
  });
  c.roff.assign(M + 1, 0);
  for (std::size_t m = 0; m < M; ++m) c.roff[m + 1] = c.roff[m] + nr[m];
  const std::size_t R = c.roff[M];
  c.rcontact.resize(R), c.responded.resize(R), c.rtype.resize(R);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, M, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::tuple<int32_t, uint32_t, uint16_t>> ev;
    for (std::size_t m = r.begin(); m != r.end(); ++m) {
      uint64_t s = mix(c.ids[m] ^ 0x5151);
      for (uint32_t k = 0; k < nc[m]; ++k) s = mix(s);
      ev.clear();
      for (uint32_t k = 0; k < nc[m]; ++k)
        if (mix(s + k) % 5 == 0) {
          const uint64_t h = mix(s ^ (k * 977));
          const uint32_t ci = c.coff[m] + k;
          const uint16_t type = h % 1000 < 60 ? uint16_t{history::kUnsubscribe} : static_cast<uint16_t>(h % 3);
          ev.push_back({c.sent[ci] + static_cast<int32_t>((h >> 20) % 4), ci, type});
        }
      std::sort(ev.begin(), ev.end());
      for (std::size_t k = 0; k < ev.size(); ++k) {
        c.responded[c.roff[m] + k] = std::get<0>(ev[k]);
        c.rcontact[c.roff[m] + k] = std::get<1>(ev[k]);
        c.rtype[c.roff[m] + k] = std::get<2>(ev[k]);
      }
    }
  });
  storage->customer_ids = c.ids;
  storage->contact_offsets = c.coff, storage->response_offsets = c.roff;
  storage->sent_on = c.sent, storage->contact_profile = c.profile;
  storage->response_contact = c.rcontact, storage->responded_on = c.responded, storage->response_type = c.rtype;
  storage->actions = history::Dictionary(dn), storage->channels = history::Dictionary(dc);
  storage->message_types = history::Dictionary(dt);
  storage->response_types = history::Dictionary({"open", "click", "convert", "unsubscribe", "complaint"});
  storage->keep_alive = cols;
  return history::History(storage);
}

struct Fixture {
  Campaign rs1, rs2;
  Population pop1, pop2;
  history::History hist;
  std::unique_ptr<policy::HistoryPolicy> hp;
  std::unique_ptr<BoundCampaign> b1, b2;
  std::vector<std::span<const uint64_t>> regions;  // the history's bytes the policies read
  std::size_t bytes = 0, contacts = 0;
  double prepare_s = 0;
  SweepResult expected;

  Fixture()
      : rs1(load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/rs1.toml")),
        rs2(load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/rs2.toml")) {
    const std::size_t n = bench::bench_members();
    const int32_t D = rs2_as_of();
    pop1 = generate_rs1(n, 42, D);
    pop2 = Population(pop1.rows(), D);  // RS-2: without the four precomputed history columns
    for (const Column& c : pop1.columns())
      if (c.name() != "pressure_used" && c.name() != "contacts_30d" && c.name() != "days_since_last_contact" &&
          c.name() != "days_since_calamity")
        pop2.add_column(c);
    hist = synthetic_history(pop2, static_cast<double>(bench::env_size("NUDGE_BENCH_CONTACTS", 25)), D);
    contacts = hist.contacts();
    auto t0 = Clock::now();
    hp = std::make_unique<policy::HistoryPolicy>(rs2, pop2, hist, D);
    prepare_s = std::chrono::duration<double>(Clock::now() - t0).count();
    b1 = std::make_unique<BoundCampaign>(BoundCampaign::bind(rs1, pop1));
    b2 = std::make_unique<BoundCampaign>(BoundCampaign::bind(rs2, hp->population()));
    auto add = [&](const void* p, std::size_t n) {
      regions.push_back({static_cast<const uint64_t*>(p), n / 8});
      bytes += n / 8 * 8;
    };
    const auto& s = hist.storage();
    add(s.contact_offsets.data(), s.contact_offsets.size_bytes());
    add(s.response_offsets.data(), s.response_offsets.size_bytes());
    add(s.sent_on.data(), s.sent_on.size_bytes());
    add(s.contact_profile.data(), s.contact_profile.size_bytes());
    add(s.response_contact.data(), s.response_contact.size_bytes());
    add(s.responded_on.data(), s.responded_on.size_bytes());
    add(s.response_type.data(), s.response_type.size_bytes());
    tbb::task_arena one(1);
    SweepOptions opt;
    opt.inputs = hp.get();
    one.execute([&] { expected = run_sweep(*b2, opt); });
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

template <class F>
double best_of(int threads, int n, F f) {
  tbb::task_arena arena(threads);
  double best = 1e9;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    arena.execute(f);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

void BM_Rs2SweepWithHistory(benchmark::State& state) {
  Fixture& f = fixture();
  const int threads = static_cast<int>(state.range(0));
  tbb::task_arena arena(threads);
  SweepOptions opt;
  opt.inputs = f.hp.get();
  SweepResult r;
  arena.execute([&] { r = run_sweep(*f.b2, opt); });
  if (r.ranked.size() != f.expected.ranked.size()) die("thread counts disagree");
  for (std::size_t i = 0; i < r.ranked.size(); ++i)
    if (r.ranked[i].customer_id != f.expected.ranked[i].customer_id ||
        r.ranked[i].action != f.expected.ranked[i].action)
      die("thread counts disagree at rank " + std::to_string(i + 1));
  const double stream = best_of(threads, 5, [&] { benchmark::DoNotOptimize(stream_sum_parallel(f.regions)); });
  const double rs1 = best_of(threads, 3, [&] { benchmark::DoNotOptimize(run_sweep(*f.b1, {}).decisions); });
  double total = 0, cpu = 0, hist = 0, eval = 0, walk = 0, summary = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    const double c0 = process_cpu_seconds();
    arena.execute([&] { r = run_sweep(*f.b2, opt); });
    cpu += process_cpu_seconds() - c0;
    total += std::chrono::duration<double>(Clock::now() - t0).count();
    hist += r.times.history_cpu, eval += r.times.evaluate_cpu, walk += r.times.walk_cpu;
    summary += r.times.history_prepare_wall;
  }
  const double it = static_cast<double>(state.iterations());
  // The pre-pass alone, in CPU seconds of all threads (a loaded machine's wall time says little).
  const double s0 = process_cpu_seconds();
  for (int i = 0; i < 3; ++i) arena.execute([&] { benchmark::DoNotOptimize(f.hp->prepare()); });
  state.counters["summary_cpu_s"] = (process_cpu_seconds() - s0) / 3;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop2.rows()));
  state.counters["contacts"] = static_cast<double>(f.contacts);
  state.counters["history_MB"] = static_cast<double>(f.bytes) / 1e6;
  state.counters["prepare_s"] = f.prepare_s;
  state.counters["summary_s"] = summary / it;
  state.counters["history_s"] = hist / it;
  state.counters["evaluate_s"] = eval / it;
  state.counters["walk_s"] = walk / it;
  state.counters["cpu_s"] = cpu / it;
  state.counters["rs1_s"] = rs1;
  state.counters["stream_s"] = stream;
  state.counters["ratio_to_rs1"] = total / it / rs1;
  state.counters["ratio_to_stream"] = total / it / stream;
  state.counters["decisions"] = static_cast<double>(r.decisions);
}
BENCHMARK(BM_Rs2SweepWithHistory)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// The sweep's pre-pass alone (HistoryPolicy::prepare: the history in member
// order -> the member summary), for profiling; its time is inside
// BM_Rs2SweepWithHistory's (summary_s).
void BM_Rs2HistorySummary(benchmark::State& state) {
  Fixture& f = fixture();
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  const double c0 = process_cpu_seconds();
  for (auto _ : state) arena.execute([&] { benchmark::DoNotOptimize(f.hp->prepare()); });
  state.counters["cpu_s"] = (process_cpu_seconds() - c0) / static_cast<double>(state.iterations());
  state.counters["ns_per_member"] = state.counters["cpu_s"] * 1e9 / static_cast<double>(f.hist.members());
}
BENCHMARK(BM_Rs2HistorySummary)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

}  // namespace
