#include "content/spells.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "data_files.hpp"

using content::parse_spell_types;
using world::SpellEffect;
using world::SpellTarget;
using world::SpellType;

namespace {

std::string error_of(const std::string& json) {
  const auto r = parse_spell_types(json, "spells.json");
  REQUIRE_MESSAGE(!r.ok(), "accepted: " << json);
  return r.error().message;
}

// `{"spells": [{"key": "zap", "name": "Zap", <fields>}]}`.
std::string zap(const std::string& fields) {
  return R"({"spells": [{"key": "zap", "name": "Zap")" + (fields.empty() ? "" : ", " + fields) +
         "}]}";
}

const SpellType& find(const std::vector<SpellType>& spells, const std::string& key) {
  for (const SpellType& s : spells) {
    if (s.key == key) return s;
  }
  FAIL("no spell " << key);
  return spells.front();
}

}  // namespace

TEST_CASE("spells: the shipped spells.json parses into the expected spells") {
  const auto r = parse_spell_types(content_test::read_data_file("spells.json"), "spells.json");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const std::vector<SpellType>& spells = r.value();
  CHECK(spells.size() >= 5);
  std::set<SpellTarget> targets;
  std::set<SpellEffect> effects;
  for (const SpellType& s : spells) {
    targets.insert(s.target);
    effects.insert(s.effect);
    CHECK(s.min_power <= s.max_power);
    CHECK(s.cooldown >= 1u);
  }
  CHECK(targets.size() == 4);  // every target and effect is represented
  CHECK(effects.size() == 2);

  const SpellType& heal = find(spells, "heal");
  CHECK(heal.target == SpellTarget::Self);
  CHECK(heal.effect == SpellEffect::Heal);
  CHECK(heal.mana == 10);
  CHECK(heal.cooldown == 20u);
  CHECK(heal.range == 0);
  const SpellType& mend = find(spells, "mend");
  CHECK(mend.target == SpellTarget::Creature);
  CHECK(mend.effect == SpellEffect::Heal);
  CHECK(mend.range == 5);
  const SpellType& bolt = find(spells, "fire_bolt");
  CHECK(bolt == SpellType{"fire_bolt", "Fire Bolt", SpellTarget::Creature, SpellEffect::Damage, 8,
                          20, 6, 0, 8, 14, 2});
  const SpellType& fireball = find(spells, "fireball");
  CHECK(fireball.target == SpellTarget::Tile);
  CHECK(fireball.radius == 1);
  CHECK(fireball.range == 6);
  CHECK(fireball.mana == 20);
  CHECK(fireball.cooldown == 40u);
  const SpellType& shockwave = find(spells, "shockwave");
  CHECK(shockwave.target == SpellTarget::Area);
  CHECK(shockwave.radius == 2);
  CHECK(shockwave.range == 0);
  CHECK(shockwave.mana == 25);
  CHECK(shockwave.cooldown == 60u);
}

TEST_CASE("spells: omitted fields take the defaults of world::SpellType") {
  const auto r = parse_spell_types(R"({"spells": [
      {"key": "zap", "name": "Zap", "target": "creature", "effect": "damage"},
      {"key": "calm", "name": "Calm", "target": "self", "effect": "heal"},
      {"key": "quake", "name": "Quake", "target": "area", "effect": "damage", "radius": 3}
    ], "comment": "unknown members are ignored"})",
                                   "spells.json");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  REQUIRE(r.value().size() == 3);
  SpellType zap;
  zap.key = "zap";
  zap.name = "Zap";
  CHECK(r.value()[0] == zap);
  CHECK(r.value()[1].range == 0);  // a spell that is not aimed has no range
  CHECK(r.value()[1].radius == 0);
  CHECK(r.value()[2].range == 0);
  CHECK(r.value()[2].radius == 3);
  CHECK(parse_spell_types(R"({"spells": []})", "spells.json").value().empty());
}

TEST_CASE("spells: malformed documents, missing lists and duplicate keys") {
  CHECK(error_of("{").rfind("spells.json: malformed JSON: parse error at line 1", 0) == 0);
  CHECK(error_of("[]") == R"(spells.json: expected an object {"spells": [...]}, got an array)");
  CHECK(error_of("{}") == "spells.json: spells: missing");
  CHECK(error_of(R"({"spells": [7]})") == "spells.json: spells[0]: expected an object, got 7");
  CHECK(error_of(R"({"spells": [{"name": "Zap"}]})") == "spells.json: spells[0].key: missing");
  CHECK(error_of(R"({"spells": [{"key": "zap", "name": "Zap", "target": "self", "effect": "heal"},
                                {"key": "zap", "name": "Zap", "target": "self", "effect": "heal"}]})") ==
        R"(spells.json: spells[1] ("zap").key: duplicate key "zap" (first used by spells[0]))");
}

TEST_CASE("spells: every field is checked and named") {
  const std::string ok = R"("target": "creature", "effect": "damage")";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("effect": "damage")", "target: missing"},
      {R"("target": "creature")", "effect: missing"},
      {R"("target": "everyone", "effect": "damage")",
       R"(target: unknown spell target "everyone" (expected one of: self, creature, tile, area))"},
      {R"("target": "self", "effect": "poison")",
       R"(effect: unknown spell effect "poison" (expected one of: damage, heal))"},
      {ok + R"(, "mana": -1)", "mana: must be in 0..1000000, got -1"},
      {ok + R"(, "mana": "ten")", R"(mana: expected an integer, got "ten")"},
      {ok + R"(, "cooldown": 0)", "cooldown: must be in 1..100000000, got 0"},
      {ok + R"(, "range": -1)", "range: must be in 0..1000, got -1"},
      {ok + R"(, "radius": -2)", "radius: must be in 0..1000, got -2"},
      {ok + R"(, "min_power": -1)", "min_power: must be in 0..1000000, got -1"},
      {ok + R"(, "max_power": 1.5)", "max_power: expected an integer, got 1.5"},
      {ok + R"(, "power_per_level": -1)", "power_per_level: must be in 0..1000000, got -1"},
      {ok + R"(, "min_power": 6, "max_power": 5)",
       "max_power: must be at least min_power (6), got 5"},
      {ok + R"(, "range": 0)",
       R"(range: a "creature" spell is aimed at a distance, so its range must be at least 1, got 0)"},
      {R"("target": "tile", "effect": "damage", "range": 0, "radius": 1)",
       R"(range: a "tile" spell is aimed at a distance, so its range must be at least 1, got 0)"},
      {R"("target": "self", "effect": "heal", "range": 3)",
       R"(range: a "self" spell is not aimed, so its range must be 0, got 3)"},
      {R"("target": "area", "effect": "damage", "range": 2, "radius": 2)",
       R"(range: an "area" spell is not aimed, so its range must be 0, got 2)"},
      {R"("target": "area", "effect": "damage")",
       R"(radius: an "area" spell reaches around its caster, so its radius must be at least 1, got 0)"},
      {ok + R"(, "radius": 1)",
       R"(radius: a "creature" spell reaches one creature, so its radius must be 0, got 1)"},
      {R"("target": "self", "effect": "heal", "radius": 2)",
       R"(radius: a "self" spell reaches one creature, so its radius must be 0, got 2)"},
  };
  CHECK(error_of(R"({"spells": [{"key": "zap", "target": "self", "effect": "heal"}]})") ==
        R"(spells.json: spells[0] ("zap").name: missing)");
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(error_of(zap(c.first)) == R"(spells.json: spells[0] ("zap").)" + c.second);
  }
}
