// Embedding libworld: build a world, join a player, step it, print the deltas and the hash.
#include <cstdio>
#include <memory>

#include "world/map_gen.hpp"
#include "world/world.hpp"

int main() {
  // 1. Initialise: a generated 64x64 arena with 20 wandering NPCs.
  world::ArenaParams arena;
  arena.width = 64;
  arena.height = 64;
  arena.npc_count = 20;
  world::WorldConfig cfg;
  cfg.seed = 7;
  world::World w(cfg, std::make_shared<const world::TileMap>(world::generate_arena(arena)));

  // 2. Update: a player joins, then walks east for a few ticks.
  world::Character hero;
  hero.id = world::CharacterId{1};
  hero.name = "hero";
  hero.position = w.map().player_spawn();
  std::vector<world::Command> commands{{{}, world::Join{hero}, 1}};
  for (int tick = 1; tick <= 10; ++tick) {
    const world::StepResult r = w.step(commands);
    // 3. Report: what changed, what was refused, and the state hash.
    std::printf("tick %llu: %zu deltas, hash %016llx\n", static_cast<unsigned long long>(r.tick),
                r.deltas.size(), static_cast<unsigned long long>(r.state_hash));
    for (const auto& d : r.deltas)
      std::printf("  %s\n", world::describe(d).c_str());
    for (const auto& rej : r.rejections) {
      std::printf("  rejected seq %u: %s\n", rej.seq, world::to_string(rej.reason).data());
    }
    commands.clear();
    if (const auto id = w.find_character(hero.id)) {
      commands.push_back(
          {*id, world::Move{world::Direction::East}, static_cast<std::uint32_t>(tick + 1)});
    }
  }
  // 4. Shut down: a World is a value; nothing to close.
  std::printf("final state hash: %016llx\n", static_cast<unsigned long long>(w.state_hash()));
  return 0;
}
