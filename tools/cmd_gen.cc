// `nudge gen`: a deterministic RS-1 population (io/gen/rs1_generator.h) of any
// size, written as a snapshot (-o) or as CSV (--csv).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/store/types.h"
#include "io/csv/csv_writer.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct GenOptions {
  std::size_t members = 0;
  uint64_t seed = 1;
  std::string as_of = "2026-11-01";
  std::string snapshot, csv;
};

int run_gen(const GenOptions& o) {
  using Clock = std::chrono::steady_clock;
  if (o.snapshot.empty() == o.csv.empty()) nudge::throw_usage("give exactly one of -o OUT.snap or --csv OUT.csv");
  const auto as_of = nudge::parse_iso_date(o.as_of);
  if (!as_of) nudge::throw_usage("--as-of '" + o.as_of + "' is not a date YYYY-MM-DD");
  const auto t0 = Clock::now();
  const nudge::Population pop = nudge::generate_rs1(o.members, o.seed, *as_of);
  const auto t1 = Clock::now();
  const std::string& out = o.snapshot.empty() ? o.csv : o.snapshot;
  if (o.snapshot.empty()) nudge::write_csv(pop, out);
  else nudge::write_snapshot(pop, out);
  const auto t2 = Clock::now();
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::printf("generated %zu RS-1 members (seed %llu, as_of %s) in %.2f s; wrote %s in %.2f s\n", pop.rows(),
              static_cast<unsigned long long>(o.seed), o.as_of.c_str(), secs(t1 - t0), out.c_str(), secs(t2 - t1));
  return 0;
}

nudge::cli::Registrar reg("gen", [](CLI::App& app) {
  auto* sub = app.add_subcommand("gen", "Generate a deterministic RS-1 population (snapshot or CSV)");
  auto o = std::make_shared<GenOptions>();
  sub->add_option("--members,-n", o->members, "Number of members (rows)")
      ->required()
      ->check(nudge::cli::unsigned_integer())
      ->check(CLI::Range(0ul, 1ul << 36));
  sub->add_option("--seed", o->seed, "Random seed; the same seed and size give the same population")
      ->capture_default_str()
      ->check(nudge::cli::unsigned_integer());
  sub->add_option("--as-of", o->as_of, "Date the population describes (YYYY-MM-DD)")->capture_default_str();
  auto* snap = sub->add_option("-o,--output", o->snapshot, "Write a snapshot to this file");
  sub->add_option("--csv", o->csv, "Write CSV to this file instead")->excludes(snap);
  sub->footer("Example: nudge gen --members 1000000 --seed 42 -o members.snap");
  return [o] { return run_gen(*o); };
});

}  // namespace
