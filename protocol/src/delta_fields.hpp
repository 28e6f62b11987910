#pragma once
// Private: the wire form of every delta and of the values deltas carry (entity and item states,
// looks, vitals), written once: a delta's "type" name and each type's members in reading order.
// The document writer (writer.hpp's encode), the fragment writer (fragment.cpp) and the decoder
// (reader.hpp's read_members) all walk these lists; the fragment writer walks them in name
// order, the order JSON documents keep their members in, worked out at compile time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>

#include "world/content.hpp"
#include "world/delta.hpp"

namespace protocol::detail {

/// One member of a wire object: its name and the struct member holding its value.
template <typename S, typename M>
struct Member {
  std::string_view name;
  M S::*field;
};

/// A colour member: a std::uint32_t written as text, "#rrggbb" (jsonkit/colour.hpp).
template <typename S>
struct ColourMember {
  std::string_view name;
  std::uint32_t S::*field;
};

/// Member `name`, held in `field`.
template <typename S, typename M>
constexpr Member<S, M> member(std::string_view name, M S::*field) {
  return {name, field};
}

/// Colour member `name`, held in `field`.
template <typename S>
constexpr ColourMember<S> colour_member(std::string_view name, std::uint32_t S::*field) {
  return {name, field};
}

/// The wire form of T: `members`, a tuple of Member and ColourMember in reading order, and for
/// a delta `type`, the value of its "type" member.
template <typename T>
struct Wire;

/// A type with a wire form (an object on the wire).
template <typename T>
concept Described = requires {
  Wire<T>::members;
};

/// A described type whose object carries a "type" member (a delta).
template <typename T>
concept Typed = Described<T> && requires {
  Wire<T>::type;
};

// --- values deltas carry ---------------------------------------------------------------------

template <>
struct Wire<world::Look> {
  using T = world::Look;
  static constexpr auto members =
      std::make_tuple(member("body", &T::body), member("hair_style", &T::hair_style),
                      colour_member("hair_colour", &T::hair_colour), member("helmet", &T::helmet),
                      member("armor", &T::armor), member("weapon", &T::weapon));
};

template <>
struct Wire<world::Vitals> {
  using T = world::Vitals;
  static constexpr auto members =
      std::make_tuple(member("hp", &T::hp), member("max_hp", &T::max_hp), member("mp", &T::mp),
                      member("max_mp", &T::max_mp), member("level", &T::level));
};

template <>
struct Wire<world::EntityState> {
  using T = world::EntityState;
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("kind", &T::kind), member("position", &T::position),
      member("facing", &T::facing), member("speed", &T::speed), member("character", &T::character),
      member("npc_template", &T::npc_template), member("name", &T::name), member("look", &T::look),
      member("vitals", &T::vitals), member("target", &T::target));
};

template <>
struct Wire<world::ItemState> {
  using T = world::ItemState;
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("type", &T::type), member("count", &T::count),
      member("place", &T::place), member("index", &T::index), member("position", &T::position));
};

// --- deltas ----------------------------------------------------------------------------------

template <>
struct Wire<world::Appeared> {
  using T = world::Appeared;
  static constexpr std::string_view type = "appeared";
  static constexpr auto members = std::make_tuple(member("entity", &T::entity));
};

template <>
struct Wire<world::Moved> {
  using T = world::Moved;
  static constexpr std::string_view type = "moved";
  static constexpr auto members =
      std::make_tuple(member("id", &T::id), member("from", &T::from), member("to", &T::to),
                      member("facing", &T::facing));
};

template <>
struct Wire<world::Teleported> {
  using T = world::Teleported;
  static constexpr std::string_view type = "teleported";
  static constexpr auto members =
      std::make_tuple(member("id", &T::id), member("from", &T::from), member("to", &T::to));
};

template <>
struct Wire<world::Faced> {
  using T = world::Faced;
  static constexpr std::string_view type = "faced";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("position", &T::position), member("facing", &T::facing));
};

template <>
struct Wire<world::Removed> {
  using T = world::Removed;
  static constexpr std::string_view type = "removed";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("position", &T::position), member("reason", &T::reason));
};

template <>
struct Wire<world::Targeted> {
  using T = world::Targeted;
  static constexpr std::string_view type = "targeted";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("position", &T::position), member("target", &T::target));
};

template <>
struct Wire<world::Hit> {
  using T = world::Hit;
  static constexpr std::string_view type = "hit";
  static constexpr auto members =
      std::make_tuple(member("attacker", &T::attacker), member("target", &T::target),
                      member("position", &T::position), member("damage", &T::damage),
                      member("target_hp", &T::target_hp));
};

template <>
struct Wire<world::Missed> {
  using T = world::Missed;
  static constexpr std::string_view type = "missed";
  static constexpr auto members =
      std::make_tuple(member("attacker", &T::attacker), member("target", &T::target),
                      member("position", &T::position));
};

template <>
struct Wire<world::Died> {
  using T = world::Died;
  static constexpr std::string_view type = "died";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("position", &T::position), member("killer", &T::killer));
};

template <>
struct Wire<world::VitalsChanged> {
  using T = world::VitalsChanged;
  static constexpr std::string_view type = "vitals_changed";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("position", &T::position), member("vitals", &T::vitals));
};

template <>
struct Wire<world::ExperienceChanged> {
  using T = world::ExperienceChanged;
  static constexpr std::string_view type = "experience_changed";
  static constexpr auto members =
      std::make_tuple(member("id", &T::id), member("experience", &T::experience));
};

template <>
struct Wire<world::LookChanged> {
  using T = world::LookChanged;
  static constexpr std::string_view type = "look_changed";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("position", &T::position), member("look", &T::look));
};

template <>
struct Wire<world::ItemDropped> {
  using T = world::ItemDropped;
  static constexpr std::string_view type = "item_dropped";
  static constexpr auto members = std::make_tuple(member("item", &T::item));
};

template <>
struct Wire<world::ItemTaken> {
  using T = world::ItemTaken;
  static constexpr std::string_view type = "item_taken";
  static constexpr auto members =
      std::make_tuple(member("id", &T::id), member("position", &T::position));
};

template <>
struct Wire<world::InventoryChanged> {
  using T = world::InventoryChanged;
  static constexpr std::string_view type = "inventory_changed";
  static constexpr auto members =
      std::make_tuple(member("owner", &T::owner), member("item", &T::item));
};

template <>
struct Wire<world::InventoryRemoved> {
  using T = world::InventoryRemoved;
  static constexpr std::string_view type = "inventory_removed";
  static constexpr auto members =
      std::make_tuple(member("owner", &T::owner), member("item", &T::item));
};

template <>
struct Wire<world::Said> {
  using T = world::Said;
  static constexpr std::string_view type = "said";
  static constexpr auto members =
      std::make_tuple(member("id", &T::id), member("position", &T::position),
                      member("name", &T::name), member("text", &T::text));
};

template <>
struct Wire<world::SystemMessage> {
  using T = world::SystemMessage;
  static constexpr std::string_view type = "system_message";
  static constexpr auto members = std::make_tuple(member("to", &T::to), member("text", &T::text));
};

template <>
struct Wire<world::TriggerFired> {
  using T = world::TriggerFired;
  static constexpr std::string_view type = "trigger_fired";
  static constexpr auto members =
      std::make_tuple(member("id", &T::id), member("position", &T::position),
                      member("kind", &T::kind), member("message", &T::message));
};

template <>
struct Wire<world::Shot> {
  using T = world::Shot;
  static constexpr std::string_view type = "shot";
  static constexpr auto members =
      std::make_tuple(member("attacker", &T::attacker), member("target", &T::target),
                      member("from", &T::from), member("to", &T::to));
};

template <>
struct Wire<world::SpellCast> {
  using T = world::SpellCast;
  static constexpr std::string_view type = "spell_cast";
  static constexpr auto members = std::make_tuple(
      member("caster", &T::caster), member("position", &T::position), member("spell", &T::spell),
      member("target", &T::target), member("centre", &T::centre));
};

template <>
struct Wire<world::StatsChanged> {
  using T = world::StatsChanged;
  static constexpr std::string_view type = "stats_changed";
  static constexpr auto members = std::make_tuple(
      member("id", &T::id), member("attack", &T::attack), member("defense", &T::defense),
      member("total_attack", &T::total_attack), member("total_defense", &T::total_defense));
};

// --- walking the lists -----------------------------------------------------------------------

/// The "type" values of a variant's alternatives, in the variant's order.
template <typename Variant>
struct WireTypes;
template <typename... Ts>
struct WireTypes<std::variant<Ts...>> {
  static constexpr std::array<std::string_view, sizeof...(Ts)> names{Wire<Ts>::type...};
};

/// Calls `f(m)` for each member `m` of T's wire form, in reading order ("type" is not one).
template <Described T, typename F>
constexpr void for_each_member(F&& f) {
  std::apply([&f](const auto&... m) { (f(m), ...); }, Wire<T>::members);
}

/// How many members T's object has, "type" included.
template <Described T>
inline constexpr std::size_t kMemberCount = std::tuple_size_v<decltype(Wire<T>::members)> +
                                            (Typed<T> ? 1 : 0);

/// T's member names: its members in reading order, then "type" for a delta.
template <Described T>
constexpr std::array<std::string_view, kMemberCount<T>> member_names() {
  std::array<std::string_view, kMemberCount<T>> names{};
  std::size_t i = 0;
  for_each_member<T>([&](const auto& m) { names[i++] = m.name; });
  if constexpr (Typed<T>) names[i] = "type";
  return names;
}

/// Indices into member_names<T>() in name order; each name is used once.
template <Described T>
constexpr std::array<std::size_t, kMemberCount<T>> name_order() {
  const auto names = member_names<T>();
  std::array<std::size_t, kMemberCount<T>> order{};
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  for (std::size_t i = 1; i < order.size(); ++i) {  // insertion sort: a dozen names at most
    for (std::size_t j = i; j > 0 && names[order[j]] < names[order[j - 1]]; --j) {
      std::swap(order[j], order[j - 1]);
    }
  }
  return order;
}

/// True when no two of T's members share a name (checked where the lists are walked).
template <Described T>
constexpr bool names_unique() {
  const auto names = member_names<T>();
  const auto order = name_order<T>();
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (names[order[i]] == names[order[i - 1]]) return false;
  }
  return true;
}

}  // namespace protocol::detail
