#include "tests/support/campaign_files.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "engine/decide/campaign_loader.h"
#include "tests/support/error_text.h"
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

std::string small_campaign(const std::string& extra, const std::string& points) {
  return "[campaign]\n"                          // 1
         "name = \"C\"\n"                        // 2
         "[basket]\n"                            // 3
         "points_per_period = " + points + "\n"  // 4
         "used_column = \"used\"\n"              // 5
         "[channels.email]\n"                    // 6
         "consent = \"email_opt_in\"\n"          // 7
         "[[action]]\n"                          // 8
         "name = \"a\"\n"                        // 9
         "trigger = \"TRUE\"\n"                  // 10
         "message_type = \"service\"\n"          // 11
         "channel = \"email\"\n"                 // 12
         "value = 1\n"                           // 13
         "priority = \"weight * value\"\n" +     // 14
         extra;
}

std::string campaign_error(const std::string& text) {
  return thrown_message([&] { decide::parse_campaign(text, "c.toml", "/base"); }).value_or("(no error)");
}

}  // namespace nudge::test
