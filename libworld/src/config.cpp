#include "world/config.hpp"

#include "world/hash.hpp"

namespace world {

std::uint64_t config_hash(const WorldConfig& config) {
  Hasher h;
  h.add(config.seed).add(config.tick_rate_hz);
  h.add(config.npc_templates.size());
  for (const NpcTemplate& t : config.npc_templates) {
    h.add_string(t.key).add_string(t.name);
    h.add(static_cast<std::uint64_t>(t.behaviour)).add(t.speed);
    h.add(static_cast<std::uint32_t>(t.wander_radius)).add(t.idle_percent).add(t.max_idle_ticks);
    h.add(static_cast<std::uint32_t>(t.aggro_radius))
        .add(static_cast<std::uint32_t>(t.leash_radius));
    h.add(static_cast<std::uint32_t>(t.level)).add(static_cast<std::uint32_t>(t.max_hp));
    h.add(static_cast<std::uint32_t>(t.attack)).add(static_cast<std::uint32_t>(t.defense));
    h.add(t.attack_cooldown).add(t.experience).add(t.respawn_ticks);
    h.add(t.look.body).add(t.look.hair_style).add(t.look.hair_colour);
    h.add(t.loot.size());
    for (const LootEntry& l : t.loot) {
      h.add(l.item_type).add(l.chance_permille).add(l.min_count).add(l.max_count);
    }
  }
  h.add(config.item_types.size());
  for (const ItemType& i : config.item_types) {
    h.add_string(i.key).add_string(i.name);
    h.add(static_cast<std::uint64_t>(i.kind) | static_cast<std::uint64_t>(i.slot) << 8 |
          static_cast<std::uint64_t>(i.stackable) << 16 |
          static_cast<std::uint64_t>(i.max_stack) << 24);
    h.add(static_cast<std::uint32_t>(i.attack)).add(static_cast<std::uint32_t>(i.defense));
    h.add(static_cast<std::uint32_t>(i.heal_hp)).add(static_cast<std::uint32_t>(i.heal_mp));
  }
  h.add(config.pvp).add(static_cast<std::uint32_t>(config.chat_radius)).add(config.regen_interval);
  h.add(config.item_decay_ticks).add(config.backpack_capacity).add(config.path_node_budget);
  h.add(config.death_penalty_percent).add(config.player_attack_cooldown);
  return h.value();
}

}  // namespace world
