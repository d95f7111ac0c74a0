// The self-contained HTML report (html_report.h).
#include "io/report/html_report.h"

#include <fmt/format.h>

#include <cmath>

#include "engine/decide/decision.h"
#include "engine/dialogue/dialogue.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/report/basket_used.h"
#include "io/file/atomic_file.h"
#include "io/report/svg_chart.h"

namespace nudge::report {
namespace {

constexpr const char* kCss = R"(body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px}h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
.grid{display:flex;flex-wrap:wrap;gap:12px}.chart{background:#fafafa;border:1px solid #e4e4e4}
.chart .title{font-weight:600;font-size:13px}.chart text{font-size:12px;fill:#333}
.bar{fill:#4a78b5}.bar.stop{fill:#c8ccd4}.bar.kept{fill:#2e8b57}.bar.control{fill:#e0a030}
.bar.neg{fill:#c0504d}.limit{stroke:#c0504d;stroke-width:2;stroke-dasharray:5 3}.zero{stroke:#666}
.ci{stroke:#222;stroke-width:2}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f0f0f0}td.name{text-align:left})";

}  // namespace

MemberBudgets member_budgets(const decide::BoundCampaign& b, const decide::SweepResult& r,
                             const decide::MemberInputSource* inputs) {
  const std::size_t n = b.population().rows();
  const decide::Campaign& c = b.campaign();
  MemberBudgets m;
  m.pressure.resize(n);
  m.remaining.resize(n);
  const std::vector<double> used = basket_used(b, inputs);
  for (std::size_t row = 0; row < n; ++row) {
    m.pressure[row] = used[row];
    m.remaining[row] = c.basket.points_per_period - used[row];  // NaN stays NaN
  }
  for (const decide::Decision& d : r.ranked)
    if (!d.control) m.remaining[d.row] -= c.cost(c.actions[d.action]);
  return m;
}

HtmlReport::HtmlReport(std::string title) : title_(std::move(title)) {}

void HtmlReport::add_section(const std::string& id, const std::string& heading, const std::string& body) {
  body_ += fmt::format("<section id=\"{}\"><h2>{}</h2>\n{}</section>\n", id, html_escape(heading), body);
}

void HtmlReport::add_sweep(const decide::Campaign& c, const decide::SweepResult& r, const std::vector<double>& pressure,
                           const std::vector<double>& remaining) {
  std::string funnel = "<div class=\"grid\">\n";
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    const decide::ActionFunnel& f = r.funnel[a];
    std::vector<Bar> bars = {{"fired", double(f.fired)},
                             {"no consent", double(f.consent), "bar stop"},
                             {"suppressed", double(f.suppression), "bar stop"},
                             {"frequency cap", double(f.frequency_cap), "bar stop"},
                             {"no priority", double(f.priority), "bar stop"},
                             {"budget", double(f.budget), "bar stop"},
                             {"per-member max", double(f.member_max), "bar stop"},
                             {"channel capacity", double(f.capacity), "bar stop"},
                             {"kept", double(f.kept), "bar kept"},
                             {"of which control", double(f.control), "bar control"}};
    funnel += "<div class=\"funnel\" data-action=\"" + html_escape(c.actions[a].name) + "\">" +
              svg_bars(c.actions[a].name, bars) + "</div>\n";
  }
  funnel += "</div>\n";
  add_section("funnel", "Funnel per action", funnel);

  std::string channels = "<div class=\"grid\">\n";
  // Capacity is used by treated decisions only; control ones are drawn beside them.
  std::vector<double> per_channel(c.channels.size(), 0), control(c.channels.size(), 0);
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    per_channel[c.actions[a].channel] += static_cast<double>(r.funnel[a].kept - r.funnel[a].control);
    control[c.actions[a].channel] += static_cast<double>(r.funnel[a].control);
  }
  for (std::size_t ch = 0; ch < c.channels.size(); ++ch) {
    std::optional<double> cap;
    if (auto k = decide::capacity_for(c.channels[ch], r.members)) cap = static_cast<double>(*k);
    std::string label = c.channels[ch].name + (cap ? fmt::format(" (capacity {:.0f})", *cap) : "");
    channels +=
        "<div class=\"channel\" data-channel=\"" + html_escape(c.channels[ch].name) + "\">" +
        svg_bars(label, {{"treated decisions", per_channel[ch]}, {"control", control[ch], "bar control"}}, cap) +
        "</div>\n";
  }
  add_section("channels", "Decisions per channel against capacity", channels + "</div>\n");

  if (!r.dialogues.empty()) {  // members per dialogue state and step at the sweep (engine/dialogue/dialogue_pass.h)
    std::string body = "<div class=\"grid\">\n";
    for (std::size_t d = 0; d < c.dialogues.size() && d < r.dialogues.size(); ++d) {
      std::vector<Bar> bars;
      for (std::size_t s = 0; s < dialogue::kStateCount; ++s) {
        const auto st = static_cast<dialogue::State>(s);
        bars.push_back({std::string(dialogue::state_name(st)), double(r.dialogues[d].in(st))});
      }
      body += "<div class=\"dialogue\" data-dialogue=\"" + html_escape(c.dialogues[d].name) + "\">" +
              svg_bars("dialogue " + c.dialogues[d].name + ": members per state", bars) + "</div>\n";
    }
    add_section("dialogues", "Dialogue states", body + "</div>\n");
  }

  if (!pressure.empty() || !remaining.empty())
    add_section("histograms", "Contact pressure and remaining budget",
                "<div class=\"grid\">" + svg_histogram("contact pressure before the sweep (points used)", pressure) +
                    svg_histogram("remaining budget after the sweep (points)", remaining) + "</div>\n");
}

void HtmlReport::add_uplift(const UpliftReport& r) {
  std::string body = fmt::format(
      "<p>Attribution window {} days. Rate uplift: treated rate - control rate, 95% Newcombe hybrid score "
      "interval; value per member: Welch 95% interval.</p>\n",
      r.options.attribution_days);
  body +=
      "<table class=\"uplift\"><tr><th>kind</th><th>name</th><th>treated</th><th>control</th><th>response</th>"
      "<th>treated rate</th><th>control rate</th><th>uplift</th><th>95% CI</th><th>incremental</th></tr>\n";
  auto pct = [](double v) { return std::isfinite(v) ? fmt::format("{:.3f}%", 100 * v) : std::string("-"); };
  std::string charts = "<div class=\"grid\">\n";
  for (const GroupUplift& g : r.groups) {
    std::vector<Bar> bars;
    for (const RateUplift& ru : g.rates) {
      body += fmt::format(
          "<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{}</td><td>{}</td><td class=\"name\">{}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td><td>{:.1f}</td></tr>\n",
          g.kind, html_escape(g.name), g.treated, g.control, html_escape(ru.type), pct(ru.treated_rate),
          pct(ru.control_rate), pct(ru.uplift), pct(ru.ci.low), pct(ru.ci.high), ru.incremental);
      bars.push_back(
          {ru.type + " (pp)", 100 * ru.uplift, 100 * ru.ci.low, 100 * ru.ci.high, ru.uplift < 0 ? "bar neg" : "bar"});
    }
    body += fmt::format(
        "<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td></td><td></td><td class=\"name\">value/member"
        "</td><td>{:.4f}</td><td>{:.4f}</td><td>{:.4f}</td><td>[{:.4f}, {:.4f}]</td><td>{:.1f}</td></tr>\n",
        g.kind, html_escape(g.name), g.treated_value.mean(), g.control_value.mean(), g.value_uplift, g.value_ci.low,
        g.value_ci.high, g.incremental_value);
    if (g.kind == "action" && g.treated && g.control)
      charts += "<div class=\"uplift-chart\" data-name=\"" + html_escape(g.name) + "\">" +
                svg_bars("uplift of " + g.name + " (percentage points, 95% CI)", bars, {}, "{:.3f}") + "</div>\n";
  }
  add_section("uplift", "Uplift: treated vs control", body + "</table>\n" + charts + "</div>\n");
}

void HtmlReport::add_diff(const CampaignDiff& d) {
  std::vector<Bar> actions, channels;
  for (const DiffCount& x : d.actions) {
    actions.push_back({x.name + " A", double(x.a)});
    actions.push_back({x.name + " B", double(x.b), "bar control"});
  }
  for (const DiffCount& x : d.channels) {
    auto cap = [](const std::optional<uint64_t>& c) { return c ? fmt::format(" (cap {})", *c) : std::string(); };
    channels.push_back({x.name + " A" + cap(x.a_capacity), double(x.a)});
    channels.push_back({x.name + " B" + cap(x.b_capacity), double(x.b), "bar control"});
  }
  std::string body = fmt::format(
      "<p>A = {}, B = {}, {} members. Members: <b class=\"gain\">{}</b> gain a contact, <b class=\"lose\">{}</b> "
      "lose all, <b class=\"change\">{}</b> change, {} keep the same decisions. Points spent: A {}, B {}.</p>\n",
      html_escape(d.a_name), html_escape(d.b_name), d.members, d.gain, d.lose, d.change, d.same, d.a_points,
      d.b_points);
  body += "<div class=\"grid\">" + svg_bars("decisions per action, A and B", actions) +
          svg_bars("decisions per channel, A and B", channels) +
          svg_histogram("remaining budget after A (points)", d.a_remaining) +
          svg_histogram("remaining budget after B (points)", d.b_remaining) + "</div>\n";
  body += "<table class=\"movers\"><tr><th>customer</th><th>A</th><th>B</th><th>why in A</th><th>why in B</th></tr>\n";
  auto join = [](const std::vector<std::string>& v) {
    std::string o;
    for (const auto& x : v) o += (o.empty() ? "" : ", ") + x;
    return o;
  };
  for (const Mover& m : d.movers)
    body += fmt::format(
        "<tr><td>{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td>"
        "<td class=\"name\">{}</td></tr>\n",
        m.customer_id, html_escape(join(m.a_actions)), html_escape(join(m.b_actions)), html_escape(m.a_reason),
        html_escape(m.b_reason));
  add_section("diff", "What-if: A against B", body + "</table>\n");
}

void HtmlReport::write(const std::string& path) const { write_file_atomically(path, html()); }

std::string HtmlReport::html() const {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>\n<style>{1}</style>"
      "</head>\n<body><h1>{0}</h1>\n{2}</body></html>\n",
      html_escape(title_), kCss, body_);
}

}  // namespace nudge::report
