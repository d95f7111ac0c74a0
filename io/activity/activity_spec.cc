#include "io/activity/activity_spec.h"

#include <fmt/format.h>

#include <set>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "engine/base/toml_reader.h"
#include "io/csv/csv_number.h"

namespace nudge {
namespace {

ActivityMetric parse_metric(const TomlReader& r, const toml::table& t, std::size_t index) {
  ActivityMetric m;
  const std::string entry = "[[metric]] #" + std::to_string(index + 1);
  auto fail = [&](const toml::node& n, const std::string& what) { r.fail(n, entry + ": " + what); };
  r.check_keys(t, {"column", "series", "type", "decimals"}, entry);
  for (const auto& [key, node] : t) {
    const std::string_view k = key.str();
    if (k == "column") {
      m.column = r.string(node, k);
    } else if (k == "series") {
      m.series = r.string(node, k);
      if (m.series.empty()) fail(node, "'series' must not be empty");
    } else if (k == "type") {
      const std::string s = r.string(node, k);
      if (s == "int32") m.type = DataType::Int32;
      else if (s == "float32") m.type = DataType::Float32;
      else fail(node, "type '" + s + "' is not a series type (int32 for counts, float32 for amounts)");
    } else if (k == "decimals") {
      auto v = node.value<int64_t>();
      if (!v || *v < 0 || *v > 9) fail(node, "'decimals' must be an integer 0..9");
      m.decimals = static_cast<int>(*v);
    }  // check_keys admitted no other key
  }
  if (m.column.empty()) fail(t, "'column' is missing");
  return m;
}

}  // namespace

std::string ActivityMetric::series_name() const { return series.empty() ? normalize_name(column) : series; }

std::string_view repeat_policy_name(RepeatPolicy p) noexcept {
  return p == RepeatPolicy::Sum ? "sum" : "drop-exact-duplicates";
}

std::string_view unknown_member_policy_name(UnknownMemberPolicy p) noexcept {
  return p == UnknownMemberPolicy::Error ? "error" : "skip";
}

void ActivitySpec::validate(std::string_view source) const {
  const std::string s(source);
  if (member_column.empty()) throw_invalid_input(s + ": 'member_column' is missing");
  const bool has_date = !date_column.empty();
  const bool has_period = !year_column.empty() || !month_column.empty();
  if (has_date == has_period)
    throw_invalid_input(s +
                        ": give either 'date_column' (event rows) or 'year_column' and 'month_column' "
                        "(period rows), not " +
                        (has_date ? "both" : "neither"));
  if (has_period && (year_column.empty() || month_column.empty()))
    throw_invalid_input(s + ": period rows need both 'year_column' and 'month_column'");
  if (has_period && unit != BucketUnit::Month)
    throw_invalid_input(s + ": period rows (year and month) can only fill monthly buckets, not unit '" +
                        std::string(bucket_unit_name(unit)) + "'");
  if (!date_format.empty() && !has_date) throw_invalid_input(s + ": 'date_format' needs 'date_column'");
  if (buckets < 1 || buckets > 100000)
    throw_invalid_input(s + ": 'buckets' must be between 1 and 100000, not " + std::to_string(buckets));
  if (metrics.empty()) throw_invalid_input(s + ": no [[metric]]: name at least one activity column to keep");
  std::set<std::string> names;
  for (const auto& m : metrics) {
    if (m.type != DataType::Int32 && m.type != DataType::Float32)
      throw_invalid_input(s + ": metric '" + m.column + "' must be int32 or float32");
    if (m.decimals < 0 || m.decimals > 9 || (m.decimals > 0 && m.type != DataType::Int32))
      throw_invalid_input(s + ": metric '" + m.column + "': decimals (0..9) apply to int32 metrics only");
    if (!names.insert(m.series_name()).second)
      throw_invalid_input(s + ": series '" + m.series_name() + "' is named twice");
  }
}

ActivitySpec parse_activity_spec(std::string_view text, std::string_view source) {
  const TomlReader r(text, std::string(source));
  const toml::table& root = r.root();
  r.check_keys(root,
               {"format", "member_column", "date_column", "date_format", "year_column", "month_column", "unit",
                "buckets", "unknown_members", "repeated_rows", "metric"},
               "the activity spec");
  ActivitySpec spec;
  bool has_buckets = false;
  for (const auto& entry : root) {
    // Named references, not a structured binding: clang before 16 (the fuzz build's) cannot capture one.
    const auto& key = entry.first;
    const auto& node = entry.second;
    const std::string_view k = key.str();
    auto fail = [&](const std::string& what) { r.fail(node, what); };
    if (k == "format") {
      const std::string v = r.string(node, k);
      if (v == "csv") spec.format = ActivityFormat::Csv;
      else if (v == "whitespace") spec.format = ActivityFormat::Whitespace;
      else fail("format '" + v + "' is not csv or whitespace");
    } else if (k == "member_column") {
      spec.member_column = r.string(node, k);
    } else if (k == "date_column") {
      spec.date_column = r.string(node, k);
    } else if (k == "date_format") {
      spec.date_format = r.string(node, k);
      if (!csv::DateFormat::compile(spec.date_format))
        fail("date format '" + spec.date_format + "' is not supported (use %Y, %m, %d once each)");
    } else if (k == "year_column") {
      spec.year_column = r.string(node, k);
    } else if (k == "month_column") {
      spec.month_column = r.string(node, k);
    } else if (k == "unit") {
      const std::string v = r.string(node, k);
      if (v == "day") spec.unit = BucketUnit::Day;
      else if (v == "week") spec.unit = BucketUnit::Week;
      else if (v == "month") spec.unit = BucketUnit::Month;
      else fail("unit '" + v + "' is not day, week or month");
    } else if (k == "buckets") {
      auto v = node.value<int64_t>();
      if (!v || *v < 1 || *v > 100000) fail("'buckets' must be an integer between 1 and 100000");
      spec.buckets = static_cast<std::size_t>(*v);
      has_buckets = true;
    } else if (k == "unknown_members") {
      const std::string v = r.string(node, k);
      if (v == "error") spec.unknown_members = UnknownMemberPolicy::Error;
      else if (v == "skip") spec.unknown_members = UnknownMemberPolicy::Skip;
      else fail("unknown_members '" + v + "' is not error or skip");
    } else if (k == "repeated_rows") {
      const std::string v = r.string(node, k);
      if (v == "sum") spec.repeated_rows = RepeatPolicy::Sum;
      else if (v == "drop-exact-duplicates") spec.repeated_rows = RepeatPolicy::DropExactDuplicates;
      else fail("repeated_rows '" + v + "' is not sum or drop-exact-duplicates");
    } else if (k == "metric") {
      const toml::array* a = node.as_array();
      if (!a) fail("'metric' must be an array of tables ([[metric]])");
      for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::table* t = (*a)[i].as_table();
        if (!t) r.fail((*a)[i], "[[metric]] entries must be tables");
        spec.metrics.push_back(parse_metric(r, *t, i));
      }
    }  // check_keys admitted no other key
  }
  if (!has_buckets) r.fail(root, "'buckets' is missing");
  spec.validate(source);
  return spec;
}

ActivitySpec load_activity_spec(const std::filesystem::path& path) {
  return parse_activity_spec(read_file(path, "activity spec"), path.string());
}

}  // namespace nudge
