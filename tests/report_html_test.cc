// The HTML report (io/report/html_report.h) rendered in a real browser:
// headless Chromium (Debian's `chromium`, tools/setup-debian.sh) loads the
// file with the network off (a file:// URL, no external resources in the
// page), dumps the DOM and takes a screenshot. The DOM must hold, per action,
// one funnel bar per gate with the sweep's own counts, the channel bars with
// the capacity line, and the uplift rows. Skipped where chromium is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/history/history.h"
#include "engine/report/diff.h"
#include "engine/report/uplift.h"
#include "io/gen/rs1_generator.h"
#include "io/report/html_report.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

std::string chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* f = popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    pclose(f);
  }
  return out;
}

// Flags: the new headless mode (Debian 12's chromium), no sandbox (tests may run as root, and a fresh
// container has no user namespaces), no GPU, nothing that reaches the network. `timeout` stops a
// browser that hangs (no display, a dbus wait) after 120 s, so the test fails instead of blocking.
std::string chromium_cmd(const std::filesystem::path& dir) {
  return "timeout -k 10 120 " + chromium() +
         " --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --no-default-browser-check "
         "--disable-extensions --hide-scrollbars --mute-audio "
         "--disable-background-networking --disable-component-update --disable-sync "
         "--disable-dev-shm-usage --user-data-dir=" +
         (dir / "profile").string() + " ";
}

}  // namespace

TEST(ReportHtml, ChromiumRendersTheFunnelChannelsAndUplift) {
  if (chromium().empty()) {
    // tools/run-tests.sh installs chromium (tools/setup-debian.sh) and sets NUDGE_REQUIRE_CHROMIUM=1: there a
    // missing browser fails the test instead of skipping it.
    if (const char* req = std::getenv("NUDGE_REQUIRE_CHROMIUM"); req && std::string(req) == "1")
      FAIL() << "chromium is not installed and NUDGE_REQUIRE_CHROMIUM=1 (run tools/setup-debian.sh)";
    GTEST_SKIP() << "chromium is not installed (tools/setup-debian.sh installs it)";
  }
  const auto dir = test::make_temp_dir("report_html");
  decide::Campaign c = decide::load_campaign(test::source_dir() / "data/campaigns/rs1.toml");
  c.actions[3].holdout = 0.2;  // birthday: some control decisions
  Population pop = generate_rs1(50'000, 3);
  decide::BoundCampaign b = decide::BoundCampaign::bind(c, pop);
  decide::SweepResult r = decide::run_sweep(b, {});
  report::HtmlReport page("RS-1 report test");
  const auto budgets = report::member_budgets(b, r);
  page.add_sweep(c, r, budgets.pressure, budgets.remaining);
  std::vector<history::ContactRecord> cs;
  for (uint64_t id = 1; id <= 40; ++id) {
    history::ContactRecord x;
    x.customer_id = id, x.sent_on = 100, x.action = "birthday", x.channel = "email", x.message_type = "service";
    x.control = id > 30;
    cs.push_back(x);
  }
  std::vector<history::ResponseRecord> rs;
  for (uint64_t id : {1, 2, 3, 4, 5, 6, 31}) rs.push_back({id, "birthday", 100, 101, "convert", 10.0, ""});
  page.add_uplift(report::compute_uplift(history::build_history(cs, rs), {}));
  decide::Campaign c30 = c;
  c30.basket.points_per_period = 30;
  const decide::BoundCampaign b30 = decide::BoundCampaign::bind(c30, pop);
  report::DiffOptions dopt;
  dopt.movers = 2;
  const report::CampaignDiff diff = report::diff_campaigns(b, b30, dopt);
  page.add_diff(diff);
  const auto html_path = dir / "report.html";
  std::ofstream(html_path) << page.html();

  // One browser start: the screenshot and the DOM together.
  const auto png = dir / "report.png";
  const std::string dom = run(chromium_cmd(dir) + "--window-size=1300,2400 --screenshot=" + png.string() +
                              " --dump-dom file://" + html_path.string() + " 2>/dev/null");
  ASSERT_NE(dom.find("RS-1 report test"), std::string::npos) << "chromium rendered nothing";
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    SCOPED_TRACE(c.actions[a].name);
    const std::string open = "<div class=\"funnel\" data-action=\"" + c.actions[a].name + "\">";
    const auto begin = dom.find(open);
    ASSERT_NE(begin, std::string::npos);
    const std::string block = dom.substr(begin, dom.find("</div>", begin) - begin);
    const std::regex bar("<rect class=\"bar[^\"]*\" data-label=\"([^\"]+)\" data-value=\"([^\"]+)\"");
    std::map<std::string, std::string> bars;
    for (std::sregex_iterator it(block.begin(), block.end(), bar), end; it != end; ++it)
      bars[(*it)[1].str()] = (*it)[2].str();
    EXPECT_EQ(bars.size(), 10u);
    EXPECT_EQ(bars["fired"], std::to_string(r.funnel[a].fired));
    EXPECT_EQ(bars["kept"], std::to_string(r.funnel[a].kept));
    EXPECT_EQ(bars["budget"], std::to_string(r.funnel[a].budget));
    EXPECT_EQ(bars["of which control"], std::to_string(r.funnel[a].control));
    // The number printed beside the fired bar, as text the reader sees.
    EXPECT_NE(block.find(">" + std::to_string(r.funnel[a].fired) + "</text>"), std::string::npos);
  }
  EXPECT_GT(r.funnel[3].control, 0u);
  // The call channel: its bar and the dashed capacity line at 5000.
  EXPECT_NE(dom.find("class=\"limit\" data-value=\"5000\""), std::string::npos);
  // Uplift: birthday's convert rate 6/30 vs 1/10, drawn as a bar of +10 points.
  EXPECT_NE(dom.find("20.000%"), std::string::npos);
  EXPECT_NE(dom.find("10.000%"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom, m, std::regex("data-label=\"convert \\(pp\\)\" data-value=\"([^\"]+)\"")));
  EXPECT_NEAR(std::stod(m[1].str()), 10.0, 1e-9);

  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_GT(std::filesystem::file_size(png), 20'000u);  // a rendered page, not a blank one
  if (const char* keep = std::getenv("NUDGE_KEEP_REPORT"))
    std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
}
