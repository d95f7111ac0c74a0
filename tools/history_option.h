// `--history HIST [--as-of DATE]` for `nudge sweep` and `nudge explain`: the
// campaign's policies computed from a contact history
// (engine/policy/history_policy.h) at as_of (default: the population's).
// Header-only helper of the CLI; errors: Error(Usage) for a bad date,
// whatever open_history throws for a bad folder.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/policy/history_policy.h"
#include "engine/store/types.h"
#include "io/history/history_store.h"
#include "tools/cli.h"

namespace nudge::cli {

struct HistoryOption {
  std::string dir, as_of;

  void add_to(CLI::App* sub) {
    sub->add_option("--history", dir,
                    "Contact history folder (nudge history add): basket, caps, suppression, consent and history "
                    "aggregates from it");
    sub->add_option("--as-of", as_of,
                    "Day of the sweep (YYYY-MM-DD; default the population's as_of): history events after it are "
                    "ignored; --record records the decisions on it")
        ->check(
            [](const std::string& s) {
              return parse_iso_date(s) ? std::string() : "'" + s + "' is not a date YYYY-MM-DD";
            },
            "DATE");  // checked with or without --history: a typo'd day never falls back silently
  }

  // nullptr without --history. `report` prints one line on stderr. `also`: campaigns whose history
  // aggregates become columns too (HistoryPolicy "Two campaigns": `nudge diff`).
  std::unique_ptr<policy::HistoryPolicy> open(const decide::Campaign& c, const Population& pop, bool report,
                                              const std::vector<const decide::Campaign*>& also = {}) const {
    if (dir.empty()) return nullptr;  // --as-of alone only dates what --record records
    int32_t day = pop.as_of();
    if (!as_of.empty()) {
      auto d = parse_iso_date(as_of);
      if (!d) throw_usage("--as-of '" + as_of + "' is not a date YYYY-MM-DD");
      day = *d;
    }
    auto hp = std::make_unique<policy::HistoryPolicy>(c, pop, history::open_history(dir), day, also);
    if (report) {
      const auto skip = hp->history().count_skipped(day);
      std::fprintf(stderr,
                   "history %s at %s: %zu members, %zu contacts, %zu responses; %zu responses skipped (%zu to no "
                   "contact, %zu dated before their contact)\n",
                   dir.c_str(), format_iso_date(day).c_str(), hp->history().members(), hp->history().contacts(),
                   hp->history().responses(), skip.total(), skip.no_contact, skip.before_contact);
    }
    return hp;
  }
};

}  // namespace nudge::cli
