// JSON and table forms of an uplift report (uplift_format.h).
#include "engine/report/uplift_format.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

namespace nudge::report {
namespace {

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.3f}%", 100 * v) : "-"; }
std::string fix(double v) { return std::isfinite(v) ? fmt::format("{:.4f}", v) : "-"; }
std::string inc(double v) { return std::isfinite(v) ? fmt::format("{:.1f}", v) : "-"; }

}  // namespace

std::string format_day(int32_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

nlohmann::json uplift_json(const UpliftReport& r) {
  nlohmann::json j;
  j["attribution_days"] = r.options.attribution_days;
  j["as_of"] = r.options.as_of == INT32_MAX ? nlohmann::json(nullptr) : nlohmann::json(format_day(r.options.as_of));
  j["methods"] = {{"rate_ci", "Newcombe hybrid score (Wilson), 95%"}, {"value_ci", "Welch t, 95%"}};
  j["response_types"] = r.response_types;
  for (const char* k : {"actions", "campaigns", "channels", "dialogue_steps"}) j[k] = nlohmann::json::array();
  for (const GroupUplift& g : r.groups) {
    nlohmann::json o;
    o["name"] = g.name;
    o["treated"] = g.treated;
    o["control"] = g.control;
    o["treated_contacts"] = g.treated_contacts;
    o["control_contacts"] = g.control_contacts;
    o["cost_points"] = g.cost_points;
    nlohmann::json resp = nlohmann::json::object();
    for (const RateUplift& ru : g.rates)
      resp[ru.type] = {{"treated_rate", num(ru.treated_rate)},
                       {"control_rate", num(ru.control_rate)},
                       {"uplift", num(ru.uplift)},
                       {"ci_low", num(ru.ci.low)},
                       {"ci_high", num(ru.ci.high)},
                       {"treated_responders", ru.treated_responders},
                       {"control_responders", ru.control_responders},
                       {"incremental", num(ru.incremental)}};
    o["responses"] = resp;
    o["value_per_member"] = {{"treated", num(g.treated_value.mean())},
                             {"control", num(g.control_value.mean())},
                             {"uplift", num(g.value_uplift)},
                             {"ci_low", num(g.value_ci.low)},
                             {"ci_high", num(g.value_ci.high)}};
    o["incremental_value"] = num(g.incremental_value);
    j[g.kind == "dialogue_step" ? "dialogue_steps" : g.kind + "s"].push_back(std::move(o));
  }
  return j;
}

std::string format_uplift_table(const UpliftReport& r) {
  std::string out = fmt::format("attribution window {} days{}; rate CI: Newcombe 95%, value CI: Welch 95%\n",
                                r.options.attribution_days,
                                r.options.as_of == INT32_MAX ? "" : ", as of " + format_day(r.options.as_of));
  std::string kind;
  for (const GroupUplift& g : r.groups) {
    if (g.kind != kind) {
      kind = g.kind;
      out += fmt::format("\n{:<24} {:>9} {:>9} {:<12} {:>9} {:>9} {:>9} {:>21} {:>11}\n", kind, "treated", "control",
                         "response", "treated", "control", "uplift", "95% CI", "increment");
    }
    bool first = true;
    for (const RateUplift& ru : g.rates) {
      out += fmt::format("{:<24} {:>9} {:>9} {:<12} {:>9} {:>9} {:>9} {:>21} {:>11}\n", first ? g.name : "",
                         first ? std::to_string(g.treated) : "", first ? std::to_string(g.control) : "", ru.type,
                         pct(ru.treated_rate), pct(ru.control_rate), pct(ru.uplift),
                         fmt::format("[{}, {}]", pct(ru.ci.low), pct(ru.ci.high)), inc(ru.incremental));
      first = false;
    }
    // With no response type in the window the value row is the group's first: it carries the counts.
    out += fmt::format("{:<24} {:>9} {:>9} {:<12} {:>9} {:>9} {:>9} {:>21} {:>11}\n", first ? g.name : "",
                       first ? std::to_string(g.treated) : "", first ? std::to_string(g.control) : "",
                       "value/member", fix(g.treated_value.mean()), fix(g.control_value.mean()), fix(g.value_uplift),
                       fmt::format("[{}, {}]", fix(g.value_ci.low), fix(g.value_ci.high)), inc(g.incremental_value));
    out +=
        fmt::format("{:<24} {:>9} {:>9} {:<12} {:>9}\n", "", "", "", "cost points", fmt::format("{}", g.cost_points));
  }
  return out;
}

}  // namespace nudge::report
