// Commands, characters and rejections as JSON: round trips of every alternative with edge
// values, the exact wire shape, the optional members, and every decoding error.
#include "protocol/command_json.hpp"

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
using protocol::command_from_json;
using protocol_test::check_round_trip;
using protocol_test::error_of;
using namespace world;

namespace {

constexpr std::uint64_t kAbove53 = (std::uint64_t{1} << 53) + 1;  // not exact as a double
constexpr std::uint16_t kMaxU16 = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint32_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();

Character hero() {
  Character c;
  c.id = CharacterId{kAbove53};
  c.name = "Zoë 勇者";
  c.position = {-4, 12};
  c.facing = Direction::East;
  c.speed = 50;
  c.look = {1, 2, 0x884422, 0, 0, 0};
  c.level = 7;
  c.experience = std::numeric_limits<std::uint64_t>::max();
  c.hp = 41;
  c.max_hp = 60;
  c.mp = 0;
  c.max_mp = 20;
  c.attack = -3;
  c.defense = std::numeric_limits<std::int32_t>::max();
  c.vocation = 255;
  c.items = {{2, 1, ItemPlace::Equipment, 2},
             {0, kMaxU16, ItemPlace::Backpack, 0},
             {kMaxU32, 0, ItemPlace::Ground, 255}};
  return c;
}

Character plain() {
  Character c;  // libworld's defaults: empty name, no items
  c.id = CharacterId{1};
  return c;
}

// At least one populated command of every alternative, several with edge values.
std::vector<Command> every_command() {
  return {
      {{}, Join{hero()}, 1},
      {{}, Join{plain()}, 0},
      {{3, 1}, Join{plain()}, 2},  // a Join's unused actor still round-trips
      {{12, 1}, Leave{}, 3},
      {{12, 1}, Move{Direction::North}, 7},
      {{12, 1}, Move{Direction::East}, kMaxU32},
      {{}, Move{Direction::South}, 0},  // an unset actor (the world rejects it)
      {{5, 0}, Move{Direction::West}, 0},
      {{12, 1}, Face{Direction::West}, 8},
      {{12, 1}, Attack{{kMaxU32, kMaxU32}}, 9},
      {{12, 1}, Attack{{}}, 10},  // stop fighting
      {{12, 1}, PickUp{{4, 2}}, 11},
      {{12, 1}, Drop{{4, 2}, 0}, 12},
      {{12, 1}, Drop{{4, 2}, kMaxU16}, 13},
      {{12, 1}, Equip{{4, 2}}, 14},
      {{12, 1}, Unequip{EquipSlot::Head}, 15},
      {{12, 1}, Unequip{EquipSlot::Body}, 15},
      {{12, 1}, Unequip{EquipSlot::Weapon}, 15},
      {{12, 1}, Unequip{EquipSlot::None}, 15},
      {{12, 1}, Use{{0, 1}}, 16},
      {{12, 1}, MoveItem{{4, 2}, 0}, 17},
      {{12, 1}, MoveItem{{4, 2}, 255}, 18},
      {{12, 1}, Cast{2, {57, 3}, {}}, 22},    // a creature spell
      {{12, 1}, Cast{3, {}, {30, -29}}, 23},  // a tile spell
      {{12, 1}, Cast{kMaxU32, {}, {}}, 24},   // self or area: no aim
      {{12, 1}, Say{"héllo \"there\" \\ 日本語 😀"}, 19},
      {{12, 1}, Say{""}, 20},
      {{12, 1}, Announce{"just for you"}, 21},
      {{}, Announce{"server restarts in 5 minutes"}, 0},
  };
}

std::string command_error(std::string_view text) {
  return error_of(text, command_from_json);
}

}  // namespace

TEST_CASE("command_json: every command alternative round-trips through JSON text") {
  std::set<std::size_t> alternatives;
  for (const Command& c : every_command()) {
    check_round_trip(c, command_from_json);
    alternatives.insert(c.payload.index());
  }
  CHECK(alternatives.size() == std::variant_size_v<CommandPayload>);
}

TEST_CASE("command_json: each alternative has its documented type name") {
  const std::vector<std::string> names = {"join",      "leave", "move",  "face",    "attack",
                                          "pick_up",   "drop",  "equip", "unequip", "use",
                                          "move_item", "cast",  "say",   "announce"};
  REQUIRE(names.size() == std::variant_size_v<CommandPayload>);
  for (const Command& c : every_command()) {
    CHECK(protocol::to_json(c).at("type") == names[c.payload.index()]);
  }
}

TEST_CASE("command_json: characters and rejections round-trip on their own") {
  check_round_trip(hero(), protocol::character_from_json);
  check_round_trip(plain(), protocol::character_from_json);
  check_round_trip(Character{}, protocol::character_from_json);
  for (std::uint8_t r = 0; r <= static_cast<std::uint8_t>(RejectReason::NotYourVocation); ++r) {
    const Rejection rej{r, {r, 1u + r}, 1000u + r, static_cast<RejectReason>(r)};
    check_round_trip(rej, protocol::rejection_from_json);
  }
  check_round_trip(Rejection{kMaxU32, {}, kMaxU32, RejectReason::Occupied},
                   protocol::rejection_from_json);
  // A new reason in libworld makes this fail: the protocol must learn its name.
  CHECK(to_string(static_cast<RejectReason>(static_cast<int>(RejectReason::NotYourVocation) + 1)) ==
        "invalid");
  CHECK(to_string(static_cast<EquipSlot>(4)) == "invalid");
}

TEST_CASE("command_json: a Move command has the documented shape") {
  const json j = protocol::to_json(Command{{12, 1}, Move{Direction::East}, 7});
  CHECK(j == json::parse(R"({"type": "move", "actor": [12, 1], "seq": 7, "direction": "east"})"));
  CHECK(protocol::dump(j) == R"({"actor":[12,1],"direction":"east","seq":7,"type":"move"})");
}

TEST_CASE("command_json: a Join carries the full character and no actor") {
  Character c = hero();
  c.experience = 1234;
  c.items = {{2, 1, ItemPlace::Equipment, 2}, {1, 3, ItemPlace::Backpack, 0}};
  const json j = protocol::to_json(Command{{}, Join{c}, 1});
  CHECK(j == json::parse(R"({"type": "join", "seq": 1, "character": {
      "id": 9007199254740993, "name": "Zoë 勇者", "position": [-4, 12], "facing": "east",
      "speed": 50,
      "look": {"body": 1, "hair_style": 2, "hair_colour": "#884422", "helmet": 0, "armor": 0,
               "weapon": 0},
      "level": 7, "experience": 1234, "hp": 41, "max_hp": 60, "mp": 0, "max_mp": 20,
      "attack": -3, "defense": 2147483647, "vocation": 255,
      "items": [{"type": 2, "count": 1, "place": "equipment", "index": 2},
                {"type": 1, "count": 3, "place": "backpack", "index": 0}]}})"));
}

TEST_CASE("command_json: more shapes: announce to everyone, drop, unequip, rejection") {
  CHECK(protocol::to_json(Command{{}, Announce{"hi all"}, 0}) ==
        json::parse(R"({"type": "announce", "seq": 0, "text": "hi all"})"));
  CHECK(protocol::to_json(Command{{2, 1}, Announce{"hi you"}, 0}) ==
        json::parse(R"({"type": "announce", "actor": [2, 1], "seq": 0, "text": "hi you"})"));
  CHECK(protocol::to_json(Command{{}, Leave{}, 0}) ==
        json::parse(R"({"type": "leave", "actor": null, "seq": 0})"));
  CHECK(protocol::to_json(Command{{2, 1}, Drop{{4, 2}, 0}, 5}) ==
        json::parse(R"({"type": "drop", "actor": [2, 1], "seq": 5, "item": [4, 2], "count": 0})"));
  CHECK(protocol::to_json(Command{{2, 1}, Unequip{EquipSlot::Head}, 5}) ==
        json::parse(R"({"type": "unequip", "actor": [2, 1], "seq": 5, "slot": "head"})"));
  CHECK(protocol::to_json(Rejection{3, {12, 1}, 7, RejectReason::Occupied}) ==
        json::parse(R"({"command_index": 3, "actor": [12, 1], "seq": 7, "reason": "occupied"})"));
}

TEST_CASE("command_json: seq may be left out, and actor for join and announce only") {
  const auto move = command_from_json(json::parse(R"({"type": "move", "actor": [3, 1],
                                                       "direction": "south"})"));
  REQUIRE(move.ok());
  CHECK(move.value() == Command{{3, 1}, Move{Direction::South}, 0});

  const auto announce = command_from_json(json::parse(R"({"type": "announce", "text": "x"})"));
  REQUIRE(announce.ok());
  CHECK(announce.value() == Command{{}, Announce{"x"}, 0});

  const auto join = command_from_json(
      json::parse(R"({"type": "join", "character": )" + protocol::to_json(plain()).dump() + "}"));
  REQUIRE(join.ok());
  CHECK(join.value() == Command{{}, Join{plain()}, 0});

  const auto null_actor = command_from_json(json::parse(R"({"type": "leave", "actor": null})"));
  REQUIRE(null_actor.ok());
  CHECK(null_actor.value() == Command{{}, Leave{}, 0});

  CHECK(command_error(R"({"type": "move", "direction": "south"})") == "command.actor: missing");
  CHECK(command_error(R"({"type": "leave"})") == "command.actor: missing");
  CHECK(command_error(R"({"type": "say", "text": "hi"})") == "command.actor: missing");
}

TEST_CASE("command_json: the message is not an object, or its type is missing or unknown") {
  CHECK(command_error("42") == "command: expected an object, got 42");
  CHECK(command_error(R"({"actor": [1, 1]})") == "command.type: missing");
  CHECK(command_error(R"({"type": null})") == "command.type: expected a string, got null");
  CHECK(command_error(R"({"type": "teleport", "actor": [1, 1]})") ==
        R"(command.type: unknown command type "teleport" (expected one of join, leave, move, )"
        R"(face, attack, pick_up, drop, equip, unequip, use, move_item, cast, say, announce))");
}

TEST_CASE("command_json: every field is checked and named") {
  CHECK(command_error(R"({"type": "move", "actor": [1, 1], "direction": "up"})") ==
        R"(command.direction: expected one of north, east, south, west, got "up")");
  CHECK(command_error(R"({"type": "face", "actor": [1, 1]})") == "command.direction: missing");
  CHECK(command_error(R"({"type": "move", "actor": [1, 1], "seq": -1, "direction": "east"})") ==
        "command.seq: expected an integer in 0..4294967295, got -1");
  CHECK(command_error(R"({"type": "move", "actor": [1, 1], "seq": 7.0, "direction": "east"})") ==
        "command.seq: expected an integer in 0..4294967295, got 7.0");
  CHECK(command_error(R"({"type": "move", "actor": [1], "direction": "east"})") ==
        "command.actor: expected [index, generation] integers or null, got an array");
  CHECK(command_error(R"({"type": "move", "actor": "me", "direction": "east"})") ==
        R"(command.actor: expected [index, generation] integers or null, got "me")");
  CHECK(command_error(R"({"type": "announce", "actor": [1, 2.5], "text": "x"})") ==
        "command.actor[1]: expected an integer in 0..4294967295, got 2.5");
  CHECK(command_error(R"({"type": "attack", "actor": [1, 1]})") == "command.target: missing");
  CHECK(command_error(R"({"type": "attack", "actor": [1, 1], "target": 5})") ==
        "command.target: expected [index, generation] integers or null, got 5");
  CHECK(command_error(R"({"type": "pick_up", "actor": [1, 1], "item": [1, 4294967296]})") ==
        "command.item[1]: expected an integer in 0..4294967295, got 4294967296");
  CHECK(command_error(R"({"type": "drop", "actor": [1, 1], "item": [1, 1]})") ==
        "command.count: missing");
  CHECK(command_error(R"({"type": "drop", "actor": [1, 1], "item": [1, 1], "count": 65536})") ==
        "command.count: expected an integer in 0..65535, got 65536");
  CHECK(command_error(R"({"type": "use", "actor": [1, 1], "item": {}})") ==
        "command.item: expected [index, generation] integers or null, got an object");
  CHECK(command_error(R"({"type": "unequip", "actor": [1, 1], "slot": "feet"})") ==
        R"(command.slot: expected one of none, head, body, weapon, got "feet")");
  CHECK(command_error(R"({"type": "move_item", "actor": [1, 1], "item": [1, 1],
                          "to_slot": 256})") ==
        "command.to_slot: expected an integer in 0..255, got 256");
  CHECK(command_error(R"({"type": "say", "actor": [1, 1], "text": ["hi"]})") ==
        "command.text: expected a string, got an array");
  CHECK(command_error(R"({"type": "announce", "text": 1})") ==
        "command.text: expected a string, got 1");
  CHECK(command_error(R"({"type": "join"})") == "command.character: missing");
  CHECK(command_error(R"({"type": "join", "character": "bob"})") ==
        R"(command.character: expected an object, got "bob")");
}

TEST_CASE("command_json: unknown members are ignored") {
  const auto r = command_from_json(json::parse(
      R"({"type": "equip", "actor": [1, 1], "item": [2, 3], "comment": "sword", "seq": 4,
          "why": {"nested": [1, 2]}})"));
  REQUIRE(r.ok());
  CHECK(r.value() == Command{{1, 1}, Equip{{2, 3}}, 4});
}

TEST_CASE("command_json: errors inside a Join's character name the nested path") {
  json j = protocol::to_json(Command{{}, Join{hero()}, 1});
  json& c = j["character"];
  SUBCASE("id above 64 bits") {
    c["id"] = json::parse("18446744073709551616");
    CHECK(command_error(j.dump()) ==
          "command.character.id: expected an integer in 0..18446744073709551615, got "
          "1.8446744073709552e+19");
  }
  SUBCASE("negative id") {
    c["id"] = -1;
    CHECK(command_error(j.dump()) ==
          "command.character.id: expected an integer in 0..18446744073709551615, got -1");
  }
  SUBCASE("speed") {
    c["speed"] = 70000;
    CHECK(command_error(j.dump()) ==
          "command.character.speed: expected an integer in 0..65535, got 70000");
  }
  SUBCASE("hp") {
    c["hp"] = 3000000000;
    CHECK(command_error(j.dump()) ==
          "command.character.hp: expected an integer in -2147483648..2147483647, got 3000000000");
  }
  SUBCASE("facing") {
    c["facing"] = "up";
    CHECK(command_error(j.dump()) ==
          R"(command.character.facing: expected one of north, east, south, west, got "up")");
  }
  SUBCASE("name") {
    c["name"] = json::array();
    CHECK(command_error(j.dump()) == "command.character.name: expected a string, got an array");
  }
  SUBCASE("hair colour") {
    c["look"]["hair_colour"] = "#12345";
    CHECK(command_error(j.dump()) ==
          R"(command.character.look.hair_colour: expected a colour "#rrggbb", got "#12345")");
  }
  SUBCASE("items is not an array") {
    c["items"] = json::object();
    CHECK(command_error(j.dump()) == "command.character.items: expected an array, got an object");
  }
  SUBCASE("an item's place") {
    c["items"][1]["place"] = "pocket";
    CHECK(
        command_error(j.dump()) ==
        R"(command.character.items[1].place: expected one of ground, backpack, equipment, got "pocket")");
  }
  SUBCASE("an item's count") {
    c["items"][2]["count"] = 65536;
    CHECK(command_error(j.dump()) ==
          "command.character.items[2].count: expected an integer in 0..65535, got 65536");
  }
  SUBCASE("an item that is not an object") {
    c["items"][0] = 3;
    CHECK(command_error(j.dump()) == "command.character.items[0]: expected an object, got 3");
  }
  SUBCASE("missing experience") {
    c.erase("experience");
    CHECK(command_error(j.dump()) == "command.character.experience: missing");
  }
  SUBCASE("a character decoded alone reports under character") {
    json alone = protocol::to_json(hero());
    alone["max_mp"] = "20";
    CHECK(error_of(alone.dump(), protocol::character_from_json) ==
          R"(character.max_mp: expected an integer in -2147483648..2147483647, got "20")");
  }
}

TEST_CASE("command_json: rejection decoding checks every field") {
  const auto rejection_error = [](std::string_view text) {
    return error_of(text, protocol::rejection_from_json);
  };
  CHECK(rejection_error(R"({"actor": [1, 1], "seq": 0, "reason": "occupied"})") ==
        "rejection.command_index: missing");
  CHECK(rejection_error(R"({"command_index": 0, "actor": [1, 1], "seq": 0, "reason": "nope"})")
            .starts_with(R"(rejection.reason: expected one of unknown_entity, stale_entity, )"));
  CHECK(
      rejection_error(R"({"command_index": 0, "actor": [1, 1], "seq": 0, "reason": "nope"})")
          .ends_with(
              R"(invalid_text, not_enough_mana, out_of_range, no_line_of_sight, not_your_vocation, got "nope")"));
  CHECK(rejection_error(R"({"command_index": 0, "actor": [1, 1], "reason": "occupied"})") ==
        "rejection.seq: missing");
  CHECK(rejection_error("[]") == "rejection: expected an object, got an array");
}

TEST_CASE("command_json: an enum value out of range encodes as invalid and does not decode") {
  const json j = protocol::to_json(Command{{1, 1}, Move{static_cast<Direction>(4)}, 0});
  CHECK(j.at("direction") == "invalid");
  const auto r = command_from_json(j);
  REQUIRE(!r.ok());
  CHECK(r.error().message ==
        R"(command.direction: expected one of north, east, south, west, got "invalid")");
}
