// nudge._nudge: the C++ half of the `nudge` Python package (tools/python/nudge/
// is the Python half, which users import). Errors: every nudge::Error becomes
// the nudge.Error subclass of its kind (nudge/_errors.py) with the CLI's message.
#include <pybind11/pybind11.h>

#include <new>

#include "engine/base/error.h"
#include "tools/python/src/bindings.h"

namespace nudge::py {

void bind_errors(pb::module_& m) {
  // Kept alive for the life of the interpreter (the module holds them too).
  static pb::object* classes = nullptr;
  pb::module_ errors = pb::module_::import("nudge._errors");
  classes = new pb::object[4]{errors.attr("InputError"), errors.attr("IoError"), errors.attr("UsageError"),
                              errors.attr("InternalError")};
  pb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      int k = 3;
      switch (e.kind()) {
        case ErrorKind::InvalidInput: k = 0; break;
        case ErrorKind::Io: k = 1; break;
        case ErrorKind::Usage: k = 2; break;
        case ErrorKind::Internal: k = 3; break;
      }
      PyErr_SetString(classes[k].ptr(), e.what());
    }
  });
}

}  // namespace nudge::py

PYBIND11_MODULE(_nudge, m) {
  m.doc() = "nudge engine bindings (use the `nudge` package, not this module)";
  m.attr("__version__") = NUDGE_VERSION;
  nudge::py::bind_errors(m);
  nudge::py::bind_population(m);
  nudge::py::bind_build(m);
  nudge::py::bind_campaign(m);
  nudge::py::bind_history(m);
}
