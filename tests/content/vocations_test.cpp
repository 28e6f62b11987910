#include "content/vocations.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "content/items.hpp"
#include "content/spells.hpp"
#include "data_files.hpp"
#include "small_content.hpp"

using content::parse_vocations;
using world::ItemKind;
using world::ItemStack;
using world::ItemType;
using world::SpellType;
using world::Vocation;

namespace {

using content_test::small_items;
using content_test::small_spells;

std::string error_of(const std::string& json) {
  const auto r = parse_vocations(json, "vocations.json", small_items(), small_spells());
  REQUIRE_MESSAGE(!r.ok(), "accepted: " << json);
  return r.error().message;
}

// `{"vocations": [{"key": "knight", "name": "Knight", <fields>}]}`.
std::string knight(const std::string& fields) {
  return R"({"vocations": [{"key": "knight", "name": "Knight")" +
         (fields.empty() ? "" : ", " + fields) + "}]}";
}

}  // namespace

TEST_CASE("vocations: the shipped vocations.json parses against the shipped items and spells") {
  const auto items =
      content::parse_item_types(content_test::read_data_file("items.json"), "items.json");
  REQUIRE(items.ok());
  const auto spells =
      content::parse_spell_types(content_test::read_data_file("spells.json"), "spells.json");
  REQUIRE(spells.ok());
  const auto r = parse_vocations(content_test::read_data_file("vocations.json"), "vocations.json",
                                 items.value(), spells.value());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const std::vector<Vocation>& vocations = r.value();
  REQUIRE(vocations.size() >= 3);
  // The first vocation is what characters made before vocations existed get: the knight.
  CHECK(vocations[0].key == "knight");

  const auto key_of_item = [&](std::uint32_t id) { return items.value().at(id).key; };
  const auto find = [&](const std::string& key) -> const Vocation& {
    for (const Vocation& v : vocations) {
      if (v.key == key) return v;
    }
    FAIL("no vocation " << key);
    return vocations.front();
  };
  for (const Vocation& v : vocations) {
    CAPTURE(v.key);
    CHECK(std::is_sorted(v.spells.begin(), v.spells.end()));
    CHECK_FALSE(v.start_items.empty());
    bool armed = false;  // every vocation starts with a weapon it may wield
    for (const ItemStack& s : v.start_items) {
      const ItemType& t = items.value().at(s.type);
      CHECK(s.count >= 1);
      CHECK(s.count <= t.max_stack);
      if (t.kind == ItemKind::Weapon) {
        armed = true;
        CHECK(std::find(v.weapons.begin(), v.weapons.end(), s.type) != v.weapons.end());
      }
    }
    CHECK(armed);
  }

  const Vocation& k = find("knight");
  CHECK(k.max_hp == 70);
  CHECK(k.max_mp == 10);
  CHECK(k.attack == 6);
  CHECK(k.defense == 4);
  CHECK(k.hp_per_level == 15);
  for (const std::uint32_t w : k.weapons)
    CHECK(items.value().at(w).range == 1);  // melee only
  REQUIRE(k.spells.size() == 1);
  CHECK(spells.value().at(k.spells[0]).key == "heal");

  const Vocation& a = find("archer");
  CHECK(a.max_hp == 55);
  CHECK(a.max_mp == 20);
  std::vector<std::string> archer_weapons;
  for (const std::uint32_t w : a.weapons)
    archer_weapons.push_back(key_of_item(w));
  CHECK(std::find(archer_weapons.begin(), archer_weapons.end(), "bow") != archer_weapons.end());
  CHECK(std::find(archer_weapons.begin(), archer_weapons.end(), "crossbow") !=
        archer_weapons.end());
  bool arrows = false;
  for (const ItemStack& s : a.start_items)
    arrows = arrows || (key_of_item(s.type) == "arrow" && s.count == 100);
  CHECK(arrows);

  const Vocation& m = find("mage");
  CHECK(m.max_hp == 45);
  CHECK(m.max_mp == 60);
  CHECK(m.spells.size() == 5);
  for (const std::uint32_t w : m.weapons)
    CHECK((key_of_item(w) == "wooden_staff" || key_of_item(w) == "wand"));
}

TEST_CASE("vocations: omitted fields take the defaults of world::Vocation") {
  const auto r = parse_vocations(knight(""), "vocations.json", small_items(), small_spells());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  Vocation expected;
  expected.key = "knight";
  expected.name = "Knight";
  REQUIRE(r.value().size() == 1);
  CHECK(r.value()[0] == expected);
  CHECK(r.value()[0].weapons.empty());  // every weapon
}

TEST_CASE("vocations: every field is read, keys resolve to ids, spells sorted ascending") {
  const auto r = parse_vocations(
      knight(R"("max_hp": 70, "max_mp": 0, "attack": 6, "defense": 4, "hp_per_level": 15,
                "mp_per_level": 3, "attack_per_level": 2, "defense_per_level": 0,
                "weapons": ["bow", "sword"], "spells": ["mend", "bolt"],
                "start_items": [{"item": "sword"}, {"item": "potion", "count": 20},
                                {"item": "cap", "count": 1}])"),
      "vocations.json", small_items(), small_spells());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const Vocation& v = r.value().at(0);
  CHECK(v.max_hp == 70);
  CHECK(v.max_mp == 0);
  CHECK(v.attack == 6);
  CHECK(v.defense == 4);
  CHECK(v.hp_per_level == 15);
  CHECK(v.mp_per_level == 3);
  CHECK(v.attack_per_level == 2);
  CHECK(v.defense_per_level == 0);
  CHECK(v.weapons == std::vector<std::uint32_t>{3, 2});  // file order
  CHECK(v.spells == std::vector<std::uint32_t>{0, 2});   // ascending
  CHECK(v.start_items == std::vector<ItemStack>{{2, 1}, {1, 20}, {4, 1}});
}

TEST_CASE("vocations: at least one, unique keys, well-formed documents") {
  CHECK(error_of(R"({"vocations": []})") ==
        "vocations.json: vocations: must list at least one vocation (the first is what "
        "characters made before vocations existed get)");
  CHECK(error_of("{").rfind("vocations.json: malformed JSON: parse error at line 1", 0) == 0);
  CHECK(error_of("{}") == "vocations.json: vocations: missing");
  CHECK(error_of(R"({"vocations": ["knight"]})") ==
        R"(vocations.json: vocations[0]: expected an object, got "knight")");
  CHECK(error_of(R"({"vocations": [{"key": "knight", "name": "Knight"},
                                   {"key": "knight", "name": "Knight"}]})") ==
        R"(vocations.json: vocations[1] ("knight").key: duplicate key "knight" (first used by )"
        R"(vocations[0]))");
  CHECK(error_of(R"({"vocations": [{"key": "knight"}]})") ==
        R"(vocations.json: vocations[0] ("knight").name: missing)");
}

TEST_CASE("vocations: ranges, weapons, spells and starting items name the field") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("max_hp": 0)", "max_hp: must be in 1..1000000, got 0"},
      {R"("max_mp": -1)", "max_mp: must be in 0..1000000, got -1"},
      {R"("attack": -1)", "attack: must be in 0..1000000, got -1"},
      {R"("defense": "4")", R"(defense: expected an integer, got "4")"},
      {R"("hp_per_level": -1)", "hp_per_level: must be in 0..1000000, got -1"},
      {R"("mp_per_level": 1000001)", "mp_per_level: must be in 0..1000000, got 1000001"},
      {R"("attack_per_level": 0.5)", "attack_per_level: expected an integer, got 0.5"},
      {R"("defense_per_level": -3)", "defense_per_level: must be in 0..1000000, got -3"},
      {R"("weapons": "sword")", R"(weapons: expected an array, got "sword")"},
      {R"("weapons": [2])", "weapons[0]: expected a string (item key), got 2"},
      {R"("weapons": ["sword", "axe"])", R"(weapons[1]: unknown item "axe")"},
      {R"("weapons": ["cap"])", R"(weapons[0]: item "cap" is not a weapon (kind "helmet"))"},
      {R"("weapons": ["sword", "bow", "sword"])",
       R"(weapons[2]: "sword" is listed twice (first at vocations[0] ("knight").weapons[0]))"},
      {R"("spells": {})", "spells: expected an array, got an object"},
      {R"("spells": ["fireball"])", R"(spells[0]: unknown spell "fireball")"},
      {R"("spells": ["heal", "heal"])",
       R"(spells[1]: "heal" is listed twice (first at vocations[0] ("knight").spells[0]))"},
      {R"("start_items": [{"count": 1}])", "start_items[0].item: missing"},
      {R"("start_items": ["sword"])", R"(start_items[0]: expected an object, got "sword")"},
      {R"("start_items": [{"item": "axe"}])", R"(start_items[0].item: unknown item "axe")"},
      {R"("start_items": [{"item": "potion", "count": 0}])",
       "start_items[0].count: must be in 1..1000000, got 0"},
      {R"("start_items": [{"item": "potion", "count": 21}])",
       R"(start_items[0].count: 21 exceeds the max_stack of item "potion" (20))"},
      {R"("start_items": [{"item": "sword", "count": 2}])",
       R"(start_items[0].count: item "sword" is not stackable, so the count must be 1, got 2)"},
      {R"("start_items": [{"item": "gold"}, {"item": "gold", "count": 5}])",
       R"(start_items[1].item: item "gold" is listed twice (first at vocations[0] ("knight").)"
       R"(start_items[0]); give one count)"},
      {R"("weapons": ["bow"], "start_items": [{"item": "sword"}])",
       R"(start_items[0].item: weapon "sword" is not among the vocation's weapons)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(knight(c.first)) == R"(vocations.json: vocations[0] ("knight").)" + c.second);
  }
}
