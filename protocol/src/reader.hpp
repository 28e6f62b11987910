#pragma once
// Private decoding helpers: checked readers for every wire value and the enum tables. The path of
// the value being read and the first error of a document are jsonkit's.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "delta_fields.hpp"
#include "jsonkit/describe.hpp"
#include "jsonkit/diagnostics.hpp"
#include "jsonkit/path.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"
#include "world/content.hpp"
#include "world/delta.hpp"
#include "world/result.hpp"
#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace protocol::detail {

using Json = nlohmann::json;
using jsonkit::describe;
using jsonkit::Diagnostics;
using jsonkit::Path;

/// The wire names of an enum: every value, in order. Specialised for each enum on the wire.
template <typename E>
struct EnumValues;

template <>
struct EnumValues<world::Direction> {
  static constexpr std::array values{world::Direction::North, world::Direction::East,
                                     world::Direction::South, world::Direction::West};
};
template <>
struct EnumValues<world::EntityKind> {
  static constexpr std::array values{world::EntityKind::Player, world::EntityKind::Npc};
};
template <>
struct EnumValues<world::ItemPlace> {
  static constexpr std::array values{world::ItemPlace::Ground, world::ItemPlace::Backpack,
                                     world::ItemPlace::Equipment};
};
template <>
struct EnumValues<world::EquipSlot> {
  static constexpr std::array values{world::EquipSlot::None, world::EquipSlot::Head,
                                     world::EquipSlot::Body, world::EquipSlot::Weapon};
};
template <>
struct EnumValues<world::RemoveReason> {
  static constexpr std::array values{world::RemoveReason::Left, world::RemoveReason::Died,
                                     world::RemoveReason::OutOfView};
};
template <>
struct EnumValues<world::TriggerKind> {
  static constexpr std::array values{world::TriggerKind::Teleport, world::TriggerKind::Heal,
                                     world::TriggerKind::Damage, world::TriggerKind::Message};
};
template <>
struct EnumValues<world::RejectReason> {
  static constexpr std::array values{
      world::RejectReason::UnknownEntity,   world::RejectReason::StaleEntity,
      world::RejectReason::OutOfBounds,     world::RejectReason::Blocked,
      world::RejectReason::Occupied,        world::RejectReason::Cooldown,
      world::RejectReason::AlreadyInWorld,  world::RejectReason::NoFreeTile,
      world::RejectReason::InvalidArgument, world::RejectReason::NotAPlayer,
      world::RejectReason::InvalidTarget,   world::RejectReason::SelfTarget,
      world::RejectReason::NotAttackable,   world::RejectReason::ProtectionZone,
      world::RejectReason::NoSuchItem,      world::RejectReason::NotAdjacent,
      world::RejectReason::BackpackFull,    world::RejectReason::NotEquippable,
      world::RejectReason::NotUsable,       world::RejectReason::EmptySlot,
      world::RejectReason::InvalidText,     world::RejectReason::NotEnoughMana,
      world::RejectReason::OutOfRange,      world::RejectReason::NoLineOfSight,
      world::RejectReason::NotYourVocation};
};

/// An enum that has wire names.
template <typename E>
concept WireEnum = std::is_enum_v<E> && requires {
  EnumValues<E>::values;
};

/// "north, east, south, west": the wire names of E, for messages.
template <WireEnum E>
[[nodiscard]] std::string enum_names() {
  std::string out;
  for (const E v : EnumValues<E>::values) {
    if (!out.empty()) out += ", ";
    out += world::to_string(v);
  }
  return out;
}

/// Reports "expected an integer in min..max, got <value>".
void fail_integer(Diagnostics& errors, const Path& at, const Json& value, std::int64_t min,
                  std::uint64_t max);

// Readers: each checks one value and stores it in `out`, or records the problem at `at` and
// leaves `out` alone. They do nothing once `errors` has failed. Every one is declared here, above
// the templates that call them (the vector reader, ObjectReader::read): argument-dependent lookup
// looks in jsonkit, nlohmann, world and std, never here, so a reader declared only in a .cpp file
// would not be found (and a bool would silently be read as an integer).

/// An integer within T's range (JSON integers only: 3.0 and "3" are refused).
template <std::integral T>
void read_value(Diagnostics& errors, const Json& value, const Path& at, T& out) {
  if (errors.failed()) return;
  constexpr auto kMin = static_cast<std::int64_t>(std::numeric_limits<T>::min());
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  if (const auto* u = value.get_ptr<const Json::number_unsigned_t*>()) {
    if (*u <= kMax) {
      out = static_cast<T>(*u);
      return;
    }
  } else if (const auto* i = value.get_ptr<const Json::number_integer_t*>()) {
    // Non-negative integers parse as unsigned, so *i is negative unless the json was built in
    // code; both cases are checked against T's range.
    if (*i >= kMin && (*i < 0 || static_cast<std::uint64_t>(*i) <= kMax)) {
      out = static_cast<T>(*i);
      return;
    }
  }
  fail_integer(errors, at, value, kMin, kMax);
}

/// An enum by its wire name (world::to_string).
template <WireEnum E>
void read_value(Diagnostics& errors, const Json& value, const Path& at, E& out) {
  if (errors.failed()) return;
  if (const auto* s = value.get_ptr<const Json::string_t*>()) {
    for (const E v : EnumValues<E>::values) {
      if (world::to_string(v) == *s) {
        out = v;
        return;
      }
    }
  }
  errors.fail(at, "expected one of " + enum_names<E>() + ", got " + describe(value));
}

/// A colour "#rrggbb" (jsonkit::parse_colour) no greater than `max`.
void read_colour(Diagnostics& errors, const Json& value, const Path& at, std::uint32_t& out,
                 std::uint32_t max);
/// The largest hair colour of a Look on the wire: Look::hair_colour is 32 bits, and one above
/// 0xffffff is written "#aarrggbb" (colour_text), so it reads back.
inline constexpr std::uint32_t kMaxLookColour = 0xffffffffu;

/// A string (any valid UTF-8, as the parser guarantees).
void read_value(Diagnostics& errors, const Json& value, const Path& at, std::string& out);
/// A character id: an unsigned 64-bit integer.
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::CharacterId& out);
/// `[index, generation]` or null (the unset id).
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::EntityId& out);
/// `[index, generation]` or null (the unset id).
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::ItemId& out);
/// `[x, y]`.
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Position& out);
/// An object with a wire form (delta_fields.hpp): a look, vitals, an entity or item state.
template <Described T>
void read_value(Diagnostics& errors, const Json& value, const Path& at, T& out);
/// A saved character (command_json.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Character& out);
/// One carried item of a character (command_json.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::CarriedItem& out);
/// true or false (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, bool& out);
/// An error code by its wire name (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, ErrorCode& out);
/// A kick reason by its wire name (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, KickReason& out);
/// What an error answers: null, a message type or a seq (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, ErrorRef& out);
/// The content a `welcome` names: map, hash (64 lower-case hex digits), url (a path) (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, ContentRef& out);
/// One entry of the character list (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, CharacterSummary& out);
/// What a client sees on entering (session.cpp).
void read_value(Diagnostics& errors, const Json& value, const Path& at, Snapshot& out);
/// A delta (session.cpp, with delta_json's decoder).
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Delta& out);
/// A rejection (session.cpp, with command_json's decoder).
void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Rejection& out);

/// An array, element by element.
template <typename T>
void read_value(Diagnostics& errors, const Json& value, const Path& at, std::vector<T>& out) {
  if (errors.failed()) return;
  const auto* array = value.get_ptr<const Json::array_t*>();
  if (array == nullptr) {
    errors.fail(at, "expected an array, got " + describe(value));
    return;
  }
  out.clear();
  out.resize(array->size());
  for (std::size_t i = 0; i < array->size() && !errors.failed(); ++i) {
    read_value(errors, (*array)[i], Path(at, i), out[i]);
  }
}

/// Checked access to the members of one JSON object. A value that is not an object is reported
/// at construction; after any problem every accessor does nothing, so a decoder reads its fields
/// in a row and checks Diagnostics::failed() once. Unknown members are ignored.
class ObjectReader {
 public:
  /// Reads `value` at `at` (both must outlive the reader).
  ObjectReader(Diagnostics& errors, const Json& value, const Path& at);

  /// The member; nullptr (and a "missing" problem) when absent.
  [[nodiscard]] const Json* required(std::string_view member);
  /// The member, or nullptr when absent or after a problem.
  [[nodiscard]] const Json* optional(std::string_view member) const;

  /// Reads a required member into `out`.
  template <typename T>
  void read(std::string_view member, T& out) {
    if (const Json* v = required(member)) read_value(errors_, *v, Path(path_, member), out);
  }
  /// Reads a member into `out` when present; `out` keeps its value when absent.
  template <typename T>
  void read_optional(std::string_view member, T& out) {
    if (const Json* v = optional(member)) read_value(errors_, *v, Path(path_, member), out);
  }

  /// The errors problems go to.
  [[nodiscard]] Diagnostics& errors() const { return errors_; }
  /// Where this object is.
  [[nodiscard]] const Path& path() const { return path_; }

 private:
  Diagnostics& errors_;
  const Json::object_t* object_ = nullptr;  // null when the value is not an object
  const Path& path_;
};

/// Reads the member `m` of a wire form (delta_fields.hpp) into `out`.
template <typename S, typename M>
void read_member(ObjectReader& r, const Member<S, M>& m, S& out) {
  r.read(m.name, out.*m.field);
}
/// Reads the colour member `m` into `out`; a value above 0xffffff reads back (kMaxLookColour).
template <typename S>
void read_member(ObjectReader& r, const ColourMember<S>& m, S& out) {
  if (const Json* v = r.required(m.name)) {
    read_colour(r.errors(), *v, Path(r.path(), m.name), out.*m.field, kMaxLookColour);
  }
}
/// Reads every member of T's wire form, in order ("type" is the caller's).
template <Described T>
void read_members(ObjectReader& r, T& out) {
  for_each_member<T>([&](const auto& m) { read_member(r, m, out); });
}

template <Described T>
void read_value(Diagnostics& errors, const Json& value, const Path& at, T& out) {
  ObjectReader r(errors, value, at);
  read_members(r, out);
}

/// Reads the "type" member of a message and returns its index in `names`, or names.size()
/// after reporting a problem (missing, not a string, or "unknown <what> type ...").
[[nodiscard]] std::size_t read_type(ObjectReader& r, std::span<const std::string_view> names,
                                    std::string_view what);

}  // namespace protocol::detail
