#include "world/pathfinding.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace world;

namespace {
// A U-shaped wall opening to the west around (10,5): from (12,5) the goal (8,5) needs a detour.
TileMap u_map() {
  TileMap m(20, 12);
  for (int y = 2; y <= 8; ++y)
    m.set_terrain({11, y}, Terrain::Wall);
  for (int x = 9; x <= 11; ++x) {
    m.set_terrain({x, 2}, Terrain::Wall);
    m.set_terrain({x, 8}, Terrain::Wall);
  }
  return m;
}
}  // namespace

TEST_CASE("A* steps around a wall and reports the nodes it expanded") {
  const TileMap m = u_map();
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  PathFinder pf;
  const PathStep s = pf.find({{12, 5}, {8, 5}, 0, 500}, m, occ);
  CHECK(s.reached);
  REQUIRE(s.first.has_value());
  CHECK((*s.first == Direction::North || *s.first == Direction::South));  // not into the wall
  CHECK(s.expanded > 4u);
  CHECK(s.expanded <= 500u);
  // Deterministic: the same query gives the same answer.
  CHECK(pf.find({{12, 5}, {8, 5}, 0, 500}, m, occ).first == s.first);
}

TEST_CASE("a goal range of 1 stops next to the goal") {
  TileMap m(10, 10);
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  PathFinder pf;
  const PathStep s = pf.find({{2, 2}, {2, 4}, 1, 50}, m, occ);
  CHECK(s.reached);
  CHECK(s.first == Direction::South);
  CHECK(pf.find({{2, 2}, {3, 3}, 1, 50}, m, occ).first == std::nullopt);  // already there
}

TEST_CASE("occupied tiles are obstacles") {
  TileMap m(5, 3);
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  occ[m.index({1, 1})] = 9;  // someone east of the start
  PathFinder pf;
  const PathStep s = pf.find({{0, 1}, {4, 1}, 0, 100}, m, occ);
  CHECK(s.reached);
  CHECK((s.first == Direction::North || s.first == Direction::South));
}

TEST_CASE("the budget bounds the work, then it heads for the closest tile found") {
  const TileMap m = u_map();
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  PathFinder pf;
  const PathStep s = pf.find({{12, 5}, {8, 5}, 0, 3}, m, occ);
  CHECK_FALSE(s.reached);
  CHECK(s.expanded == 3u);
  REQUIRE(s.first.has_value());
  CHECK(m.walkable(step_towards({12, 5}, *s.first)));
}

TEST_CASE("an unreachable goal gives a best effort, never a step into a wall") {
  TileMap m(12, 12);
  for (int x = 0; x < 12; ++x)
    m.set_terrain({x, 6}, Terrain::Water);
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  PathFinder pf;
  const PathStep s = pf.find({{5, 2}, {5, 9}, 0, 200}, m, occ);
  CHECK_FALSE(s.reached);
  REQUIRE(s.first.has_value());
  CHECK(m.walkable(step_towards({5, 2}, *s.first)));
}

TEST_CASE("walls marked in the occupancy give the same steps without reading the map's flags") {
  // The World marks every unwalkable tile in its occupancy; with Walls::InOccupancy the search
  // trusts that and skips the map. Same answers as reading the map, from every start tile.
  const TileMap m = u_map();
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  std::vector<std::uint32_t> marked(m.tiles().size(), 0);
  for (std::size_t t = 0; t < m.tiles().size(); ++t) {
    if ((m.tiles()[t].flags & kWalkable) == 0) marked[t] = ~0u;
  }
  PathFinder a;
  PathFinder b;
  int compared = 0;
  for (std::int32_t y = 0; y < m.height(); ++y) {
    for (std::int32_t x = 0; x < m.width(); ++x) {
      if (!m.walkable({x, y})) continue;
      const PathQuery q{{x, y}, {10, 5}, 0, 200};
      const PathStep s = a.find(q, m, occ);
      const PathStep t = b.find(q, m, marked, PathFinder::Walls::InOccupancy);
      CHECK(s.first == t.first);
      CHECK(s.expanded == t.expanded);
      CHECK(s.reached == t.reached);
      ++compared;
    }
  }
  CHECK(compared > 200);
  // Trusting an occupancy without the walls walks into them: the flag is what keeps them out.
  const PathStep into = a.find({{12, 5}, {10, 5}, 0, 500}, m, occ, PathFinder::Walls::InOccupancy);
  REQUIRE(into.first.has_value());
  CHECK(*into.first == Direction::West);
}
