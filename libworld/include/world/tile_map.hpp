#pragma once
/// \file The tile grid: terrain, per-tile flags, the player spawn and NPC spawn areas.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "world/types.hpp"

namespace world {

/// Kinds of ground. Each has default flags (see default_flags()).
enum class Terrain : std::uint8_t {
  Void = 0,  ///< Outside the playable area; not walkable.
  Grass,
  Floor,
  Sand,
  Dirt,
  Water,  ///< Not walkable.
  Wall,   ///< Not walkable, blocks sight.
  Tree,   ///< Not walkable, blocks sight.
  Rock,   ///< Not walkable.
  Count   ///< Number of terrain kinds (not a terrain).
};

/// Bit flags of a tile.
enum TileFlag : std::uint8_t {
  kWalkable = 1u << 0,        ///< Creatures may stand here.
  kBlocksSight = 1u << 1,     ///< Reserved for line-of-sight rules.
  kProtectionZone = 1u << 2,  ///< No combat here (temples): attacks on or from it are refused.
};

/// The flags a tile of this terrain gets unless the map overrides them.
[[nodiscard]] std::uint8_t default_flags(Terrain t);
/// Lower-case name of a terrain ("grass", "wall", ...).
[[nodiscard]] std::string_view to_string(Terrain t);

/// One cell of the grid.
struct Tile {
  Terrain terrain = Terrain::Void;  ///< Ground kind.
  std::uint8_t flags = 0;           ///< TileFlag bits.
  friend bool operator==(const Tile&, const Tile&) = default;
};

/// A disc (Chebyshev radius) of tiles where NPCs of one template are spawned and respawn.
struct SpawnArea {
  Position center;                 ///< Middle of the area.
  std::int32_t radius = 0;         ///< Tiles with chebyshev(center, p) <= radius belong to it.
  std::uint32_t count = 0;         ///< How many NPCs live here.
  std::uint32_t npc_template = 0;  ///< Index into the world's NPC templates.
  friend bool operator==(const SpawnArea&, const SpawnArea&) = default;
};

/// What a trigger tile does to a player who steps on it.
enum class TriggerKind : std::uint8_t {
  Teleport = 0,  ///< Moves the player to `destination` (or the nearest free tile to it).
  Heal,          ///< Restores `amount` HP.
  Damage,        ///< Deals `amount` damage (it can kill).
  Message,       ///< Only shows the message.
};
/// Lower-case name ("teleport", "heal", "damage", "message").
[[nodiscard]] std::string_view to_string(TriggerKind k);

/// A scripted tile (the original game's "actionable script on position").
struct Trigger {
  Position position;                        ///< The tile that fires.
  TriggerKind kind = TriggerKind::Message;  ///< What it does.
  Position destination;                     ///< Teleport target.
  std::int32_t amount = 0;                  ///< Heal / damage amount.
  std::string message;                      ///< Shown to the player when it fires (may be empty).
  friend bool operator==(const Trigger&, const Trigger&) = default;
};

/// A rectangular tile grid. Immutable once handed to a World (shared by copies of that World).
class TileMap {
 public:
  /// An empty map (0 x 0).
  TileMap() = default;
  /// A width x height map filled with `fill` and its default flags; sizes are clamped to >= 0.
  TileMap(std::int32_t width, std::int32_t height, Terrain fill = Terrain::Grass);

  /// Columns.
  [[nodiscard]] std::int32_t width() const { return width_; }
  /// Rows.
  [[nodiscard]] std::int32_t height() const { return height_; }
  /// True when p lies on the grid.
  [[nodiscard]] bool in_bounds(Position p) const {
    return p.x >= 0 && p.y >= 0 && p.x < width_ && p.y < height_;
  }
  /// Row-major index of an in-bounds position.
  [[nodiscard]] std::size_t index(Position p) const {
    return static_cast<std::size_t>(p.y) * static_cast<std::size_t>(width_) +
           static_cast<std::size_t>(p.x);
  }
  /// The tile at an in-bounds position.
  [[nodiscard]] const Tile& at(Position p) const { return tiles_[index(p)]; }
  /// True when p is in bounds and walkable.
  [[nodiscard]] bool walkable(Position p) const {
    return in_bounds(p) && (tiles_[index(p)].flags & kWalkable) != 0;
  }
  /// All tiles, row-major.
  [[nodiscard]] const std::vector<Tile>& tiles() const { return tiles_; }

  /// Sets terrain and its default flags at an in-bounds position.
  void set_terrain(Position p, Terrain t);
  /// Sets a tile verbatim (custom flags) at an in-bounds position.
  void set_tile(Position p, Tile t) { tiles_[index(p)] = t; }

  /// Where players enter the world and respawn (the temple).
  [[nodiscard]] Position player_spawn() const { return player_spawn_; }
  /// Sets the player spawn.
  void set_player_spawn(Position p) { player_spawn_ = p; }

  /// NPC spawn areas in the order they populate the world.
  [[nodiscard]] const std::vector<SpawnArea>& spawn_areas() const { return spawn_areas_; }
  /// Appends a spawn area.
  void add_spawn_area(const SpawnArea& a) { spawn_areas_.push_back(a); }

  /// Triggers in the order they were added (one per tile at most).
  [[nodiscard]] const std::vector<Trigger>& triggers() const { return triggers_; }
  /// Adds a trigger on an in-bounds tile; returns false (and adds nothing) when that tile
  /// already has one.
  bool add_trigger(Trigger t);
  /// The trigger on tile p, or nullptr.
  [[nodiscard]] const Trigger* trigger_at(Position p) const;

  /// Number of walkable tiles.
  [[nodiscard]] std::size_t walkable_count() const;
  /// True when every walkable tile can reach every other by 4-neighbour steps.
  [[nodiscard]] bool walkable_connected() const;

  /// 64-bit content hash: size, every tile, spawn point and spawn areas.
  [[nodiscard]] std::uint64_t hash() const;

  friend bool operator==(const TileMap&, const TileMap&) = default;

 private:
  std::int32_t width_ = 0;
  std::int32_t height_ = 0;
  std::vector<Tile> tiles_;
  Position player_spawn_{};
  std::vector<SpawnArea> spawn_areas_;
  std::vector<Trigger> triggers_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> trigger_index_;  // (tile, trigger), sorted
};

}  // namespace world
