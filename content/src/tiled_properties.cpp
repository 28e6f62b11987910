#include "tiled_properties.hpp"

namespace content::detail {

TiledProperties::TiledProperties(Diagnostics& diag, const Json& element, const Path& path)
    : diag_(diag), path_(path) {
  if (diag_.failed()) return;
  const auto it = element.find("properties");
  if (it == element.end()) return;
  const Path list_at(path_, "properties");
  if (!it->is_array()) {
    diag_.fail(list_at, "expected an array, got " + describe(*it));
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& p = (*it)[i];
    const Path where(list_at, i);
    if (!p.is_object()) {
      diag_.fail(where, "expected an object {\"name\", \"type\", \"value\"}, got " + describe(p));
      return;
    }
    ObjectReader r{diag_, p, where};
    const std::optional<std::string> name = r.string("name", true);
    if (!name) return;
    const Json* value = r.find("value");
    if (value == nullptr) {
      fail(*name, "has no value");
      return;
    }
    if (find(*name) != nullptr) {
      fail(*name, "defined twice");
      return;
    }
    values_.emplace_back(*name, value);
  }
}

const Json* TiledProperties::find(std::string_view name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  return nullptr;
}

void TiledProperties::fail(std::string_view name, std::string_view what) const {
  diag_.fail(path_, "property " + quote(name) + ": " + std::string(what));
}

const Json* TiledProperties::present(std::string_view name, bool required) {
  if (diag_.failed()) return nullptr;
  const Json* v = find(name);
  if (v == nullptr && required) fail(name, "missing");
  return v;
}

std::optional<std::string> TiledProperties::string(std::string_view name, bool required) {
  const Json* v = present(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(name, "expected a string, got " + describe(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> TiledProperties::boolean(std::string_view name) {
  const Json* v = present(name, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    fail(name, "expected a bool, got " + describe(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> TiledProperties::integer(std::string_view name, bool required,
                                                     std::int64_t min, std::int64_t max) {
  const Json* v = present(name, required);
  if (v == nullptr) return std::nullopt;
  std::string why;
  const std::optional<std::int64_t> out = checked_integer(*v, min, max, why);
  if (!out) fail(name, why);
  return out;
}

}  // namespace content::detail
