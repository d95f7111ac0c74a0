#include "io/csv/whitespace_table.h"

#include "engine/base/error.h"
#include "engine/base/read_file.h"

namespace nudge {

std::string whitespace_table_to_csv(std::string_view text, std::string_view file_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  std::size_t line = 0, header_fields = 0;
  bool have_header = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view l = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    std::size_t fields = 0, i = 0;
    const std::size_t out_before = out.size();
    while (i < l.size()) {
      while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
      if (i == l.size()) break;
      const std::size_t b = i;
      while (i < l.size() && l[i] != ' ' && l[i] != '\t') {
        if (l[i] == ',' || l[i] == '"')
          throw_invalid_input(std::string(file_name) + ":" + std::to_string(line) + ":" + std::to_string(i + 1) +
                              ": field '" + std::string(l.substr(b, l.find_first_of(" \t", b) - b)) + "' holds a '" +
                              l[i] + "', which a whitespace-separated table cannot carry");
        ++i;
      }
      if (fields++ > 0) out.push_back(',');
      out.append(l.substr(b, i - b));
    }
    if (fields == 0) continue;  // blank line
    if (!have_header) {
      have_header = true;
      header_fields = fields;
    } else if (fields != header_fields) {
      out.resize(out_before);
      throw_invalid_input(std::string(file_name) + ":" + std::to_string(line) + ":1: line has " +
                          std::to_string(fields) + " fields, the header line has " + std::to_string(header_fields));
    }
    out.push_back('\n');
  }
  return out;
}

std::string whitespace_table_to_csv_file(const std::string& path) {
  return whitespace_table_to_csv(read_file(path, "table"), path);
}

}  // namespace nudge
