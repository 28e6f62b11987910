#pragma once
// Scenario builders shared by the tests, the determinism runner and the benchmarks.

#include <cstdint>
#include <memory>
#include <vector>

#include "world/map_gen.hpp"
#include "world/rng.hpp"
#include "world/world.hpp"

namespace scenarios {

/// Item type ids of demo_config().
enum DemoItem : std::uint32_t { kGold = 0, kPotion, kSword, kHelmet, kArmor, kBone, kBow, kArrow };
/// NPC template ids of demo_config().
enum DemoNpc : std::uint32_t { kWanderer = 0, kRat, kOgre, kArcher, kShaman };
/// Spell ids of demo_config().
enum DemoSpell : std::uint32_t { kHeal = 0, kBolt, kFireball, kMend, kShockwave };
/// Vocation ids of demo_config().
enum DemoVocation : std::uint8_t { kKnight = 0, kRanger, kMage };

/// Small game content for tests and benchmarks: gold, potions, a sword, a helmet, armor, bones,
/// a bow (range 5) and arrows; a passive wanderer, an aggressive rat, a strong aggressive ogre,
/// an archer (range 4, keeps 2 tiles away) and a shaman that mends its allies, with loot; the
/// spells heal (self), bolt (creature), fireball (tile, radius 1), mend (heal a creature) and
/// shockwave (area, radius 2); the vocations knight (sword; heal; the old defaults), ranger
/// (bow or sword; heal) and mage (sword; every spell).
world::WorldConfig demo_config(std::uint64_t seed = 1);

/// A world on the arena generate_arena(params) builds.
world::World arena_world(const world::ArenaParams& params, world::WorldConfig config = {});

/// A world on a generated arena of the given size with `npcs` wandering NPCs.
world::World wander_world(std::int32_t size, std::uint32_t npcs, std::uint64_t seed = 7);

/// The golden scenario: a 64x64 arena, 300 wanderers, players that join, walk, turn and leave
/// under a scripted command stream. Stepped by GoldenScript.
world::World golden_world();

/// Deterministic command script: players join over the first ticks, then each tick some of
/// them move, turn, occasionally leave and rejoin. Uses its own PRNG (not the world's).
class GoldenScript {
 public:
  explicit GoldenScript(std::uint64_t seed = 2024, std::uint32_t players = 24)
      : rng_(seed), players_(players) {}
  /// Commands for the next tick of `w` (call before w.step()).
  std::vector<world::Command> next(const world::World& w);

 private:
  world::Rng rng_;
  std::uint32_t players_;
};

/// The full-scale fight: a size x size arena with `npcs` NPCs, `aggressive_percent` of them
/// rats and `ranged_percent` archers and shamans (half each) in spawn areas of their own, and
/// `players` players joined near those areas (their joins are applied by stepping the world
/// once).
world::World battle_world(std::int32_t size, std::uint32_t npcs, std::uint32_t aggressive_percent,
                          std::uint32_t players, std::uint64_t seed = 11,
                          std::uint32_t ranged_percent = 0);

/// Players that hunt: each targets the nearest NPC within 6 tiles and walks up to it.
class BattleScript {
 public:
  /// Commands for the next tick of `w`.
  std::vector<world::Command> next(const world::World& w);

 private:
  std::vector<world::EntityId> near_;
};

/// Random commands of every kind, including invalid ones (bad ids, bad directions, leaves of
/// NPCs, duplicate joins): the property test's input.
class ChaosScript {
 public:
  explicit ChaosScript(std::uint64_t seed) : rng_(seed) {}
  std::vector<world::Command> next(const world::World& w);

 private:
  world::Rng rng_;
  std::vector<world::EntityId> seen_;  // ids seen at some point (some become stale)
};

}  // namespace scenarios
