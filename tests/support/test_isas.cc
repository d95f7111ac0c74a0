// Instruction sets for differential tests (test_isas.h).
#include "tests/support/test_isas.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace nudge::test {

std::vector<simd::Isa> test_isas() {
  std::vector<simd::Isa> out;
  const char* env = std::getenv("NUDGE_TEST_ISA");
  if (env == nullptr || *env == '\0' || std::string_view(env) == "all") {
    out = simd::supported_isas();
  } else {
    std::string_view list(env);
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      const std::string_view name = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (name.empty()) continue;
      const auto isa = simd::parse_isa(name);
      if (!isa) {
        ADD_FAILURE() << "NUDGE_TEST_ISA names '" << name << "', not an instruction set";
      } else if (!simd::cpu_supports(*isa)) {
        ADD_FAILURE() << "NUDGE_TEST_ISA=" << env << " asks for " << simd::isa_name(*isa)
                      << ", which this CPU (or OS) does not support";
      } else {
        out.push_back(*isa);
      }
    }
  }
  std::string names;
  for (auto isa : out) names += (names.empty() ? "" : " ") + std::string(simd::isa_name(isa));
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // Once per test (helpers call this for every check they make).
  static std::string last;
  const std::string key = (info ? std::string(info->test_suite_name()) + "." + info->name() : "?") + ":" + names;
  if (key == last) return out;
  last = key;
  ::testing::Test::RecordProperty("isas", names);
  std::printf("[ ISAS     ] %s.%s: %s\n", info ? info->test_suite_name() : "?", info ? info->name() : "?",
              names.empty() ? "(none)" : names.c_str());
  std::fflush(stdout);
  return out;
}

}  // namespace nudge::test
