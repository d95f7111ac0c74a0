#include "io/csv/csv_chunk_parser.h"

#include <mimalloc.h>

#include <cstring>
#include <new>

namespace nudge::csv {
namespace {

std::string expected_text(const PlanColumn& c) {
  std::string s(type_name(c.type));
  if (c.type == DataType::Date) s += " (" + c.date_format.pattern() + ")";
  if (c.type == DataType::Category && c.fixed_categories) {
    s += " (one of ";
    const auto& v = c.dictionary.values();
    for (std::size_t i = 0; i < v.size() && i < 12; ++i) s += (i ? ", " : "") + v[i];
    if (v.size() > 12) s += ", ...";
    s += ")";
  }
  return s;
}

unsigned char* allocate(std::size_t bytes) {
  void* p = mi_malloc(bytes ? bytes : 1);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<unsigned char*>(p);
}

class RegionParser {
 public:
  RegionParser(std::string_view text, const Region& region, const CsvPlan& plan) : reader_(text, region), plan_(plan) {
    const std::size_t cap = region.newlines + 1;  // records <= LF bytes + 1
    res_.columns.resize(plan.columns.size());
    for (std::size_t c = 0; c < plan.columns.size(); ++c)
      res_.columns[c].data.reset(allocate(cap * plan.columns[c].width));
    // One small entry per field for the hot loop (the plan's entries are large).
    fast_.resize(plan.fields);
    for (std::size_t fi = 0; fi < plan.fields; ++fi) {
      const int c = plan.field_to_column[fi];
      if (c < 0) continue;
      const PlanColumn& pc = plan.columns[static_cast<std::size_t>(c)];
      fast_[fi] = {pc.type == DataType::Category || pc.type == DataType::Date ? DataType::Category : pc.type,
                   pc.type != DataType::Category && pc.type != DataType::Date, pc.width,
                   res_.columns[static_cast<std::size_t>(c)].data.get()};
    }
  }

  ChunkResult run() {
    uint64_t expect_line = 0;
    while (reader_.next_record()) {
      const std::size_t row = res_.rows;
      std::string why;
      if (!parse_record(row, why)) {
        reader_.skip_record();
        undo(row);
        const std::string msg = plan_.file_name + ":" + std::to_string(reader_.record_line()) + ": " + why;
        if (!plan_.skip_bad_rows) {
          res_.error = msg;
          break;
        }
        ++res_.bad_rows;
        if (res_.reasons.size() < plan_.max_reasons) res_.reasons.push_back(msg);
        continue;
      }
      if (reader_.record_line() != expect_line) res_.line_anchors.emplace_back(row, reader_.record_line());
      expect_line = reader_.record_line() + 1;
      ++res_.rows;
    }
    return std::move(res_);
  }

 private:
  std::string column_prefix(std::size_t field) const {
    return "column " + std::to_string(field + 1) + " (" +
           (plan_.field_to_column[field] >= 0 ? plan_.columns[plan_.field_to_column[field]].header : std::string("?")) +
           "): ";
  }

  bool parse_record(std::size_t row, std::string& why) {
    Field f;
    FieldEnd e = FieldEnd::Comma;
    for (std::size_t fi = 0; fi < plan_.fields; ++fi) {
      if (e != FieldEnd::Comma) {
        why = "expected " + std::to_string(plan_.fields) + " fields, found " + std::to_string(fi);
        return false;
      }
      if (fast_[fi].enabled && try_fast(fast_[fi], row, e)) continue;
      e = reader_.read_field(f);
      if (e == FieldEnd::Malformed) {
        why = column_prefix(fi) + malformed_message(reader_.malformed()) + ", found " + quote_for_message(f.text);
        return false;
      }
      const int c = plan_.field_to_column[fi];
      if (c >= 0 && !store(plan_.columns[c], res_.columns[c], row, f, why)) {
        why = column_prefix(fi) + why;
        return false;
      }
    }
    if (e == FieldEnd::Comma) {
      std::size_t n = plan_.fields;
      while (e == FieldEnd::Comma) {
        e = reader_.read_field(f);
        ++n;
      }
      why = "expected " + std::to_string(plan_.fields) + " fields, found " +
            (e == FieldEnd::Malformed ? "more" : std::to_string(n));
      return false;
    }
    return true;
  }

  // The fast path: a plain number or 0/1 read straight from the text, then
  // its terminator. False (nothing consumed) when the field needs the
  // general path: NULL, spaces, quotes, '+', long or malformed values.
  struct FastField {
    DataType type = DataType::Category;
    bool enabled = false;  // a type with a fast path (not category, date, or a skipped field)
    std::size_t width = 0;
    unsigned char* data = nullptr;  // the chunk column's values
  };

  bool try_fast(const FastField& c, std::size_t row, FieldEnd& e) {
    const char* p = reader_.cursor();
    const char* end = reader_.data_end();
    unsigned char* slot = c.data + row * c.width;
    const char* q = nullptr;
    switch (c.type) {
      case DataType::Bool:
        if (p < end && (*p == '0' || *p == '1')) {
          *slot = static_cast<unsigned char>(*p - '0');
          q = p + 1;
        }
        break;
      case DataType::Int32: q = scan_into<int32_t>(p, end, slot); break;
      case DataType::Int64: q = scan_into<int64_t>(p, end, slot); break;
      case DataType::UInt64: q = scan_into<uint64_t>(p, end, slot); break;
      case DataType::Float32: {
        float v;
        if ((q = scan_decimal(p, end, v)) || (q = scan_float32(p, end, v))) std::memcpy(slot, &v, 4);
        break;
      }
      case DataType::Float64: {
        double v;
        if ((q = scan_decimal(p, end, v)) || (q = scan_float64(p, end, v))) std::memcpy(slot, &v, 8);
        break;
      }
      default: return false;
    }
    if (q == nullptr) return false;
    e = reader_.finish_value(q);
    return e != FieldEnd::Malformed;
  }

  template <class T>
  static const char* scan_into(const char* p, const char* end, unsigned char* slot) {
    T v;
    const char* q = scan_integer(p, end, v);
    if (q) std::memcpy(slot, &v, sizeof v);
    return q;
  }

  static bool fail(const PlanColumn& c, std::string_view text, ParseStatus st, std::string& why) {
    why = "expected " + expected_text(c) + ", found " + quote_for_message(text) +
          (st == ParseStatus::OutOfRange ? " (out of range)" : "");
    return false;
  }

  bool store(const PlanColumn& c, ChunkColumn& cc, std::size_t row, const Field& f, std::string& why) {
    unsigned char* slot = cc.data.get() + row * c.width;
    std::string_view t = f.text;
    if (c.type == DataType::Category) {
      if (t.empty() && !f.quoted) return store_null(c, cc, row, slot, why);
      int32_t code;
      if (c.fixed_categories) {
        code = c.dictionary.find(t);
        if (code < 0) return fail(c, t, ParseStatus::Invalid, why);
      } else {
        code = cc.dictionary.find(t);
        if (code < 0) {
          code = cc.dictionary.add(t);
          cc.dict_first_row.push_back(row);
        }
      }
      std::memcpy(slot, &code, 4);
      return true;
    }
    if (trim_spaces(t).empty()) return store_null(c, cc, row, slot, why);
    ParseStatus st = ParseStatus::Invalid;
    switch (c.type) {
      case DataType::Bool: {
        uint8_t v = 0;
        st = parse_bool(t, v);
        *slot = v;
        break;
      }
      case DataType::Int32: {
        int32_t v = 0;
        st = parse_int32(t, v);
        std::memcpy(slot, &v, 4);
        break;
      }
      case DataType::Int64: {
        int64_t v = 0;
        st = parse_int64(t, v);
        std::memcpy(slot, &v, 8);
        break;
      }
      case DataType::UInt64: {
        uint64_t v = 0;
        st = parse_uint64(t, v);
        std::memcpy(slot, &v, 8);
        break;
      }
      case DataType::Float32: {
        float v = 0;
        st = parse_float32(t, v);
        std::memcpy(slot, &v, 4);
        break;
      }
      case DataType::Float64: {
        double v = 0;
        st = parse_float64(t, v);
        std::memcpy(slot, &v, 8);
        break;
      }
      case DataType::Date: {
        int32_t v = 0;
        st = c.date_format.parse(t, v);
        std::memcpy(slot, &v, 4);
        break;
      }
      case DataType::Category: break;
    }
    return st == ParseStatus::Ok || fail(c, t, st, why);
  }

  static bool store_null(const PlanColumn& c, ChunkColumn& cc, std::size_t row, unsigned char* slot, std::string& why) {
    if (c.is_id) {
      why = "the id column may not be empty";
      return false;
    }
    std::memset(slot, 0, c.width);
    cc.nulls.push_back(static_cast<uint32_t>(row));
    return true;
  }

  // Forgets what a rejected row at `row` wrote (its value slots are simply
  // overwritten by the next row).
  void undo(std::size_t row) {
    for (auto& cc : res_.columns) {
      while (!cc.nulls.empty() && cc.nulls.back() == row) cc.nulls.pop_back();
      std::size_t keep = cc.dict_first_row.size();
      while (keep > 0 && cc.dict_first_row[keep - 1] == row) --keep;
      cc.dict_first_row.resize(keep);
      cc.dictionary.truncate(keep);
    }
  }

  RecordReader reader_;
  std::vector<FastField> fast_;  // per field
  const CsvPlan& plan_;
  ChunkResult res_;
};

}  // namespace

void MiFree::operator()(unsigned char* p) const noexcept { mi_free(p); }

ChunkResult parse_region(std::string_view text, const Region& region, const CsvPlan& plan) {
  return RegionParser(text, region, plan).run();
}

std::string quote_for_message(std::string_view text) {
  std::string out = "'";
  const std::size_t n = text.size() > 60 ? 57 : text.size();
  for (std::size_t i = 0; i < n; ++i) {
    switch (text[i]) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += text[i];
    }
  }
  if (n < text.size()) out += "...";
  return out + "'";
}

}  // namespace nudge::csv
