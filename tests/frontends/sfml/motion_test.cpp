// Motion: creatures glide between tiles over their step time; jumps and snaps are at once.

#include "motion.hpp"
//
#include <doctest/doctest.h>

namespace {
constexpr world::EntityId kA{1, 1};
constexpr world::EntityId kB{2, 1};
}  // namespace

TEST_CASE("motion: a step glides over its step time, then rests on the tile") {
  sfml_client::Motion m;
  m.go(kA, {3, 4}, 10.0, 0.2);  // first sight: placed at once
  CHECK(m.at(kA, 10.0, {0, 0}) == sfml_client::TilePoint{3, 4});
  CHECK_FALSE(m.moving(kA, 10.0));
  m.go(kA, {4, 4}, 10.0, 0.2);
  CHECK(m.moving(kA, 10.05));
  CHECK(m.at(kA, 10.05, {0, 0}).x == doctest::Approx(3.25));
  CHECK(m.at(kA, 10.1, {0, 0}).x == doctest::Approx(3.5));
  CHECK(m.at(kA, 10.3, {0, 0}) == sfml_client::TilePoint{4, 4});
  CHECK(m.target(kA, {0, 0}) == world::Position{4, 4});
  // A new step mid-glide starts from where it is drawn: no jump back.
  m.go(kA, {5, 4}, 10.3, 0.2);
  m.go(kA, {5, 5}, 10.4, 0.2);
  CHECK(m.at(kA, 10.4, {0, 0}).x == doctest::Approx(4.5));
  CHECK(m.at(kA, 10.4, {0, 0}).y == doctest::Approx(4));
}

TEST_CASE("motion: teleports and snaps are shown at once, unknown ids fall back to their tile") {
  sfml_client::Motion m;
  m.go(kA, {3, 4}, 0, 0.2);
  m.go(kA, {20, 4}, 1, 0.2);  // more than a tile: a teleport
  CHECK(m.at(kA, 1, {0, 0}) == sfml_client::TilePoint{20, 4});
  m.go(kA, {21, 4}, 2, 0.2, true);  // a snap back of a prediction
  CHECK(m.at(kA, 2, {0, 0}) == sfml_client::TilePoint{21, 4});
  CHECK(m.at(kB, 2, {7, 8}) == sfml_client::TilePoint{7, 8});
  m.go(kB, {1, 1}, 2, 0.2);
  CHECK(m.size() == 2);
  m.keep_only({kB});
  CHECK(m.size() == 1);
  CHECK(m.at(kA, 3, {9, 9}) == sfml_client::TilePoint{9, 9});
}

TEST_CASE("motion: a step takes the creature's move cooldown") {
  CHECK(sfml_client::step_seconds(20, 50) == doctest::Approx(0.2));  // 4 ticks at 20 Hz
  CHECK(sfml_client::step_seconds(20, 20) == doctest::Approx(0.5));
  CHECK(sfml_client::step_seconds(20, 0) == 0);
}
