#include "content/items.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "data_files.hpp"

using content::parse_item_types;
using world::EquipSlot;
using world::ItemKind;
using world::ItemType;

namespace {

// The error message for a document that must be refused.
std::string error_of(const std::string& json) {
  const auto r = parse_item_types(json, "items.json");
  REQUIRE_MESSAGE(!r.ok(), "accepted: " << json);
  return r.error().message;
}

// `{"items": [<item>]}`.
std::string one(const std::string& item) {
  return R"({"items": [)" + item + "]}";
}

}  // namespace

TEST_CASE("items: the shipped items.json parses into the expected item types") {
  const auto r = parse_item_types(content_test::read_data_file("items.json"), "items.json");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const std::vector<ItemType>& items = r.value();
  CHECK(items.size() >= 10);
  CHECK(items.size() <= 32);

  std::set<std::string> keys;
  std::set<ItemKind> kinds;
  for (const ItemType& t : items) {
    CHECK(keys.insert(t.key).second);
    kinds.insert(t.kind);
    CHECK(t.max_stack >= 1);
    if (!t.stackable) CHECK(t.max_stack == 1);
  }
  CHECK(kinds.size() == 7);  // every kind is represented

  const ItemType& gold = items.at(0);
  CHECK(gold.key == "gold");
  CHECK(gold.kind == ItemKind::Gold);
  CHECK(gold.stackable);
  CHECK(gold.max_stack == 1000);

  for (const ItemType& t : items) {
    if (t.key == "health_potion") {
      CHECK(t.kind == ItemKind::Potion);
      CHECK(t.heal_hp > 0);
      CHECK(t.max_stack == 20);
    }
    if (t.key == "short_sword") {
      CHECK(t == ItemType{"short_sword", "Short Sword", ItemKind::Weapon, EquipSlot::Weapon, 3, 0,
                          0, 0, false, 1});
    }
    if (t.kind == ItemKind::Weapon) {
      CHECK(t.range >= 1);
      CHECK((t.ammo == 0 || items.at(t.ammo - 1).kind == ItemKind::Ammo));
    } else {
      CHECK(t.range == 1);
      CHECK(t.ammo == 0);
    }
  }

  // Item type ids are what saved characters hold: the first thirteen keep their places.
  const std::vector<std::string> first{
      "gold",       "health_potion", "mana_potion", "short_sword",   "long_sword",
      "orcish_axe", "leather_cap",   "iron_helmet", "leather_armor", "chain_mail",
      "wool",       "hide",          "bone"};
  REQUIRE(items.size() > first.size());
  for (std::size_t i = 0; i < first.size(); ++i)
    CHECK(items[i].key == first[i]);

  // The bow shoots arrows from six tiles away; arrows come in stacks of a hundred.
  const auto find = [&](const std::string& key) -> const ItemType& {
    for (const ItemType& t : items) {
      if (t.key == key) return t;
    }
    FAIL("no item " << key);
    return items.front();
  };
  const ItemType& bow = find("bow");
  CHECK(bow.range == 6);
  REQUIRE(bow.ammo != 0);
  CHECK(items.at(bow.ammo - 1).key == "arrow");
  const ItemType& arrow = find("arrow");
  CHECK(arrow.kind == ItemKind::Ammo);
  CHECK(arrow.stackable);
  CHECK(arrow.max_stack == 100);
  CHECK(find("crossbow").range == 7);
  CHECK(find("wooden_staff").range == 1);
  CHECK(find("wand").range == 1);
}

TEST_CASE("items: omitted fields take documented defaults") {
  const auto r = parse_item_types(R"({"items": [
      {"key": "club", "name": "Club", "kind": "weapon", "attack": 2},
      {"key": "cap", "name": "Cap", "kind": "helmet"},
      {"key": "vest", "name": "Vest", "kind": "armor", "defense": 1},
      {"key": "coin", "name": "Coin", "kind": "gold"},
      {"key": "tonic", "name": "Tonic", "kind": "potion", "heal_mp": 5},
      {"key": "pebble", "name": "Pebble", "kind": "misc"},
      {"key": "feather", "name": "Feather", "kind": "misc", "stackable": true},
      {"key": "sling", "name": "Sling", "kind": "weapon", "range": 4, "ammo": "pebble_shot"},
      {"key": "pebble_shot", "name": "Pebble Shot", "kind": "ammo"},
      {"key": "throwing_axe", "name": "Throwing Axe", "kind": "weapon", "attack": 4, "range": 3}
    ], "comment": "unknown members are ignored"})",
                                  "items.json");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const std::vector<ItemType>& items = r.value();
  REQUIRE(items.size() == 10);
  CHECK(items[0].range == 1);  // melee unless told otherwise
  CHECK(items[0].ammo == 0);
  CHECK(items[7].range == 4);
  CHECK(items[7].ammo == 9);  // id + 1 of pebble_shot, named before it is defined
  CHECK(items[8].kind == ItemKind::Ammo);
  CHECK(items[8].slot == EquipSlot::None);
  CHECK(items[8].stackable);  // ammunition stacks unless told otherwise
  CHECK(items[8].max_stack == 100);
  CHECK(items[9].range == 3);
  CHECK(items[9].ammo == 0);  // a ranged weapon may need no ammunition
  CHECK(items[0] ==
        ItemType{"club", "Club", ItemKind::Weapon, EquipSlot::Weapon, 2, 0, 0, 0, false, 1});
  CHECK(items[1].slot == EquipSlot::Head);
  CHECK(items[2].slot == EquipSlot::Body);
  CHECK(items[2].defense == 1);
  CHECK(items[3].slot == EquipSlot::None);
  CHECK(items[3].stackable);  // gold and potions stack unless told otherwise
  CHECK(items[3].max_stack == 100);
  CHECK(items[4].stackable);
  CHECK(items[4].heal_mp == 5);
  CHECK(items[4].heal_hp == 0);
  CHECK_FALSE(items[5].stackable);
  CHECK(items[5].max_stack == 1);
  CHECK(items[6].stackable);
  CHECK(items[6].max_stack == 100);
}

TEST_CASE("items: an empty list is valid, and the file name given prefixes errors") {
  const auto r = parse_item_types(R"({"items": []})", "items.json");
  REQUIRE(r.ok());
  CHECK(r.value().empty());
  const auto bad = parse_item_types("{", "content/items-v2.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("content/items-v2.json: malformed JSON", 0) == 0);
}

TEST_CASE("items: malformed documents are refused with line and column") {
  CHECK(error_of("{\"items\": [\n  {\"key\": \"a\",}\n]}") ==
        "items.json: malformed JSON: parse error at line 2, column 15: syntax error while parsing "
        "object key - unexpected '}'; expected string literal");
  CHECK(error_of("").rfind("items.json: malformed JSON: parse error at line 1, column 1", 0) == 0);
  CHECK(error_of(R"({"items": []} trailing)").find("malformed JSON") != std::string::npos);
  CHECK(error_of("[]") == R"(items.json: expected an object {"items": [...]}, got an array)");
  CHECK(error_of("{}") == "items.json: items: missing");
  CHECK(error_of(R"({"items": 3})") == "items.json: items: expected an array, got 3");
  CHECK(error_of(R"({"items": ["sword"]})") ==
        R"(items.json: items[0]: expected an object, got "sword")");
}

TEST_CASE("items: a member named twice in one object is refused with its path") {
  CHECK(error_of(one(R"({"key": "a", "name": "A", "kind": "weapon", "attack": 1, "attack": 2})")) ==
        R"(items.json: items[0]: duplicate member "attack")");
  CHECK(error_of(R"({"items": [], "items": []})") == R"(items.json: duplicate member "items")");
}

TEST_CASE("items: keys are required, well-formed and unique") {
  CHECK(error_of(one(R"({"name": "A", "kind": "misc"})")) == "items.json: items[0].key: missing");
  CHECK(error_of(one(R"({"key": "Short Sword", "name": "A", "kind": "misc"})")) ==
        "items.json: items[0].key: expected 1 to 64 lower-case letters, digits or underscores, "
        "got \"Short Sword\"");
  CHECK(error_of(one(R"({"key": "", "name": "A", "kind": "misc"})")).find("items[0].key") !=
        std::string::npos);
  CHECK(error_of(one(R"({"key": 7, "name": "A", "kind": "misc"})")) ==
        "items.json: items[0].key: expected a string, got 7");
  CHECK(error_of(R"({"items": [{"key": "a", "name": "A", "kind": "misc"},
                               {"key": "b", "name": "B", "kind": "misc"},
                               {"key": "a", "name": "C", "kind": "misc"}]})") ==
        R"(items.json: items[2] ("a").key: duplicate key "a" (first used by items[0]))");
}

TEST_CASE("items: missing, mistyped and unknown fields name the item and the field") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"key": "a", "kind": "misc"})", R"(items.json: items[0] ("a").name: missing)"},
      {R"({"key": "a", "name": "", "kind": "misc"})",
       R"(items.json: items[0] ("a").name: must not be empty)"},
      {R"({"key": "a", "name": ["A"], "kind": "misc"})",
       R"(items.json: items[0] ("a").name: expected a string, got an array)"},
      {R"({"key": "a", "name": "A"})", R"(items.json: items[0] ("a").kind: missing)"},
      {R"({"key": "a", "name": "A", "kind": "sword"})",
       R"(items.json: items[0] ("a").kind: unknown item kind "sword" (expected one of: misc, )"
       R"(weapon, helmet, armor, potion, gold, ammo))"},
      {R"({"key": "a", "name": "A", "kind": "weapon", "slot": "hand"})",
       R"(items.json: items[0] ("a").slot: unknown slot "hand" (expected one of: none, head, )"
       R"(body, weapon))"},
      {R"({"key": "a", "name": "A", "kind": "misc", "stackable": 1})",
       R"(items.json: items[0] ("a").stackable: expected true or false, got 1)"},
      {R"({"key": "a", "name": "A", "kind": "weapon", "attack": "3"})",
       R"(items.json: items[0] ("a").attack: expected an integer, got "3")"},
      {R"({"key": "a", "name": "A", "kind": "weapon", "attack": 2.5})",
       R"(items.json: items[0] ("a").attack: expected an integer, got 2.5)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(one(c.first)) == c.second);
  }
}

TEST_CASE("items: numbers out of range are refused with the range") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("kind": "weapon", "attack": 1001)", "attack: must be in 0..1000, got 1001"},
      {R"("kind": "weapon", "attack": -1)", "attack: must be in 0..1000, got -1"},
      {R"("kind": "armor", "defense": 18446744073709551615)",
       "defense: must be in 0..1000, got 18446744073709551615"},
      {R"("kind": "potion", "heal_hp": 100001)", "heal_hp: must be in 0..100000, got 100001"},
      {R"("kind": "misc", "stackable": true, "max_stack": 0)",
       "max_stack: must be in 1..65535, got 0"},
      {R"("kind": "misc", "stackable": true, "max_stack": 65536)",
       "max_stack: must be in 1..65535, got 65536"},
      {R"("kind": "weapon", "range": 0)", "range: must be in 1..12, got 0"},
      {R"("kind": "weapon", "range": 13)", "range: must be in 1..12, got 13"},
      {R"("kind": "weapon", "range": "far")", R"(range: expected an integer, got "far")"},
      {R"("kind": "weapon", "range": 5, "ammo": 3)", "ammo: expected a string, got 3"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(one(R"({"key": "a", "name": "A", )" + c.first + "}")) ==
          R"(items.json: items[0] ("a").)" + c.second);
  }
}

TEST_CASE("items: kind, slot, bonuses, healing and stacking must agree") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("kind": "weapon", "slot": "head")",
       R"(slot: kind "weapon" needs slot "weapon", got "head")"},
      {R"("kind": "helmet", "slot": "body")",
       R"(slot: kind "helmet" needs slot "head", got "body")"},
      {R"("kind": "armor", "slot": "none")", R"(slot: kind "armor" needs slot "body", got "none")"},
      {R"("kind": "misc", "slot": "weapon")",
       R"(slot: kind "misc" needs slot "none", got "weapon")"},
      {R"("kind": "gold", "attack": 1)",
       R"(attack: an item of kind "gold" cannot be worn, so its attack must be 0)"},
      {R"("kind": "misc", "defense": 2)",
       R"(defense: an item of kind "misc" cannot be worn, so its defense must be 0)"},
      {R"("kind": "potion")", "heal_hp: a potion must heal something (heal_hp or heal_mp > 0)"},
      {R"("kind": "misc", "heal_hp": 5)", "heal_hp: only a potion heals, so heal_hp must be 0"},
      {R"("kind": "weapon", "heal_mp": 5)", "heal_mp: only a potion heals, so heal_mp must be 0"},
      {R"("kind": "gold", "stackable": false)", "stackable: gold must be stackable"},
      {R"("kind": "misc", "max_stack": 5)",
       "max_stack: a non-stackable item has max_stack 1, got 5"},
      {R"("kind": "weapon", "stackable": true)",
       R"(stackable: an item of kind "weapon" is worn, so it cannot be stackable)"},
      {R"("kind": "ammo", "attack": 1)",
       R"(attack: an item of kind "ammo" cannot be worn, so its attack must be 0)"},
      {R"("kind": "ammo", "slot": "weapon")",
       R"(slot: kind "ammo" needs slot "none", got "weapon")"},
      {R"("kind": "armor", "range": 2)",
       R"(range: an item of kind "armor" is not a weapon, so its range must be 1, got 2)"},
      {R"("kind": "ammo", "range": 3)",
       R"(range: an item of kind "ammo" is not a weapon, so its range must be 1, got 3)"},
      {R"("kind": "weapon", "ammo": "a")",
       R"(ammo: only a ranged weapon (kind "weapon", range above 1) uses ammunition)"},
      {R"("kind": "misc", "ammo": "a")",
       R"(ammo: only a ranged weapon (kind "weapon", range above 1) uses ammunition)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(one(R"({"key": "a", "name": "A", )" + c.first + "}")) ==
          R"(items.json: items[0] ("a").)" + c.second);
  }
}

TEST_CASE("items: a ranged weapon's ammunition is an item of kind ammo, named by key") {
  CHECK(error_of(R"({"items": [{"key": "arrow", "name": "Arrow", "kind": "ammo"},
                               {"key": "bow", "name": "Bow", "kind": "weapon", "range": 6,
                                "ammo": "arow"}]})") ==
        R"(items.json: items[1] ("bow").ammo: unknown item "arow")");
  CHECK(error_of(R"({"items": [{"key": "gold", "name": "Gold", "kind": "gold"},
                               {"key": "bow", "name": "Bow", "kind": "weapon", "range": 6,
                                "ammo": "gold"}]})") ==
        R"(items.json: items[1] ("bow").ammo: item "gold" is not ammunition (kind "gold"))");
  CHECK(error_of(R"({"items": [{"key": "bow", "name": "Bow", "kind": "weapon", "range": 6,
                                "ammo": "bow"}]})") ==
        R"(items.json: items[0] ("bow").ammo: item "bow" is not ammunition (kind "weapon"))");
}
