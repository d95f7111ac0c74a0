// `nudge activity`: members + long-form activity -> a snapshot with activity
// series (io/activity/activity_import.h), plus optional overlay columns and stated
// defaults for what the data lacks (io/csv/member_overlay.h).
//
//   nudge activity MEMBERS.csv --schema M.toml --activity ACT.csv --activity-schema A.toml
//       [--as-of YYYY-MM-DD] [--overlay O.csv] [--default email_opt_in=true ...] -o OUT.snap
//   nudge activity --activity CDNOW_master.txt --activity-schema data/schemas/cdnow_activity.toml
//       --as-of 1998-06-30 -o cdnow.snap        # no members file: members = distinct ids
//
// The report goes to stderr: members, the activity counts (rows, repeated
// keys, exact duplicates, unknown members, rows outside the window), overlay
// and default columns added, each series' buckets, dates and totals, and
// the time per step. Exit 0 ok, 1 bad input, 2 usage; no output on failure.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "io/activity/activity_import.h"
#include "io/activity/series_summary.h"
#include "io/csv/csv_import.h"
#include "io/csv/member_overlay.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct ActivityArgs {
  std::string members, schema, activity, activity_schema, as_of, overlay, output;
  std::vector<std::string> defaults;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_activity(const ActivityArgs& a) {
  using namespace nudge;
  const int threads = cli::global_options().threads == 1 ? 1 : 0;
  std::optional<int32_t> as_of;
  if (!a.as_of.empty()) {
    as_of = parse_iso_date(a.as_of);
    if (!as_of) throw_usage("--as-of: '" + a.as_of + "' is not a date YYYY-MM-DD");
  }
  cli::refuse_output_over_input(a.output, {a.members, a.schema, a.activity, a.activity_schema, a.overlay});
  const ActivitySpec spec = load_activity_spec(a.activity_schema);
  const auto t0 = std::chrono::steady_clock::now();
  Population members;
  ActivityImport act;
  if (!a.members.empty()) {
    ImportOptions mo;
    if (!a.schema.empty()) mo.schema = load_import_schema(a.schema);
    mo.as_of = as_of;
    mo.threads = threads;
    ImportResult m = import_csv(a.members, mo);
    std::fprintf(stderr, "members: %zu rows x %zu columns from %s in %.3f s, as_of %s (from %s)\n", m.population.rows(),
                 m.population.num_columns(), a.members.c_str(), seconds_since(t0),
                 format_iso_date(m.population.as_of()).c_str(), std::string(as_of_source_name(m.as_of_source)).c_str());
    members = std::move(m.population);
    const auto t1 = std::chrono::steady_clock::now();
    act = import_activity(a.activity, spec, members, threads);
    std::fprintf(stderr, "activity: %s read and bucketed in %.3f s\n", a.activity.c_str(), seconds_since(t1));
  } else {
    if (!as_of) throw_usage("activity: without a members file, --as-of is required");
    if (!a.schema.empty()) throw_usage("activity: --schema describes the members file, which is not given");
    act = import_activity_members(a.activity, spec, *as_of, members, threads);
    std::fprintf(stderr, "members: %zu distinct ids of %s (no members file), as_of %s\n", members.rows(),
                 a.activity.c_str(), format_iso_date(*as_of).c_str());
    std::fprintf(stderr, "activity: %s read and bucketed in %.3f s\n", a.activity.c_str(), seconds_since(t0));
  }
  std::fputs(format_activity_report(act.report, spec).c_str(), stderr);
  if (!a.overlay.empty()) {
    ImportOptions oo;
    oo.id_column = members.column(*members.id_column()).name();
    oo.as_of = members.as_of();
    const ImportResult o = import_csv(a.overlay, oo);
    const OverlayReport r = apply_overlay(members, o.population, a.overlay);
    std::fprintf(stderr, "overlay %s: %zu columns for %zu members (%zu members not in it: NULL)\n", a.overlay.c_str(),
                 r.columns_added, r.members_matched, r.members_missing);
  }
  for (const auto& d : a.defaults)
    std::fprintf(stderr, "default (not in the data): %s\n", add_default_column(members, d).c_str());
  for (const auto& s : summarize_series(members)) {
    std::string text = format_series_summary(s);
    std::fprintf(stderr, "series %s", text.substr(0, text.find('\n') + 1).c_str());  // headline only
  }
  const auto t2 = std::chrono::steady_clock::now();
  write_snapshot(members, a.output);
  std::fprintf(stderr, "wrote %s (%zu members x %zu columns) in %.3f s; %.3f s in all\n", a.output.c_str(),
               members.rows(), members.num_columns(), seconds_since(t2), seconds_since(t0));
  return 0;
}

nudge::cli::Registrar reg("activity", [](CLI::App& app) {
  auto* sub = app.add_subcommand("activity", "Import members and their activity (long form) as series into a snapshot");
  auto a = std::make_shared<ActivityArgs>();
  sub->add_option("members", a->members, "Members CSV (leave out: members = distinct ids of the activity file)");
  sub->add_option("--schema", a->schema, "Import schema of the members CSV (data/schemas/README.md)");
  sub->add_option("--activity", a->activity, "Activity file: CSV, or whitespace-separated per the activity schema")
      ->required();
  sub->add_option("--activity-schema", a->activity_schema, "Activity schema (TOML; io/activity/activity_spec.h)")
      ->required();
  sub->add_option("--as-of", a->as_of, "The day the data describes, YYYY-MM-DD (overrides the members schema)");
  sub->add_option("--overlay", a->overlay, "CSV keyed by member id with columns the data lacks (consent, counts)");
  sub->add_option("--default", a->defaults, "name=value: a column with one stated value for every member")->take_all();
  sub->add_option("-o,--output", a->output, "Snapshot file to write")->required();
  sub->footer("Example: tools/run-airline.sh (data/real-data.md)");
  return [a] { return run_activity(*a); };
});

}  // namespace
