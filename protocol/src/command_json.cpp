#include "protocol/command_json.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "reader.hpp"
#include "writer.hpp"

namespace protocol {
namespace detail {

// --- characters ------------------------------------------------------------------------------

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::CarriedItem& out) {
  ObjectReader r(errors, value, at);
  r.read("type", out.type);
  r.read("count", out.count);
  r.read("place", out.place);
  r.read("index", out.index);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Character& out) {
  ObjectReader r(errors, value, at);
  r.read("id", out.id);
  r.read("name", out.name);
  r.read("position", out.position);
  r.read("facing", out.facing);
  r.read("speed", out.speed);
  r.read("look", out.look);
  r.read("level", out.level);
  r.read("experience", out.experience);
  r.read("hp", out.hp);
  r.read("max_hp", out.max_hp);
  r.read("mp", out.mp);
  r.read("max_mp", out.max_mp);
  r.read("attack", out.attack);
  r.read("defense", out.defense);
  r.read_optional("vocation", out.vocation);  // characters saved before vocations: the first
  r.read("items", out.items);
}

// --- commands --------------------------------------------------------------------------------

namespace {

// The wire "type" of each alternative of world::CommandPayload, in the variant's order.
constexpr std::array<std::string_view, std::variant_size_v<world::CommandPayload>> kCommandTypes{
    "join",  "leave",   "move", "face",      "attack", "pick_up", "drop",
    "equip", "unequip", "use",  "move_item", "cast",   "say",     "announce"};

// Commands whose actor may be left out: Join ignores it, Announce without one goes to everyone.
template <typename T>
constexpr bool kActorOptional =
    std::is_same_v<T, world::Join> || std::is_same_v<T, world::Announce>;

void put_fields(ObjectWriter& w, const world::Join& c) {
  w.put("character", to_json(c.character));
}
void put_fields(ObjectWriter& /*w*/, const world::Leave& /*c*/) {}
void put_fields(ObjectWriter& w, const world::Move& c) {
  w.put("direction", encode(c.direction));
}
void put_fields(ObjectWriter& w, const world::Face& c) {
  w.put("direction", encode(c.direction));
}
void put_fields(ObjectWriter& w, const world::Attack& c) {
  w.put("target", encode(c.target));
}
void put_fields(ObjectWriter& w, const world::PickUp& c) {
  w.put("item", encode(c.item));
}
void put_fields(ObjectWriter& w, const world::Drop& c) {
  w.put("item", encode(c.item));
  w.put("count", Json(c.count));
}
void put_fields(ObjectWriter& w, const world::Equip& c) {
  w.put("item", encode(c.item));
}
void put_fields(ObjectWriter& w, const world::Unequip& c) {
  w.put("slot", encode(c.slot));
}
void put_fields(ObjectWriter& w, const world::Use& c) {
  w.put("item", encode(c.item));
}
void put_fields(ObjectWriter& w, const world::MoveItem& c) {
  w.put("item", encode(c.item));
  w.put("to_slot", Json(c.to_slot));
}
void put_fields(ObjectWriter& w, const world::Cast& c) {
  w.put("spell", Json(c.spell));
  if (c.target.is_set()) w.put("target", encode(c.target));
  if (c.tile != world::Position{}) w.put("tile", encode(c.tile));
}
void put_fields(ObjectWriter& w, const world::Say& c) {
  w.put("text", Json(c.text));
}
void put_fields(ObjectWriter& w, const world::Announce& c) {
  w.put("text", Json(c.text));
}

void read_fields(ObjectReader& r, world::Join& c) {
  r.read("character", c.character);
}
void read_fields(ObjectReader& /*r*/, world::Leave& /*c*/) {}
void read_fields(ObjectReader& r, world::Move& c) {
  r.read("direction", c.direction);
}
void read_fields(ObjectReader& r, world::Face& c) {
  r.read("direction", c.direction);
}
void read_fields(ObjectReader& r, world::Attack& c) {
  r.read("target", c.target);
}
void read_fields(ObjectReader& r, world::PickUp& c) {
  r.read("item", c.item);
}
void read_fields(ObjectReader& r, world::Drop& c) {
  r.read("item", c.item);
  r.read("count", c.count);
}
void read_fields(ObjectReader& r, world::Equip& c) {
  r.read("item", c.item);
}
void read_fields(ObjectReader& r, world::Unequip& c) {
  r.read("slot", c.slot);
}
void read_fields(ObjectReader& r, world::Use& c) {
  r.read("item", c.item);
}
void read_fields(ObjectReader& r, world::MoveItem& c) {
  r.read("item", c.item);
  r.read("to_slot", c.to_slot);
}
void read_fields(ObjectReader& r, world::Cast& c) {
  r.read("spell", c.spell);
  r.read_optional("target", c.target);
  r.read_optional("tile", c.tile);
}
void read_fields(ObjectReader& r, world::Say& c) {
  r.read("text", c.text);
}
void read_fields(ObjectReader& r, world::Announce& c) {
  r.read("text", c.text);
}

// Reads actor, seq and the payload of alternative I, in the order they are documented.
using CommandReader = void (*)(ObjectReader&, world::Command&);
template <std::size_t I>
void read_alternative(ObjectReader& r, world::Command& out) {
  using Payload = std::variant_alternative_t<I, world::CommandPayload>;
  if constexpr (kActorOptional<Payload>) {
    r.read_optional("actor", out.actor);
  } else {
    r.read("actor", out.actor);
  }
  r.read_optional("seq", out.seq);
  read_fields(r, out.payload.emplace<I>());
}
constexpr auto kCommandReaders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<CommandReader, sizeof...(I)>{&read_alternative<I>...};
}
(std::make_index_sequence<std::variant_size_v<world::CommandPayload>>{});

}  // namespace
}  // namespace detail

nlohmann::json to_json(const world::Character& c) {
  using detail::encode;
  using Json = nlohmann::json;
  Json items(Json::value_t::array);
  auto& array = *items.get_ptr<Json::array_t*>();
  array.reserve(c.items.size());
  for (const world::CarriedItem& it : c.items) {
    detail::ObjectWriter w;
    w.put("type", Json(it.type));
    w.put("count", Json(it.count));
    w.put("place", encode(it.place));
    w.put("index", Json(it.index));
    array.push_back(std::move(w).finish());
  }
  detail::ObjectWriter w;
  w.put("id", encode(c.id));
  w.put("name", Json(c.name));
  w.put("position", encode(c.position));
  w.put("facing", encode(c.facing));
  w.put("speed", Json(c.speed));
  w.put("look", encode(c.look));
  w.put("level", Json(c.level));
  w.put("experience", Json(c.experience));
  w.put("hp", Json(c.hp));
  w.put("max_hp", Json(c.max_hp));
  w.put("mp", Json(c.mp));
  w.put("max_mp", Json(c.max_mp));
  w.put("attack", Json(c.attack));
  w.put("defense", Json(c.defense));
  w.put("vocation", Json(c.vocation));
  w.put("items", std::move(items));
  return std::move(w).finish();
}

nlohmann::json to_json(const world::Command& c) {
  detail::ObjectWriter w;
  w.put("type", nlohmann::json(detail::kCommandTypes[c.payload.index()]));
  std::visit(
      [&w, &c](const auto& payload) {
        using Payload = std::decay_t<decltype(payload)>;
        if (!detail::kActorOptional<Payload> || c.actor != world::EntityId{}) {
          w.put("actor", detail::encode(c.actor));
        }
        w.put("seq", nlohmann::json(c.seq));
        detail::put_fields(w, payload);
      },
      c.payload);
  return std::move(w).finish();
}

nlohmann::json to_json(const world::Rejection& r) {
  detail::ObjectWriter w;
  w.put("command_index", nlohmann::json(r.command_index));
  w.put("actor", detail::encode(r.actor));
  w.put("seq", nlohmann::json(r.seq));
  w.put("reason", detail::encode(r.reason));
  return std::move(w).finish();
}

world::Result<world::Command> command_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  const detail::Path root("command");
  detail::ObjectReader r(errors, j, root);
  const std::size_t type = detail::read_type(r, detail::kCommandTypes, "command");
  world::Command out;
  if (!errors.failed()) detail::kCommandReaders[type](r, out);
  if (errors.failed()) return errors.take();
  return out;
}

world::Result<world::Character> character_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  world::Character out;
  detail::read_value(errors, j, detail::Path("character"), out);
  if (errors.failed()) return errors.take();
  return out;
}

world::Result<world::Rejection> rejection_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  const detail::Path root("rejection");
  detail::ObjectReader r(errors, j, root);
  world::Rejection out;
  r.read("command_index", out.command_index);
  r.read("actor", out.actor);
  r.read("seq", out.seq);
  r.read("reason", out.reason);
  if (errors.failed()) return errors.take();
  return out;
}

}  // namespace protocol
