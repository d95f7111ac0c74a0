// CSV and JSON Lines writers for ranked decisions (decision_writer.h).
#include "engine/decide/decision_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/base/error.h"

namespace nudge::decide {
namespace {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string json_string(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

// The per-action text fields, quoted once.
struct ActionText {
  std::string name, channel, message_type, trigger, brand;
};

void flush(std::FILE* out, fmt::memory_buffer& buf) {
  if (buf.size() && std::fwrite(buf.data(), 1, buf.size(), out) != buf.size())
    throw_io(fmt::format("cannot write decisions: {}", std::strerror(errno)));
  buf.clear();
}

}  // namespace

std::string trigger_column_text(std::string_view action_name, std::string_view trigger) {
  // Code points are counted by their lead bytes (every byte but 10xxxxxx).
  std::size_t chars = 0, cut = trigger.size();
  for (std::size_t i = 0; i < trigger.size(); ++i) {
    if ((static_cast<unsigned char>(trigger[i]) & 0xC0) == 0x80) continue;
    if (chars == kTriggerColumnChars) cut = i;
    ++chars;
  }
  if (chars <= kTriggerColumnChars) return std::string(trigger);
  return fmt::format("{}\xE2\x80\xA6 (+{} characters; see action '{}' in the campaign)", trigger.substr(0, cut),
                     chars - kTriggerColumnChars, action_name);
}

OutputFormat parse_output_format(std::string_view s) {
  if (s == "csv") return OutputFormat::Csv;
  if (s == "jsonl") return OutputFormat::JsonLines;
  throw_usage(fmt::format("unknown output format '{}' (expected csv or jsonl)", s));
}

void write_decisions(std::FILE* out, const Campaign& c, const std::vector<Decision>& ranked, OutputFormat format) {
  const bool csv = format == OutputFormat::Csv;
  auto quote = [&](std::string_view s) { return csv ? csv_field(s) : json_string(s); };
  std::vector<ActionText> text;
  std::vector<double> cost;
  for (const auto& a : c.actions) {
    text.push_back({quote(a.name), quote(c.channels[a.channel].name), quote(c.message_types[a.message_type].name),
                    quote(trigger_column_text(a.name, a.trigger.text)), a.brand.empty() ? (csv ? "" : "null") : quote(a.brand)});
    cost.push_back(c.cost(a));
  }
  fmt::memory_buffer buf;
  if (csv)
    fmt::format_to(std::back_inserter(buf),
                   "rank,customer_id,action,channel,message_type,priority,cost,"
                   "budget_left,churn,trigger,brand,control\n");
  std::size_t rank = 0;
  for (const Decision& d : ranked) {
    const ActionText& t = text[d.action];
    ++rank;
    if (csv) {
      fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{},{},{},", rank, d.customer_id, t.name, t.channel,
                     t.message_type, d.priority, cost[d.action], d.budget_left);
      if (!std::isnan(d.churn)) fmt::format_to(std::back_inserter(buf), "{}", d.churn);
      fmt::format_to(std::back_inserter(buf), ",{},{},{}\n", t.trigger, t.brand, d.control ? "true" : "false");
    } else {
      fmt::format_to(std::back_inserter(buf),
                     "{{\"rank\":{},\"customer_id\":{},\"action\":{},\"channel\":{},\"message_type\":{},"
                     "\"priority\":{},\"cost\":{},\"budget_left\":{},\"churn\":",
                     rank, d.customer_id, t.name, t.channel, t.message_type, d.priority, cost[d.action], d.budget_left);
      if (std::isnan(d.churn)) fmt::format_to(std::back_inserter(buf), "null");
      else fmt::format_to(std::back_inserter(buf), "{}", d.churn);
      fmt::format_to(std::back_inserter(buf), ",\"trigger\":{},\"brand\":{},\"control\":{}}}\n", t.trigger, t.brand,
                     d.control ? "true" : "false");
    }
    if (buf.size() > (1u << 20)) flush(out, buf);
  }
  flush(out, buf);
}

}  // namespace nudge::decide
