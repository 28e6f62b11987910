#pragma once
/// \file WorldConfig: everything a World is made with besides its map, and the config's hash.

#include <cstdint>
#include <vector>

#include "world/content.hpp"

namespace world {

/// Largest backpack_capacity a config may ask for.
inline constexpr std::uint32_t kMaxBackpack = 40;

/// World definition with defaults: `WorldConfig cfg; cfg.seed = 7; World w{cfg, map};`.
struct WorldConfig {
  std::uint64_t seed = 1;           ///< Seeds the world's only PRNG.
  std::uint32_t tick_rate_hz = 20;  ///< Ticks per second; every duration is in ticks.
  std::vector<NpcTemplate> npc_templates{NpcTemplate{}};  ///< Indexed by SpawnArea::npc_template.
  std::vector<ItemType> item_types;                       ///< Indexed by item type id.
  std::vector<Vocation> vocations{Vocation{}};            ///< Indexed by Character::vocation.
  std::vector<SpellType> spells;                          ///< Indexed by spell id.
  bool pvp = false;                   ///< Players may attack players (outside protection zones).
  std::int32_t chat_radius = 8;       ///< Players within this Chebyshev distance hear Say.
  std::uint32_t regen_interval = 60;  ///< Ticks between two regenerations of one creature.
  std::uint32_t item_decay_ticks = 6000;      ///< Ground items vanish after this long.
  std::uint32_t backpack_capacity = 20;       ///< Backpack slots per player (1..kMaxBackpack).
  std::uint32_t path_node_budget = 64;        ///< A* nodes one NPC may expand per decision.
  std::uint32_t death_penalty_percent = 5;    ///< Share of experience a dying player loses.
  std::uint32_t player_attack_cooldown = 20;  ///< Ticks between two swings of a player.
  friend bool operator==(const WorldConfig&, const WorldConfig&) = default;
};

/// 64-bit hash of every field of a config (part of the state hash; checked by deserialize()).
[[nodiscard]] std::uint64_t config_hash(const WorldConfig& config);

}  // namespace world
