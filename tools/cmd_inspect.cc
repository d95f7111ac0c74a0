// `nudge inspect POP.snap [--verify]`: open a snapshot (verified, zero copy)
// and describe it: rows, as_of, bytes per member, per column type, NULLs,
// min/max or category counts and bytes, and series.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "engine/store/types.h"
#include "io/activity/series_summary.h"
#include "io/snapshot/snapshot.h"
#include "io/snapshot/snapshot_summary.h"
#include "tools/cli.h"

namespace {

struct InspectOptions {
  std::string path;
  bool verify = false;
};

int run_inspect(const InspectOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  nudge::SnapshotOpenOptions open;
  open.verify_data = o.verify;
  const nudge::Population pop = nudge::open_snapshot(o.path, open);
  const double open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const nudge::SnapshotFileInfo info = nudge::read_snapshot_info(o.path);
  const nudge::PopulationSummary s = nudge::summarize_population(pop);
  const double rows = static_cast<double>(s.rows ? s.rows : 1);

  std::printf("snapshot     %s (format %u, written by %s)\n", o.path.c_str(), info.format_version,
              info.writer.empty() ? "?" : info.writer.c_str());
  std::printf("rows         %zu\n", s.rows);
  std::printf("as_of        %s\n", nudge::format_iso_date(s.as_of).c_str());
  std::printf("id column    %s\n", s.id_column.empty() ? "(none)" : s.id_column.c_str());
  std::printf("memory       %zu bytes = %.1f bytes per member (column buffers, mapped from the file)\n", s.memory_bytes,
              s.bytes_per_member);
  std::printf("file         %zu bytes = %.1f bytes per member (manifest %zu bytes)\n", info.file_bytes,
              static_cast<double>(info.file_bytes) / rows, info.manifest_bytes);
  std::printf("opened in    %.1f ms%s\n\n", open_ms, o.verify ? " (data checksums verified)" : "");

  nudge::cli::write_text(stdout, nudge::format_column_table(s));
  if (!s.series.empty()) {  // buckets, the days they cover, totals (io/activity/series_summary.h)
    std::printf("\nseries (bucket 0 holds as_of; columns <name>@<k>)\n");
    for (const auto& se : nudge::summarize_series(pop)) std::printf("  %s", nudge::format_series_summary(se).c_str());
  }
  return 0;
}

nudge::cli::Registrar reg("inspect", [](CLI::App& app) {
  auto* sub = app.add_subcommand("inspect", "Describe a population snapshot: rows, as_of, bytes per member, columns");
  auto o = std::make_shared<InspectOptions>();
  nudge::cli::add_snapshot_argument(sub, o->path, "Snapshot file (.snap)");
  sub->add_flag("--verify", o->verify, "Also check every column buffer against its checksum (reads the whole file)");
  sub->footer("Example: nudge inspect members.snap --verify");
  return [o] { return run_inspect(*o); };
});

}  // namespace
