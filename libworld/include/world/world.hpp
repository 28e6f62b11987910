#pragma once
/// \file The World: the whole simulation state, stepped in fixed ticks by commands.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "world/command.hpp"
#include "world/content.hpp"
#include "world/delta.hpp"
#include "world/result.hpp"
#include "world/rng.hpp"
#include "world/spatial_grid.hpp"
#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace world {

/// Version of the rules. Bumped whenever the same commands may give different states.
inline constexpr std::uint32_t kRulesVersion = 1;

/// World definition with defaults: `WorldConfig cfg; cfg.seed = 7; World w{cfg, map};`.
struct WorldConfig {
  std::uint64_t seed = 1;           ///< Seeds the world's only PRNG.
  std::uint32_t tick_rate_hz = 20;  ///< Ticks per second; every duration is in ticks.
  std::vector<NpcTemplate> npc_templates{NpcTemplate{}};  ///< Indexed by SpawnArea::npc_template.
  std::vector<ItemType> item_types;                       ///< Indexed by item type id.
  friend bool operator==(const WorldConfig&, const WorldConfig&) = default;
};

/// 64-bit hash of every field of a config (part of the state hash; checked by deserialize()).
[[nodiscard]] std::uint64_t config_hash(const WorldConfig& config);

/// Everything one call to World::step() produced.
struct StepResult {
  Tick tick = 0;                        ///< The tick just completed (1 for the first step).
  std::vector<Delta> deltas;            ///< What changed, in rule order.
  std::vector<Rejection> rejections;    ///< Commands refused, with reasons.
  std::uint64_t state_hash = 0;         ///< World::state_hash() after the tick.
  std::uint32_t rehashed_entities = 0;  ///< Entities whose hash part was refreshed (a cost gauge).
};

/// A broken invariant, naming the tick and the entity or tile at fault.
struct InvariantViolation {
  std::string message;  ///< e.g. "tick 12: entity 4#1 at (3,9) stands on a non-walkable tile".
};

/// The simulation. A value: copying it takes a snapshot that steps identically to the original.
/// It performs no I/O, reads no clock, starts no thread and throws nothing on expected failure.
class World {
 public:
  /// Creates the world at tick 0 and populates every NPC spawn area of the map.
  /// Precondition: map is not null; every spawn area names an existing template.
  World(WorldConfig config, std::shared_ptr<const TileMap> map);

  /// Applies the commands of one tick in canonical order, runs the rules, advances the tick.
  /// Canonical order: Leave (by actor), then Join (by character id), then every other command
  /// by actor slot, keeping submission order for one actor; then NPCs act in slot order.
  StepResult step(std::span<const Command> commands);
  /// Same as step(commands), reusing `out`'s buffers (no allocation in steady state).
  void step(std::span<const Command> commands, StepResult& out);

  /// The number of completed ticks.
  [[nodiscard]] Tick tick() const { return tick_; }
  /// 64-bit hash of the whole state (entities, PRNG, tick, config and map), kept incrementally.
  [[nodiscard]] std::uint64_t state_hash() const;
  /// The same hash recomputed from scratch; equals state_hash() unless the world is broken.
  [[nodiscard]] std::uint64_t recompute_state_hash() const;

  /// True when id names a live entity.
  [[nodiscard]] bool is_valid(EntityId id) const;
  /// Full state of a live entity, or nothing for an unknown or stale id.
  [[nodiscard]] std::optional<EntityState> entity(EntityId id) const;
  /// The creature on tile p, if any.
  [[nodiscard]] std::optional<EntityId> occupant(Position p) const;
  /// The live entity of a character, if it is in the world.
  [[nodiscard]] std::optional<EntityId> find_character(CharacterId c) const;
  /// Live entities, by slot.
  [[nodiscard]] std::vector<EntityId> entity_ids() const;
  /// Number of live entities.
  [[nodiscard]] std::size_t entity_count() const { return live_count_; }
  /// Entities within Chebyshev `radius` of `center`, sorted by slot. Visits only nearby cells.
  void query_radius(Position center, std::int32_t radius, std::vector<EntityId>& out) const;

  /// The map (shared, immutable).
  [[nodiscard]] const TileMap& map() const { return *map_; }
  /// The shared map pointer (to build another world on the same map).
  [[nodiscard]] const std::shared_ptr<const TileMap>& map_ptr() const { return map_; }
  /// The configuration the world was made with.
  [[nodiscard]] const WorldConfig& config() const { return config_; }
  /// Move cooldown in ticks for a speed (tenths of a tile per second) at this tick rate.
  [[nodiscard]] std::uint32_t move_cooldown(std::uint16_t speed) const;

  /// Checks every invariant: one creature per tile, positions in bounds and walkable,
  /// occupancy and spatial grid agree with positions, ids valid, incremental hash correct.
  [[nodiscard]] std::optional<InvariantViolation> check_invariants() const;

  /// Versioned binary snapshot of the mutable state. The config and the map are inputs, not
  /// state: the snapshot holds their hashes and deserialize() is handed them again.
  [[nodiscard]] std::vector<std::byte> serialize() const;
  /// Rebuilds a world from serialize()'s bytes with the same config and map. A corrupt,
  /// truncated or foreign buffer gives an error naming the offset and what was wrong.
  [[nodiscard]] static Result<World> deserialize(std::span<const std::byte> bytes,
                                                 WorldConfig config,
                                                 std::shared_ptr<const TileMap> map);

 private:
  World() = default;

  std::uint32_t allocate_slot();
  void free_slot(std::uint32_t s);
  void touch(std::uint32_t s);
  void touch_cold(std::uint32_t s);
  void finish_hash();
  [[nodiscard]] std::uint64_t slot_contribution(std::uint32_t s, std::uint64_t cold) const;
  [[nodiscard]] std::uint64_t cold_hash(std::uint32_t s) const;
  void rehash(std::uint32_t s);
  [[nodiscard]] std::uint64_t combine_hash(std::uint64_t config_hash, std::uint64_t map_hash,
                                           std::uint64_t entity_sum) const;
  [[nodiscard]] bool live(EntityId id) const;
  [[nodiscard]] EntityId id_of(std::uint32_t s) const { return {s, generation_[s]}; }
  [[nodiscard]] EntityState state_of(std::uint32_t s) const;
  [[nodiscard]] std::optional<Position> free_tile_near(Position p, std::int32_t max_radius) const;
  std::uint32_t spawn_npc(std::uint32_t tmpl, Position home, Position at);
  void place(std::uint32_t s, Position p);
  void relocate(std::uint32_t s, Position to);
  void populate_spawn_areas();
  void rebuild_derived();

  void apply(std::uint32_t index, const Command& c, StepResult& out);
  void apply_join(std::uint32_t index, const Command& c, const Join& j, StepResult& out);
  void apply_leave(std::uint32_t index, const Command& c, StepResult& out);
  void apply_move(std::uint32_t index, const Command& c, Direction d, StepResult& out);
  void apply_face(std::uint32_t index, const Command& c, Direction d, StepResult& out);
  void run_npcs(StepResult& out);
  void reject(std::uint32_t index, const Command& c, RejectReason r, StepResult& out) const;
  [[nodiscard]] std::optional<RejectReason> check_actor(EntityId id) const;

  WorldConfig config_;
  std::shared_ptr<const TileMap> map_;
  std::uint64_t map_hash_ = 0;
  std::uint64_t config_hash_ = 0;
  Tick tick_ = 0;
  Rng rng_;

  // Entity pool indexed by slot. A slot is live when body_[s].kind != kFree.
  static constexpr std::uint8_t kFree = 0xFF;
  static constexpr Tick kNever = ~Tick{0};
  // A slot's part of the state hash: `contribution` is summed into the state hash. `cold` is the
  // hash of the fields that change only on spawn and removal: generation, kind, speed, home,
  // template, character and name. Whoever changes one of those calls touch_cold(s).
  struct SlotHash {
    std::uint64_t contribution = 0;
    std::uint64_t cold = 0;
  };
  // The fields the tick reads and writes most, with the slot's cached hash parts, in one cache
  // line: refreshing the hash right after an NPC acts touches no other memory. The hot fields
  // (pos, facing, next_move and next_think_) are hashed on every refresh, the rest via `cold`.
  struct alignas(64) Body {
    Position pos;                         // current tile
    Position home;                        // NPCs: the wander radius is measured from here
    Tick next_move = 0;                   // earliest tick at which it may step again
    std::uint32_t npc_template = 0;       // NPCs: template index
    std::uint16_t speed = 0;              // tenths of a tile per second
    Direction facing = Direction::South;  // facing
    std::uint8_t kind = kFree;            // EntityKind, or kFree
    SlotHash hash;                        // derived: cached hash parts, not state
  };
  std::vector<Body> body_;
  std::vector<Tick> next_think_;  // NPCs: next tick the AI runs; others: kNever (scanned each tick)
  std::vector<std::uint32_t> generation_;
  std::vector<CharacterId> character_;  // players
  std::vector<std::string> name_;       // players
  std::size_t live_count_ = 0;

  // Derived state, rebuilt by deserialize(): never hashed or serialised itself.
  std::map<CharacterId, std::uint32_t> characters_;  // players in the world, by character
  std::vector<std::uint32_t> free_slots_;  // min-heap: the lowest free slot is reused first
  std::vector<std::uint32_t> occupancy_;   // per tile: slot + 1, or 0 when empty
  SpatialGrid grid_;
  std::uint64_t entity_hash_sum_ = 0;  // sum of the contributions
  std::vector<std::uint32_t> dirty_;   // slots touched by commands this tick
  std::vector<std::uint8_t> is_dirty_;

  // Scratch buffers reused across ticks (not state).
  std::vector<std::uint32_t> order_;
};

}  // namespace world
