#include "world/tile_map.hpp"

#include <doctest/doctest.h>

using namespace world;

TEST_CASE("terrain defaults: ground is walkable, obstacles are not") {
  CHECK((default_flags(Terrain::Grass) & kWalkable) != 0);
  CHECK((default_flags(Terrain::Floor) & kWalkable) != 0);
  CHECK((default_flags(Terrain::Wall) & kWalkable) == 0);
  CHECK((default_flags(Terrain::Water) & kWalkable) == 0);
  CHECK((default_flags(Terrain::Void) & kWalkable) == 0);
  CHECK(to_string(Terrain::Tree) == "tree");
}

TEST_CASE("bounds, walkability and indexing") {
  TileMap m(4, 3);
  CHECK(m.width() == 4);
  CHECK(m.height() == 3);
  CHECK(m.in_bounds({3, 2}));
  CHECK_FALSE(m.in_bounds({4, 0}));
  CHECK_FALSE(m.in_bounds({0, -1}));
  CHECK(m.index({1, 2}) == 9u);
  m.set_terrain({1, 1}, Terrain::Wall);
  CHECK_FALSE(m.walkable({1, 1}));
  CHECK(m.walkable({2, 1}));
  CHECK_FALSE(m.walkable({-1, 0}));
  CHECK(m.walkable_count() == 11u);
  m.set_tile({2, 2}, Tile{Terrain::Wall, kWalkable});  // custom flags win over terrain
  CHECK(m.walkable({2, 2}));
}

TEST_CASE("connectivity detects a wall splitting the map") {
  TileMap m(5, 5);
  CHECK(m.walkable_connected());
  for (int y = 0; y < 5; ++y)
    m.set_terrain({2, y}, Terrain::Wall);
  CHECK_FALSE(m.walkable_connected());
  m.set_terrain({2, 4}, Terrain::Grass);
  CHECK(m.walkable_connected());
}

TEST_CASE("hash covers tiles, spawn and spawn areas") {
  TileMap a(8, 8), b(8, 8);
  CHECK(a.hash() == b.hash());
  b.set_terrain({7, 7}, Terrain::Sand);
  CHECK(a.hash() != b.hash());
  TileMap c(8, 8);
  c.set_player_spawn({1, 1});
  CHECK(a.hash() != c.hash());
  TileMap d(8, 8);
  d.add_spawn_area({{4, 4}, 2, 5, 0});
  CHECK(a.hash() != d.hash());
  CHECK(TileMap(8, 4).hash() != TileMap(4, 8).hash());
}

TEST_CASE("triggers: one per tile, found by position, part of the hash") {
  TileMap m(8, 8);
  const std::uint64_t before = m.hash();
  CHECK(m.add_trigger({{2, 3}, TriggerKind::Heal, {}, 10, "A warm light."}));
  CHECK(m.add_trigger({{5, 1}, TriggerKind::Teleport, {7, 7}, 0, ""}));
  CHECK_FALSE(m.add_trigger({{2, 3}, TriggerKind::Damage, {}, 5, ""}));  // tile taken
  CHECK_FALSE(m.add_trigger({{9, 9}, TriggerKind::Message, {}, 0, "off map"}));
  REQUIRE(m.triggers().size() == 2u);
  REQUIRE(m.trigger_at({2, 3}) != nullptr);
  CHECK(m.trigger_at({2, 3})->kind == TriggerKind::Heal);
  CHECK(m.trigger_at({5, 1})->destination == Position{7, 7});
  CHECK(m.trigger_at({3, 3}) == nullptr);
  CHECK(m.trigger_at({-1, 3}) == nullptr);
  CHECK(m.hash() != before);
  CHECK(to_string(TriggerKind::Teleport) == "teleport");
}
