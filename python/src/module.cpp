// The alphammo Python module: libworld for researchers (docs/python.md).
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "world/recording.hpp"
#include "world/world.hpp"

PYBIND11_MODULE(alphammo, m) {
  m.doc() =
      "AlphaMMO for researchers: deterministic worlds, a PettingZoo-shaped multi-agent "
      "environment and recordings as arrays (docs/python.md).";
  m.attr("__version__") = world::kLibworldVersion;
  m.attr("RULES_VERSION") = world::kRulesVersion;
  m.attr("RECORDING_VERSION") = world::kRecordingVersion;
  alphammo_py::bind_world(m);
  alphammo_py::bind_env(m);
  alphammo_py::bind_recording(m);
}
