// `nudge diff POP.snap --campaign A.toml --campaign-b B.toml [--history HIST [--as-of D]] [--json F] [--html F]
//  [--movers N]`:
// both campaigns over every member and what changes (engine/report/diff.h).
#include <cstdio>
#include <memory>
#include <string>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/report/diff.h"
#include "io/file/atomic_file.h"
#include "io/report/html_report.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"
#include "tools/dialogue_option.h"
#include "tools/history_option.h"

namespace {

struct DiffCmd {
  std::string snapshot, a, b, json, html;
  std::size_t movers = 5;
  nudge::cli::HistoryOption history;
};

int run_diff(const DiffCmd& o) {
  for (const auto& [out, flag] : {std::pair{&o.json, "--json"}, {&o.html, "--html"}}) {
    nudge::cli::refuse_output_in_history(*out, flag, o.history.dir);
    nudge::cli::refuse_output_over_input(*out, {o.snapshot, o.a, o.b});
  }
  nudge::cli::refuse_same_outputs({{o.json, "--json"}, {o.html, "--html"}});
  const nudge::Population pop = nudge::open_snapshot(o.snapshot);
  const auto ca = nudge::decide::load_campaign(o.a), cb = nudge::decide::load_campaign(o.b);
  // Each campaign's policies and dialogues from the same history at the same day; B's policy shares
  // A's population, whose columns hold both campaigns' history aggregates, so that the expressions
  // the campaigns have in common are evaluated once (engine/policy/history_policy.h "Two campaigns").
  const auto ha = o.history.open(ca, pop, true, {&cb});
  const auto hb = ha ? std::make_unique<nudge::policy::HistoryPolicy>(cb, *ha) : nullptr;
  const auto ba = nudge::decide::BoundCampaign::bind(ca, ha ? ha->population() : pop);
  const auto bb = nudge::decide::BoundCampaign::bind(cb, hb ? hb->population() : pop);
  const auto da = nudge::cli::bind_dialogues(ba, ha.get(), true), db = nudge::cli::bind_dialogues(bb, hb.get(), true);
  nudge::report::DiffOptions opt;
  opt.movers = o.movers;
  opt.a_sweep.inputs = ha.get(), opt.b_sweep.inputs = hb.get();
  if (da) opt.a_sweep.dialogues = &*da;
  if (db) opt.b_sweep.dialogues = &*db;
  const auto d = nudge::report::diff_campaigns(ba, bb, opt);
  nudge::cli::write_text(stdout, nudge::report::format_diff(d));
  std::fprintf(stderr, "expressions evaluated once for both: %zu of %zu\n", d.b_expressions_shared, d.b_expressions);
  if (!o.json.empty()) { nudge::write_file_atomically(o.json, nudge::report::diff_json(d).dump(2) + "\n"); }
  if (!o.html.empty()) {
    nudge::report::HtmlReport page("nudge diff: " + o.a + " against " + o.b);
    page.add_diff(d);
    page.write(o.html);
  }
  return 0;
}

nudge::cli::Registrar reg("diff", [](CLI::App& app) {
  auto* sub = app.add_subcommand("diff", "What-if: two campaigns over every member, and what changes");
  auto o = std::make_shared<DiffCmd>();
  nudge::cli::add_snapshot_and_campaign(sub, o->snapshot, o->a, "Campaign A (TOML)");
  sub->add_option("--campaign-b", o->b, "Campaign B (TOML)")->required();
  o->history.add_to(sub);
  sub->add_option("--movers", o->movers, "How many top movers to explain")
      ->capture_default_str()
      ->check(nudge::cli::unsigned_integer());
  sub->add_option("--json", o->json, "Write the comparison as JSON (engine/report/diff.h)");
  sub->add_option("--html", o->html, "Write a self-contained HTML page with the A/B comparison");
  sub->footer("Example: nudge diff members.snap --campaign rs1.toml --campaign-b rs1-basket30.toml");
  return [o] { return run_diff(*o); };
});

}  // namespace
