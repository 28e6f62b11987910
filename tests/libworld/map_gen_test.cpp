#include "world/map_gen.hpp"

#include <doctest/doctest.h>

using namespace world;

TEST_CASE("generated arenas are walled, connected and deterministic") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    ArenaParams p;
    p.width = 48 + static_cast<std::int32_t>(seed % 5) * 7;
    p.height = 40 + static_cast<std::int32_t>(seed % 3) * 11;
    p.seed = seed;
    p.obstacle_percent = 10 + static_cast<std::uint32_t>(seed % 4) * 10;  // up to 40%
    const TileMap m = generate_arena(p);
    CAPTURE(seed);
    REQUIRE(m.width() == p.width);
    REQUIRE(m.height() == p.height);
    CHECK(m.walkable_connected());
    CHECK(m.walkable(m.player_spawn()));
    for (std::int32_t x = 0; x < m.width(); ++x) {
      CHECK_FALSE(m.walkable({x, 0}));
      CHECK_FALSE(m.walkable({x, m.height() - 1}));
    }
    // A real arena, not an empty field nor a solid block.
    const double open =
        static_cast<double>(m.walkable_count()) / static_cast<double>(m.tiles().size());
    CHECK(open > 0.4);
    CHECK(open < 0.97);
    CHECK(generate_arena(p) == m);
  }
}

TEST_CASE("different seeds give different maps") {
  ArenaParams a, b;
  b.seed = a.seed + 1;
  CHECK(generate_arena(a).hash() != generate_arena(b).hash());
}

TEST_CASE("spawn areas hold the requested NPC count on walkable centres") {
  ArenaParams p;
  p.width = 256;
  p.height = 256;
  p.npc_count = 1234;
  p.npcs_per_area = 100;
  const TileMap m = generate_arena(p);
  REQUIRE(m.spawn_areas().size() == 13u);
  std::uint32_t total = 0;
  for (const auto& a : m.spawn_areas()) {
    total += a.count;
    CHECK(m.walkable(a.center));
    CHECK(a.radius == p.spawn_area_radius);
  }
  CHECK(total == 1234u);
}

TEST_CASE("tiny sizes are clamped to a usable arena") {
  ArenaParams p;
  p.width = 1;
  p.height = -5;
  const TileMap m = generate_arena(p);
  CHECK(m.width() == 8);
  CHECK(m.height() == 8);
  CHECK(m.walkable(m.player_spawn()));
}
