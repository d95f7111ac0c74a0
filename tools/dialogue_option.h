// The campaign's dialogues bound to the history of --history at its as_of
// (engine/dialogue/dialogue_pass.h), for `nudge sweep`, `nudge explain` and
// `nudge dialogue-report`. Without a history every member is outside every
// dialogue (a warning says so). Header-only helper of the CLI.
#pragma once

#include <cstdio>
#include <optional>

#include "engine/decide/bound_campaign.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/policy/history_policy.h"

namespace nudge::cli {

inline std::optional<dialogue::BoundDialogues> bind_dialogues(const decide::BoundCampaign& bound,
                                                              const policy::HistoryPolicy* hp, bool warn) {
  if (bound.campaign().dialogues.empty()) return std::nullopt;
  if (!hp) {
    if (warn)
      std::fprintf(stderr, "warning: campaign %s has dialogues but no --history: every member is outside them\n",
                   bound.campaign().name.c_str());
    return dialogue::BoundDialogues::bind(bound, nullptr, nullptr, bound.population().as_of());
  }
  return dialogue::BoundDialogues::bind(bound, &hp->history(), hp->member_map().data(), hp->as_of());
}

}  // namespace nudge::cli
