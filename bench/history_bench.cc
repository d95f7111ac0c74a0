// Contact history speed: add of a day of decisions, open (zero copy, one
// segment) at 25M and 250M events, open of an uncompacted history (merge),
// population row -> member mapping, bytes per event.
// Run: build/release/bench/history_bench --benchmark_counters_tabular=true
//   NUDGE_BENCH_HISTORY_EVENTS=250000000 for the 250M-event open (writes a
//   ~3.3 GB segment under /tmp once, reused while it opens cleanly).
// Each benchmark checks its answer before it times.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <random>

#include "engine/base/error.h"
#include "engine/history/event_table.h"
#include "engine/history/history.h"
#include "engine/store/types.h"
#include "io/history/history_manifest.h"
#include "io/history/history_store.h"
#include "io/history/segment_file.h"

namespace {

namespace fs = std::filesystem;
namespace h = nudge::history;

// Customer ids as RS-1's generator spreads them: 6e9 + stride with jitter.
std::vector<uint64_t> member_ids(std::size_t members) {
  std::vector<uint64_t> ids(members);
  std::mt19937_64 rng(1);
  for (std::size_t i = 0; i < members; ++i) ids[i] = 6'000'000'000ull + i * 16 + rng() % 16;
  return ids;
}

// A day of decisions: one contact per member (ids in shuffled order, as a
// decisions file ranks by priority), RS-1's ten actions.
h::EventTable day_of_decisions(std::size_t members, int32_t day) {
  static const char* actions[] = {"defection_call",  "defection_email", "tier_nudge",    "birthday",
                                  "winback_mail",    "winback_sms",     "points_expiry", "complaint_followup",
                                  "engagement_push", "premium_upsell"};
  static const char* channel[] = {"call", "email", "email", "email", "mail", "sms", "email", "call", "push", "email"};
  static const char* type[] = {"commercial", "commercial", "editorial", "service",   "commercial",
                               "commercial", "service",    "service",   "editorial", "commercial"};
  static const double cost[] = {20, 10, 5, 2, 15, 15, 2, 4, 5, 10};
  h::EventTable t;
  uint32_t prof[10];
  for (int a = 0; a < 10; ++a) {
    h::ContactProfile p;
    p.action = t.intern(h::Dict::Action, actions[a]);
    p.channel = t.intern(h::Dict::Channel, channel[a]);
    p.message_type = t.intern(h::Dict::MessageType, type[a]);
    p.cost = cost[a];
    prof[a] = t.intern_profile(p);
  }
  std::vector<uint64_t> ids = member_ids(members);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(2));
  const uint32_t src = t.add_source("bench");
  t.contacts.reserve(members);
  for (std::size_t i = 0; i < members; ++i)
    t.contacts.push_back({ids[i], day, prof[(ids[i] >> 4) % 10], 0, h::EventTable::origin(src, i + 1)});
  return t;
}

fs::path fresh_dir(const std::string& tag) {
  const auto d = fs::temp_directory_path() / ("nudge_bench_hist_" + tag);
  fs::remove_all(d);
  return d;
}

void BM_HistoryAddDayOfDecisions(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  const int32_t day = *nudge::parse_iso_date("2026-11-15");
  const h::EventTable proto = day_of_decisions(members, day);
  for (auto _ : state) {
    state.PauseTiming();
    const auto dir = fresh_dir("add");
    h::EventTable t = proto;
    h::BatchInfo info;
    info.kind = "sweep";
    info.source = "bench";
    state.ResumeTiming();
    const h::AddResult r = h::add_batch(dir, std::move(t), info);
    state.PauseTiming();
    if (!r.added || r.info.contacts_added != members) state.SkipWithError("wrong add");
    state.counters["bytes_per_event"] =
        static_cast<double>(fs::file_size(dir / h::read_manifest(dir).segments[0])) / static_cast<double>(members);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
}
BENCHMARK(BM_HistoryAddDayOfDecisions)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// A compacted history of `members` x `per_member` contacts (no builder: the
// columns are generated in order), written once as one segment.
struct SyntheticStorage : h::HistoryStorage {
  std::vector<uint64_t> ids;
  std::vector<uint32_t> coff, roff, prof, batch;
  std::vector<int32_t> sent;
};

fs::path synthetic_history(std::size_t members, std::size_t per_member) {
  const auto dir = fs::temp_directory_path() / ("nudge_bench_hist_" + std::to_string(members * per_member));
  try {
    const h::History back = h::open_history(dir);
    if (back.contacts() == members * per_member) return dir;
  } catch (const nudge::Error&) {}
  fs::remove_all(dir);
  {
    auto s = std::make_shared<SyntheticStorage>();
    s->ids = member_ids(members);
    s->coff.resize(members + 1);
    s->roff.assign(members + 1, 0);
    const std::size_t n = members * per_member;
    s->sent.resize(n);
    s->prof.resize(n);
    s->batch.resize(n);
    const int32_t d0 = *nudge::parse_iso_date("2025-11-16");
    for (std::size_t m = 0; m < members; ++m) {
      s->coff[m] = static_cast<uint32_t>(m * per_member);
      for (std::size_t k = 0; k < per_member; ++k) {  // one contact every 365/per_member days
        const std::size_t i = m * per_member + k;
        s->sent[i] = d0 + static_cast<int32_t>(k * 365 / per_member);
        s->prof[i] = static_cast<uint32_t>((m + k) % 10);
        s->batch[i] = static_cast<uint32_t>(k + 1);
      }
    }
    s->coff[members] = static_cast<uint32_t>(n);
    s->customer_ids = s->ids;
    s->contact_offsets = s->coff;
    s->response_offsets = s->roff;
    s->sent_on = s->sent;
    s->contact_profile = s->prof;
    s->contact_batch = s->batch;
    std::vector<std::string> actions;
    for (int a = 0; a < 10; ++a) actions.push_back("action_" + std::to_string(a));
    s->actions = h::Dictionary(actions);
    s->channels = h::Dictionary({"email"});
    s->message_types = h::Dictionary({"service"});
    s->response_types = h::History().response_types();
    for (int a = 0; a < 10; ++a) {
      h::ContactProfile p;
      p.action = a;
      p.cost = 2;
      s->profiles.push_back(p);
    }
    fs::create_directories(dir);
    h::write_segment(h::History(s), dir / "seg-000001.nhs");
  }
  // A MANIFEST naming the one segment (what compact leaves).
  h::Manifest m;
  m.next_batch = 2;
  m.next_segment = 2;
  m.segments = {"seg-000001.nhs"};
  h::BatchInfo b;
  b.batch = 1;
  b.kind = "contacts";
  b.source = "synthetic";
  b.content_hash = "0";
  m.batches = {b};
  h::write_manifest(dir, m);
  return dir;
}

std::size_t open_events() {
  const char* e = std::getenv("NUDGE_BENCH_HISTORY_EVENTS");
  return e ? static_cast<std::size_t>(std::strtoull(e, nullptr, 10)) : 25'000'000;
}

void BM_HistoryOpenCompacted(benchmark::State& state) {
  const std::size_t events = open_events(), per = 25;
  const auto dir = synthetic_history(events / per, per);
  std::size_t bytes = 0;
  for (const auto& f : fs::directory_iterator(dir)) bytes += fs::file_size(f.path());
  {  // answer check: counts and a member's contacts
    const h::History hist = h::open_history(dir);
    if (hist.contacts() != events || hist.members() != events / per || hist.contacts_of(7).size() != per)
      state.SkipWithError("wrong synthetic history");
  }
  for (auto _ : state) {
    h::History hist = h::open_history(dir);
    benchmark::DoNotOptimize(hist);
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["bytes_per_event"] = static_cast<double>(bytes) / static_cast<double>(events);
}
BENCHMARK(BM_HistoryOpenCompacted)->Unit(benchmark::kMillisecond)->UseRealTime();

// An uncompacted history: the compacted base plus one day of decisions for
// every member (two segments, merged in memory at open).
void BM_HistoryOpenTwoSegments(benchmark::State& state) {
  const std::size_t per = 25, members = static_cast<std::size_t>(state.range(0));
  const auto base = synthetic_history(members, per);
  const auto dir = fresh_dir("two");
  fs::copy(base, dir);
  h::BatchInfo info;
  info.kind = "sweep";
  info.source = "bench";
  h::add_batch(dir, day_of_decisions(members, *nudge::parse_iso_date("2026-11-15")), info);
  for (auto _ : state) {
    h::History hist = h::open_history(dir);
    if (hist.contacts() != members * (per + 1)) state.SkipWithError("wrong merged history");
    benchmark::DoNotOptimize(hist);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members * (per + 1)));
}
BENCHMARK(BM_HistoryOpenTwoSegments)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_HistoryMapRows(benchmark::State& state) {
  const std::size_t members = static_cast<std::size_t>(state.range(0));
  const auto dir = synthetic_history(members, 25);
  const h::History hist = h::open_history(dir);
  std::vector<uint64_t> ids = member_ids(members);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(3));
  {
    const auto m = hist.map_rows(ids);
    for (std::size_t i = 0; i < ids.size(); i += 997)
      if (m[i] != hist.find_member(ids[i])) state.SkipWithError("map_rows differs from find_member");
  }
  for (auto _ : state) benchmark::DoNotOptimize(hist.map_rows(ids));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
}
BENCHMARK(BM_HistoryMapRows)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
