// `nudge report HIST [--campaign C] [--window DAYS] [--as-of DATE] [--json FILE] [--html FILE]`:
// treated vs control members, response rates, uplift with confidence
// intervals and cost per action, campaign, channel and dialogue step, from
// a contact and response history (engine/report/uplift.h). The table goes
// to stdout; --json and --html files are written atomically.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "engine/base/error.h"
#include "engine/decide/campaign_loader.h"
#include "engine/report/uplift.h"
#include "engine/report/uplift_format.h"
#include "engine/store/types.h"
#include "io/file/atomic_file.h"
#include "io/history/history_store.h"
#include "io/report/html_report.h"
#include "tools/cli.h"

namespace {

struct ReportCmd {
  std::string history, campaign, as_of, json, html;
  int window = -1;  // -1: the campaign's attribution_days, else 14
};

int run_report(const ReportCmd& o) {
  nudge::report::UpliftOptions opt;
  std::string title = "nudge report: " + o.history;
  if (!o.campaign.empty()) {
    const auto c = nudge::decide::load_campaign(o.campaign);
    opt.attribution_days = static_cast<int32_t>(c.holdout.attribution_days);
    title += " (campaign " + c.name + ")";
  }
  if (o.window >= 0) opt.attribution_days = o.window;
  for (const auto& [out, flag] : {std::pair{&o.json, "--json"}, {&o.html, "--html"}}) {
    nudge::cli::refuse_output_in_history(*out, flag, o.history);
    nudge::cli::refuse_output_over_input(*out, {o.campaign});
  }
  nudge::cli::refuse_same_outputs({{o.json, "--json"}, {o.html, "--html"}});
  if (!o.as_of.empty()) {
    auto d = nudge::parse_iso_date(o.as_of);
    if (!d) nudge::throw_usage("--as-of '" + o.as_of + "' is not a date YYYY-MM-DD");
    opt.as_of = *d;
  }
  const nudge::history::History h = nudge::history::open_history(o.history);
  const auto rep = nudge::report::compute_uplift(h, opt);
  nudge::cli::write_text(stdout, nudge::report::format_uplift_table(rep));
  if (!o.json.empty()) { nudge::write_file_atomically(o.json, nudge::report::uplift_json(rep).dump(2) + "\n"); }
  if (!o.html.empty()) {
    nudge::report::HtmlReport page(title);
    page.add_uplift(rep);
    page.write(o.html);
  }
  return 0;
}

nudge::cli::Registrar reg("report", [](CLI::App& app) {
  auto* sub = app.add_subcommand("report", "Uplift and cost from a contact and response history: treated vs control");
  auto o = std::make_shared<ReportCmd>();
  sub->add_option("history", o->history, "History folder (nudge history add)")->required();
  sub->add_option("--campaign,-c", o->campaign, "Campaign file: its [holdout] attribution_days is the window");
  sub->add_option("--window", o->window, "Attribution window in days after the contact (default 14)")
      ->check(CLI::Validator(
          [](const std::string& s) -> std::string {
            std::string v = s;
            if (!nudge::cli::unsigned_integer()(v).empty() || v.size() > 10 || std::stoll(v) > 2147483647)
              return "'" + s + "' is not a whole number of days 0 .. 2147483647";
            return {};
          },
          "DAYS"));
  sub->add_option("--as-of", o->as_of, "Ignore events dated after this day (YYYY-MM-DD)");
  sub->add_option("--json", o->json, "Write the report as JSON (engine/report/uplift_format.h)");
  sub->add_option("--html", o->html, "Write a self-contained HTML report (io/report/html_report.h)");
  sub->footer("Example: nudge report hist/ --json report.json --html report.html");
  return [o] { return run_report(*o); };
});

}  // namespace
