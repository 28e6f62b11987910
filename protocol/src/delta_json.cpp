#include "protocol/delta_json.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>
#include <variant>

#include "reader.hpp"
#include "writer.hpp"

namespace protocol {
namespace detail {

// --- item and entity states ------------------------------------------------------------------

namespace {

void put_fields(ObjectWriter& w, const world::ItemState& i) {
  w.put("id", encode(i.id));
  w.put("type", Json(i.type));
  w.put("count", Json(i.count));
  w.put("place", encode(i.place));
  w.put("index", Json(i.index));
  w.put("position", encode(i.position));
}

}  // namespace

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::ItemState& out) {
  ObjectReader r(errors, value, at);
  r.read("id", out.id);
  r.read("type", out.type);
  r.read("count", out.count);
  r.read("place", out.place);
  r.read("index", out.index);
  r.read("position", out.position);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::EntityState& out) {
  ObjectReader r(errors, value, at);
  r.read("id", out.id);
  r.read("kind", out.kind);
  r.read("position", out.position);
  r.read("facing", out.facing);
  r.read("speed", out.speed);
  r.read("character", out.character);
  r.read("npc_template", out.npc_template);
  r.read("name", out.name);
  r.read("look", out.look);
  r.read("vitals", out.vitals);
  r.read("target", out.target);
}

// --- deltas ----------------------------------------------------------------------------------

namespace {

// The wire "type" of each alternative of world::Delta, in the variant's order.
constexpr std::array<std::string_view, std::variant_size_v<world::Delta>> kDeltaTypes{
    "appeared",           "moved",        "teleported",     "faced",        "removed",
    "targeted",           "hit",          "missed",         "died",         "vitals_changed",
    "experience_changed", "look_changed", "item_dropped",   "item_taken",   "inventory_changed",
    "inventory_removed",  "said",         "system_message", "trigger_fired"};

void put_fields(ObjectWriter& w, const world::Appeared& d) {
  w.put("entity", to_json(d.entity));
}
void put_fields(ObjectWriter& w, const world::Moved& d) {
  w.put("id", encode(d.id));
  w.put("from", encode(d.from));
  w.put("to", encode(d.to));
  w.put("facing", encode(d.facing));
}
void put_fields(ObjectWriter& w, const world::Teleported& d) {
  w.put("id", encode(d.id));
  w.put("from", encode(d.from));
  w.put("to", encode(d.to));
}
void put_fields(ObjectWriter& w, const world::Faced& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("facing", encode(d.facing));
}
void put_fields(ObjectWriter& w, const world::Removed& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("reason", encode(d.reason));
}
void put_fields(ObjectWriter& w, const world::Targeted& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("target", encode(d.target));
}
void put_fields(ObjectWriter& w, const world::Hit& d) {
  w.put("attacker", encode(d.attacker));
  w.put("target", encode(d.target));
  w.put("position", encode(d.position));
  w.put("damage", Json(d.damage));
  w.put("target_hp", Json(d.target_hp));
}
void put_fields(ObjectWriter& w, const world::Missed& d) {
  w.put("attacker", encode(d.attacker));
  w.put("target", encode(d.target));
  w.put("position", encode(d.position));
}
void put_fields(ObjectWriter& w, const world::Died& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("killer", encode(d.killer));
}
void put_fields(ObjectWriter& w, const world::VitalsChanged& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("vitals", encode(d.vitals));
}
void put_fields(ObjectWriter& w, const world::ExperienceChanged& d) {
  w.put("id", encode(d.id));
  w.put("experience", Json(d.experience));
}
void put_fields(ObjectWriter& w, const world::LookChanged& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("look", encode(d.look));
}
void put_fields(ObjectWriter& w, const world::ItemDropped& d) {
  w.put("item", to_json(d.item));
}
void put_fields(ObjectWriter& w, const world::ItemTaken& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
}
void put_fields(ObjectWriter& w, const world::InventoryChanged& d) {
  w.put("owner", encode(d.owner));
  w.put("item", to_json(d.item));
}
void put_fields(ObjectWriter& w, const world::InventoryRemoved& d) {
  w.put("owner", encode(d.owner));
  w.put("item", encode(d.item));
}
void put_fields(ObjectWriter& w, const world::Said& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("name", Json(d.name));
  w.put("text", Json(d.text));
}
void put_fields(ObjectWriter& w, const world::SystemMessage& d) {
  w.put("to", encode(d.to));
  w.put("text", Json(d.text));
}
void put_fields(ObjectWriter& w, const world::TriggerFired& d) {
  w.put("id", encode(d.id));
  w.put("position", encode(d.position));
  w.put("kind", encode(d.kind));
  w.put("message", Json(d.message));
}

void read_fields(ObjectReader& r, world::Appeared& d) {
  r.read("entity", d.entity);
}
void read_fields(ObjectReader& r, world::Moved& d) {
  r.read("id", d.id);
  r.read("from", d.from);
  r.read("to", d.to);
  r.read("facing", d.facing);
}
void read_fields(ObjectReader& r, world::Teleported& d) {
  r.read("id", d.id);
  r.read("from", d.from);
  r.read("to", d.to);
}
void read_fields(ObjectReader& r, world::Faced& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("facing", d.facing);
}
void read_fields(ObjectReader& r, world::Removed& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("reason", d.reason);
}
void read_fields(ObjectReader& r, world::Targeted& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("target", d.target);
}
void read_fields(ObjectReader& r, world::Hit& d) {
  r.read("attacker", d.attacker);
  r.read("target", d.target);
  r.read("position", d.position);
  r.read("damage", d.damage);
  r.read("target_hp", d.target_hp);
}
void read_fields(ObjectReader& r, world::Missed& d) {
  r.read("attacker", d.attacker);
  r.read("target", d.target);
  r.read("position", d.position);
}
void read_fields(ObjectReader& r, world::Died& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("killer", d.killer);
}
void read_fields(ObjectReader& r, world::VitalsChanged& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("vitals", d.vitals);
}
void read_fields(ObjectReader& r, world::ExperienceChanged& d) {
  r.read("id", d.id);
  r.read("experience", d.experience);
}
void read_fields(ObjectReader& r, world::LookChanged& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("look", d.look);
}
void read_fields(ObjectReader& r, world::ItemDropped& d) {
  r.read("item", d.item);
}
void read_fields(ObjectReader& r, world::ItemTaken& d) {
  r.read("id", d.id);
  r.read("position", d.position);
}
void read_fields(ObjectReader& r, world::InventoryChanged& d) {
  r.read("owner", d.owner);
  r.read("item", d.item);
}
void read_fields(ObjectReader& r, world::InventoryRemoved& d) {
  r.read("owner", d.owner);
  r.read("item", d.item);
}
void read_fields(ObjectReader& r, world::Said& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("name", d.name);
  r.read("text", d.text);
}
void read_fields(ObjectReader& r, world::SystemMessage& d) {
  r.read("to", d.to);
  r.read("text", d.text);
}
void read_fields(ObjectReader& r, world::TriggerFired& d) {
  r.read("id", d.id);
  r.read("position", d.position);
  r.read("kind", d.kind);
  r.read("message", d.message);
}

// One reader per alternative, indexed like kDeltaTypes.
using DeltaReader = void (*)(ObjectReader&, world::Delta&);
template <std::size_t I>
void read_alternative(ObjectReader& r, world::Delta& out) {
  read_fields(r, out.emplace<I>());
}
constexpr auto kDeltaReaders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<DeltaReader, sizeof...(I)>{&read_alternative<I>...};
}
(std::make_index_sequence<std::variant_size_v<world::Delta>>{});

}  // namespace
}  // namespace detail

nlohmann::json to_json(const world::ItemState& i) {
  detail::ObjectWriter w;
  detail::put_fields(w, i);
  return std::move(w).finish();
}

nlohmann::json to_json(const world::EntityState& e) {
  using detail::encode;
  detail::ObjectWriter w;
  w.put("id", encode(e.id));
  w.put("kind", encode(e.kind));
  w.put("position", encode(e.position));
  w.put("facing", encode(e.facing));
  w.put("speed", nlohmann::json(e.speed));
  w.put("character", encode(e.character));
  w.put("npc_template", nlohmann::json(e.npc_template));
  w.put("name", nlohmann::json(e.name));
  w.put("look", encode(e.look));
  w.put("vitals", encode(e.vitals));
  w.put("target", encode(e.target));
  return std::move(w).finish();
}

nlohmann::json to_json(const world::Delta& d) {
  detail::ObjectWriter w;
  w.put("type", nlohmann::json(detail::kDeltaTypes[d.index()]));
  std::visit([&w](const auto& alternative) { detail::put_fields(w, alternative); }, d);
  return std::move(w).finish();
}

world::Result<world::Delta> delta_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  const detail::Path root("delta");
  detail::ObjectReader r(errors, j, root);
  const std::size_t type = detail::read_type(r, detail::kDeltaTypes, "delta");
  world::Delta out;
  if (!errors.failed()) detail::kDeltaReaders[type](r, out);
  if (errors.failed()) return errors.take();
  return out;
}

world::Result<world::EntityState> entity_state_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  world::EntityState out;
  detail::read_value(errors, j, detail::Path("entity"), out);
  if (errors.failed()) return errors.take();
  return out;
}

world::Result<world::ItemState> item_state_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  world::ItemState out;
  detail::read_value(errors, j, detail::Path("item"), out);
  if (errors.failed()) return errors.take();
  return out;
}

}  // namespace protocol
