#include "reader.hpp"

#include <cstdio>

namespace protocol::detail {

std::string Path::str() const {
  std::string out = parent_ != nullptr ? parent_->str() : std::string();
  if (is_index_) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  } else {
    if (!out.empty()) out += '.';
    out += name_;
  }
  return out;
}

void Errors::fail(const Path& at, std::string_view what) {
  if (failed_) return;
  failed_ = true;
  message_ = at.str();
  message_ += ": ";
  message_ += what;
}

std::string describe(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t kMax = 40;
  if (text.size() > kMax) {
    text.resize(kMax);
    text += "...";
  }
  return text;
}

void fail_integer(Errors& errors, const Path& at, const Json& value, std::int64_t min,
                  std::uint64_t max) {
  errors.fail(at, "expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                      ", got " + describe(value));
}

void read_value(Errors& errors, const Json& value, const Path& at, std::string& out) {
  if (errors.failed()) return;
  if (const auto* s = value.get_ptr<const Json::string_t*>()) {
    out = *s;
    return;
  }
  errors.fail(at, "expected a string, got " + describe(value));
}

void read_value(Errors& errors, const Json& value, const Path& at, world::CharacterId& out) {
  std::uint64_t raw = 0;
  read_value(errors, value, at, raw);
  if (!errors.failed()) out = world::CharacterId{raw};
}

namespace {

template <typename Id>
void read_id(Errors& errors, const Json& value, const Path& at, Id& out) {
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

// "#rrggbb" or "#aarrggbb", either case.
std::optional<std::uint32_t> parse_colour(std::string_view text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return std::nullopt;
  std::uint32_t out = 0;
  for (const char c : text.substr(1)) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    out = out << 4 | digit;
  }
  return out;
}

}  // namespace

void read_value(Errors& errors, const Json& value, const Path& at, world::EntityId& out) {
  read_id(errors, value, at, out);
}

void read_value(Errors& errors, const Json& value, const Path& at, world::ItemId& out) {
  read_id(errors, value, at, out);
}

void read_value(Errors& errors, const Json& value, const Path& at, world::Position& out) {
  if (errors.failed()) return;
  const auto* array = value.get_ptr<const Json::array_t*>();
  if (array == nullptr || array->size() != 2) {
    errors.fail(at, "expected [x, y] integers, got " + describe(value));
    return;
  }
  read_value(errors, (*array)[0], Path(at, std::size_t{0}), out.x);
  read_value(errors, (*array)[1], Path(at, std::size_t{1}), out.y);
}

void read_value(Errors& errors, const Json& value, const Path& at, world::Look& out) {
  ObjectReader r(errors, value, at);
  r.read("body", out.body);
  r.read("hair_style", out.hair_style);
  if (const Json* colour = r.required("hair_colour")) {
    const Path colour_at(at, "hair_colour");
    const auto* text = colour->get_ptr<const Json::string_t*>();
    const std::optional<std::uint32_t> rgb = text != nullptr ? parse_colour(*text) : std::nullopt;
    if (rgb) {
      out.hair_colour = *rgb;
    } else {
      errors.fail(colour_at, "expected a colour \"#rrggbb\", got " + describe(*colour));
    }
  }
  r.read("helmet", out.helmet);
  r.read("armor", out.armor);
  r.read("weapon", out.weapon);
}

void read_value(Errors& errors, const Json& value, const Path& at, world::Vitals& out) {
  ObjectReader r(errors, value, at);
  r.read("hp", out.hp);
  r.read("max_hp", out.max_hp);
  r.read("mp", out.mp);
  r.read("max_mp", out.max_mp);
  r.read("level", out.level);
}

ObjectReader::ObjectReader(Errors& errors, const Json& value, const Path& at)
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
