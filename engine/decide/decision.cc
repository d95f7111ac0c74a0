// Names of the gates (decision.h).
#include "engine/decide/decision.h"

namespace nudge::decide {

std::string_view gate_name(Gate g) noexcept {
  switch (g) {
    case Gate::Consent: return "consent";
    case Gate::Suppression: return "suppression";
    case Gate::FrequencyCap: return "frequency cap";
    case Gate::Priority: return "priority";
    case Gate::Budget: return "budget";
    case Gate::MemberMax: return "per-member max";
    case Gate::ChannelCapacity: return "channel capacity";
    case Gate::Kept: return "kept";
  }
  return "?";
}

}  // namespace nudge::decide
