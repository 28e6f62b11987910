#include "content/npcs.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "content/items.hpp"
#include "content/spells.hpp"
#include "data_files.hpp"
#include "small_content.hpp"

using content::parse_npc_templates;
using world::Behaviour;
using world::ItemKind;
using world::ItemType;
using world::LootEntry;
using world::NpcTemplate;

namespace {

using content_test::small_items;
using content_test::small_spells;

std::string error_of(const std::string& json) {
  const auto r = parse_npc_templates(json, "npcs.json", small_items(), small_spells());
  REQUIRE_MESSAGE(!r.ok(), "accepted: " << json);
  return r.error().message;
}

// `{"npcs": [{"key": "rat", "name": "Rat", <fields>}]}`.
std::string rat(const std::string& fields) {
  return R"({"npcs": [{"key": "rat", "name": "Rat")" + (fields.empty() ? "" : ", " + fields) +
         "}]}";
}

}  // namespace

TEST_CASE("npcs: the shipped npcs.json parses against the shipped items and spells") {
  const auto items =
      content::parse_item_types(content_test::read_data_file("items.json"), "items.json");
  REQUIRE(items.ok());
  const auto spells =
      content::parse_spell_types(content_test::read_data_file("spells.json"), "spells.json");
  REQUIRE(spells.ok());
  const auto r = parse_npc_templates(content_test::read_data_file("npcs.json"), "npcs.json",
                                     items.value(), spells.value());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const std::vector<NpcTemplate>& npcs = r.value();
  CHECK(npcs.size() >= 8);
  CHECK(npcs.size() <= 32);

  // Template ids are what spawn areas and saved worlds refer to: the first six keep their places.
  const std::vector<std::string> first{"sheep", "deer",     "rabbit",
                                       "rat",   "skeleton", "orc_chieftain"};
  for (std::size_t i = 0; i < first.size(); ++i)
    CHECK(npcs.at(i).key == first[i]);
  // At least one archer that keeps its distance and one caster that heals its allies.
  int archers = 0;
  int healers = 0;
  for (const NpcTemplate& t : npcs) {
    CHECK(t.keep_distance <= t.attack_range);
    if (t.attack_range > 1 && t.keep_distance > 0) ++archers;
    if (t.heal_spell != 0) {
      ++healers;
      REQUIRE(t.heal_spell <= spells.value().size());
      const world::SpellType& heal = spells.value()[t.heal_spell - 1];
      CHECK(heal.effect == world::SpellEffect::Heal);
      CHECK(t.max_mp >= heal.mana);
    }
  }
  CHECK(archers >= 1);
  CHECK(healers >= 1);

  std::set<std::string> keys;
  int passive = 0;
  int aggressive = 0;
  for (const NpcTemplate& t : npcs) {
    CAPTURE(t.key);
    CHECK(keys.insert(t.key).second);
    (t.behaviour == Behaviour::Passive ? passive : aggressive) += 1;
    CHECK_FALSE(t.loot.empty());
    for (const LootEntry& l : t.loot) {
      REQUIRE(l.item_type < items.value().size());
      CHECK(l.max_count <= items.value()[l.item_type].max_stack);
    }
  }
  CHECK(passive >= 2);
  CHECK(aggressive >= 3);

  // The rat is the example of docs/content.md, field by field.
  const auto it =
      std::find_if(npcs.begin(), npcs.end(), [](const NpcTemplate& t) { return t.key == "rat"; });
  REQUIRE(it != npcs.end());
  const NpcTemplate& r2 = *it;
  CHECK(r2.name == "Rat");
  CHECK(r2.behaviour == Behaviour::Aggressive);
  CHECK(r2.speed == 30);
  CHECK(r2.wander_radius == 6);
  CHECK(r2.idle_percent == 50);
  CHECK(r2.max_idle_ticks == 40);
  CHECK(r2.aggro_radius == 5);
  CHECK(r2.leash_radius == 12);
  CHECK(r2.level == 2);
  CHECK(r2.max_hp == 25);
  CHECK(r2.attack == 5);
  CHECK(r2.defense == 1);
  CHECK(r2.attack_cooldown == 20);
  CHECK(r2.experience == 15);
  CHECK(r2.respawn_ticks == 600);
  CHECK(r2.look.body == 3);
  CHECK(r2.attack_range == 1);
  CHECK(r2.keep_distance == 0);
  CHECK(r2.max_mp == 0);
  CHECK(r2.heal_spell == 0u);
  CHECK(r2.look.hair_colour == 0x5b4a3au);
  REQUIRE(r2.loot.size() == 2);
  CHECK(items.value()[r2.loot[0].item_type].key == "gold");
  CHECK(r2.loot[0] == LootEntry{r2.loot[0].item_type, 600, 1, 8});
}

TEST_CASE("npcs: omitted fields take the defaults of world::NpcTemplate") {
  const auto r = parse_npc_templates(rat(""), "npcs.json", small_items());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  NpcTemplate expected;
  expected.key = "rat";
  expected.name = "Rat";
  REQUIRE(r.value().size() == 1);
  CHECK(r.value()[0] == expected);
}

TEST_CASE("npcs: every field is read, loot resolves item keys to type ids") {
  const auto r = parse_npc_templates(
      rat(R"("behaviour": "aggressive", "speed": 1000, "wander_radius": 0, "idle_percent": 100,
          "max_idle_ticks": 1, "aggro_radius": 9, "leash_radius": 0, "level": 7, "max_hp": 1,
          "attack": 0, "defense": 3, "attack_cooldown": 5, "experience": 0, "respawn_ticks": 0,
          "attack_range": 10, "keep_distance": 10, "max_mp": 12, "heal_spell": "mend",
          "look": {"body": 255, "hair_style": 4, "hair_colour": "#A0b1C2"},
          "loot": [{"item": "sword", "chance_permille": 1000},
                   {"item": "gold", "chance_permille": 0, "min": 3},
                   {"item": "potion", "chance_permille": 500, "min": 2, "max": 20}])"),
      "npcs.json", small_items(), small_spells());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const NpcTemplate& t = r.value().at(0);
  CHECK(t.attack_range == 10);
  CHECK(t.keep_distance == 10);
  CHECK(t.max_mp == 12);
  CHECK(t.heal_spell == 3u);  // spell id 2 + 1
  CHECK(t.behaviour == Behaviour::Aggressive);
  CHECK(t.speed == 1000);
  CHECK(t.wander_radius == 0);
  CHECK(t.idle_percent == 100);
  CHECK(t.max_idle_ticks == 1);
  CHECK(t.aggro_radius == 9);
  CHECK(t.leash_radius == 0);
  CHECK(t.level == 7);
  CHECK(t.max_hp == 1);
  CHECK(t.attack == 0);
  CHECK(t.defense == 3);
  CHECK(t.attack_cooldown == 5);
  CHECK(t.experience == 0);
  CHECK(t.respawn_ticks == 0);
  CHECK(t.look.body == 255);
  CHECK(t.look.hair_style == 4);
  CHECK(t.look.hair_colour == 0xA0B1C2u);
  CHECK(t.look.helmet == 0);
  REQUIRE(t.loot.size() == 3);
  CHECK(t.loot[0] == LootEntry{2, 1000, 1, 1});
  CHECK(t.loot[1] == LootEntry{0, 0, 3, 3});  // max defaults to min
  CHECK(t.loot[2] == LootEntry{1, 500, 2, 20});
}

TEST_CASE("npcs: the example message for an unknown loot item, exactly") {
  CHECK(error_of(R"({"npcs": [{"key": "sheep", "name": "Sheep"},
                              {"key": "deer", "name": "Deer"},
                              {"key": "rat", "name": "Rat",
                               "loot": [{"item": "gld", "chance_permille": 600}]}]})") ==
        R"(npcs.json: npcs[2] ("rat").loot[0].item: unknown item "gld")");
}

TEST_CASE("npcs: malformed documents, missing lists and duplicate keys") {
  CHECK(error_of(R"({"npcs": [)").rfind("npcs.json: malformed JSON: parse error at line 1", 0) ==
        0);
  CHECK(error_of("null") == "npcs.json: expected an object {\"npcs\": [...]}, got null");
  CHECK(error_of(R"({"monsters": []})") == "npcs.json: npcs: missing");
  CHECK(error_of(R"({"npcs": {}})") == "npcs.json: npcs: expected an array, got an object");
  CHECK(error_of(R"({"npcs": [1]})") == "npcs.json: npcs[0]: expected an object, got 1");
  CHECK(error_of(R"({"npcs": [{"name": "Rat"}]})") == "npcs.json: npcs[0].key: missing");
  CHECK(error_of(R"({"npcs": [{"key": "rat"}]})") == R"(npcs.json: npcs[0] ("rat").name: missing)");
  CHECK(
      error_of(R"({"npcs": [{"key": "rat", "name": "Rat"}, {"key": "rat", "name": "Big Rat"}]})") ==
      R"(npcs.json: npcs[1] ("rat").key: duplicate key "rat" (first used by npcs[0]))");
  CHECK(error_of(R"({"npcs": [{"key": "rat", "name": "Rat", "look": {"body": 1, "body": 2}}]})") ==
        R"(npcs.json: npcs[0].look: duplicate member "body")");
}

TEST_CASE("npcs: ranges and types of the template fields") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("behaviour": "hostile")",
       R"(behaviour: unknown behaviour "hostile" (expected one of: passive, aggressive))"},
      {R"("behaviour": 1)", "behaviour: expected a string, got 1"},
      {R"("speed": 0)", "speed: must be in 1..1000, got 0"},
      {R"("speed": 1001)", "speed: must be in 1..1000, got 1001"},
      {R"("wander_radius": -1)", "wander_radius: must be in 0..1000, got -1"},
      {R"("aggro_radius": -3)", "aggro_radius: must be in 0..1000, got -3"},
      {R"("leash_radius": 1001)", "leash_radius: must be in 0..1000, got 1001"},
      {R"("idle_percent": 101)", "idle_percent: must be in 0..100, got 101"},
      {R"("max_idle_ticks": 0)", "max_idle_ticks: must be in 1..100000000, got 0"},
      {R"("level": 0)", "level: must be in 1..1000, got 0"},
      {R"("max_hp": 0)", "max_hp: must be in 1..1000000, got 0"},
      {R"("attack": -1)", "attack: must be in 0..1000000, got -1"},
      {R"("defense": 1.5)", "defense: expected an integer, got 1.5"},
      {R"("attack_cooldown": 0)", "attack_cooldown: must be in 1..100000000, got 0"},
      {R"("experience": -5)", "experience: must be in 0..1000000000, got -5"},
      {R"("respawn_ticks": true)", "respawn_ticks: expected an integer, got true"},
      {R"("look": [])", "look: expected an object, got an array"},
      {R"("look": {"body": 256})", "look.body: must be in 0..255, got 256"},
      {R"("look": {"hair_style": -1})", "look.hair_style: must be in 0..255, got -1"},
      {R"("look": {"hair_colour": "brown"})",
       R"(look.hair_colour: expected a colour "#rrggbb", got "brown")"},
      {R"("look": {"hair_colour": "#12345g"})",
       R"(look.hair_colour: expected a colour "#rrggbb", got "#12345g")"},
      {R"("look": {"hair_colour": 1193046})", "look.hair_colour: expected a string, got 1193046"},
      {R"("attack_range": 0)", "attack_range: must be in 1..10, got 0"},
      {R"("attack_range": 11)", "attack_range: must be in 1..10, got 11"},
      {R"("keep_distance": 2)", "keep_distance: must be in 0..1, got 2"},
      {R"("attack_range": 5, "keep_distance": 6)", "keep_distance: must be in 0..5, got 6"},
      {R"("attack_range": 5, "keep_distance": -1)", "keep_distance: must be in 0..5, got -1"},
      {R"("max_mp": -1)", "max_mp: must be in 0..1000000, got -1"},
      {R"("max_mp": 40, "heal_spell": 1)", "heal_spell: expected a string, got 1"},
      {R"("max_mp": 40, "heal_spell": "frost")", R"(heal_spell: unknown spell "frost")"},
      {R"("max_mp": 40, "heal_spell": "bolt")",
       R"(heal_spell: spell "bolt" does not heal (effect "damage"))"},
      {R"("max_mp": 11, "heal_spell": "mend")",
       R"(max_mp: must pay for heal_spell "mend" (mana 12), got 11)"},
      {R"("heal_spell": "mend")", R"(max_mp: must pay for heal_spell "mend" (mana 12), got 0)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(rat(c.first)) == R"(npcs.json: npcs[0] ("rat").)" + c.second);
  }
}

TEST_CASE("npcs: loot entries: item, chance and counts within the item's stack") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("loot": {})", "loot: expected an array, got an object"},
      {R"("loot": ["gold"])", R"(loot[0]: expected an object, got "gold")"},
      {R"("loot": [{"chance_permille": 5}])", "loot[0].item: missing"},
      {R"("loot": [{"item": "gold"}])", "loot[0].chance_permille: missing"},
      {R"("loot": [{"item": "gold", "chance_permille": 1001}])",
       "loot[0].chance_permille: must be in 0..1000, got 1001"},
      {R"("loot": [{"item": "gold", "chance_permille": -1}])",
       "loot[0].chance_permille: must be in 0..1000, got -1"},
      {R"("loot": [{"item": "gold", "chance_permille": 5, "min": 0}])",
       "loot[0].min: must be in 1..1000000, got 0"},
      {R"("loot": [{"item": "gold", "chance_permille": 5, "min": 5, "max": 4}])",
       "loot[0].max: must be at least min (5), got 4"},
      {R"("loot": [{"item": "gold", "chance_permille": 5, "max": 1001}])",
       R"(loot[0].max: 1001 exceeds the max_stack of item "gold" (1000))"},
      {R"("loot": [{"item": "potion", "chance_permille": 5, "min": 21}])",
       R"(loot[0].min: 21 exceeds the max_stack of item "potion" (20))"},
      {R"("loot": [{"item": "sword", "chance_permille": 5, "max": 2}])",
       R"(loot[0].max: item "sword" is not stackable, so at most 1 drops, got 2)"},
      {R"("loot": [{"item": "gold", "chance_permille": 5}, {"item": "sword", "chance_permille": 5, "min": 3}])",
       R"(loot[1].min: item "sword" is not stackable, so at most 1 drops, got 3)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(rat(c.first)) == R"(npcs.json: npcs[0] ("rat").)" + c.second);
  }
}

TEST_CASE("npcs: with no spells, any heal_spell names an unknown spell") {
  const auto r =
      parse_npc_templates(rat(R"("max_mp": 10, "heal_spell": "mend")"), "npcs.json", small_items());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == R"(npcs.json: npcs[0] ("rat").heal_spell: unknown spell "mend")");
}

TEST_CASE("npcs: with no item types, any loot entry names an unknown item") {
  const auto r = parse_npc_templates(rat(R"("loot": [{"item": "gold", "chance_permille": 5}])"),
                                     "npcs.json", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == R"(npcs.json: npcs[0] ("rat").loot[0].item: unknown item "gold")");
}
