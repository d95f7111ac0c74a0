#include "io/csv/member_overlay.h"

#include <charconv>
#include <cstring>
#include <unordered_map>

#include "engine/base/error.h"

namespace nudge {

OverlayReport apply_overlay(Population& members, const Population& overlay, std::string_view source) {
  const std::string src(source);
  auto mid = members.id_column();
  if (!mid) throw_invalid_input(src + ": the members table has no id column to join the overlay on");
  const std::string& id_name = members.column(*mid).name();
  std::optional<std::size_t> oid = overlay.id_column();
  if (!oid) oid = overlay.find(id_name);
  if (!oid || overlay.column(*oid).type() != DataType::UInt64)
    throw_invalid_input(src + ": the overlay needs a uint64 id column named '" + id_name + "'");
  const Column& oids = overlay.column(*oid);
  std::unordered_map<uint64_t, std::size_t> row_of;
  const Column& mids = members.column(*mid);
  for (std::size_t r = 0; r < members.rows(); ++r) row_of.emplace(mids.values<uint64_t>()[r], r);

  std::vector<std::size_t> target(overlay.rows());  // overlay row -> member row
  std::vector<char> seen(members.rows(), 0);
  for (std::size_t r = 0; r < overlay.rows(); ++r) {
    if (oids.is_null(r)) throw_invalid_input(src + ": data row " + std::to_string(r + 1) + ": the id is empty");
    const uint64_t id = oids.values<uint64_t>()[r];
    auto it = row_of.find(id);
    if (it == row_of.end())
      throw_invalid_input(src + ": data row " + std::to_string(r + 1) + ": member " + std::to_string(id) +
                          " is not in the members table");
    if (seen[it->second]++)
      throw_invalid_input(src + ": data row " + std::to_string(r + 1) + ": member " + std::to_string(id) +
                          " appears twice");
    target[r] = it->second;
  }
  OverlayReport rep;
  rep.overlay_rows = overlay.rows();
  rep.members_matched = overlay.rows();
  rep.members_missing = members.rows() - overlay.rows();
  for (std::size_t c = 0; c < overlay.num_columns(); ++c) {
    if (c == *oid) continue;
    const Column& in = overlay.column(c);
    if (members.find(in.name())) throw_invalid_input(src + ": the members already have a column '" + in.name() + "'");
    Column out(in.name(), in.type(), members.rows());
    out.set_dictionary(in.dictionary());
    const std::size_t w = type_width(in.type());
    for (std::size_t r = 0; r < members.rows(); ++r)
      if (!seen[r]) out.set_null(r);
    for (std::size_t r = 0; r < overlay.rows(); ++r) {
      if (in.is_null(r)) {
        out.set_null(target[r]);
        continue;
      }
      std::memcpy(out.mutable_values<unsigned char>() + target[r] * w, in.values<unsigned char>() + r * w, w);
    }
    members.add_column(std::move(out));
    ++rep.columns_added;
  }
  return rep;
}

std::string add_default_column(Population& members, std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == assignment.size())
    throw_usage("--default '" + std::string(assignment) + "': expected name=value (e.g. email_opt_in=true)");
  const std::string name(assignment.substr(0, eq));
  const std::string value(assignment.substr(eq + 1));
  if (members.find(name)) throw_usage("--default: the members already have a column '" + name + "'");
  const std::size_t n = members.rows();
  std::string type;
  if (value == "true" || value == "false") {
    Column c(name, DataType::Bool, n);
    for (std::size_t r = 0; r < n; ++r) c.mutable_values<uint8_t>()[r] = value == "true";
    members.add_column(std::move(c));
    type = "bool";
  } else {
    int32_t i = 0;
    auto ri = std::from_chars(value.data(), value.data() + value.size(), i);
    if (ri.ec == std::errc() && ri.ptr == value.data() + value.size()) {
      Column c(name, DataType::Int32, n);
      for (std::size_t r = 0; r < n; ++r) c.mutable_values<int32_t>()[r] = i;
      members.add_column(std::move(c));
      type = "int32";
    } else {
      float f = 0;
      auto rf = std::from_chars(value.data(), value.data() + value.size(), f);
      if (rf.ec != std::errc() || rf.ptr != value.data() + value.size())
        throw_usage("--default " + name + ": '" + value + "' is not true, false, an integer or a decimal");
      Column c(name, DataType::Float32, n);
      for (std::size_t r = 0; r < n; ++r) c.mutable_values<float>()[r] = f;
      members.add_column(std::move(c));
      type = "float32";
    }
  }
  return name + " = " + value + " (" + type + ") for all " + std::to_string(n) + " members";
}

}  // namespace nudge
