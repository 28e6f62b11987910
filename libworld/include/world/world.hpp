#pragma once
/// \file The World: the whole simulation state, stepped in fixed ticks by commands.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "world/command.hpp"
#include "world/config.hpp"
#include "world/content.hpp"
#include "world/delta.hpp"
#include "world/pathfinding.hpp"
#include "world/result.hpp"
#include "world/rng.hpp"
#include "world/spatial_grid.hpp"
#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace world {

/// Version of the rules. Bumped whenever the same commands may give different states.
inline constexpr std::uint32_t kRulesVersion = 3;
/// Total experience needed to reach `level` (1 needs 0, 2 needs 100, 3 needs 300, ...).
[[nodiscard]] constexpr std::uint64_t experience_for_level(std::int32_t level) {
  const auto l = static_cast<std::uint64_t>(level < 1 ? 1 : level);
  return 50 * (l - 1) * l;
}

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
  /// by actor slot (submission order kept for one actor), then Announce. Then NPCs think, melee
  /// resolves, regeneration, respawns and item decay run (docs/rules.md, "Order of one tick").
  StepResult step(std::span<const Command> commands);
  /// Same as step(commands), reusing `out`'s buffers (no allocation in steady state).
  void step(std::span<const Command> commands, StepResult& out);

  /// The number of completed ticks.
  [[nodiscard]] Tick tick() const { return tick_; }
  /// 64-bit hash of the whole state (entities, items, pending respawns, PRNG, tick, config and
  /// map), kept incrementally.
  [[nodiscard]] std::uint64_t state_hash() const;
  /// The same hash recomputed from scratch; equals state_hash() unless the world is broken.
  [[nodiscard]] std::uint64_t recompute_state_hash() const;

  /// True when id names a live entity.
  [[nodiscard]] bool is_valid(EntityId id) const;
  /// Full state of a live entity, or nothing for an unknown or stale id.
  [[nodiscard]] std::optional<EntityState> entity(EntityId id) const;
  /// The tile of a live entity, or nothing for an unknown or stale id (cheaper than entity()).
  [[nodiscard]] std::optional<Position> position(EntityId id) const;
  /// The creature on tile p, if any.
  [[nodiscard]] std::optional<EntityId> occupant(Position p) const;
  /// The live entity of a character, if it is in the world.
  [[nodiscard]] std::optional<EntityId> find_character(CharacterId c) const;
  /// The saved form of a live player (attributes, look, backpack, equipment), for saving.
  [[nodiscard]] std::optional<Character> export_character(EntityId id) const;
  /// The state of a live item, or nothing for an unknown or stale id.
  [[nodiscard]] std::optional<ItemState> item(ItemId id) const;
  /// Items lying on tile p, by id.
  [[nodiscard]] std::vector<ItemState> items_at(Position p) const;
  /// A player's backpack and equipment items, by place then index.
  [[nodiscard]] std::vector<ItemState> inventory(EntityId player) const;
  /// Number of live item instances (ground and carried).
  [[nodiscard]] std::size_t item_count() const { return live_items_; }
  /// Ground items within Chebyshev `radius` of `center`, by id.
  [[nodiscard]] std::vector<ItemState> ground_items_near(Position center,
                                                         std::int32_t radius) const;
  /// Pending NPC respawns as (tick, spawn area index), earliest first.
  [[nodiscard]] std::vector<std::pair<Tick, std::uint32_t>> pending_respawns() const;
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
  /// occupancy and spatial grids agree with positions, ids valid, HP and MP within range,
  /// targets live, every item in exactly one place that lists it once, incremental hash correct.
  [[nodiscard]] std::optional<InvariantViolation> check_invariants() const;

  /// Field-level differences from `other` (same config and map expected), e.g.
  /// "entity 12#1: position (3,4) vs (3,5)", at most `limit` of them; empty when equal.
  [[nodiscard]] std::vector<std::string> diff(const World& other, std::size_t limit = 20) const;

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

  // Pool indices. Explicit construction (Slot{n}) keeps entity slots, item slots, tile indices
  // and counts apart; index_of() gives the number back (for hashing, the wire and SpatialGrid).
  enum class Slot : std::uint32_t {};      // an entity slot: EntityId without its generation
  enum class ItemSlot : std::uint32_t {};  // an item slot: ItemId without its generation
  [[nodiscard]] static constexpr std::uint32_t index_of(Slot s) {
    return static_cast<std::uint32_t>(s);
  }
  [[nodiscard]] static constexpr std::uint32_t index_of(ItemSlot i) {
    return static_cast<std::uint32_t>(i);
  }
  [[nodiscard]] static constexpr Slot slot_of(EntityId id) { return Slot{id.index}; }
  [[nodiscard]] static constexpr ItemSlot slot_of(ItemId id) { return ItemSlot{id.index}; }
  // One column of a pool: a std::vector that only its pool's slot type indexes.
  template <typename Key, typename T>
  class Column : private std::vector<T> {
    using Base = std::vector<T>;

   public:
    using Base::assign;
    using Base::begin;
    using Base::emplace_back;
    using Base::end;
    using Base::push_back;
    using Base::resize;
    using Base::size;
    T& operator[](Key k) { return Base::operator[](static_cast<std::uint32_t>(k)); }
    const T& operator[](Key k) const { return Base::operator[](static_cast<std::uint32_t>(k)); }
  };

  // --- pool and bookkeeping (world.cpp)
  Slot allocate_slot();
  void free_slot(Slot s);
  void touch(Slot s);
  void touch_cold(Slot s);
  void touch_stats(Slot s);
  [[nodiscard]] bool live(EntityId id) const;
  [[nodiscard]] EntityId id_of(Slot s) const { return {index_of(s), generation_[s]}; }
  [[nodiscard]] EntityState state_of(Slot s) const;
  [[nodiscard]] Vitals vitals_of(Slot s) const;
  [[nodiscard]] bool is_player(Slot s) const;
  [[nodiscard]] std::optional<Position> free_tile_near(Position p, std::int32_t max_radius) const;
  Slot spawn_npc(std::uint32_t tmpl, std::uint32_t area, Position home, Position at);
  bool spawn_in_area(std::uint32_t area, StepResult* out);
  void place(Slot s, Position p);
  void relocate(Slot s, Position to);
  void teleport(Slot s, Position to, StepResult& out);
  void populate_spawn_areas();
  void rebuild_derived();

  // --- commands (world.cpp, world_items.cpp, world_combat.cpp)
  void apply(std::uint32_t index, const Command& c, StepResult& out);
  void apply_join(std::uint32_t index, const Command& c, const Join& j, StepResult& out);
  void apply_leave(std::uint32_t index, const Command& c, StepResult& out);
  void apply_move(std::uint32_t index, const Command& c, Direction d, StepResult& out);
  void apply_face(std::uint32_t index, const Command& c, Direction d, StepResult& out);
  void apply_attack(std::uint32_t index, const Command& c, const Attack& a, StepResult& out);
  void apply_pick_up(std::uint32_t index, const Command& c, const PickUp& p, StepResult& out);
  void apply_drop(std::uint32_t index, const Command& c, const Drop& d, StepResult& out);
  void apply_equip(std::uint32_t index, const Command& c, const Equip& e, StepResult& out);
  void apply_unequip(std::uint32_t index, const Command& c, const Unequip& u, StepResult& out);
  void apply_use(std::uint32_t index, const Command& c, const Use& u, StepResult& out);
  void apply_move_item(std::uint32_t index, const Command& c, const MoveItem& m, StepResult& out);
  void apply_cast(std::uint32_t index, const Command& c, const Cast& cast, StepResult& out);
  void apply_say(std::uint32_t index, const Command& c, const Say& say, StepResult& out);
  void apply_announce(std::uint32_t index, const Command& c, const Announce& a, StepResult& out);
  void reject(std::uint32_t index, const Command& c, RejectReason r, StepResult& out) const;
  [[nodiscard]] std::optional<RejectReason> check_actor(EntityId id) const;
  [[nodiscard]] std::optional<RejectReason> check_character(const Character& ch) const;
  void fire_trigger(Slot s, StepResult& out);

  // --- NPC behaviour (world_ai.cpp)
  void run_npcs(StepResult& out);
  void npc_wander(Slot s, const NpcTemplate& t, StepResult& out);
  void npc_engage(Slot s, const NpcTemplate& t, StepResult& out);
  bool npc_step_towards(Slot s, Position goal, std::int32_t range, StepResult& out);
  bool npc_step_away(Slot s, Position from, const NpcTemplate& t, StepResult& out);
  bool npc_heal_ally(Slot s, const NpcTemplate& t, StepResult& out);
  [[nodiscard]] std::optional<Slot> nearest_player(Position p, std::int32_t radius) const;

  // --- combat (world_combat.cpp)
  void set_target(Slot s, EntityId target, StepResult& out);
  void run_combat(StepResult& out);
  void deal_damage(Slot target, std::int32_t damage, EntityId killer, StepResult& out);
  void kill(Slot s, EntityId killer, StepResult& out);
  void gain_experience(Slot s, std::uint64_t amount, StepResult& out);
  [[nodiscard]] std::int32_t reach_of(Slot s) const;    // attack range (1 = melee)
  [[nodiscard]] const ItemType* wielded(Slot s) const;  // a player's weapon type, or null
  [[nodiscard]] bool use_ammo(Slot s, std::uint32_t ammo, StepResult& out);
  [[nodiscard]] bool hostile(Slot a, Slot b) const;  // may a hurt b (spells, area effects)
  [[nodiscard]] std::optional<RejectReason> check_cast(Slot s, const Cast& cast) const;
  void cast_spell(Slot s, const Cast& cast, StepResult& out);
  void spell_effect(Slot caster, Slot t, const SpellType& spell, std::int32_t power,
                    StepResult& out);
  void emit_stats(Slot s, StepResult& out);
  void provoke(Slot t, Slot attacker, StepResult& out);
  void run_regeneration(StepResult& out);
  void run_respawns(StepResult& out);
  [[nodiscard]] std::int32_t attack_of(Slot s) const;
  [[nodiscard]] std::int32_t defense_of(Slot s) const;
  [[nodiscard]] bool in_protection_zone(Slot s) const;

  // --- items (world_items.cpp)
  struct Inventory;
  ItemSlot create_item(std::uint32_t type, std::uint16_t count);
  void destroy_item(ItemSlot i);
  void put_on_ground(ItemSlot i, Position p, StepResult* out);
  void take_from_ground(ItemSlot i, StepResult* out);
  void put_in_inventory(ItemSlot i, Slot owner, ItemPlace place, std::uint8_t index,
                        StepResult* out);
  void take_from_inventory(ItemSlot i, StepResult* out);
  void rehash_item(ItemSlot i);
  [[nodiscard]] bool live_item(ItemId id) const;
  [[nodiscard]] ItemId item_id_of(ItemSlot i) const { return {index_of(i), item_generation_[i]}; }
  [[nodiscard]] ItemState item_state_of(ItemSlot i) const;
  [[nodiscard]] std::optional<std::uint8_t> free_backpack_slot(Slot owner) const;
  [[nodiscard]] std::optional<ItemSlot> stack_with_room(Slot owner, std::uint32_t type,
                                                        std::uint16_t count) const;
  void update_look(Slot s, StepResult* out);
  void drop_loot(Slot s, const NpcTemplate& t, StepResult& out);
  void run_item_decay(StepResult& out);

  // --- hashing and snapshots (world_snapshot.cpp)
  void finish_hash();
  void rehash(Slot s);
  void rehash_think(Slot s, Tick old_think);
  [[nodiscard]] std::uint64_t cold_hash(Slot s) const;
  [[nodiscard]] std::uint64_t stats_hash(Slot s) const;
  [[nodiscard]] std::uint64_t slot_contribution(Slot s, std::uint64_t cold,
                                                std::uint64_t stats) const;
  [[nodiscard]] std::uint64_t item_contribution(ItemSlot i) const;
  [[nodiscard]] static std::uint64_t respawn_contribution(std::pair<Tick, std::uint32_t> r);
  [[nodiscard]] std::uint64_t combine_hash(std::uint64_t config_hash, std::uint64_t map_hash,
                                           std::uint64_t entity_sum, std::uint64_t item_sum,
                                           std::uint64_t respawn_sum) const;
  class SnapshotReader;  // deserialize()'s parts (world_snapshot.cpp)

  WorldConfig config_;
  std::shared_ptr<const TileMap> map_;
  std::uint64_t map_hash_ = 0;
  std::uint64_t config_hash_ = 0;
  Tick tick_ = 0;
  Rng rng_;

  // Entity pool indexed by slot. A slot is live when body_[s].kind != kFree.
  static constexpr std::uint8_t kFree = 0xFF;
  static constexpr Tick kNever = ~Tick{0};
  static constexpr std::uint32_t kNoArea = ~0u;
  // A slot's part of the state hash: `contribution` is summed into the state hash. `cold` is the
  // hash of the fields that change only on spawn, removal and equipment changes: generation,
  // kind, speed, home, template, spawn area, character, name and look (touch_cold()). `stats`
  // is the hash of Stats (touch_stats()). A cached part equal to kStale is recomputed.
  struct SlotHash {
    std::uint64_t contribution = 0;
    std::uint64_t cold = 0;
    std::uint64_t stats = 0;
  };
  // The fields the tick reads and writes most, with the slot's cached hash parts, in one cache
  // line: refreshing the hash right after an NPC acts touches no other memory. The hot fields
  // (pos, facing, next_move and next_think_) are hashed on every refresh.
  struct alignas(64) Body {
    Position pos;                         // current tile
    Position home;                        // NPCs: the wander radius is measured from here
    Tick next_move = 0;                   // earliest tick at which it may step again
    std::uint32_t npc_template = 0;       // NPCs: template index
    std::uint32_t spawn_area = kNoArea;   // NPCs: the spawn area that replaces it on death
    std::uint16_t speed = 0;              // tenths of a tile per second
    Direction facing = Direction::South;  // facing
    std::uint8_t kind = kFree;            // EntityKind, or kFree
    std::uint8_t engaged = 0;             // derived: 1 while stats_[s].target is set
    SlotHash hash;                        // derived: cached hash parts, not state
  };
  static_assert(sizeof(Body) == 64 && alignof(Body) == 64, "Body is exactly one cache line");
  // Attributes and combat state.
  struct Stats {
    std::int32_t hp = 0, max_hp = 0, mp = 0, max_mp = 0;
    std::int32_t level = 1, attack = 0, defense = 0;
    std::uint64_t experience = 0;
    EntityId target;            // whom it fights
    Tick next_attack = 0;       // earliest tick of its next swing
    Tick next_cast = 0;         // earliest tick of its next spell
    std::uint8_t vocation = 0;  // players: index into WorldConfig::vocations
    friend bool operator==(const Stats&, const Stats&) = default;
  };
  [[nodiscard]] Stats template_stats(std::uint32_t tmpl) const;  // a fresh NPC's stats
  [[nodiscard]] Look template_look(std::uint32_t tmpl) const;    // a fresh NPC's look
  Column<Slot, Body> body_;
  Column<Slot, Tick>
      next_think_;  // NPCs: next tick the AI runs; others: kNever (scanned each tick)
  Column<Slot, std::uint32_t> generation_;
  Column<Slot, Stats> stats_;
  Column<Slot, Look> look_;
  Column<Slot, CharacterId> character_;  // players
  Column<Slot, std::string> name_;       // players
  std::size_t live_count_ = 0;

  // Item pool. An item slot is live when items_[i].type != kNoItem.
  static constexpr std::uint32_t kNoItem = ~0u;
  struct Item {
    std::uint32_t type = kNoItem;
    std::uint16_t count = 0;
    ItemPlace place = ItemPlace::Ground;
    std::uint8_t index = 0;  // backpack slot / EquipSlot - 1
    Position pos;            // ground
    Slot owner{0};           // carried: the owner's entity slot (on the ground: 0, as hashed)
    Tick expires = 0;        // ground: the tick it decays
    std::uint64_t hash = 0;  // derived: cached contribution
  };
  Column<ItemSlot, Item> items_;
  Column<ItemSlot, std::uint32_t> item_generation_;
  std::size_t live_items_ = 0;

  // Pending NPC respawns: a min-heap of (tick, spawn area).
  std::vector<std::pair<Tick, std::uint32_t>> respawns_;

  // Derived state, rebuilt by deserialize(): never hashed or serialised itself.
  struct Inventory {
    std::array<std::optional<ItemSlot>, kMaxBackpack> backpack{};     // by backpack slot
    std::array<std::optional<ItemSlot>, kEquipSlotCount> equipped{};  // by EquipSlot - 1
  };
  std::map<CharacterId, Slot> characters_;                 // players in the world, by character
  std::map<Slot, Inventory> inventories_;                  // players' inventories, by entity slot
  std::map<std::uint32_t, std::vector<ItemSlot>> ground_;  // tile -> item slots, sorted
  std::vector<std::pair<Tick, ItemSlot>> decay_;           // min-heap of (expires, item slot)
  std::vector<Slot> attackers_;                            // slots with a target, sorted
  std::vector<Slot> free_slots_;      // min-heap: the lowest free slot is reused first
  std::vector<ItemSlot> free_items_;  // min-heap of free item slots
  // Per tile, in PathFinder's format: 0 walkable and free, kBlockedTile unwalkable, otherwise
  // the occupant's slot + 1. Only occupied_by() and occupant_in() know that encoding.
  std::vector<std::uint32_t> occupancy_;
  static constexpr std::uint32_t kBlockedTile = ~0u;
  [[nodiscard]] static constexpr std::uint32_t occupied_by(Slot s) { return index_of(s) + 1; }
  [[nodiscard]] static constexpr std::optional<Slot> occupant_in(std::uint32_t cell) {
    if (cell == 0 || cell == kBlockedTile) return std::nullopt;
    return Slot{cell - 1};
  }
  SpatialGrid grid_;                    // every entity
  SpatialGrid player_grid_;             // players only (aggro, chat)
  std::uint64_t entity_hash_sum_ = 0;   // sum of slot contributions
  std::uint64_t item_hash_sum_ = 0;     // sum of item contributions
  std::uint64_t respawn_hash_sum_ = 0;  // sum of respawn contributions
  std::vector<Slot> dirty_;             // slots touched by commands and combat this tick
  Column<Slot, std::uint8_t> is_dirty_;

  // Scratch buffers reused across ticks (not state).
  std::vector<std::uint32_t> order_;  // command indices in canonical order
  std::vector<Slot> due_;             // run_npcs(): the NPCs that think this tick
  // npc_heal_ally(): per grid_ cell, the tick when a healer's scan found no wounded NPC in it
  // during this tick's run_npcs(), so that the healers of a crowd do not all walk the same
  // unhurt cells. A wounded NPC entering the cell (relocate()) or an NPC hurt in it
  // (deal_damage()) clears the mark; healing only makes fewer wounded.
  std::vector<Tick> unhurt_cell_;
  std::vector<Slot> fighters_;     // run_combat(): the attackers as the phase began
  std::vector<Slot> scratch_;      // apply_leave() and kill(): attackers to look through
  std::vector<EntityId> reached_;  // cast_spell(): the creatures an area spell reaches
  PathFinder path_;
};

}  // namespace world
