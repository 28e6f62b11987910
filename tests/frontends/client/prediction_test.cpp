// Predictor: own steps shown at once with libworld's movement rule, reconciled by ack_seq and
// the tick's rejections; checked against hand-made server messages and against a real World.

#include "client/prediction.hpp"
//
#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "world/movement.hpp"
#include "world/world.hpp"

namespace {

using world::Direction;
using world::EntityId;
using world::Position;

constexpr EntityId kMe{1, 1};
constexpr EntityId kRat{2, 1};

// A 10 x 10 grass field with a wall at (5, 3).
std::shared_ptr<const world::TileMap> field() {
  auto map = std::make_shared<world::TileMap>(10, 10, world::Terrain::Grass);
  map->set_terrain({5, 3}, world::Terrain::Wall);
  return map;
}

world::EntityState creature(EntityId id, Position p, world::EntityKind kind) {
  world::EntityState e;
  e.id = id;
  e.kind = kind;
  e.position = p;
  e.speed = 50;
  e.name = kind == world::EntityKind::Player ? "Me" : "Rat";
  return e;
}

client::WorldMirror entered_at(Position me) {
  protocol::Entered entered;
  entered.you = kMe;
  entered.tick = 10;
  entered.snapshot.entities.push_back(creature(kMe, me, world::EntityKind::Player));
  client::WorldMirror m;
  REQUIRE(m.apply(entered).ok());
  return m;
}

protocol::TickMessage tick(world::Tick n, std::uint32_t ack, std::vector<world::Delta> deltas = {},
                           std::vector<world::Rejection> rejections = {}) {
  protocol::TickMessage t;
  t.n = n;
  t.ack_seq = ack;
  t.deltas = std::move(deltas);
  t.rejections = std::move(rejections);
  return t;
}

world::Rejection refused(std::uint32_t seq, world::RejectReason why) {
  return world::Rejection{0, kMe, seq, why};
}

}  // namespace

TEST_CASE("prediction: a step shows at once and stays when the server confirms it") {
  client::WorldMirror m = entered_at({2, 3});
  client::Predictor p{field()};
  p.reset(m);
  CHECK(p.position() == Position{2, 3});
  REQUIRE_FALSE(p.check(m, Direction::East).has_value());
  p.sent(1, Direction::East, m);
  CHECK(p.position() == Position{3, 3});
  CHECK(p.facing() == Direction::East);
  REQUIRE(p.pending().size() == 1);

  // The tick before the server processed it: still predicted.
  REQUIRE(m.apply(tick(11, 0)).ok());
  auto r = p.reconcile(m);
  CHECK(p.position() == Position{3, 3});
  CHECK_FALSE(r.snapped);
  CHECK(r.confirmed == 0);

  // Confirmed: the mirror has the move, nothing pending, no snap.
  REQUIRE(m.apply(tick(12, 1, {world::Moved{kMe, {2, 3}, {3, 3}, Direction::East}})).ok());
  r = p.reconcile(m);
  CHECK(r.confirmed == 1);
  CHECK(r.refused == 0);
  CHECK_FALSE(r.snapped);
  CHECK(p.pending().empty());
  CHECK(p.position() == Position{3, 3});
}

TEST_CASE("prediction: walls, the map's edge and creatures in view are not predicted") {
  client::WorldMirror m = entered_at({4, 3});
  client::Predictor p{field()};
  p.reset(m);
  CHECK(p.check(m, Direction::East) == world::RejectReason::Blocked);  // the wall at (5, 3)
  client::WorldMirror edge = entered_at({0, 0});
  p.reset(edge);
  CHECK(p.check(edge, Direction::North) == world::RejectReason::OutOfBounds);
  CHECK(p.check(edge, Direction::West) == world::RejectReason::OutOfBounds);
  CHECK_FALSE(p.check(edge, Direction::South).has_value());

  // A rat appears south of the player: that tile is taken.
  REQUIRE(edge.apply(tick(11, 0, {world::Appeared{creature(kRat, {0, 1}, world::EntityKind::Npc)}}))
              .ok());
  CHECK(p.check(edge, Direction::South) == world::RejectReason::Occupied);
  // Without a map nothing is predicted.
  client::Predictor blind;
  blind.reset(m);
  CHECK(blind.check(m, Direction::South).has_value());
}

TEST_CASE("prediction: a step the server refuses snaps back") {
  // The client believes (5, 3) is grass; the server's map has a wall there.
  auto believed = std::make_shared<world::TileMap>(10, 10, world::Terrain::Grass);
  client::WorldMirror m = entered_at({4, 3});
  client::Predictor p{believed};
  p.reset(m);
  p.sent(1, Direction::East, m);
  CHECK(p.position() == Position{5, 3});
  REQUIRE(m.apply(tick(11, 1, {}, {refused(1, world::RejectReason::Blocked)})).ok());
  const auto r = p.reconcile(m);
  CHECK(r.refused == 1);
  CHECK(r.snapped);
  CHECK(r.resend.empty());
  CHECK(p.position() == Position{4, 3});
  CHECK(p.pending().empty());
}

TEST_CASE("prediction: a step refused for its cooldown is handed back to be sent again") {
  client::WorldMirror m = entered_at({2, 2});
  client::Predictor p{field()};
  p.reset(m);
  p.sent(1, Direction::South, m);
  p.sent(2, Direction::South, m);
  CHECK(p.position() == Position{2, 4});
  // The first went through, the second came too early.
  REQUIRE(m.apply(tick(11, 2, {world::Moved{kMe, {2, 2}, {2, 3}, Direction::South}},
                       {refused(2, world::RejectReason::Cooldown)}))
              .ok());
  auto r = p.reconcile(m);
  CHECK(r.confirmed == 1);
  REQUIRE(r.resend.size() == 1);
  CHECK(r.resend[0].direction == Direction::South);
  CHECK(r.resend[0].resent == 1);
  CHECK_FALSE(r.snapped);  // still going to (2, 4)
  p.sent(3, Direction::South, m, r.resend[0].resent);
  CHECK(p.position() == Position{2, 4});

  // After kMaxResends refusals the step is given up.
  std::uint32_t seq = 3;
  for (std::uint8_t i = 1; i <= client::Predictor::kMaxResends; ++i) {
    REQUIRE(m.apply(tick(11 + i, seq, {}, {refused(seq, world::RejectReason::Cooldown)})).ok());
    r = p.reconcile(m);
    if (i < client::Predictor::kMaxResends) {
      REQUIRE(r.resend.size() == 1);
      p.sent(++seq, Direction::South, m, r.resend[0].resent);
    } else {
      CHECK(r.resend.empty());
      CHECK(r.refused == 1);
      CHECK(r.snapped);
      CHECK(p.position() == Position{2, 3});
    }
  }
}

TEST_CASE("prediction: a teleport moves the prediction with the server, as a snap") {
  client::WorldMirror m = entered_at({2, 2});
  client::Predictor p{field()};
  p.reset(m);
  REQUIRE(m.apply(tick(11, 0, {world::Teleported{kMe, {2, 2}, {8, 8}}})).ok());
  const auto r = p.reconcile(m);
  CHECK(r.snapped);
  CHECK(p.position() == Position{8, 8});
}

TEST_CASE("prediction: the rule is the world's own (check_step and the cooldown)") {
  // The same step the predictor allows, the World carries out; the one it refuses, the World
  // refuses for the same reason.
  world::WorldConfig cfg;
  auto map = field();
  world::World w{cfg, map};
  world::Character ch;
  ch.id = world::CharacterId{1};
  ch.name = "Me";
  ch.position = {4, 3};
  world::StepResult r;
  w.step(std::vector<world::Command>{{{}, world::Join{ch}, 0}}, r);
  const EntityId me = *w.find_character(ch.id);
  const auto step = [&](Direction d, std::uint32_t seq) {
    w.step(std::vector<world::Command>{{me, world::Move{d}, seq}}, r);
    return r.rejections.empty() ? std::nullopt : std::optional{r.rejections[0].reason};
  };
  CHECK(world::check_step(*map, {4, 3}, Direction::East) == world::RejectReason::Blocked);
  CHECK(step(Direction::East, 1) == world::RejectReason::Blocked);
  CHECK_FALSE(world::check_step(*map, {4, 3}, Direction::South).has_value());
  CHECK_FALSE(step(Direction::South, 2).has_value());
  CHECK(step(Direction::South, 3) == world::RejectReason::Cooldown);
  CHECK(w.move_cooldown(50) == world::move_cooldown_ticks(cfg.tick_rate_hz, 50));
  CHECK(world::move_cooldown_ticks(20, 50) == 4);
  CHECK(world::move_cooldown_ticks(20, 0) == ~0u);
  CHECK(world::move_cooldown_ticks(20, 1000) == 1);
}
