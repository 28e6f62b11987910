#pragma once
// The multi-agent environment's core, without Python: a battle arena (scenarios::battle_world)
// whose players are the agents, integer actions turned into commands, observations written into
// caller-owned float rows. py_env.cpp wraps it in the PettingZoo ParallelEnv shape.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "world/world.hpp"

namespace alphammo_py {

/// The integer actions of one agent.
enum class Action : std::int32_t {
  Idle = 0,       ///< Do nothing.
  North,          ///< Step north (also turns).
  East,           ///< Step east.
  South,          ///< Step south.
  West,           ///< Step west.
  AttackNearest,  ///< Target the nearest NPC in view (nearest by Chebyshev, ties by id).
  PickUp,         ///< Pick up the first ground item on or next to the agent's tile.
  UsePotion,      ///< Drink the first potion in the backpack.
};
/// Number of actions.
inline constexpr std::int32_t kActionCount = 8;

/// Channels of the local grid: walkable, NPC, other player, ground item.
inline constexpr std::size_t kGridChannels = 4;
/// Features of one row of the nearest-entities table:
/// present, dx, dy, is_npc, hp, max_hp, level, targets_me.
inline constexpr std::size_t kEntityFeatures = 8;
/// The agent's own features: x, y, hp, max_hp, mp, max_mp, level, experience, potions,
/// has_target.
inline constexpr std::size_t kSelfFeatures = 10;

/// How the environment's world is built and observed.
struct EnvConfig {
  std::int32_t size = 128;                ///< Arena side in tiles (>= 40).
  std::uint32_t npcs = 500;               ///< NPCs in the arena.
  std::uint32_t aggressive_percent = 30;  ///< Share of the NPCs that are rats (in nests).
  std::uint32_t agents = 128;             ///< Players controlled by actions.
  std::uint64_t seed = 1;                 ///< World and arena seed used by reset() by default.
  std::int32_t view_radius = 5;           ///< The grid is (2r+1) x (2r+1) tiles around the agent.
  std::uint32_t nearest = 8;              ///< Rows of the nearest-entities table.
  std::uint32_t max_steps = 1000;         ///< Steps before truncation (0 = never).
};

/// Where each part of an observation row lies (offsets in floats).
struct ObservationLayout {
  std::size_t side = 0;             ///< Grid side: 2 * view_radius + 1.
  std::size_t grid_offset = 0;      ///< Grid: kGridChannels x side x side, channel-major, rows = y.
  std::size_t entities_offset = 0;  ///< Table: nearest x kEntityFeatures.
  std::size_t self_offset = 0;      ///< Self: kSelfFeatures.
  std::size_t size = 0;             ///< Floats per row.
};

/// One arena, its agents and their observations. Not thread-safe; distinct Envs are independent.
class Env {
 public:
  /// Builds the arena with config.seed. Throws std::invalid_argument for a bad config and
  /// std::runtime_error when an agent finds no tile.
  explicit Env(EnvConfig config);

  /// Rebuilds the arena from `seed` (the world's and the arena's seed).
  void reset(std::uint64_t seed);
  /// Applies one action per agent (each in [0, kActionCount); the caller checks), steps the
  /// world, writes rewards and flags (one per agent) and, when `obs` is not null, the rows.
  void step(std::span<const std::int32_t> actions, float* obs, float* rewards, bool* terminations,
            bool* truncations);
  /// Writes one observation row per agent into `obs` (agents x layout().size floats).
  void observe(float* obs);

  /// The configuration.
  [[nodiscard]] const EnvConfig& config() const { return config_; }
  /// The observation row layout.
  [[nodiscard]] const ObservationLayout& layout() const { return layout_; }
  /// The world.
  [[nodiscard]] const world::World& world() const { return world_; }
  /// The entity of each agent.
  [[nodiscard]] const std::vector<world::EntityId>& agent_ids() const { return agents_; }
  /// Steps since the last reset.
  [[nodiscard]] std::uint32_t steps() const { return steps_; }
  /// True once max_steps steps were taken since the last reset.
  [[nodiscard]] bool truncated() const {
    return config_.max_steps != 0 && steps_ >= config_.max_steps;
  }

 private:
  void find_agents();
  [[nodiscard]] std::int32_t agent_index(world::EntityId id) const;  // -1: not an agent
  void add_command(std::size_t agent, Action a);
  void observe_agent(std::size_t agent, float* row);

  EnvConfig config_;
  ObservationLayout layout_;
  world::World world_;
  std::vector<world::EntityId> agents_;
  std::vector<std::int32_t> agent_of_slot_;  // agent index by entity slot, -1 for others
  std::vector<std::uint64_t> experience_;
  std::vector<world::Command> commands_;
  world::StepResult result_;
  std::vector<world::EntityId> near_;
  struct Seen {
    std::int32_t distance;
    world::EntityId id;
  };
  std::vector<Seen> seen_;
  std::uint32_t steps_ = 0;
};

}  // namespace alphammo_py
