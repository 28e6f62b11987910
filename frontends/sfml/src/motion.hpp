#pragma once
/// \file Motion: where each creature is drawn between ticks. A creature that stepped glides
/// from where it was drawn to its new tile over its own step time (its move cooldown), so a
/// walker moves at an even pace; a jump of more than one tile (teleport, respawn) or a
/// prediction snapped back is shown at once. Client time only: nothing here reaches the world.

#include <cstdint>
#include <vector>

#include "world/types.hpp"

namespace sfml_client {

/// A point in tile units (x east, y south); (3.5, 2) is halfway between tiles 3 and 4 of row 2.
struct TilePoint {
  float x = 0;  ///< Column.
  float y = 0;  ///< Row.
  friend bool operator==(const TilePoint&, const TilePoint&) = default;
};

/// The glides of every creature in view, by entity id.
class Motion {
 public:
  /// Where `id` goes next: from where it is drawn at `now` to `to`, over `duration` seconds;
  /// `snap` (or a jump of more than one tile, or an unknown id) puts it there at once.
  void go(world::EntityId id, world::Position to, double now, double duration, bool snap = false);
  /// Where `id` is drawn at `now`; `fallback` (its tile) for an unknown id.
  [[nodiscard]] TilePoint at(world::EntityId id, double now, world::Position fallback) const;
  /// True while `id` is between two tiles.
  [[nodiscard]] bool moving(world::EntityId id, double now) const;
  /// The tile `id` is going to (or nullopt-like `fallback`).
  [[nodiscard]] world::Position target(world::EntityId id, world::Position fallback) const;
  /// Forgets every id not in `alive` (sorted by id).
  void keep_only(const std::vector<world::EntityId>& alive);
  /// Forgets everything.
  void clear() { glides_.clear(); }
  /// Creatures tracked.
  [[nodiscard]] std::size_t size() const { return glides_.size(); }

 private:
  struct Glide {
    world::EntityId id;
    TilePoint from;
    world::Position to;
    double start = 0;
    double duration = 0;
  };
  [[nodiscard]] static TilePoint position_of(const Glide& g, double now);
  std::vector<Glide> glides_;  // sorted by id
};

/// Seconds one step takes for a creature of `speed` (tenths of a tile per second) in a world
/// ticking at `tick_rate_hz`: its move cooldown in ticks, over the tick rate.
[[nodiscard]] double step_seconds(std::uint32_t tick_rate_hz, std::uint16_t speed);

}  // namespace sfml_client
