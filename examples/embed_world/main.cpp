// Embedding libworld: build a world, join a player, step it, print the deltas and the hash.
#include <cstdio>
#include <memory>
#include <variant>

#include "world/map_gen.hpp"
#include "world/world.hpp"

namespace {
void print(const world::Delta& d) {
  std::visit(
      [](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, world::Appeared>) {
          std::printf("  appeared %u#%u %s '%s' at (%d,%d)\n", x.entity.id.index,
                      x.entity.id.generation, world::to_string(x.entity.kind).data(),
                      x.entity.name.c_str(), x.entity.position.x, x.entity.position.y);
        } else if constexpr (std::is_same_v<T, world::Moved>) {
          std::printf("  moved %u#%u (%d,%d) -> (%d,%d)\n", x.id.index, x.id.generation, x.from.x,
                      x.from.y, x.to.x, x.to.y);
        } else if constexpr (std::is_same_v<T, world::Faced>) {
          std::printf("  faced %u#%u %s\n", x.id.index, x.id.generation,
                      world::to_string(x.facing).data());
        } else {
          std::printf("  removed %u#%u\n", x.id.index, x.id.generation);
        }
      },
      d);
}
}  // namespace

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
      print(d);
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
