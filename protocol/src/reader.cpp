#include "reader.hpp"

#include "jsonkit/colour.hpp"

namespace protocol::detail {

void fail_integer(Diagnostics& errors, const Path& at, const Json& value, std::int64_t min,
                  std::uint64_t max) {
  errors.fail(at, "expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                      ", got " + describe(value));
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, std::string& out) {
  if (errors.failed()) return;
  if (const auto* s = value.get_ptr<const Json::string_t*>()) {
    out = *s;
    return;
  }
  errors.fail(at, "expected a string, got " + describe(value));
}

void read_colour(Diagnostics& errors, const Json& value, const Path& at, std::uint32_t& out,
                 std::uint32_t max) {
  if (errors.failed()) return;
  const auto* text = value.get_ptr<const Json::string_t*>();
  const std::optional<std::uint32_t> colour =
      text != nullptr ? jsonkit::parse_colour(*text, max) : std::nullopt;
  if (colour) {
    out = *colour;
  } else {
    errors.fail(at, jsonkit::colour_problem(describe(value)));
  }
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::CharacterId& out) {
  std::uint64_t raw = 0;
  read_value(errors, value, at, raw);
  if (!errors.failed()) out = world::CharacterId{raw};
}

namespace {

template <typename Id>
void read_id(Diagnostics& errors, const Json& value, const Path& at, Id& out) {
  if (errors.failed()) return;
  if (value.is_null()) {
    out = Id{};
    return;
  }
  const auto* array = value.get_ptr<const Json::array_t*>();
  if (array == nullptr || array->size() != 2) {
    errors.fail(at, "expected [index, generation] integers or null, got " + describe(value));
    return;
  }
  read_value(errors, (*array)[0], Path(at, std::size_t{0}), out.index);
  read_value(errors, (*array)[1], Path(at, std::size_t{1}), out.generation);
}

}  // namespace

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::EntityId& out) {
  read_id(errors, value, at, out);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::ItemId& out) {
  read_id(errors, value, at, out);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Position& out) {
  if (errors.failed()) return;
  const auto* array = value.get_ptr<const Json::array_t*>();
  if (array == nullptr || array->size() != 2) {
    errors.fail(at, "expected [x, y] integers, got " + describe(value));
    return;
  }
  read_value(errors, (*array)[0], Path(at, std::size_t{0}), out.x);
  read_value(errors, (*array)[1], Path(at, std::size_t{1}), out.y);
}

ObjectReader::ObjectReader(Diagnostics& errors, const Json& value, const Path& at)
    : errors_(errors), path_(at) {
  if (errors_.failed()) return;
  object_ = value.get_ptr<const Json::object_t*>();
  if (object_ == nullptr) errors_.fail(path_, "expected an object, got " + describe(value));
}

const Json* ObjectReader::required(std::string_view member) {
  if (errors_.failed() || object_ == nullptr) return nullptr;
  const auto it = object_->find(member);
  if (it != object_->end()) return &it->second;
  errors_.fail(Path(path_, member), "missing");
  return nullptr;
}

const Json* ObjectReader::optional(std::string_view member) const {
  if (errors_.failed() || object_ == nullptr) return nullptr;
  const auto it = object_->find(member);
  return it != object_->end() ? &it->second : nullptr;
}

std::size_t read_type(ObjectReader& r, std::span<const std::string_view> names,
                      std::string_view what) {
  const Json* type = r.required("type");
  if (type == nullptr) return names.size();
  const Path at(r.path(), "type");
  const auto* name = type->get_ptr<const Json::string_t*>();
  if (name == nullptr) {
    r.errors().fail(at, "expected a string, got " + describe(*type));
    return names.size();
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == *name) return i;
  }
  std::string list;
  for (const std::string_view n : names) {
    if (!list.empty()) list += ", ";
    list += n;
  }
  r.errors().fail(at, "unknown " + std::string(what) + " type " + describe(*type) +
                          " (expected one of " + list + ")");
  return names.size();
}

}  // namespace protocol::detail
