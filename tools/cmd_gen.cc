// `nudge gen`: a deterministic RS-1 population (io/gen/rs1_generator.h) of any
// size, written as a snapshot (-o) or as CSV (--csv); with --history DIR an
// RS-2 population and its contact history (io/gen/rs2_generator.h) in DIR.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/store/types.h"
#include "io/csv/csv_writer.h"
#include "io/gen/rs1_generator.h"
#include "io/gen/rs2_generator.h"
#include "io/gen/rs3_generator.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct GenOptions {
  std::size_t members = 0;
  uint64_t seed = 1;
  std::string as_of;  // default 2026-11-01 (RS-1), 2026-11-15 with --history (RS-2)
  std::string snapshot, csv, history;
  double contacts_per_member = 25;
  bool rs3 = false;  // with --history: add RS-3's dialogue history (io/gen/rs3_generator.h)
};

// --history DIR must be a new or empty folder: never a file, never a history
// folder (a MANIFEST), never a folder holding other files that gen would
// overwrite or mix with. Made here, so that a folder that cannot be made is
// bad input naming it (exit 1), not an internal error.
void prepare_history_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st))
      nudge::throw_usage("--history '" + dir + "' is a file, not a folder: gen --history writes a new folder");
    if (fs::exists(fs::path(dir) / "MANIFEST", ec))
      nudge::throw_usage("--history '" + dir +
                         "' is a history folder (it holds a MANIFEST): gen --history writes a new folder; choose "
                         "another name");
    if (!fs::is_empty(dir, ec) || ec)
      nudge::throw_usage("--history '" + dir +
                         "' is not empty: gen --history writes population.csv, population.snap, contacts.csv and "
                         "responses.csv into a new or empty folder; choose another");
    return;
  }
  fs::create_directories(dir, ec);
  if (ec) nudge::throw_io("cannot create the folder '" + dir + "': " + ec.message());
}

// RS-2: DIR/population.csv + population.snap, contacts.csv, responses.csv.
int run_gen_history(const GenOptions& o, int32_t as_of) {
  using Clock = std::chrono::steady_clock;
  prepare_history_folder(o.history);
  const auto t0 = Clock::now();
  nudge::Rs3Data d3;
  if (o.rs3) d3 = nudge::generate_rs3(o.members, o.seed, as_of, o.contacts_per_member);
  else d3.rs2 = nudge::generate_rs2(o.members, o.seed, as_of, o.contacts_per_member);
  const nudge::Rs2Data& d = d3.rs2;
  const auto t1 = Clock::now();
  if (o.rs3) nudge::write_rs3_csv(d3, o.history);
  else nudge::write_rs2_csv(d, o.history);
  nudge::write_snapshot(d.population, std::filesystem::path(o.history) / "population.snap");
  const auto t2 = Clock::now();
  auto secs = [](auto x) { return std::chrono::duration<double>(x).count(); };
  std::printf(
      "generated %zu %s members (seed %llu, as_of %s), %zu contact rows, %zu response rows in %.2f s; "
      "wrote %s/{population.csv,population.snap,contacts.csv,responses.csv} in %.2f s\n",
      d.population.rows(), o.rs3 ? "RS-3" : "RS-2", static_cast<unsigned long long>(o.seed),
      nudge::format_iso_date(as_of).c_str(), d.contacts.size() + d3.step_contacts.size(),
      d.responses.size() + d3.step_responses.size(), secs(t1 - t0), o.history.c_str(), secs(t2 - t1));
  return 0;
}

int run_gen(const GenOptions& o) {
  using Clock = std::chrono::steady_clock;
  const std::string as_of_text = !o.as_of.empty() ? o.as_of : o.history.empty() ? "2026-11-01" : "2026-11-15";
  const auto as_of = nudge::parse_iso_date(as_of_text);
  if (!as_of) nudge::throw_usage("--as-of '" + as_of_text + "' is not a date YYYY-MM-DD");
  if (!o.history.empty()) {
    if (!o.snapshot.empty() || !o.csv.empty()) nudge::throw_usage("--history DIR writes its own files; drop -o/--csv");
    return run_gen_history(o, *as_of);
  }
  if (o.snapshot.empty() == o.csv.empty()) nudge::throw_usage("give exactly one of -o OUT.snap or --csv OUT.csv");
  nudge::cli::refuse_output_over_input(o.snapshot.empty() ? o.csv : o.snapshot, {});  // not a history's file
  const auto t0 = Clock::now();
  const nudge::Population pop = nudge::generate_rs1(o.members, o.seed, *as_of);
  const auto t1 = Clock::now();
  const std::string& out = o.snapshot.empty() ? o.csv : o.snapshot;
  if (o.snapshot.empty()) nudge::write_csv(pop, out);
  else nudge::write_snapshot(pop, out);
  const auto t2 = Clock::now();
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::printf("generated %zu RS-1 members (seed %llu, as_of %s) in %.2f s; wrote %s in %.2f s\n", pop.rows(),
              static_cast<unsigned long long>(o.seed), as_of_text.c_str(), secs(t1 - t0), out.c_str(), secs(t2 - t1));
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
  sub->add_option("--as-of", o->as_of,
                  "Date the population describes (YYYY-MM-DD; default 2026-11-01, RS-2 2026-11-15)");
  sub->add_option("--history", o->history,
                  "Write an RS-2 population and its contact history to this new or empty folder "
                  "(population.csv/.snap, contacts.csv, responses.csv)");
  sub->add_flag("--rs3", o->rs3,
                "With --history: RS-3, the defection_rescue dialogue's contacts and responses added so that members "
                "hold every dialogue state (data/campaigns/rs3.toml)");
  sub->add_option("--contacts-per-member", o->contacts_per_member, "With --history: mean contacts per member")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  auto* snap = sub->add_option("-o,--output", o->snapshot, "Write a snapshot to this file");
  sub->add_option("--csv", o->csv, "Write CSV to this file instead")->excludes(snap);
  sub->footer(
      "Example: nudge gen --members 1000000 --seed 42 -o members.snap\n"
      "         nudge gen --members 100000 --history rs2/");
  return [o] { return run_gen(*o); };
});

}  // namespace
