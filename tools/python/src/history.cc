// nudge._nudge history functions: the contact and response history folder
// (io/history/history_store.h) as `nudge history add|inspect|compact` uses it.
// Events come in as CSV files in the formats of io/history/history_csv.h (the
// Python side writes a DataFrame to one), so the rules and messages are the CLI's.
#include <pybind11/stl.h>

#include <optional>

#include "engine/base/error.h"
#include "engine/decide/campaign_loader.h"
#include "engine/report/uplift.h"
#include "engine/report/uplift_format.h"
#include "engine/store/types.h"
#include "io/history/history_csv.h"
#include "io/history/history_store.h"
#include "io/history/history_summary.h"
#include "tools/python/src/bindings.h"

namespace nudge::py {

namespace h = nudge::history;

void bind_history(pb::module_& m) {
  m.def(
      "history_add",
      [](const std::string& dir, const std::string& kind, const std::string& csv, std::optional<int32_t> sent_on,
         bool strict, bool compact) {
        h::AddResult r = run_released(0, [&] {
          h::CsvReadOptions ro;
          ro.sent_on = sent_on;
          h::EventTable t;
          h::BatchInfo info;
          if (kind == "contacts") h::read_contacts_csv(csv, t, ro);
          else if (kind == "responses") h::read_responses_csv(csv, t, ro);
          else throw_usage("history add: kind must be contacts or responses");
          info.kind = kind;
          info.source = csv;
          info.sent_on = ro.sent_on;
          h::AddOptions ao;
          ao.strict_responses = strict;
          ao.compact_after = compact;
          return h::add_batch(dir, std::move(t), info, ao);
        });
        pb::dict d;
        d["added"] = r.added, d["already_added"] = r.already_added, d["batch"] = r.batch, d["message"] = r.message;
        d["contacts_added"] = r.info.contacts_added, d["contacts_repeated"] = r.info.contacts_repeated;
        d["contacts_repeated_in_file"] = r.info.contacts_repeated_in_file;
        d["responses_read"] = r.info.responses_read, d["responses_skipped"] = r.info.responses_skipped;
        return d;
      },
      pb::arg("dir"), pb::arg("kind"), pb::arg("csv"), pb::arg("sent_on"), pb::arg("strict"), pb::arg("compact"));
  m.def("history_summary", [](const std::string& dir, bool verify) {
    return run_released(0, [&] {
      const h::HistorySummary s = h::summarize_history(dir, verify);
      return std::make_tuple(s.members, s.contacts, s.responses, s.manifest.batches.size(), s.manifest.segments.size(),
                             h::format_history_summary(dir, s));
    });
  });
  // The summary text of a history with no events (History.open(create=True) before its first add).
  m.def("history_empty_summary", [](const std::string& dir) { return h::format_history_summary(dir, {}); });
  // `nudge report HIST [--campaign C] [--window N] [--as-of D] --json F`: the JSON text and the table.
  m.def(
      "history_report",
      [](const std::string& dir, const std::string& campaign, int window, std::optional<int32_t> as_of) {
        return run_released(0, [&] {
          report::UpliftOptions opt;
          if (!campaign.empty())
            opt.attribution_days = static_cast<int32_t>(decide::load_campaign(campaign).holdout.attribution_days);
          if (window >= 0) opt.attribution_days = window;
          if (as_of) opt.as_of = *as_of;
          const auto rep = report::compute_uplift(h::open_history(dir), opt);
          return std::make_pair(report::uplift_json(rep).dump(2) + "\n", report::format_uplift_table(rep));
        });
      },
      pb::arg("dir"), pb::arg("campaign"), pb::arg("window"), pb::arg("as_of"));
  m.def("history_compact",
        [](const std::string& dir) { return run_released(0, [&] { return h::compact_history(dir); }); });
}

}  // namespace nudge::py
