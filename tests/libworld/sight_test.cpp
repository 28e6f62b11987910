// Line of sight: walls block, the rule is symmetric, neighbours always see each other.
#include <doctest/doctest.h>

#include "world/rng.hpp"
#include "world/sight.hpp"

using namespace world;

TEST_CASE("line of sight: open ground sees, a wall between blocks, neighbours always see") {
  TileMap m(12, 12);
  CHECK(line_of_sight(m, {1, 1}, {10, 7}));
  m.set_terrain({5, 5}, Terrain::Wall);
  CHECK_FALSE(line_of_sight(m, {2, 5}, {9, 5}));  // straight through the wall
  CHECK_FALSE(line_of_sight(m, {5, 1}, {5, 9}));
  CHECK(line_of_sight(m, {2, 4}, {9, 4}));  // the row above is clear
  CHECK(line_of_sight(m, {4, 5}, {5, 6}));  // neighbours (diagonal past the wall)
  CHECK(line_of_sight(m, {5, 5}, {6, 5}));  // even from inside a wall tile
  // Trees block too; water and rock do not.
  m.set_terrain({5, 8}, Terrain::Tree);
  CHECK_FALSE(line_of_sight(m, {2, 8}, {8, 8}));
  m.set_terrain({5, 10}, Terrain::Water);
  m.set_terrain({6, 10}, Terrain::Rock);
  CHECK(line_of_sight(m, {2, 10}, {9, 10}));
}

TEST_CASE("line of sight: a line exactly between two tiles is blocked only when both block") {
  TileMap m(10, 10);
  // From (1,1) to (5,2): at x = 3 the line is at y = 1.5, between (3,1) and (3,2).
  m.set_terrain({3, 1}, Terrain::Wall);
  CHECK(line_of_sight(m, {1, 1}, {5, 2}));
  m.set_terrain({3, 2}, Terrain::Wall);
  CHECK_FALSE(line_of_sight(m, {1, 1}, {5, 2}));
}

TEST_CASE("line of sight: symmetric on random walls, for every pair of tiles") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    TileMap m(14, 11);
    Rng rng(seed);
    for (int y = 0; y < m.height(); ++y) {
      for (int x = 0; x < m.width(); ++x) {
        if (rng.percent(25)) m.set_terrain({x, y}, Terrain::Wall);
      }
    }
    int seen = 0;
    int blocked = 0;
    for (int a = 0; a < m.width() * m.height(); ++a) {
      for (int b = a + 1; b < m.width() * m.height(); ++b) {
        const Position pa{a % m.width(), a / m.width()};
        const Position pb{b % m.width(), b / m.width()};
        const bool ab = line_of_sight(m, pa, pb);
        REQUIRE_MESSAGE(ab == line_of_sight(m, pb, pa), "seed ", seed, ": (", pa.x, ",", pa.y,
                        ") and (", pb.x, ",", pb.y, ")");
        (ab ? seen : blocked) += 1;
      }
    }
    CHECK(seen > 0);  // the random walls block some lines and not others
    CHECK(blocked > 0);
  }
}
