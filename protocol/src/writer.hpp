#pragma once
// Private encoding helpers: JSON values built in place (no intermediate strings or documents),
// and objects built from their wire form (delta_fields.hpp).

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "delta_fields.hpp"
#include "jsonkit/colour.hpp"
#include "world/content.hpp"
#include "world/delta.hpp"
#include "world/types.hpp"

namespace protocol::detail {

using Json = nlohmann::json;

/// Builds one JSON object member by member.
class ObjectWriter {
 public:
  ObjectWriter() : json_(Json::value_t::object), object_(json_.get_ptr<Json::object_t*>()) {}

  /// Adds member `key` (each key once).
  void put(std::string_view key, Json value) {
    object_->emplace(std::string(key), std::move(value));
  }
  /// The finished object.
  [[nodiscard]] Json finish() && { return std::move(json_); }

 private:
  Json json_;
  Json::object_t* object_;
};

/// `[a, b]` of two unsigned integers.
[[nodiscard]] inline Json pair_of(std::uint32_t a, std::uint32_t b) {
  Json out(Json::value_t::array);
  auto& array = *out.get_ptr<Json::array_t*>();
  array.reserve(2);
  array.emplace_back(a);
  array.emplace_back(b);
  return out;
}

/// `[index, generation]`, or null for the unset id {0, 0}. (A handle with generation 0 and
/// another index names no entity either, but is written as it is so that it round-trips.)
[[nodiscard]] inline Json encode(world::EntityId id) {
  if (id == world::EntityId{}) return Json(nullptr);
  return pair_of(id.index, id.generation);
}
/// `[index, generation]`, or null for the unset id {0, 0}.
[[nodiscard]] inline Json encode(world::ItemId id) {
  if (id == world::ItemId{}) return Json(nullptr);
  return pair_of(id.index, id.generation);
}
/// `[x, y]`.
[[nodiscard]] inline Json encode(world::Position p) {
  Json out(Json::value_t::array);
  auto& array = *out.get_ptr<Json::array_t*>();
  array.reserve(2);
  array.emplace_back(p.x);
  array.emplace_back(p.y);
  return out;
}
/// The enum's lower-case name ("invalid" for a value out of its range).
template <typename E>
requires std::is_enum_v<E>
[[nodiscard]] Json encode(E value) {
  return Json(world::to_string(value));
}
/// An unsigned 64-bit number.
[[nodiscard]] inline Json encode(world::CharacterId id) {
  return Json(static_cast<std::uint64_t>(id));
}

/// An object with a wire form (delta_fields.hpp): a look, vitals, an entity or item state, a
/// delta (with its "type").
template <Described T>
[[nodiscard]] Json encode(const T& value);

/// A member's value: integers and strings as they are, the rest by encode().
template <typename V>
[[nodiscard]] Json encode_value(const V& v) {
  if constexpr (std::is_integral_v<V> || std::is_same_v<V, std::string>) {
    return Json(v);
  } else {
    return encode(v);
  }
}

/// Adds the member `m` of `value`.
template <typename S, typename M>
void put_member(ObjectWriter& w, const Member<S, M>& m, const S& value) {
  w.put(m.name, encode_value(value.*m.field));
}
/// Adds the colour member `m` of `value` ("#rrggbb").
template <typename S>
void put_member(ObjectWriter& w, const ColourMember<S>& m, const S& value) {
  w.put(m.name, Json(jsonkit::colour_text(value.*m.field)));
}

template <Described T>
Json encode(const T& value) {
  ObjectWriter w;
  if constexpr (Typed<T>) w.put("type", Json(Wire<T>::type));
  for_each_member<T>([&](const auto& m) { put_member(w, m, value); });
  return std::move(w).finish();
}

}  // namespace protocol::detail
