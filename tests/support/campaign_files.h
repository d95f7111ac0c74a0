// Campaign files for tests: the text of data/campaigns/<file>, a campaign
// parsed from text as if it stood in data/campaigns/, and a regex rewrite for
// variants; a small one-action campaign for limit tests and the error text
// parsing gives. Errors: campaign_from throws nudge::Error as parse_campaign
// does; campaign_text returns "" for a missing file. Thread-safe.
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
// A one-action campaign of 14 lines (the basket's points_per_period on line 4,
// column 21), then `extra` from line 15 on.
std::string small_campaign(const std::string& extra, const std::string& points = "25");
// The message parse_campaign(text, "c.toml", "/base") throws, or "(no error)".
std::string campaign_error(const std::string& text);

}  // namespace nudge::test
