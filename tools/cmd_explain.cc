// `nudge explain POP.snap --campaign FILE --customer ID`: one member's
// triggers, score, candidates and the gate that stopped each.
#include <cstdio>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/explain.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_report.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"
#include "tools/dialogue_option.h"
#include "tools/history_option.h"

namespace {

struct ExplainCmd {
  std::string snapshot, campaign, format = "text";
  uint64_t customer = 0;
  nudge::cli::HistoryOption history;
};

int run_explain(const ExplainCmd& o) {
  const nudge::Population pop = nudge::open_snapshot(o.snapshot);
  const auto campaign = nudge::decide::load_campaign(o.campaign);
  const auto hp = o.history.open(campaign, pop, false);
  const auto bound = nudge::decide::BoundCampaign::bind(campaign, hp ? hp->population() : pop);
  auto row = nudge::decide::find_customer(pop, o.customer);
  if (!row) nudge::throw_invalid_input("customer " + std::to_string(o.customer) + " is not in " + o.snapshot);
  nudge::decide::SweepOptions opt;
  opt.trace_row = *row;
  opt.inputs = hp.get();
  const auto dialogues = nudge::cli::bind_dialogues(bound, hp.get(), true);
  if (dialogues) opt.dialogues = &*dialogues;
  const auto result = nudge::decide::run_sweep(bound, opt);  // the whole sweep: channel capacity is global
  if (o.format == "json") {
    auto j = nudge::decide::explanation_json(bound, result);
    if (dialogues) j["dialogues"] = nudge::dialogue::format_dialogue_explanation(bound, *dialogues, *row);
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  nudge::cli::write_text(stdout, nudge::decide::format_explanation(bound, result, hp.get()));
  if (dialogues) nudge::cli::write_text(stdout, nudge::dialogue::format_dialogue_explanation(bound, *dialogues, *row));
  return 0;
}

nudge::cli::Registrar reg("explain", [](CLI::App& app) {
  auto* sub = app.add_subcommand("explain", "Why a member is (or is not) contacted by a campaign");
  auto o = std::make_shared<ExplainCmd>();
  nudge::cli::add_snapshot_and_campaign(sub, o->snapshot, o->campaign, "Campaign file (TOML)");
  sub->add_option("--customer", o->customer, "Customer id")->required()->check(nudge::cli::unsigned_integer());
  sub->add_option("--format", o->format,
                  "text or json (json: the same as one object; with dialogues, their text under \"dialogues\")")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  o->history.add_to(sub);
  sub->footer("Example: nudge explain members.snap --campaign data/campaigns/rs1.toml --customer 6000000017");
  return [o] { return run_explain(*o); };
});

}  // namespace
