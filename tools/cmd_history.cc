// `nudge history add|inspect|compact HIST`: the contact and response history
// folder (io/history/history_store.h). Each subcommand parses its options,
// calls one library function and prints its one-line report.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "engine/base/error.h"
#include "engine/store/types.h"
#include "io/history/history_csv.h"
#include "io/history/history_store.h"
#include "io/history/history_summary.h"
#include "tools/cli.h"

namespace {

namespace h = nudge::history;

struct AddCmd {
  std::string dir, contacts, responses, sent_on, mapping;
  bool strict = false, compact = false;
};

int run_add(const AddCmd& o) {
  if (o.contacts.empty() == o.responses.empty())
    nudge::throw_usage("history add: give exactly one of --contacts FILE.csv or --responses FILE.csv");
  h::CsvReadOptions ro;
  ro.progress = true;  // drawn only when stderr is a terminal
  if (!o.sent_on.empty()) {
    auto d = nudge::parse_iso_date(o.sent_on);
    if (!d) nudge::throw_usage("--sent-on '" + o.sent_on + "' is not a date YYYY-MM-DD");
    ro.sent_on = *d;
  }
  std::optional<h::HistoryMapping> mapping;
  if (!o.mapping.empty()) {
    mapping = h::load_history_mapping(o.mapping);
    ro.mapping = &*mapping;
  }
  h::EventTable t;
  h::BatchInfo info;
  h::CsvReadStats st;
  if (!o.contacts.empty()) {
    st = h::read_contacts_csv(o.contacts, t, ro);
    info.kind = "contacts";
    info.source = o.contacts;
  } else {
    st = h::read_responses_csv(o.responses, t, ro);
    info.kind = "responses";
    info.source = o.responses;
  }
  info.sent_on = ro.sent_on;
  h::AddOptions ao;
  ao.strict_responses = o.strict;
  ao.compact_after = o.compact;
  const h::AddResult r = h::add_batch(o.dir, std::move(t), info, ao);
  nudge::cli::write_text(stdout, r.message + "\n");
  if (st.dropped_rows)
    std::printf("%llu rows dropped by the mapping's [types]\n", static_cast<unsigned long long>(st.dropped_rows));
  return 0;
}

struct InspectCmd {
  std::string dir;
  bool verify = false;
};

struct CompactCmd {
  std::string dir;
};

nudge::cli::Registrar reg("history", [](CLI::App& app) {
  auto* sub = app.add_subcommand("history", "The contact and response history: add, inspect, compact");
  sub->require_subcommand(1);

  auto add = std::make_shared<AddCmd>();
  auto* a = sub->add_subcommand("add", "Add one file of contacts or responses as one atomic batch");
  a->add_option("history", add->dir, "History folder (created when absent)")->required();
  a->add_option("--contacts", add->contacts, "Contacts CSV (RS-2 columns, or a sweep's decisions with --sent-on)");
  a->add_option("--responses", add->responses, "Responses CSV (RS-2 columns)");
  a->add_option("--sent-on", add->sent_on, "YYYY-MM-DD: the day a decisions file (no sent_on column) was sent");
  a->add_option("--mapping", add->mapping, "Mapping TOML for an external file (data/schemas/README.md)");
  a->add_flag("--strict", add->strict, "Refuse responses that attach to no contact (default: keep, skip, count)");
  a->add_flag("--compact", add->compact, "Merge all segments into one after the add (fast opens)");

  auto insp = std::make_shared<InspectCmd>();
  auto* i = sub->add_subcommand("inspect", "Describe a history: batches, dates, counts, bytes per event");
  i->add_option("history", insp->dir, "History folder")->required();
  i->add_flag("--verify", insp->verify, "Hash every segment's data and check every invariant");

  auto comp = std::make_shared<CompactCmd>();
  auto* c = sub->add_subcommand("compact", "Merge every batch's segment into one (answers unchanged)");
  c->add_option("history", comp->dir, "History folder")->required();

  return [sub, a, i, c, add, insp, comp]() -> int {
    if (a->parsed()) return run_add(*add);
    if (i->parsed()) {
      const auto s = h::summarize_history(insp->dir, insp->verify);
      nudge::cli::write_text(stdout, h::format_history_summary(insp->dir, s));
      return 0;
    }
    if (c->parsed()) {
      const std::size_t n = h::compact_history(comp->dir);
      if (n > 1) std::printf("%s: compacted %zu segments into one\n", comp->dir.c_str(), n);
      else std::printf("%s: already one segment; nothing to do\n", comp->dir.c_str());
      return 0;
    }
    return 2;
  };
});

}  // namespace
