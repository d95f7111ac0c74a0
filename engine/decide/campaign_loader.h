// Campaign files: read and validate a campaign written in TOML (toml++).
//
// The format is documented, key by key, in data/campaigns/README.md, with a
// complete annotated example in data/campaigns/example.toml; RS-1
// (shared/WORKLOAD.md) is data/campaigns/rs1.toml.
//
//   nudge::decide::Campaign c = nudge::decide::load_campaign("data/campaigns/rs1.toml");
//
// Validation is strict, as a CRM user wants from a file that sends messages:
//   - TOML syntax errors, unknown keys (with "did you mean"), keys of the wrong
//     type, missing required keys, unknown message types or channels, negative
//     or non-finite costs/factors, duplicate action names, ... each throw
//     nudge::Error(InvalidInput) with "file:line:col: message" where the
//     line and column are those of the offending key or value (toml++'s
//     source regions);
//   - trigger, suppression and priority expressions keep their position
//     (Action::trigger.origin = "file:line:col" of the expression's first
//     character), so the expression compiler's errors point inside them
//     when the campaign is bound to a population (bound_campaign.h).
// Column names are checked later, against the population, for the same reason.
//
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "engine/decide/campaign.h"

namespace nudge::decide {

// Reads `path`. Throws Error(Io) when the file cannot be read and
// Error(InvalidInput) for every fault above. A relative model path is
// resolved against the campaign file's folder.
Campaign load_campaign(const std::filesystem::path& path);

// Parses campaign text. `source_name` prefixes positions in messages
// ("rs1.toml"); a relative model path is resolved against `base_dir`.
Campaign parse_campaign(std::string_view text, const std::string& source_name, const std::filesystem::path& base_dir);

}  // namespace nudge::decide
