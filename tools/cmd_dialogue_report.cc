// `nudge dialogue-report POP.snap --campaign C --history HIST [--as-of DATE]`:
// the sweep's dialogue table alone, for a marketer (engine/dialogue/
// dialogue_report.h): per dialogue and step the members waiting and due, the
// contacts the sweep would send, and the members who left by each reason.
#include <cstdio>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_report.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"
#include "tools/dialogue_option.h"
#include "tools/history_option.h"

namespace {

struct ReportCmd {
  std::string snapshot, campaign;
  nudge::cli::HistoryOption history;
};

int run_report(const ReportCmd& o) {
  const nudge::Population pop = nudge::open_snapshot(o.snapshot);
  const auto campaign = nudge::decide::load_campaign(o.campaign);
  if (campaign.dialogues.empty()) nudge::throw_usage("campaign " + campaign.name + " has no [[dialogue]]");
  const auto hp = o.history.open(campaign, pop, true);
  const auto bound = nudge::decide::BoundCampaign::bind(campaign, hp ? hp->population() : pop);
  const auto dialogues = nudge::cli::bind_dialogues(bound, hp.get(), true);
  nudge::decide::SweepOptions opt;
  opt.inputs = hp.get();
  opt.dialogues = &*dialogues;
  const auto result = nudge::decide::run_sweep(bound, opt);
  nudge::cli::write_text(stdout, nudge::dialogue::format_dialogue_report(campaign, result));
  return 0;
}

nudge::cli::Registrar reg("dialogue-report", [](CLI::App& app) {
  auto* sub = app.add_subcommand("dialogue-report", "Members at each dialogue step and who left, by reason");
  auto o = std::make_shared<ReportCmd>();
  nudge::cli::add_snapshot_and_campaign(sub, o->snapshot, o->campaign, "Campaign file (TOML) with [[dialogue]] tables");
  o->history.add_to(sub);
  sub->footer("Example: nudge dialogue-report rs3.snap --campaign data/campaigns/rs3.toml --history hist");
  return [o] { return run_report(*o); };
});

}  // namespace
