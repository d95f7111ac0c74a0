// `nudge simulate POP.snap --campaign C [--history HIST] --from DATE --days N
// --responses MODEL [--seed S] [--top K] [-o DAYS.csv]`: the daily loop of a
// campaign (engine/dialogue/simulate.h): sweep, record the output as sent,
// draw responses from the seeded response model, next day. Per-day table on
// stdout (contacts per action, points, responses per type, dialogue states);
// -o writes the same per day as CSV with every state and step. The history
// folder is only read: the simulated days live in memory.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/decide/campaign_loader.h"
#include "engine/dialogue/response_model.h"
#include "engine/dialogue/simulate.h"
#include "engine/store/types.h"
#include "io/file/atomic_file.h"
#include "io/history/history_store.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct SimulateCmd {
  std::string snapshot, campaign, history, from, responses, output;
  int days = 30;
  uint64_t seed = 0;
  std::size_t top = 0;
};

int run_simulate(const SimulateCmd& o) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  nudge::cli::refuse_output_in_history(o.output, "-o", o.history);
  nudge::cli::refuse_output_over_input(o.output, {o.snapshot, o.campaign, o.responses});
  const nudge::Population pop = nudge::open_snapshot(o.snapshot);
  const auto campaign = nudge::decide::load_campaign(o.campaign);
  const auto model = nudge::dialogue::load_response_model(o.responses);
  for (const auto& w : nudge::dialogue::response_model_warnings(model, campaign))
    nudge::cli::write_text(stderr, "warning: " + w + "\n");
  auto from = nudge::parse_iso_date(o.from);
  if (!from) nudge::throw_usage("--from '" + o.from + "' is not a date YYYY-MM-DD");
  nudge::history::History h = o.history.empty() ? nudge::history::History() : nudge::history::open_history(o.history);
  nudge::dialogue::SimulateOptions opt;
  opt.from = *from;
  opt.days = o.days;
  opt.seed = o.seed ? o.seed : model.seed.value_or(1);
  if (o.top) opt.top_k = o.top;
  opt.progress = true;  // drawn only when stderr is a terminal
  const auto r = nudge::dialogue::simulate(campaign, pop, std::move(h), model, opt);
  nudge::cli::write_text(stdout, nudge::dialogue::format_simulation(campaign, r));
  if (!o.output.empty()) {
    nudge::AtomicFile out(o.output);
    const std::string csv = nudge::dialogue::simulation_csv(campaign, r);
    std::fwrite(csv.data(), 1, csv.size(), out.stream());
    out.commit();
  }
  double sweep = 0, record = 0;
  for (const auto& d : r.days) sweep += d.sweep_seconds, record += d.record_seconds;
  std::fprintf(stderr, "simulated %d days of %zu members (seed %llu) in %.2f s: sweeps %.2f s, recording %.2f s\n",
               o.days, pop.rows(), static_cast<unsigned long long>(opt.seed),
               std::chrono::duration<double>(Clock::now() - t0).count(), sweep, record);
  return 0;
}

nudge::cli::Registrar reg("simulate", [](CLI::App& app) {
  auto* sub = app.add_subcommand("simulate", "Run a campaign day by day with simulated responses (what-if)");
  auto o = std::make_shared<SimulateCmd>();
  nudge::cli::add_snapshot_and_campaign(sub, o->snapshot, o->campaign, "Campaign file (TOML)");
  sub->add_option("--history", o->history, "Contact history folder to start from (read only; default: empty)");
  sub->add_option("--from", o->from, "First simulated day (YYYY-MM-DD), after the history's last contact")->required();
  sub->add_option("--days", o->days, "Days to simulate")->capture_default_str()->check(CLI::Range(1, 3660));
  sub->add_option("--responses", o->responses, "Response model (TOML, data/responses/README.md)")->required();
  sub->add_option("--seed", o->seed, "Seed of the response draws (default: the model's seed, else 1)");
  sub->add_option("--top", o->top, "Keep the K highest-ranked decisions a day (overrides the campaign's top_k)")
      ->check(nudge::cli::at_least_one());
  sub->add_option("-o,--output", o->output, "Per-day CSV (every dialogue state and step); written atomically");
  sub->footer(
      "Example: nudge simulate rs3.snap --campaign data/campaigns/rs3.toml --history hist --from 2026-11-16 "
      "--days 30 --responses data/responses/rs3.toml");
  return [o] { return run_simulate(*o); };
});

}  // namespace
