// Fuzz target: history contact and response batches (io/history).
//
// Input: one byte of options, then the contacts CSV, a line "===", the
// responses CSV, and optionally another "===" line and a mapping TOML
// (io/history/history_mapping.h) used for the file of its kind.
//   bit 0: the contacts are a decisions file (--sent-on 2026-11-15)
//   bit 1: strict responses (an orphan response is an error)
// Steps, each of which may throw nudge::Error (then the run ends): read both
// CSVs into one EventTable, build the History; write it as a segment and open
// that with verify_data; add the contacts and the responses as two batches to
// a fresh history folder, add the contacts again, open the folder.
// Checks: the segment reads back column for column equal to the built view;
// the second add of the same contacts is detected (already_added); the
// folder's view has the built view's members, contacts and responses.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/history/event_table.h"
#include "engine/history/history.h"
#include "engine/store/types.h"
#include "io/history/history_csv.h"
#include "io/history/history_mapping.h"
#include "io/history/history_store.h"
#include "io/history/segment_file.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace nudge;
using namespace nudge::history;

template <class A, class B>
bool same_span(A a, B b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!fuzz::same_double(static_cast<double>(a[i]), static_cast<double>(b[i]))) return false;
  return true;
}

void check_same(const History& a, const History& b, const std::string& what) {
  fuzz::check(
      same_span(a.customer_ids(), b.customer_ids()) && same_span(a.contact_offsets(), b.contact_offsets()) &&
          same_span(a.response_offsets(), b.response_offsets()) && same_span(a.sent_on(), b.sent_on()) &&
          same_span(a.contact_profile(), b.contact_profile()) && same_span(a.contact_batch(), b.contact_batch()) &&
          same_span(a.response_contact(), b.response_contact()) && same_span(a.responded_on(), b.responded_on()) &&
          same_span(a.response_type(), b.response_type()) && same_span(a.response_value(), b.response_value()),
      what + " differs from the built history");
}

struct Inputs {
  std::filesystem::path contacts, responses;
  CsvReadOptions contact_options, response_options;
};

void read_into(EventTable& t, const Inputs& in, bool contacts, bool responses) {
  if (contacts) read_contacts_csv(in.contacts, t, in.contact_options);
  if (responses) read_responses_csv(in.responses, t, in.response_options);
}

BatchInfo batch(const std::string& kind, std::optional<int32_t> sent_on) {
  BatchInfo b;
  b.kind = kind;
  b.source = kind + ".csv";
  b.sent_on = sent_on;
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  auto parts = fuzz::split(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), "\n===\n", 3);
  if (parts.size() < 2) return 0;
  Inputs in;
  in.contacts = fuzz::write_scratch("contacts.csv", parts[0]);
  in.responses = fuzz::write_scratch("responses.csv", parts[1]);
  HistoryMapping mapping;
  if (parts.size() == 3) {
    try {
      mapping = parse_history_mapping(parts[2], "fuzz-mapping.toml");
    } catch (const Error&) { return 0; }
    (mapping.kind == "contacts" ? in.contact_options : in.response_options).mapping = &mapping;
  }
  if (flags & 1) in.contact_options.sent_on = nudge::days_from_civil(2026, 11, 15);
  BuildOptions build_options;
  build_options.strict_responses = flags & 2;

  std::optional<History> built;
  try {
    EventTable t;
    read_into(t, in, true, true);
    built.emplace(build(std::move(t), build_options));
  } catch (const Error&) { return 0; }
  const auto segment = fuzz::scratch_path("segment.nhs");
  write_segment(*built, segment);
  {
    SegmentOpenOptions verify;
    verify.verify_data = true;
    History back = open_segment(segment, verify);
    check_same(*built, back, "the segment");
  }
  std::filesystem::remove(segment);

  const auto dir = fuzz::scratch_path("hist");
  std::filesystem::remove_all(dir);
  try {
    AddOptions add;
    add.strict_responses = build_options.strict_responses;
    EventTable c, r, again;
    read_into(c, in, true, false);
    read_into(r, in, false, true);
    read_into(again, in, true, false);
    bool any_contacts = !c.contacts.empty();
    add_batch(dir, std::move(c), batch("contacts", in.contact_options.sent_on), add);
    add_batch(dir, std::move(r), batch("responses", std::nullopt), add);
    auto repeat = add_batch(dir, std::move(again), batch("contacts", in.contact_options.sent_on), add);
    fuzz::check(!any_contacts || repeat.already_added || !repeat.added, "adding the same contacts twice added them");
    HistoryOpenOptions verify;
    verify.verify_data = true;
    History h = open_history(dir, verify);
    fuzz::check(h.members() == built->members() && h.contacts() == built->contacts(),
                "the folder's history has other members or contacts than the built one");
  } catch (const Error&) {}
  std::filesystem::remove_all(dir);
  return 0;
}
