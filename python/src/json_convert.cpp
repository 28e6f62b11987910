#include "json_convert.hpp"

#include <string>

namespace py = pybind11;

namespace alphammo_py {

py::object to_python(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(j.get<double>());
    case nlohmann::json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list out(j.size());
      std::size_t i = 0;
      for (const auto& v : j)
        out[i++] = to_python(v);
      return out;
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [k, v] : j.items())
        out[py::str(k)] = to_python(v);
      return out;
    }
    default:
      return py::none();
  }
}

nlohmann::json to_json(py::handle o, std::string_view what) {
  if (o.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(o)) return o.cast<bool>();
  if (py::isinstance<py::int_>(o)) {
    // As nlohmann's parser does: non-negative integers are unsigned, negative ones signed.
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
    if (overflow == 0 && v < 0) return static_cast<std::int64_t>(v);
    if (overflow == 0) return static_cast<std::uint64_t>(v);
    const unsigned long long u = overflow > 0 ? PyLong_AsUnsignedLongLong(o.ptr()) : 0;
    if (overflow < 0 || PyErr_Occurred()) {
      PyErr_Clear();
      throw py::value_error(std::string(what) + ": integer out of the 64-bit range");
    }
    return static_cast<std::uint64_t>(u);
  }
  if (py::isinstance<py::float_>(o)) return o.cast<double>();
  if (py::isinstance<py::str>(o)) return o.cast<std::string>();
  if (py::isinstance<py::dict>(o)) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : o.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k))
        throw py::type_error(std::string(what) + ": dict keys must be str, got " +
                             std::string(py::str(py::type::of(k).attr("__name__"))));
      const auto key = k.cast<std::string>();
      out[key] = to_json(v, std::string(what) + "." + key);
    }
    return out;
  }
  if (py::isinstance<py::list>(o) || py::isinstance<py::tuple>(o)) {
    nlohmann::json out = nlohmann::json::array();
    std::size_t i = 0;
    for (const auto& v : o)
      out.push_back(to_json(v, std::string(what) + "[" + std::to_string(i++) + "]"));
    return out;
  }
  throw py::type_error(std::string(what) +
                       ": expected dict, list, tuple, str, int, float, bool "
                       "or None, got " +
                       std::string(py::str(py::type::of(o).attr("__name__"))));
}

}  // namespace alphammo_py
