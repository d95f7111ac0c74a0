// One self-contained HTML page: inline CSS and inline SVG (svg_chart.h), no
// scripts, no fonts, no network (`nudge sweep --html`, `nudge report --html`).
//
//   nudge::report::HtmlReport page("RS-1, 2026-11-15");
//   page.add_sweep(campaign, result, pressure, remaining);   // funnel, channels, histograms
//   page.add_uplift(uplift_report);                            // uplift with 95% CIs
//   std::string html = page.html();
//
// Sections (each an <section id="...">, so tests and readers find them):
//   funnel     per action: one bar per gate (fired, then the count each gate
//              stopped, then kept and control); numbers printed beside the bars
//   channels   decisions per channel, the capacity as a dashed line
//   dialogues  (campaigns with dialogues) members per dialogue state
//   histograms contact pressure (points used before the sweep) and remaining
//              budget (points left after the member's kept decisions), over
//              every member whose basket is known
//   diff       A against B: bars per action and channel (A blue, B orange),
//              member movements, points, budget histograms, top movers
//   uplift     per action (campaign, channel, dialogue step): response rate
//              uplift per type with its 95% Newcombe interval as a whisker
// Thread-safety: one page per thread.
#pragma once

#include <string>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign.h"
#include "engine/decide/member_inputs.h"
#include "engine/decide/sweep.h"
#include "engine/report/diff.h"
#include "engine/report/uplift.h"

namespace nudge::report {

// Per member (population row): the points used before the sweep (the basket's
// used column) and the points left after the member's decisions in r.ranked
// (the first K; control decisions cost nothing). NaN where the basket is unknown.
// A basket from the contact history is read from `inputs` (the sweep's
// SweepOptions::inputs; NaN for every member when it is null).
struct MemberBudgets {
  std::vector<double> pressure, remaining;
};
MemberBudgets member_budgets(const decide::BoundCampaign& b, const decide::SweepResult& r,
                             const decide::MemberInputSource* inputs = nullptr);

class HtmlReport {
 public:
  explicit HtmlReport(std::string title);
  // `pressure` and `remaining`: one value per member (NaN where unknown); may be empty.
  void add_sweep(const decide::Campaign& c, const decide::SweepResult& r, const std::vector<double>& pressure,
                 const std::vector<double>& remaining);
  void add_uplift(const UpliftReport& r);
  // `nudge diff`: decisions per action and channel in A and B, members who
  // gain/lose/change, points, remaining budget histograms, top movers.
  void add_diff(const CampaignDiff& d);
  // Any other section (already HTML).
  void add_section(const std::string& id, const std::string& heading, const std::string& body);
  std::string html() const;
  // html() written to `path` atomically (io/file/atomic_file.h: a temporary
  // file renamed over the target); throws Error(Io) when the write fails.
  void write(const std::string& path) const;

 private:
  std::string title_, body_;
};

}  // namespace nudge::report
