// Contacts and responses CSV readers (formats: history_csv.h).
#include "io/history/history_csv.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/base/utf8.h"
#include "engine/progress/progress.h"
#include "engine/store/types.h"
#include "io/csv/csv_number.h"
#include "io/csv/csv_tokenizer.h"
#include "io/file/mapped_file.h"

namespace nudge::history {
namespace {

// Two digits 0..max at s[i], advancing i.
bool two_digits(std::string_view s, std::size_t& i, int max) {
  if (i + 2 > s.size() || s[i] < '0' || s[i] > '9' || s[i + 1] < '0' || s[i + 1] > '9') return false;
  const int v = (s[i] - '0') * 10 + (s[i + 1] - '0');
  i += 2;
  return v <= max;
}

// The part of a timestamp after the date (mapping timestamps = true):
// "" or [ T]hh:mm[:ss[.fff]][Z|+hh[:mm]|-hh[:mm]], hours 00..23, minutes
// 00..59, seconds 00..60 (a leap second). Anything else ("garbage",
// "25:99") is refused rather than silently dropped.
bool valid_time_suffix(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != ' ' && s[0] != 'T') return false;
  std::size_t i = 1;
  if (!two_digits(s, i, 23) || i >= s.size() || s[i++] != ':' || !two_digits(s, i, 59)) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!two_digits(s, i, 60)) return false;
    if (i < s.size() && s[i] == '.') {
      const std::size_t d = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == d) return false;
    }
  }
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
    if (!two_digits(s, i, 23)) return false;
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size() && !two_digits(s, i, 59)) return false;
  }
  return i == s.size();
}

// One RS-2 column of the kind being read: where its text comes from.
struct Source {
  std::string_view name;  // RS-2 name
  int field = -1;         // index in the file's records, or -1
  bool constant = false;
  std::string value;  // the constant
};

class Reader {
 public:
  Reader(const std::filesystem::path& path, std::string_view kind, const CsvReadOptions& o, EventTable& t)
      : path_(path.string()), kind_(kind), opt_(o), t_(t), file_(MappedFile::open(path)) {
    text_ = {reinterpret_cast<const char*>(file_->data()), file_->size()};
    if (o.mapping) {
      if (o.mapping->kind != kind)
        throw_usage(o.mapping->source + ": a mapping of " + o.mapping->kind + ", given for a " + std::string(kind) +
                    " file");
      auto f = csv::DateFormat::compile(o.mapping->date_format);
      if (f) date_ = *f;
    }
    src_ = t.add_source(path_);
    if (o.progress) bar_.emplace("history add", text_.size());
  }

  // Reads the header and resolves every RS-2 column; `required` lists those
  // that must be present.
  void plan(std::initializer_list<std::string_view> required) {
    csv::Region all{0, text_.size(), 1, 0};
    reader_.emplace(text_, all);
    if (!reader_->next_record()) throw_invalid_input(path_ + ": the file is empty (expected a header row)");
    std::vector<std::string> header;
    csv::Field f;
    csv::FieldEnd e;
    do {
      e = reader_->read_field(f);
      if (e == csv::FieldEnd::Malformed)
        throw_invalid_input(fmt::format("{}:{}: header: {}", path_, reader_->record_line(),
                                        csv::malformed_message(reader_->malformed())));
      header.emplace_back(f.text);
    } while (e == csv::FieldEnd::Comma);
    fields_ = header.size();
    header_ = header;
    for (std::string_view name : history_columns(kind_)) {
      Source s;
      s.name = name;
      std::string want(name);
      if (opt_.mapping) {
        if (auto c = opt_.mapping->constants.find(want); c != opt_.mapping->constants.end()) {
          s.constant = true;
          s.value = c->second;
        } else if (auto m = opt_.mapping->columns.find(want); m != opt_.mapping->columns.end()) {
          want = m->second;
        }
      }
      if (!s.constant) {
        for (std::size_t i = 0; i < header.size() && s.field < 0; ++i)
          if (header[i] == want) s.field = static_cast<int>(i);
        for (std::size_t i = 0; i < header.size() && s.field < 0; ++i)
          if (normalize_name(header[i]) == normalize_name(want)) s.field = static_cast<int>(i);
      }
      sources_.push_back(std::move(s));
    }
    if (kind_ == "contacts" && opt_.sent_on) {
      Source& s = at("sent_on");
      if (s.field >= 0 || s.constant)
        throw_usage(path_ +
                    ": the file has a sent_on column; --sent-on is for files without one (a sweep's decisions)");
      s.constant = true;
      s.value = format_iso_date(*opt_.sent_on);
    }
    for (std::string_view r : required) {
      const Source& s = at(r);
      if (s.field >= 0 || s.constant) continue;
      std::string list;
      for (const auto& h : header) list += (list.empty() ? "" : ", ") + h;
      std::string hint = r == "sent_on" && kind_ == "contacts"
                             ? " (a sweep's decisions file has none: give --sent-on DATE)"
                             : std::string(opt_.mapping ? " (map it in the mapping's [columns] or [constants])" : "");
      throw_invalid_input(fmt::format("{}: no column '{}' in the header ({}){}", path_, r, list, hint));
    }
    values_.resize(sources_.size());
    cols_.resize(sources_.size());
    field_to_source_.assign(fields_, -1);
    for (std::size_t i = 0; i < sources_.size(); ++i)
      if (sources_[i].field >= 0) field_to_source_[static_cast<std::size_t>(sources_[i].field)] = static_cast<int>(i);
  }

  // Reads the next record's fields; false at the end.
  bool next() {
    if (!reader_->next_record()) {
      if (bar_) bar_->finish();
      return false;
    }
    line_ = reader_->record_line();
    const std::size_t rec = reader_->record_offset();
    if (bar_ && (++records_ & 4095) == 0) {  // bytes read, told every 4096 records
      bar_->advance(rec - reported_);
      reported_ = rec;
    }
    std::size_t n = 0;
    csv::Field f;
    csv::FieldEnd e;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      present_[i] = sources_[i].constant;
      if (sources_[i].constant) values_[i] = sources_[i].value;
    }
    do {
      const std::size_t off = reader_->offset();
      e = reader_->read_field(f);
      if (e == csv::FieldEnd::Malformed)
        throw_invalid_input(
            fmt::format("{}:{}:{}: {}", path_, line_, off - rec + 1, csv::malformed_message(reader_->malformed())));
      if (n < fields_ && field_to_source_[n] >= 0) {
        const auto s = static_cast<std::size_t>(field_to_source_[n]);
        values_[s].assign(f.text);
        cols_[s] = off - rec + 1;
        present_[s] = true;
      }
      ++n;
    } while (e == csv::FieldEnd::Comma);
    if (n != fields_) throw_invalid_input(fmt::format("{}:{}: {} fields, the header has {}", path_, line_, n, fields_));
    return true;
  }

  // The value as it may appear in a message: control characters as \xNN.
  static std::string printable(std::string_view v) {
    std::string o;
    for (const char ch : v) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f) o += fmt::format("\\x{:02x}", c);
      else o += ch;
    }
    return o;
  }

  [[noreturn]] void fail(std::string_view col, const std::string& what) const {
    const std::size_t i = index(col);
    const Source& s = sources_[i];
    if (s.constant)
      throw_invalid_input(fmt::format("{}:{}: column '{}' (constant '{}' of {}): {}", path_, line_, col, s.value,
                                      opt_.mapping ? opt_.mapping->source : std::string("--sent-on"), what));
    throw_invalid_input(fmt::format("{}:{}:{}: column '{}': '{}' {}", path_, line_, cols_[i], header_[s.field],
                                    printable(values_[i]), what));
  }

  std::string_view text(std::string_view col) const {
    const std::size_t i = index(col);
    return present_[i] ? std::string_view(values_[i]) : std::string_view();
  }
  bool has(std::string_view col) const { return present_[index(col)]; }

  std::string_view required(std::string_view col) const {
    std::string_view s = csv::trim_spaces(text(col));
    if (s.empty()) fail(col, "is empty (a value is required)");
    return s;
  }
  // A name (action, channel, type, ...), trimmed: UTF-8, as the segment's JSON meta requires.
  std::string_view name(std::string_view col, bool is_required) const {
    std::string_view s = is_required ? required(col) : csv::trim_spaces(text(col));
    if (auto bad = invalid_utf8(s); bad != std::string_view::npos)
      fail(col, fmt::format("is not UTF-8 text (byte {} of the value); nudge reads UTF-8: convert the file, "
                            "e.g. iconv -f LATIN1 -t UTF-8",
                            bad + 1));
    // A control character (NUL, tab, newline, ...) would cut or garble every text output the name appears in.
    for (std::size_t k = 0; k < s.size(); ++k)
      if (const auto c = static_cast<unsigned char>(s[k]); c < 0x20 || c == 0x7f)
        fail(col, fmt::format("holds the control character U+{:04X} (byte {} of the value); names may not hold "
                              "control characters",
                              c, k + 1));
    return s;
  }
  uint64_t id(std::string_view col) const {
    uint64_t v;
    if (csv::parse_uint64(required(col), v) != csv::ParseStatus::Ok) fail(col, "is not a customer id (uint64)");
    return v;
  }
  int32_t date(std::string_view col) const {
    std::string_view s = required(col);
    if (opt_.mapping && opt_.mapping->timestamps) {
      const std::size_t cut = std::min(s.find(' '), s.find('T'));
      if (cut != std::string_view::npos && !valid_time_suffix(s.substr(cut)))
        fail(col, "has '" + std::string(s.substr(cut)) + "' after the date: expected a time hh:mm[:ss] (the mapping "
                  "has timestamps = true)");
      s = s.substr(0, cut);
    }
    int32_t d;
    if (date_.parse(s, d) != csv::ParseStatus::Ok) fail(col, "is not a date (" + date_.pattern() + ")");
    return d;
  }
  double number(std::string_view col, bool optional) const {
    std::string_view s = csv::trim_spaces(text(col));
    if (s.empty()) {
      if (optional) return std::numeric_limits<double>::quiet_NaN();
      fail(col, "is empty (a value is required)");
    }
    double v;
    if (csv::parse_float64(s, v) != csv::ParseStatus::Ok || !std::isfinite(v)) fail(col, "is not a finite number");
    return v;
  }

  uint64_t origin() const { return EventTable::origin(src_, line_); }
  EventTable& table() { return t_; }
  const CsvReadOptions& options() const { return opt_; }

  void init_presence() { present_.assign(sources_.size(), false); }

 private:
  std::size_t index(std::string_view col) const {
    for (std::size_t i = 0; i < sources_.size(); ++i)
      if (sources_[i].name == col) return i;
    throw_internal("history csv: no column " + std::string(col));
  }
  Source& at(std::string_view col) { return sources_[index(col)]; }

  std::string path_;
  std::string_view kind_;
  const CsvReadOptions& opt_;
  EventTable& t_;
  std::shared_ptr<const MappedFile> file_;
  std::string_view text_;
  csv::DateFormat date_;
  uint32_t src_ = 0;
  std::optional<csv::RecordReader> reader_;
  std::size_t fields_ = 0;
  std::vector<std::string> header_;
  std::vector<Source> sources_;
  std::vector<int> field_to_source_;
  std::vector<std::string> values_;
  std::vector<std::size_t> cols_;
  std::vector<bool> present_;
  uint64_t line_ = 0;
  std::optional<Progress> bar_;  // CsvReadOptions::progress
  uint64_t records_ = 0;
  std::size_t reported_ = 0;  // bytes told to bar_
};

}  // namespace

CsvReadStats read_contacts_csv(const std::filesystem::path& path, EventTable& t, const CsvReadOptions& options) {
  Reader r(path, "contacts", options, t);
  r.plan({"customer_id", "sent_on", "action", "channel", "message_type", "cost"});
  r.init_presence();
  CsvReadStats st;
  std::unordered_map<std::string, uint32_t> profile_cache;  // the profile columns' text -> profile
  std::string key;
  static constexpr std::string_view kProfileCols[] = {"action",   "channel", "message_type", "cost", "control",
                                                      "campaign", "brand",   "dialogue",     "step"};
  while (r.next()) {
    ++st.rows;
    key.clear();
    for (std::string_view c : kProfileCols) {
      key += r.text(c);
      key += '\x1f';
    }
    const uint64_t id = r.id("customer_id");
    const int32_t sent = r.date("sent_on");
    auto it = profile_cache.find(key);
    if (it == profile_cache.end()) {
      ContactProfile p;
      p.action = t.intern(Dict::Action, r.name("action", true));
      p.channel = t.intern(Dict::Channel, r.name("channel", true));
      p.message_type = t.intern(Dict::MessageType, r.name("message_type", true));
      p.cost = r.number("cost", false);
      if (p.cost < 0) r.fail("cost", "is negative (a cost is points spent, >= 0)");
      if (p.cost == 0) p.cost = 0;  // -0 -> 0
      const std::string_view control = csv::trim_spaces(r.text("control"));
      if (!control.empty()) {
        uint8_t b;
        if (csv::parse_bool(control, b) != csv::ParseStatus::Ok) r.fail("control", "is not true/false/1/0");
        p.control = b != 0;
      }
      p.campaign = t.intern(Dict::Campaign, r.name("campaign", false));
      p.brand = t.intern(Dict::Brand, r.name("brand", false));
      p.dialogue = t.intern(Dict::Dialogue, r.name("dialogue", false));
      const std::string_view step = csv::trim_spaces(r.text("step"));
      if (!step.empty() && (csv::parse_int32(step, p.step) != csv::ParseStatus::Ok || p.step < 0))
        r.fail("step", "is not a step number (an integer >= 0)");
      it = profile_cache.emplace(key, t.intern_profile(p)).first;
    }
    t.contacts.push_back({id, sent, it->second, 0, r.origin()});
  }
  return st;
}

CsvReadStats read_responses_csv(const std::filesystem::path& path, EventTable& t, const CsvReadOptions& options) {
  if (options.sent_on) throw_usage("--sent-on is for contacts files (a sweep's decisions), not responses");
  Reader r(path, "responses", options, t);
  r.plan({"customer_id", "action", "sent_on", "responded_on", "type"});
  r.init_presence();
  CsvReadStats st;
  while (r.next()) {
    ++st.rows;
    std::string_view type = r.name("type", true);
    if (options.mapping) {
      if (auto m = options.mapping->types.find(std::string(type)); m != options.mapping->types.end()) {
        if (m->second.empty()) {
          ++st.dropped_rows;
          continue;
        }
        type = m->second;
      }
    }
    const uint64_t id = r.id("customer_id");
    const int32_t action = t.intern(Dict::Action, r.name("action", true));
    const int32_t sent = r.date("sent_on");
    const int32_t on = r.date("responded_on");
    const double value = r.number("value", true);
    t.responses.push_back({id, action, sent, on, t.intern(Dict::ResponseType, type), value, r.origin()});
  }
  return st;
}

}  // namespace nudge::history
