// Effects: what a tick message shows for a moment. Shots fly, spells burst over their radius
// in the colour of their effect, everything is capped, and a cooldown is told only for a cast.

#include "effects.hpp"
//
#include <doctest/doctest.h>

#include <array>

namespace {

std::vector<world::SpellType> two_spells() {
  world::SpellType bolt;  // a creature spell: one tile, whatever its radius says
  bolt.target = world::SpellTarget::Creature;
  bolt.radius = 3;
  world::SpellType ball;
  ball.target = world::SpellTarget::Tile;
  ball.effect = world::SpellEffect::Damage;
  ball.radius = 1;
  world::SpellType mend;
  mend.target = world::SpellTarget::Area;
  mend.effect = world::SpellEffect::Heal;
  mend.radius = 2;
  return {bolt, ball, mend};
}

}  // namespace

TEST_CASE("effects: a shot flies from the shooter's tile to the target's, then is gone") {
  const sfml_client::Theme theme;
  sfml_client::Effects fx(theme);
  const client::WorldMirror mirror;
  protocol::TickMessage tick;
  tick.deltas.push_back(world::Shot{world::EntityId{1, 1}, world::EntityId{2, 1}, {3, 4}, {7, 4}});
  fx.on_tick(tick, mirror, 10.0);
  REQUIRE(fx.projectiles().size() == 1);
  CHECK(fx.projectiles().front().from == world::Position{3, 4});
  CHECK(fx.projectiles().front().to == world::Position{7, 4});
  CHECK(fx.projectiles().front().duration >= 0.15);
  CHECK(fx.projectiles().front().duration <= 0.25);
  fx.prune(10.0 + 1.0);
  CHECK(fx.projectiles().empty());
}

TEST_CASE("effects: a spell bursts over its radius, red for damage and green for healing") {
  const sfml_client::Theme theme;
  sfml_client::Effects fx(theme);
  const auto spells = two_spells();
  fx.set_spells(&spells);
  const client::WorldMirror mirror;
  protocol::TickMessage tick;
  const world::EntityId caster{1, 0};
  tick.deltas.push_back(world::SpellCast{caster, {5, 5}, 0, world::EntityId{2, 1}, {6, 5}});
  tick.deltas.push_back(world::SpellCast{caster, {5, 5}, 1, {}, {9, 9}});
  tick.deltas.push_back(world::SpellCast{caster, {5, 5}, 2, {}, {5, 5}});
  tick.deltas.push_back(world::SpellCast{caster, {5, 5}, 99, {}, {1, 1}});  // unknown spell
  fx.on_tick(tick, mirror, 1.0);
  REQUIRE(fx.bursts().size() == 4);
  CHECK(fx.bursts()[0].centre == world::Position{6, 5});
  CHECK(fx.bursts()[0].radius == 0);  // a creature spell lands on one tile
  CHECK_FALSE(fx.bursts()[0].heal);
  CHECK(fx.bursts()[1].radius == 1);
  CHECK_FALSE(fx.bursts()[1].heal);
  CHECK(fx.bursts()[2].radius == 2);
  CHECK(fx.bursts()[2].heal);
  CHECK(fx.bursts()[3].radius == 0);
}

TEST_CASE("effects: shots and bursts are capped, the oldest going first") {
  const sfml_client::Theme theme;
  sfml_client::Effects fx(theme);
  const client::WorldMirror mirror;
  protocol::TickMessage tick;
  for (int i = 0; i < 500; ++i) {
    tick.deltas.push_back(
        world::Shot{world::EntityId{1, 1}, world::EntityId{2, 1}, {i, 0}, {i, 1}});
    tick.deltas.push_back(world::SpellCast{world::EntityId{1, 1}, {0, 0}, 0, {}, {i, 0}});
  }
  fx.on_tick(tick, mirror, 0.0);
  CHECK(fx.projectiles().size() <= 64);
  CHECK(fx.bursts().size() <= 32);
  CHECK(fx.projectiles().back().from.x == 499);
  CHECK(fx.bursts().back().centre.x == 499);
  fx.clear();
  CHECK(fx.projectiles().empty());
  CHECK(fx.bursts().empty());
}

TEST_CASE("effects: a cast's cooldown is told, a step's is not, cast refusals speak of spells") {
  const sfml_client::Theme theme;
  sfml_client::Effects fx(theme);
  const client::WorldMirror mirror;
  const std::array<std::uint32_t, 2> casts{7, 9};
  const auto refused = [&](std::uint32_t seq, world::RejectReason reason) {
    protocol::TickMessage tick;
    tick.rejections.push_back(world::Rejection{0, {}, seq, reason});
    fx.clear();
    fx.on_tick(tick, mirror, 0.0, casts);
    return fx.texts().empty() ? std::string("(nothing)") : fx.texts().back().text;
  };
  CHECK(refused(8, world::RejectReason::Cooldown) == "(nothing)");  // a step: resent
  CHECK(refused(7, world::RejectReason::Cooldown) == "Not ready yet.");
  CHECK(refused(9, world::RejectReason::NotEnoughMana) == "Not enough mana.");
  CHECK(refused(9, world::RejectReason::NotAttackable) == "You cannot harm that.");
  CHECK(refused(8, world::RejectReason::NotAttackable) == "You cannot attack that.");
  CHECK(refused(8, world::RejectReason::Blocked) == "You cannot walk there.");
}
