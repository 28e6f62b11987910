#include "world/types.hpp"

#include <doctest/doctest.h>

using namespace world;

TEST_CASE("step_towards moves one tile in each direction") {
  CHECK(step_towards({5, 5}, Direction::North) == Position{5, 4});
  CHECK(step_towards({5, 5}, Direction::East) == Position{6, 5});
  CHECK(step_towards({5, 5}, Direction::South) == Position{5, 6});
  CHECK(step_towards({5, 5}, Direction::West) == Position{4, 5});
}

TEST_CASE("chebyshev distance is the larger axis difference") {
  CHECK(chebyshev({0, 0}, {3, -7}) == 7);
  CHECK(chebyshev({2, 2}, {2, 2}) == 0);
  CHECK(chebyshev({-4, 1}, {0, 0}) == 4);
}

TEST_CASE("EntityId orders by index then generation and detects unset") {
  CHECK_FALSE(EntityId{}.is_set());
  CHECK(EntityId{3, 1}.is_set());
  CHECK(EntityId{1, 9} < EntityId{2, 1});
  CHECK(EntityId{2, 1} < EntityId{2, 2});
}

TEST_CASE("names are stable lower-case words") {
  CHECK(to_string(Direction::West) == "west");
  CHECK(to_string(EntityKind::Npc) == "npc");
}
