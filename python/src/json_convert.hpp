#pragma once
// Python objects <-> nlohmann::json: commands, deltas, entities and items cross into Python in
// their documented wire form (docs/protocol.md) as plain dicts, lists, ints and strings.

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace alphammo_py {

/// A JSON value as the Python object json.loads() would give.
pybind11::object to_python(const nlohmann::json& j);
/// A Python value (dict, list, tuple, str, int, float, bool, None) as JSON. Throws
/// pybind11::type_error naming `what` and the offending type for anything else.
nlohmann::json to_json(pybind11::handle o, std::string_view what);

}  // namespace alphammo_py
