// build_history: records -> view (placeholder until the builder lands).
#include "engine/base/error.h"
#include "engine/history/history.h"

namespace nudge::history {

History build_history(std::vector<ContactRecord>, std::vector<ResponseRecord>, const BuildOptions&) {
  throw_internal("build_history: not implemented yet (the header is the contract; the builder follows)");
}

}  // namespace nudge::history
