// Campaign files for tests: the text of data/campaigns/<file>, a campaign
// parsed from text as if it stood in data/campaigns/, and a regex rewrite for
// variants. Errors: campaign_from throws nudge::Error as parse_campaign does;
// campaign_text returns "" for a missing file. Thread-safe.
#pragma once

#include <string>

#include "engine/decide/campaign.h"

namespace nudge::test {

// The whole text of data/campaigns/<file> in the source tree.
std::string campaign_text(const std::string& file);
// parse_campaign(text) with origin "campaign.toml", relative paths from data/campaigns/.
decide::Campaign campaign_from(const std::string& text);
// text with every match of the ECMAScript regex `pattern` replaced by `with`.
std::string replace(std::string text, const std::string& pattern, const std::string& with);

}  // namespace nudge::test
