// `nudge sweep POP.snap --campaign FILE [-o OUT] [--format csv|jsonl] [--top K]
//  [--record HIST [--sent-on DATE]] [--report FILE.json] [--html FILE.html]`:
// every member through the campaign; ranked decisions to OUT (or stdout),
// the funnel and phase times to stderr; --record adds the decisions to a
// history as contacts (io/history/record_decisions.h); --report writes the
// optimiser's JSON report (mode "optimise"), --html the HTML report.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/decision_writer.h"
#include "engine/decide/sweep.h"
#include "engine/optimise/optimise.h"
#include "engine/store/types.h"
#include "io/file/atomic_file.h"
#include "io/history/record_decisions.h"
#include "io/report/html_report.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"
#include "tools/dialogue_option.h"
#include "tools/history_option.h"

namespace {

struct SweepCmd {
  std::string snapshot, campaign, output, format = "csv";
  std::string report;           // --report FILE.json: the optimiser's report ([arbitration] mode = "optimise")
  std::string html;             // --html FILE.html: the self-contained HTML report (io/report/html_report.h)
  std::size_t top = 0;          // 0: the campaign's top_k
  std::string record, sent_on;  // --record HIST [--sent-on DATE]
  nudge::cli::HistoryOption history;
};

int run_sweep_cmd(const SweepCmd& o) {
  using Clock = std::chrono::steady_clock;
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  const auto format = nudge::decide::parse_output_format(o.format);
  std::optional<int32_t> sent_on;
  if (!o.sent_on.empty() && !(sent_on = nudge::parse_iso_date(o.sent_on)))
    nudge::throw_usage("--sent-on '" + o.sent_on + "' is not a date YYYY-MM-DD");
  const auto t0 = Clock::now();
  const nudge::Population pop = nudge::open_snapshot(o.snapshot);
  const auto t1 = Clock::now();
  const auto campaign = nudge::decide::load_campaign(o.campaign);
  const std::vector<std::string> inputs{o.snapshot, o.campaign,
                                        campaign.model_path ? campaign.model_path->string() : std::string()};
  for (const auto& [out, flag] : {std::pair{&o.output, "-o"}, {&o.report, "--report"}, {&o.html, "--html"}})
    for (const std::string* hist : {&o.history.dir, &o.record}) nudge::cli::refuse_output_in_history(*out, flag, *hist);
  for (const auto* out : {&o.output, &o.report, &o.html}) nudge::cli::refuse_output_over_input(*out, inputs);
  nudge::cli::refuse_same_outputs({{o.output, "-o"}, {o.report, "--report"}, {o.html, "--html"}});
  if (!o.report.empty() && campaign.arbitration.mode != nudge::decide::ArbitrationMode::Optimise)
    nudge::throw_usage("--report needs a campaign with [arbitration] mode = \"optimise\"");
  const auto hp = o.history.open(campaign, pop, true);
  const auto bound = nudge::decide::BoundCampaign::bind(campaign, hp ? hp->population() : pop);
  const auto t2 = Clock::now();
  nudge::decide::SweepOptions opt;
  opt.inputs = hp.get();
  const auto dialogues = nudge::cli::bind_dialogues(bound, hp.get(), true);
  if (dialogues) opt.dialogues = &*dialogues;
  if (o.top) opt.top_k = o.top;
  opt.progress = true;  // drawn only when stderr is a terminal
  const auto arbitrated = nudge::optimise::run_arbitrated_sweep(bound, opt);
  const auto& result = arbitrated.sweep;
  const auto t3 = Clock::now();
  // --record: the decisions as contacts sent on --sent-on (default: the sweep's as_of). Decisions the
  // history already holds as contacts (a second sweep on the same day) are refused before anything is
  // written: sending them would contact those members twice.
  const auto as_of = o.history.as_of.empty() ? std::nullopt : nudge::parse_iso_date(o.history.as_of);
  const int32_t record_day = sent_on.value_or(as_of.value_or(pop.as_of()));
  if (!o.record.empty()) nudge::history::refuse_recorded_contacts(o.record, campaign, result.ranked, record_day);
  if (o.output.empty() || o.output == "-") {
    nudge::decide::write_decisions(stdout, campaign, result.ranked, format);
    std::fflush(stdout);
  }
  // The decisions file is committed only after --record succeeded: a refused record (a busy or bad
  // history) leaves the old file as it was, and a failed write (a full disk) records nothing.
  std::optional<nudge::AtomicFile> out;
  if (!o.output.empty() && o.output != "-") {
    out.emplace(o.output);
    nudge::decide::write_decisions(out->stream(), campaign, result.ranked, format);
    out->start_writeback();  // write errors show here, before the record
    if (out->temp_path().empty()) {  // a device or FIFO, written through: no old file to keep; fail now
      out->commit();
      out.reset();
    }
  }
  if (!o.html.empty()) {
    nudge::report::HtmlReport page("nudge sweep: " + campaign.name + " over " + o.snapshot);
    const auto budgets = nudge::report::member_budgets(bound, result, hp.get());
    page.add_sweep(campaign, result, budgets.pressure, budgets.remaining);
    page.write(o.html);
  }
  const auto t4 = Clock::now();
  if (!o.record.empty()) {
    const auto r = nudge::history::record_decisions(o.record, campaign, result.ranked, record_day);
    nudge::cli::write_text(stderr, "history: " + r.message + "\n");
  }
  if (out) out->commit();
  for (const auto& w : bound.expressions().warnings()) nudge::cli::write_text(stderr, "warning: " + w + "\n");
  nudge::cli::write_text(stderr, nudge::decide::format_summary(bound, result));
  if (arbitrated.optimise) {
    nudge::cli::write_text(stderr, nudge::optimise::format_optimise_report(*arbitrated.optimise));
    if (!o.report.empty()) {
      nudge::AtomicFile rep(o.report);
      nudge::cli::write_text(rep.stream(), nudge::optimise::optimise_report_json(*arbitrated.optimise));
      rep.commit();
    }
  }
  std::fprintf(stderr, "open %.3f s, bind %.3f s, sweep %.3f s, write %.3f s\n", secs(t0, t1), secs(t1, t2),
               secs(t2, t3), secs(t3, t4));
  return 0;
}

nudge::cli::Registrar reg("sweep", [](CLI::App& app) {
  auto* sub = app.add_subcommand("sweep", "Run a campaign over a population: ranked contact decisions");
  auto o = std::make_shared<SweepCmd>();
  nudge::cli::add_snapshot_and_campaign(sub, o->snapshot, o->campaign,
                                        "Campaign file (TOML, data/campaigns/README.md)");
  sub->add_option("-o,--output", o->output, "Decisions file (default: stdout); written atomically");
  sub->add_option("--format", o->format, "csv or jsonl")->capture_default_str()->check(CLI::IsMember({"csv", "jsonl"}));
  o->history.add_to(sub);
  sub->add_option("--top", o->top, "Keep the K highest-ranked decisions (overrides the campaign's top_k)")
      ->check(nudge::cli::at_least_one());
  sub->add_option("--report", o->report,
                  "Optimisation report as JSON (objective, greedy objective, prices, passes, dual bound); "
                  "[arbitration] mode = \"optimise\" only");
  sub->add_option("--record", o->record, "Add the decisions to this history folder as contacts (one batch); refused (exit 1, nothing "
                  "written) when some are contacts it already holds for that day (a second same-day sweep)");
  sub->add_option("--sent-on", o->sent_on,
                  "With --record: YYYY-MM-DD they are sent (default: --as-of, else the snapshot's as_of)")
      ->needs("--record");
  sub->add_option("--html", o->html,
                  "Also write a self-contained HTML report (funnel, channels vs capacity, budgets, pressure, "
                  "dialogues); written atomically");
  sub->footer("Example: nudge sweep members.snap --campaign data/campaigns/rs1.toml -o decisions.csv");
  return [o] { return run_sweep_cmd(*o); };
});

}  // namespace
