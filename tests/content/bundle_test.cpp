#include "content/bundle.hpp"

#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "data_files.hpp"
#include "world/world.hpp"

using content::Bundle;
using content::BundleTexts;
using content::load_bundle;
using world::Behaviour;
using world::Position;
using world::TileMap;
using world::TriggerKind;

namespace {

// The shipped bundle's texts; external tilesets are resolved next to the map, as a frontend does.
BundleTexts shipped_texts() {
  BundleTexts t;
  t.items_json = content_test::read_data_file("items.json");
  t.spells_json = content_test::read_data_file("spells.json");
  t.vocations_json = content_test::read_data_file("vocations.json");
  t.npcs_json = content_test::read_data_file("npcs.json");
  t.map_tmj = content_test::read_data_file("maps/default.tmj");
  t.map_name = "maps/default.tmj";
  t.resolve = [](std::string_view source) -> std::optional<std::string> {
    std::ifstream in(std::string(ALPHAMMO_DATA_DIR) + "/maps/" + std::string(source),
                     std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  return t;
}

Bundle load_shipped(std::uint64_t seed = 1) {
  auto r = load_bundle(shipped_texts(), seed);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  REQUIRE(r.value().map != nullptr);
  return std::move(r).value();
}

// Tiles reachable from `start` by 4-neighbour steps over walkable tiles and, when `teleports`,
// by stepping onto a teleport trigger (which moves the player to its destination).
std::vector<std::uint8_t> reachable(const TileMap& m, Position start, bool teleports) {
  std::vector<std::uint8_t> seen(m.tiles().size(), 0);
  std::vector<Position> stack{start};
  seen[m.index(start)] = 1;
  const auto visit = [&](Position p) {
    if (m.walkable(p) && seen[m.index(p)] == 0) {
      seen[m.index(p)] = 1;
      stack.push_back(p);
    }
  };
  while (!stack.empty()) {
    const Position p = stack.back();
    stack.pop_back();
    visit({p.x + 1, p.y});
    visit({p.x - 1, p.y});
    visit({p.x, p.y + 1});
    visit({p.x, p.y - 1});
    if (const world::Trigger* t = m.trigger_at(p);
        teleports && t != nullptr && t->kind == TriggerKind::Teleport) {
      visit(t->destination);
    }
  }
  return seen;
}

std::size_t count(const std::vector<std::uint8_t>& v) {
  std::size_t n = 0;
  for (const std::uint8_t b : v)
    n += b;
  return n;
}

}  // namespace

TEST_CASE("bundle: the shipped content loads with the given seed and the default tick rate") {
  const Bundle b = load_shipped(42);
  CHECK(b.config.seed == 42u);
  CHECK(b.config.tick_rate_hz == world::WorldConfig{}.tick_rate_hz);
  CHECK(b.config.item_types.size() >= 10);
  CHECK(b.config.npc_templates.size() >= 5);
  CHECK(b.config.item_types.at(0).key == "gold");
  CHECK(b.config.spells.size() >= 5);
  REQUIRE(b.config.vocations.size() >= 3);
  CHECK(b.config.vocations.at(0).key == "knight");
  CHECK(b.map->width() == 256);
  CHECK(b.map->height() == 192);

  const Bundle again = load_shipped(42);
  CHECK(again.config == b.config);
  CHECK(*again.map == *b.map);
  CHECK(again.map->hash() == b.map->hash());
}

TEST_CASE("bundle: the shipped map uses both tile layer encodings and an external tileset") {
  const auto map = nlohmann::json::parse(content_test::read_data_file("maps/default.tmj"));
  bool csv = false;
  bool base64 = false;
  for (const auto& layer : map.at("layers")) {
    if (layer.at("type") != "tilelayer") continue;
    csv = csv || layer.at("data").is_array();
    base64 = base64 || (layer.value("encoding", "") == "base64" && layer.at("data").is_string());
  }
  CHECK(csv);
  CHECK(base64);
  REQUIRE(map.at("tilesets").size() == 1);
  CHECK(map.at("tilesets")[0].at("source") == "terrain.tsj");

  // The tileset has one tile per terrain kind (plus variants), each with a terrain property.
  const auto tileset = nlohmann::json::parse(content_test::read_data_file("maps/terrain.tsj"));
  std::set<std::string> terrains;
  for (const auto& tile : tileset.at("tiles")) {
    for (const auto& p : tile.at("properties")) {
      if (p.at("name") == "terrain") terrains.insert(p.at("value").get<std::string>());
    }
  }
  CHECK(terrains.size() == static_cast<std::size_t>(world::Terrain::Count));
}

TEST_CASE("bundle: the town's temple: the player spawn and a healing fountain are protected") {
  const Bundle b = load_shipped();
  const TileMap& m = *b.map;
  const Position spawn = m.player_spawn();
  REQUIRE(m.walkable(spawn));
  CHECK((m.at(spawn).flags & world::kProtectionZone) != 0);
  CHECK(m.at(spawn).terrain == world::Terrain::Floor);

  bool fountain = false;
  bool sign_in_town = false;
  const std::vector<std::uint8_t> walk = reachable(m, spawn, false);
  for (const world::Trigger& t : m.triggers()) {
    if (t.kind == TriggerKind::Heal && (m.at(t.position).flags & world::kProtectionZone) != 0) {
      fountain = t.amount > 0;
    }
    if (t.kind == TriggerKind::Message && walk[m.index(t.position)] != 0)
      sign_in_town = !t.message.empty();
  }
  CHECK(fountain);
  CHECK(sign_in_town);
}

TEST_CASE("bundle: triggers of all four kinds, and teleports join town and dungeon both ways") {
  const Bundle b = load_shipped();
  const TileMap& m = *b.map;
  REQUIRE(m.triggers().size() >= 4);
  std::set<TriggerKind> kinds;
  for (const world::Trigger& t : m.triggers())
    kinds.insert(t.kind);
  CHECK(kinds.size() == 4);

  // The dungeon is a walking-separate part of the map: a teleport reached on foot from the spawn
  // leads there, and one reached on foot from its arrival tile leads back.
  const std::vector<std::uint8_t> town = reachable(m, m.player_spawn(), false);
  const world::Trigger* down = nullptr;
  for (const world::Trigger& t : m.triggers()) {
    if (t.kind == TriggerKind::Teleport && town[m.index(t.position)] != 0 &&
        town[m.index(t.destination)] == 0) {
      down = &t;
    }
  }
  REQUIRE(down != nullptr);
  const std::vector<std::uint8_t> dungeon = reachable(m, down->destination, false);
  bool up = false;
  bool trap = false;
  for (const world::Trigger& t : m.triggers()) {
    if (t.kind == TriggerKind::Teleport && dungeon[m.index(t.position)] != 0)
      up = up || town[m.index(t.destination)] != 0;
    if (t.kind == TriggerKind::Damage) trap = trap || dungeon[m.index(t.position)] != 0;
  }
  CHECK(up);
  CHECK(trap);  // the damage trap is in the dungeon

  // Passive wanderers live on the surface; aggressive NPCs both there (the forest, the caves, by
  // the gates) and in the dungeon.
  int passive = 0;
  int aggressive_above = 0;
  int aggressive_below = 0;
  for (const world::SpawnArea& a : m.spawn_areas()) {
    REQUIRE(a.npc_template < b.config.npc_templates.size());
    CAPTURE(a.center.x);
    CAPTURE(a.center.y);
    REQUIRE(m.walkable(a.center));
    CHECK(a.count > 0u);
    CHECK((town[m.index(a.center)] != 0) != (dungeon[m.index(a.center)] != 0));
    if (b.config.npc_templates[a.npc_template].behaviour == Behaviour::Passive) {
      ++passive;
      CHECK(town[m.index(a.center)] != 0);
    } else {
      ++(town[m.index(a.center)] != 0 ? aggressive_above : aggressive_below);
    }
  }
  CHECK(passive >= 1);
  CHECK(aggressive_above >= 1);
  CHECK(aggressive_below >= 1);
}

TEST_CASE("bundle: the shipped map is alive: 400 NPCs of 8 kinds, archers and healers among them") {
  const Bundle b = load_shipped();
  std::uint32_t total = 0;
  std::set<std::uint32_t> kinds;
  bool archers = false;
  bool healers = false;
  for (const world::SpawnArea& a : b.map->spawn_areas()) {
    total += a.count;
    kinds.insert(a.npc_template);
    const world::NpcTemplate& t = b.config.npc_templates.at(a.npc_template);
    archers = archers || t.attack_range > 1;
    healers = healers || t.heal_spell != 0;
  }
  CHECK(total >= 400u);
  CHECK(kinds.size() >= 8u);
  CHECK(archers);
  CHECK(healers);
}

TEST_CASE("bundle: a player who walks out of the temple meets an aggressive NPC within 100 steps") {
  const Bundle b = load_shipped();
  const TileMap& m = *b.map;
  // Steps from the player spawn on foot (breadth first, 4 neighbours, no teleports).
  std::vector<std::int32_t> dist(m.tiles().size(), -1);
  std::vector<Position> queue{m.player_spawn()};
  dist[m.index(m.player_spawn())] = 0;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const Position p = queue[i];
    for (const Position q : {Position{p.x + 1, p.y}, Position{p.x - 1, p.y}, Position{p.x, p.y + 1},
                             Position{p.x, p.y - 1}}) {
      if (m.walkable(q) && dist[m.index(q)] < 0) {
        dist[m.index(q)] = dist[m.index(p)] + 1;
        queue.push_back(q);
      }
    }
  }
  // The nearest tile of an aggressive spawn area (where its NPCs appear and wander).
  std::int32_t nearest = -1;
  for (const world::SpawnArea& a : m.spawn_areas()) {
    if (b.config.npc_templates.at(a.npc_template).behaviour != Behaviour::Aggressive) continue;
    for (std::int32_t y = a.center.y - a.radius; y <= a.center.y + a.radius; ++y) {
      for (std::int32_t x = a.center.x - a.radius; x <= a.center.x + a.radius; ++x) {
        if (!m.in_bounds({x, y})) continue;
        const std::int32_t d = dist[m.index({x, y})];
        if (d >= 0 && (nearest < 0 || d < nearest)) nearest = d;
      }
    }
  }
  CHECK(nearest >= 0);
  CHECK(nearest <= 100);  // 20 seconds at 5 tiles a second
}

TEST_CASE("bundle: every walkable tile is reachable from the player spawn") {
  const Bundle b = load_shipped();
  const TileMap& m = *b.map;
  const std::vector<std::uint8_t> all = reachable(m, m.player_spawn(), true);
  CHECK(count(all) == m.walkable_count());
  // ...and the teleports are needed for that: walking alone does not reach the dungeon.
  CHECK(count(reachable(m, m.player_spawn(), false)) < m.walkable_count());
  for (std::int32_t y = 0; y < m.height(); ++y) {
    for (std::int32_t x = 0; x < m.width(); ++x) {
      if (m.walkable({x, y}) && all[m.index({x, y})] == 0) {
        FAIL_CHECK("unreachable walkable tile (" << x << ", " << y << ")");
      }
    }
  }
}

TEST_CASE("bundle: a World built from the shipped bundle steps 200 ticks with intact invariants") {
  const Bundle b = load_shipped(7);
  world::World w{b.config, b.map};
  std::uint32_t expected = 0;
  for (const world::SpawnArea& a : b.map->spawn_areas())
    expected += a.count;
  CHECK(w.entity_count() == expected);  // every area fits its NPCs
  REQUIRE_FALSE(w.check_invariants().has_value());

  world::World twin{load_shipped(7).config, load_shipped(7).map};
  world::StepResult out;
  world::StepResult twin_out;
  for (int i = 0; i < 200; ++i) {
    w.step({}, out);
    twin.step({}, twin_out);
    const auto broken = w.check_invariants();
    REQUIRE_MESSAGE(!broken.has_value(), (broken ? broken->message : ""));
    REQUIRE(out.state_hash == twin_out.state_hash);
  }
  CHECK(w.tick() == 200u);
  CHECK(w.entity_count() == expected);
  for (const world::EntityId id : w.entity_ids()) {
    const auto e = w.entity(id);
    REQUIRE(e.has_value());
    CHECK(b.map->walkable(e->position));
  }
}

TEST_CASE("bundle: the first failing file is reported under the name it was given") {
  BundleTexts t = shipped_texts();
  t.items_name = "mods/items.json";
  t.items_json = R"({"items": [{"key": "gold", "name": "Gold", "kind": "gold"}, {"key": "gold"}]})";
  auto r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        R"(mods/items.json: items[1] ("gold").key: duplicate key "gold" (first used by items[0]))");

  // The shipped vocations and NPCs need items the replacement file lacks.
  t.items_json = R"({"items": [{"key": "gold", "name": "Gold", "kind": "gold"}]})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind(
            "vocations.json: vocations[0] (\"knight\").weapons[0]: unknown item", 0) == 0);
  t.vocations_json = R"({"vocations": [{"key": "knight", "name": "Knight"}]})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("npcs.json: npcs[0] (\"sheep\").loot[0].item: unknown item", 0) ==
        0);

  // Spells come before vocations and NPCs, which name them.
  t = shipped_texts();
  t.spells_name = "mods/spells.json";
  t.spells_json = R"({"spells": [{"key": "heal", "name": "Heal", "target": "self"}]})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == R"(mods/spells.json: spells[0] ("heal").effect: missing)");
  t.spells_json =
      R"({"spells": [{"key": "heal", "name": "Heal", "target": "self", "effect": "heal"}]})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("vocations.json: vocations[2] (\"mage\").spells[1]: unknown spell",
                                0) == 0);
  t.vocations_json = R"({"vocations": [{"key": "knight", "name": "Knight"}]})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find(R"(.heal_spell: unknown spell "mend")") != std::string::npos);
  CHECK(r.error().message.rfind("npcs.json: npcs[", 0) == 0);
  t = shipped_texts();
  t.vocations_name = "mods/vocations.json";
  t.vocations_json = R"({"vocations": []})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("mods/vocations.json: vocations: must list at least one", 0) == 0);

  // The shipped map needs templates the replacement file lacks.
  t = shipped_texts();
  t.npcs_json = R"({"npcs": [{"key": "sheep", "name": "Sheep"}]})";
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("maps/default.tmj: object ", 0) == 0);
  CHECK(r.error().message.find(R"(property "template": unknown NPC template "deer")") !=
        std::string::npos);

  t = shipped_texts();
  t.resolve = nullptr;
  r = load_bundle(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == R"(maps/default.tmj: tilesets[0].source: cannot read external )"
                             R"(tileset "terrain.tsj" (no tileset resolver was given))");
}

TEST_CASE("bundle: in a live world, every trigger of the shipped map fires for a player") {
  const Bundle b = load_shipped(5);
  for (const world::Trigger& trig : b.map->triggers()) {
    CAPTURE(trig.message);
    world::World w(b.config, b.map);
    // Join next to the trigger tile and step onto it.
    std::optional<world::Direction> dir;
    Position from{};
    for (std::uint32_t d = 0; d < world::kDirectionCount && !dir; ++d) {
      const auto back = static_cast<world::Direction>((d + 2) % world::kDirectionCount);
      from = world::step_towards(trig.position, back);
      if (b.map->walkable(from) && b.map->trigger_at(from) == nullptr)
        dir = static_cast<world::Direction>(d);
    }
    REQUIRE(dir.has_value());
    world::Character c;
    c.id = world::CharacterId{1};
    c.position = from;
    c.hp = 10;        // so a heal shows
    c.max_hp = 1000;  // so a trap does not kill
    w.step(std::vector<world::Command>{{{}, world::Join{c}, 0}});
    const world::EntityId p = *w.find_character(c.id);
    // Whoever stands on the tile (a wandering NPC) will move away eventually.
    bool fired = false;
    for (int t = 0; t < 400 && !fired; ++t) {
      const auto r = w.step(std::vector<world::Command>{{p, world::Move{*dir}, 0}});
      for (const auto& d : r.deltas) {
        if (const auto* f = std::get_if<world::TriggerFired>(&d)) {
          fired = true;
          CHECK(f->kind == trig.kind);
          CHECK(f->message == trig.message);
        }
      }
      if (w.entity(p)->position != from && !fired) break;  // moved elsewhere: should not happen
    }
    CHECK(fired);
    if (trig.kind == TriggerKind::Teleport) {
      CHECK(world::chebyshev(w.entity(p)->position, trig.destination) <= 2);
    }
    CHECK_FALSE(w.check_invariants().has_value());
  }
}
