#include "tests/support/campaign_files.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "engine/decide/campaign_loader.h"
#include "tests/support/test_paths.h"

namespace nudge::test {

std::string campaign_text(const std::string& file) {
  std::ifstream in(source_dir() / "data/campaigns" / file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

decide::Campaign campaign_from(const std::string& text) {
  return decide::parse_campaign(text, "campaign.toml", source_dir() / "data/campaigns");
}

std::string replace(std::string text, const std::string& pattern, const std::string& with) {
  return std::regex_replace(text, std::regex(pattern), with);
}

}  // namespace nudge::test
