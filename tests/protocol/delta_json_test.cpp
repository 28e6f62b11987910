// Deltas, entity states and item states as JSON: round trips of every alternative with edge
// values, the exact wire shape, and every decoding error.
#include "protocol/delta_json.hpp"

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include "protocol/text.hpp"
#include "round_trip.hpp"

using nlohmann::json;
using protocol::delta_from_json;
using protocol_test::check_round_trip;
using protocol_test::error_of;
using namespace world;

namespace {

constexpr std::int32_t kMinI32 = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMaxI32 = std::numeric_limits<std::int32_t>::max();
constexpr std::uint32_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kAbove53 = (std::uint64_t{1} << 53) + 1;  // not exact as a double

EntityState player_state() {
  EntityState e;
  e.id = {12, 1};
  e.kind = EntityKind::Player;
  e.position = {-3, 7};
  e.facing = Direction::West;
  e.speed = 50;
  e.character = CharacterId{kAbove53};
  e.npc_template = 0;
  e.name = "Zoë 勇者 🗡";
  e.look = {1, 2, 0x884422, 4, 5, 3};
  e.vitals = {41, 50, 7, 20, 3};
  e.target = {};
  return e;
}

EntityState npc_state() {
  EntityState e;
  e.id = {kMaxU32, kMaxU32};
  e.kind = EntityKind::Npc;
  e.position = {kMinI32, kMaxI32};
  e.facing = Direction::North;
  e.speed = std::numeric_limits<std::uint16_t>::max();
  e.character = CharacterId{0};
  e.npc_template = kMaxU32;
  e.name = "";
  e.look = {255, 0, 0xffffff, 0, 0, kMaxU32};
  e.vitals = {kMinI32, kMaxI32, 0, 0, 1};
  e.target = {7, 2};
  return e;
}

ItemState ground_item() {
  ItemState i;
  i.id = {0, 1};
  i.type = 3;
  i.count = std::numeric_limits<std::uint16_t>::max();
  i.place = ItemPlace::Ground;
  i.index = 0;
  i.position = {-1, -2};
  return i;
}

ItemState worn_item() {
  ItemState i;
  i.id = {kMaxU32, 9};
  i.type = kMaxU32;
  i.count = 1;
  i.place = ItemPlace::Equipment;
  i.index = 255;
  i.position = {};
  return i;
}

// At least one populated value of every alternative, several with edge values.
std::vector<Delta> every_delta() {
  return {
      Appeared{player_state()},
      Appeared{npc_state()},
      Moved{{12, 1}, {3, 4}, {4, 4}, Direction::East},
      Moved{{5, 0}, {-1, 0}, {-1, -1}, Direction::North},  // generation-0 handle is kept
      Teleported{{12, 1}, {kMaxI32, kMinI32}, {0, 0}},
      Faced{{3, 2}, {-10, -20}, Direction::South},
      Faced{{3, 2}, {0, 0}, Direction::West},
      Removed{{44, 3}, {9, 9}, RemoveReason::Died},
      Removed{{44, 4}, {9, 9}, RemoveReason::Left},
      Removed{{44, 5}, {9, 9}, RemoveReason::OutOfView},
      Targeted{{1, 1}, {2, 2}, {3, 1}},
      Targeted{{1, 1}, {2, 2}, {}},
      Hit{{1, 1}, {2, 1}, {5, -5}, 12, 0},
      Hit{{1, 1}, {2, 1}, {5, -5}, kMaxI32, kMinI32},
      Missed{{2, 1}, {1, 1}, {6, 6}},
      Died{{2, 1}, {5, -5}, {1, 1}},
      Died{{2, 1}, {5, -5}, {}},  // a trap killed it
      VitalsChanged{{8, 1}, {1, 2}, {60, 60, 0, 25, 2}},
      ExperienceChanged{{8, 1}, 0},
      ExperienceChanged{{8, 1}, kAbove53},
      ExperienceChanged{{8, 1}, kMaxU64},
      LookChanged{{8, 1}, {1, 2}, {1, 0, 0x1000000, 1, 2, 3}},  // above 0xffffff: 8 digits
      ItemDropped{ground_item()},
      ItemTaken{{0, 1}, {-1, -2}},
      InventoryChanged{{8, 1}, worn_item()},
      InventoryChanged{{8, 1}, {{4, 2}, 1, 20, ItemPlace::Backpack, 7, {}}},
      InventoryRemoved{{8, 1}, {4, 2}},
      InventoryRemoved{{8, 1}, {}},
      Said{{8, 1}, {1, 2}, "Zoë", "héllo \"quoted\" \\ back\tslash \u00e9 日本語 😀"},
      Said{{8, 1}, {1, 2}, "", ""},
      SystemMessage{{8, 1}, "to you"},
      SystemMessage{{}, "to everyone"},
      TriggerFired{{8, 1}, {10, 11}, TriggerKind::Teleport, "Whoosh"},
      TriggerFired{{8, 1}, {10, 11}, TriggerKind::Heal, ""},
      TriggerFired{{8, 1}, {10, 11}, TriggerKind::Damage, "Ouch"},
      TriggerFired{{8, 1}, {10, 11}, TriggerKind::Message, "Welcome"},
      Shot{{2, 1}, {8, 1}, {14, 11}, {10, 11}},
      SpellCast{{8, 1}, {10, 11}, 2, {2, 1}, {14, 11}},
      SpellCast{{8, 1}, {10, 11}, kMaxU32, {}, {-3, 4}},  // a tile spell: no target
      StatsChanged{{8, 1}, 7, 5, 11, 6},
      StatsChanged{{8, 1}, kMinI32, kMaxI32, 0, -1},
  };
}

std::string delta_error(std::string_view text) {
  return error_of(text, delta_from_json);
}

}  // namespace

TEST_CASE("delta_json: every delta alternative round-trips through JSON text") {
  std::set<std::size_t> alternatives;
  for (const Delta& d : every_delta()) {
    INFO(describe(d));
    check_round_trip(d, delta_from_json);
    alternatives.insert(d.index());
  }
  CHECK(alternatives.size() == std::variant_size_v<Delta>);
}

TEST_CASE("delta_json: each alternative has its documented type name") {
  const std::vector<std::string> names = {
      "appeared",           "moved",        "teleported",     "faced",         "removed",
      "targeted",           "hit",          "missed",         "died",          "vitals_changed",
      "experience_changed", "look_changed", "item_dropped",   "item_taken",    "inventory_changed",
      "inventory_removed",  "said",         "system_message", "trigger_fired", "shot",
      "spell_cast",         "stats_changed"};
  REQUIRE(names.size() == std::variant_size_v<Delta>);
  for (const Delta& d : every_delta()) {
    CHECK(protocol::to_json(d).at("type") == names[d.index()]);
  }
}

TEST_CASE("delta_json: entity and item states round-trip on their own") {
  check_round_trip(player_state(), protocol::entity_state_from_json);
  check_round_trip(npc_state(), protocol::entity_state_from_json);
  check_round_trip(EntityState{}, protocol::entity_state_from_json);
  check_round_trip(ground_item(), protocol::item_state_from_json);
  check_round_trip(worn_item(), protocol::item_state_from_json);
  check_round_trip(ItemState{}, protocol::item_state_from_json);
}

TEST_CASE("delta_json: a Moved delta has the documented shape") {
  const json j = protocol::to_json(Delta{Moved{{12, 1}, {3, 4}, {4, 4}, Direction::East}});
  CHECK(j ==
        json::parse(
            R"({"type": "moved", "id": [12, 1], "from": [3, 4], "to": [4, 4], "facing": "east"})"));
  // Members come out sorted by name (nlohmann::json keeps objects in a std::map).
  CHECK(protocol::dump(j) ==
        R"({"facing":"east","from":[3,4],"id":[12,1],"to":[4,4],"type":"moved"})");
}

TEST_CASE("delta_json: an Appeared delta carries the full entity state") {
  const json j = protocol::to_json(Delta{Appeared{player_state()}});
  CHECK(j == json::parse(R"({"type": "appeared", "entity": {
      "id": [12, 1], "kind": "player", "position": [-3, 7], "facing": "west", "speed": 50,
      "character": 9007199254740993, "npc_template": 0, "name": "Zoë 勇者 🗡",
      "look": {"body": 1, "hair_style": 2, "hair_colour": "#884422", "helmet": 4, "armor": 5,
               "weapon": 3},
      "vitals": {"hp": 41, "max_hp": 50, "mp": 7, "max_mp": 20, "level": 3},
      "target": null}})"));
  CHECK(j.at("entity").at("character").get<std::uint64_t>() == kAbove53);
}

TEST_CASE("delta_json: more shapes: hit, item on the floor, inventory, system message") {
  CHECK(protocol::to_json(Delta{Hit{{1, 1}, {2, 1}, {5, -5}, 12, 0}}) ==
        json::parse(R"({"type": "hit", "attacker": [1, 1], "target": [2, 1], "position": [5, -5],
                        "damage": 12, "target_hp": 0})"));
  CHECK(protocol::to_json(Delta{ItemDropped{ground_item()}}) ==
        json::parse(R"({"type": "item_dropped", "item": {"id": [0, 1], "type": 3, "count": 65535,
                        "place": "ground", "index": 0, "position": [-1, -2]}})"));
  CHECK(protocol::to_json(Delta{InventoryRemoved{{8, 1}, {4, 2}}}) ==
        json::parse(R"({"type": "inventory_removed", "owner": [8, 1], "item": [4, 2]})"));
  CHECK(protocol::to_json(Delta{SystemMessage{{}, "hi"}}) ==
        json::parse(R"({"type": "system_message", "to": null, "text": "hi"})"));
  CHECK(protocol::to_json(Delta{LookChanged{{8, 1}, {1, 2}, {1, 0, 0x1000000, 0, 0, 0}}})
            .at("look")
            .at("hair_colour") == "#01000000");
}

TEST_CASE("delta_json: unknown members are ignored, hex colours in either case are read") {
  const auto r = delta_from_json(json::parse(
      R"({"type": "look_changed", "id": [8, 1], "position": [1, 2], "extra": {"x": 1},
          "look": {"body": 1, "hair_style": 2, "hair_colour": "#ABcdEF", "helmet": 0,
                   "armor": 0, "weapon": 0, "shiny": true}})"));
  REQUIRE(r.ok());
  CHECK(std::get<LookChanged>(r.value()).look.hair_colour == 0xabcdefu);
}

TEST_CASE("delta_json: enum values round-trip by name, one out of range encodes as invalid") {
  for (std::uint8_t k = 0; k < 4; ++k) {
    check_round_trip(Delta{TriggerFired{{1, 1}, {0, 0}, static_cast<TriggerKind>(k), "m"}},
                     delta_from_json);
  }
  // libworld's to_string says "invalid" right after the last value: a new value added to one of
  // these enums makes this fail, as a reminder to teach the protocol its name.
  CHECK(to_string(static_cast<Direction>(4)) == "invalid");
  CHECK(to_string(static_cast<EntityKind>(2)) == "invalid");
  CHECK(to_string(static_cast<RemoveReason>(3)) == "invalid");
  CHECK(to_string(static_cast<TriggerKind>(4)) == "invalid");
  CHECK(to_string(static_cast<ItemPlace>(3)) == "invalid");

  const json bad = protocol::to_json(Delta{Faced{{1, 1}, {0, 0}, static_cast<Direction>(9)}});
  CHECK(bad.at("facing") == "invalid");
  const auto r = delta_from_json(bad);
  REQUIRE(!r.ok());
  CHECK(r.error().message ==
        R"(delta.facing: expected one of north, east, south, west, got "invalid")");
}

TEST_CASE("delta_json: the message is not an object, or its type is missing or unknown") {
  CHECK(delta_error("[1, 2]") == "delta: expected an object, got an array");
  CHECK(delta_error("\"moved\"") == R"(delta: expected an object, got "moved")");
  CHECK(delta_error("null") == "delta: expected an object, got null");
  CHECK(delta_error(R"({"id": [1, 1]})") == "delta.type: missing");
  CHECK(delta_error(R"({"type": 3})") == "delta.type: expected a string, got 3");
  const std::string unknown = delta_error(R"({"type": "jumped", "id": [1, 1]})");
  CHECK(unknown.starts_with(R"(delta.type: unknown delta type "jumped" (expected one of )"));
  CHECK(unknown.find("trigger_fired") != std::string::npos);
  CHECK(
      delta_error(R"({"type": "Moved"})").starts_with(R"(delta.type: unknown delta type "Moved")"));
}

TEST_CASE("delta_json: missing fields and wrong types name the field") {
  CHECK(delta_error(R"({"type": "moved", "id": [1, 1], "from": [0, 0], "facing": "east"})") ==
        "delta.to: missing");
  CHECK(delta_error(R"({"type": "moved", "id": [1, 1], "from": [0, 0], "to": null,
                        "facing": "east"})") == "delta.to: expected [x, y] integers, got null");
  CHECK(delta_error(R"({"type": "moved", "id": [1, 1], "from": [0, 0], "to": [1, 2, 3],
                        "facing": "east"})") == "delta.to: expected [x, y] integers, got an array");
  CHECK(delta_error(R"({"type": "said", "id": [1, 1], "position": [0, 0], "name": "a",
                        "text": 5})") == "delta.text: expected a string, got 5");
  CHECK(delta_error(R"({"type": "said", "id": [1, 1], "position": [0, 0], "name": null,
                        "text": "x"})") == "delta.name: expected a string, got null");
  CHECK(delta_error(R"({"type": "vitals_changed", "id": [1, 1], "position": [0, 0],
                        "vitals": [1, 2, 3, 4, 5]})") ==
        "delta.vitals: expected an object, got an array");
  CHECK(delta_error(R"({"type": "vitals_changed", "id": [1, 1], "position": [0, 0],
                        "vitals": {"hp": 1, "max_hp": 2, "mp": 3, "level": 5}})") ==
        "delta.vitals.max_mp: missing");
  CHECK(delta_error(R"({"type": "appeared"})") == "delta.entity: missing");
  CHECK(delta_error(R"({"type": "item_dropped", "item": "sword"})") ==
        R"(delta.item: expected an object, got "sword")");
}

TEST_CASE("delta_json: integers are range-checked, floats and strings refused") {
  const auto hit = [](std::string_view damage) {
    return R"({"type": "hit", "attacker": [1, 1], "target": [2, 1], "position": [0, 0],
               "target_hp": 0, "damage": )" +
           std::string(damage) + "}";
  };
  CHECK(delta_error(hit("2147483648")) ==
        "delta.damage: expected an integer in -2147483648..2147483647, got 2147483648");
  CHECK(delta_error(hit("-2147483649")) ==
        "delta.damage: expected an integer in -2147483648..2147483647, got -2147483649");
  CHECK(delta_error(hit("1.5")) ==
        "delta.damage: expected an integer in -2147483648..2147483647, got 1.5");
  CHECK(delta_error(hit("3.0")) ==
        "delta.damage: expected an integer in -2147483648..2147483647, got 3.0");
  CHECK(delta_error(hit("1e3")) ==
        "delta.damage: expected an integer in -2147483648..2147483647, got 1000.0");
  CHECK(delta_error(hit("\"3\"")) ==
        R"(delta.damage: expected an integer in -2147483648..2147483647, got "3")");
  CHECK(delta_error(hit("true")) ==
        "delta.damage: expected an integer in -2147483648..2147483647, got true");
  CHECK(delta_error(R"({"type": "experience_changed", "id": [1, 1], "experience": -1})") ==
        "delta.experience: expected an integer in 0..18446744073709551615, got -1");
  CHECK(delta_error(R"({"type": "experience_changed", "id": [1, 1],
                        "experience": 18446744073709551616})") ==
        "delta.experience: expected an integer in 0..18446744073709551615, got "
        "1.8446744073709552e+19");
  CHECK(delta_error(R"({"type": "moved", "id": [1, 1], "from": [0, 0], "to": [2147483648, 0],
                        "facing": "east"})") ==
        "delta.to[0]: expected an integer in -2147483648..2147483647, got 2147483648");
  CHECK(delta_error(R"({"type": "moved", "id": [1, 1], "from": [0, 0], "to": [0, 0.5],
                        "facing": "east"})") ==
        "delta.to[1]: expected an integer in -2147483648..2147483647, got 0.5");
  CHECK(delta_error(R"({"type": "item_dropped", "item": {"id": [1, 1], "type": 0,
                        "count": 65536, "place": "ground", "index": 0, "position": [0, 0]}})") ==
        "delta.item.count: expected an integer in 0..65535, got 65536");
  CHECK(delta_error(R"({"type": "item_dropped", "item": {"id": [1, 1], "type": 0,
                        "count": 1, "place": "ground", "index": 256, "position": [0, 0]}})") ==
        "delta.item.index: expected an integer in 0..255, got 256");
  CHECK(delta_error(R"({"type": "item_dropped", "item": {"id": [1, 1], "type": -1,
                        "count": 1, "place": "ground", "index": 0, "position": [0, 0]}})") ==
        "delta.item.type: expected an integer in 0..4294967295, got -1");
}

TEST_CASE("delta_json: ids are [index, generation] or null") {
  const auto taken = [](std::string_view id) {
    return R"({"type": "item_taken", "position": [0, 0], "id": )" + std::string(id) + "}";
  };
  CHECK(delta_error(taken("[1]")) ==
        "delta.id: expected [index, generation] integers or null, got an array");
  CHECK(delta_error(taken("{\"index\": 1, \"generation\": 1}")) ==
        "delta.id: expected [index, generation] integers or null, got an object");
  CHECK(delta_error(taken("7")) ==
        "delta.id: expected [index, generation] integers or null, got 7");
  CHECK(delta_error(taken("[1, -1]")) ==
        "delta.id[1]: expected an integer in 0..4294967295, got -1");
  CHECK(delta_error(taken("[4294967296, 1]")) ==
        "delta.id[0]: expected an integer in 0..4294967295, got 4294967296");
  CHECK(delta_error(taken("[\"1\", 1]")) ==
        R"(delta.id[0]: expected an integer in 0..4294967295, got "1")");
  const auto unset = delta_from_json(json::parse(taken("null")));
  REQUIRE(unset.ok());
  CHECK(std::get<ItemTaken>(unset.value()).id == ItemId{});
  const auto zero = delta_from_json(json::parse(taken("[0, 0]")));
  REQUIRE(zero.ok());
  CHECK(std::get<ItemTaken>(zero.value()).id == ItemId{});
}

TEST_CASE("delta_json: bad enum names list the accepted ones") {
  CHECK(delta_error(R"({"type": "faced", "id": [1, 1], "position": [0, 0], "facing": "up"})") ==
        R"(delta.facing: expected one of north, east, south, west, got "up")");
  CHECK(delta_error(R"({"type": "faced", "id": [1, 1], "position": [0, 0], "facing": 1})") ==
        "delta.facing: expected one of north, east, south, west, got 1");
  CHECK(delta_error(R"({"type": "faced", "id": [1, 1], "position": [0, 0], "facing": "East"})") ==
        R"(delta.facing: expected one of north, east, south, west, got "East")");
  CHECK(delta_error(R"({"type": "removed", "id": [1, 1], "position": [0, 0],
                        "reason": "timeout"})") ==
        R"(delta.reason: expected one of left, died, out_of_view, got "timeout")");
  CHECK(delta_error(R"({"type": "trigger_fired", "id": [1, 1], "position": [0, 0],
                        "kind": "explode", "message": ""})") ==
        R"(delta.kind: expected one of teleport, heal, damage, message, got "explode")");
  CHECK(delta_error(R"({"type": "inventory_changed", "owner": [1, 1], "item": {"id": [1, 1],
                        "type": 0, "count": 1, "place": "pocket", "index": 0,
                        "position": [0, 0]}})") ==
        R"(delta.item.place: expected one of ground, backpack, equipment, got "pocket")");
}

TEST_CASE("delta_json: errors inside an entity name the nested path") {
  json j = protocol::to_json(Delta{Appeared{player_state()}});
  SUBCASE("kind") {
    j["entity"]["kind"] = "monster";
    CHECK(delta_error(j.dump()) ==
          R"(delta.entity.kind: expected one of player, npc, got "monster")");
  }
  SUBCASE("character id") {
    j["entity"]["character"] = -5;
    CHECK(delta_error(j.dump()) ==
          "delta.entity.character: expected an integer in 0..18446744073709551615, got -5");
  }
  SUBCASE("look body") {
    j["entity"]["look"]["body"] = 256;
    CHECK(delta_error(j.dump()) ==
          "delta.entity.look.body: expected an integer in 0..255, got 256");
  }
  SUBCASE("vitals") {
    j["entity"]["vitals"]["level"] = 2.5;
    CHECK(delta_error(j.dump()) ==
          "delta.entity.vitals.level: expected an integer in -2147483648..2147483647, got 2.5");
  }
  SUBCASE("target") {
    j["entity"]["target"] = json::array({1, 2, 3});
    CHECK(delta_error(j.dump()) ==
          "delta.entity.target: expected [index, generation] integers or null, got an array");
  }
  SUBCASE("missing speed") {
    j["entity"].erase("speed");
    CHECK(delta_error(j.dump()) == "delta.entity.speed: missing");
  }
  SUBCASE("entity decoded alone reports under entity") {
    json e = protocol::to_json(player_state());
    e["facing"] = "up";
    CHECK(error_of(e.dump(), protocol::entity_state_from_json) ==
          R"(entity.facing: expected one of north, east, south, west, got "up")");
  }
}

TEST_CASE("delta_json: hair colours must be \"#rrggbb\"") {
  for (const char* bad : {R"("red")", R"("884422")", R"("#88442")", R"("#8844221")", R"("#88442g")",
                          R"("# 84422")", R"("")", "8930338", "null"}) {
    json j = protocol::to_json(Delta{LookChanged{{8, 1}, {1, 2}, {}}});
    j["look"]["hair_colour"] = json::parse(bad);
    CHECK(delta_error(j.dump()) ==
          std::string(R"(delta.look.hair_colour: expected a colour "#rrggbb", got )") + bad);
  }
}

TEST_CASE("delta_json: a decoded item state reports under item") {
  json i = protocol::to_json(ground_item());
  i["position"] = json::array({1});
  CHECK(error_of(i.dump(), protocol::item_state_from_json) ==
        "item.position: expected [x, y] integers, got an array");
  CHECK(error_of("[]", protocol::item_state_from_json) == "item: expected an object, got an array");
}
