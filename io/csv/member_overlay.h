// Member overlays: columns a members table lacks (consent flags, contact
// counts, points already used this period) added from a second table keyed
// by member id, or as one documented default value for every member.
//
// Real customer files rarely carry what a contact campaign needs (the Maven
// airline data has no consent or contact history). nudge never invents such
// values silently: they come from an overlay file the user names, or from a
// default the user states on the command line, and both are reported.
//
//   nudge::Population overlay = nudge::import_csv("consent.csv", opts).population;
//   nudge::OverlayReport r = nudge::apply_overlay(members, overlay, "consent.csv");
//   nudge::add_default_column(members, "email_opt_in=true");
//
// Overlay rules: the overlay's id column (its designated id column, else one
// named like the members' id column) matches the members' ids; every other
// overlay column is copied (same type, dictionary, NULLs). Members without an
// overlay row get NULL there (a NULL consent means no consent, a NULL count an
// unknown history: the campaign rules treat both conservatively).
// Errors (Error(InvalidInput)): no id column in the overlay, an overlay id
// that is not a member (naming it and its row), an id twice, a column name
// the members already have.
//
// Defaults: "name=value": true/false -> bool, an integer -> int32, a decimal
// -> float32 (compared with the float32 rule); anything else is Error(Usage).
// Thread-safety: single writer on `members`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/store/population.h"

namespace nudge {

struct OverlayReport {
  std::size_t overlay_rows = 0;     // rows in the overlay
  std::size_t members_matched = 0;  // members that got values
  std::size_t members_missing = 0;  // members left NULL
  std::size_t columns_added = 0;
};

OverlayReport apply_overlay(Population& members, const Population& overlay, std::string_view source);

// Adds column `name` holding `value` for every member; returns a one-line
// description ("email_opt_in = true (bool) for all 16737 members").
std::string add_default_column(Population& members, std::string_view assignment);

}  // namespace nudge
