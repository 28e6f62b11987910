#pragma once
/// \file Predictor: a client's own steps shown at once, with libworld's own movement rule
/// (world/movement.hpp), and reconciled with the server on every tick message by `ack_seq`
/// and the tick's rejections (docs/protocol.md, "Ticks").
///
/// The predicted position is always re-derived: the server's position of the player (the
/// mirror's) with every step not yet processed by the world replayed on top, each one only if
/// the map and the creatures in view allow it. A step the world refused for its cooldown is
/// handed back to be sent again (the client's clock and the server's ticks never line up
/// exactly); a step refused for any other reason is dropped, so the player snaps back to
/// where the server has it. Pure: no clock, no I/O.
///
/// ```cpp
/// client::Predictor p{map};
/// p.reset(mirror);                                   // after entered
/// if (!p.check(mirror, dir)) p.sent(session.send(world::Move{dir}), dir, mirror);
/// for (auto d : p.reconcile(mirror).resend) ...;     // after each tick message
/// draw_player_at(p.position());
/// ```

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "client/world_mirror.hpp"
#include "world/command.hpp"
#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace client {

/// A step sent and not yet processed by the world.
struct PendingStep {
  std::uint32_t seq = 0;                                 ///< The command's seq.
  world::Direction direction = world::Direction::North;  ///< Where it steps.
  std::uint8_t resent = 0;  ///< Times it was sent again after a cooldown.
  friend bool operator==(const PendingStep&, const PendingStep&) = default;
};

/// What one reconcile() found.
struct Reconciliation {
  std::size_t confirmed = 0;  ///< Steps the world carried out.
  std::size_t refused = 0;    ///< Steps the world refused for good (blocked, occupied, ...).
  /// Steps the world refused for their cooldown, to send again in this order (see sent()).
  std::vector<PendingStep> resend;
  /// True when the predicted position is not where the last prediction had it: a refused step,
  /// a teleport, a respawn. The view should jump there, not glide.
  bool snapped = false;
};

/// Own-move prediction over a WorldMirror.
class Predictor {
 public:
  /// At most this many steps wait for the server at once; check() refuses more.
  static constexpr std::size_t kMaxPending = 6;
  /// A step refused for its cooldown is sent again at most this many times.
  static constexpr std::uint8_t kMaxResends = 3;

  /// Predicts on `map` (the world's map, from the server's content); without a map nothing is
  /// predicted and every step shows when the server confirms it.
  explicit Predictor(std::shared_ptr<const world::TileMap> map = nullptr);

  /// Starts over from the mirror's own entity (after `entered`).
  void reset(const WorldMirror& mirror);
  /// Why a step towards `d` would not be predicted now (the map's check_step(), a creature in
  /// view on the tile, too many pending steps, no map, not in the world), or nullopt.
  [[nodiscard]] std::optional<world::RejectReason> check(const WorldMirror& mirror,
                                                         world::Direction d) const;
  /// Records a step sent with `seq` (0: the session dropped it, nothing is recorded) and moves
  /// the prediction. `resent` counts earlier sends of the same step.
  void sent(std::uint32_t seq, world::Direction d, const WorldMirror& mirror,
            std::uint8_t resent = 0);
  /// After the mirror applied a tick message: forgets the steps the world processed and
  /// re-derives the prediction.
  Reconciliation reconcile(const WorldMirror& mirror);

  /// Where the player is shown.
  [[nodiscard]] world::Position position() const { return position_; }
  /// Which way it faces (its last predicted step's direction, else the server's facing).
  [[nodiscard]] world::Direction facing() const { return facing_; }
  /// Steps waiting for the server, oldest first.
  [[nodiscard]] std::span<const PendingStep> pending() const { return pending_; }
  /// The map it predicts on (may be null).
  [[nodiscard]] const world::TileMap* map() const { return map_.get(); }

 private:
  [[nodiscard]] bool free_for_step(const WorldMirror& mirror, world::Position from,
                                   world::Direction d) const;
  void replay(const WorldMirror& mirror);

  std::shared_ptr<const world::TileMap> map_;
  std::vector<PendingStep> pending_;
  world::Position position_;
  world::Direction facing_ = world::Direction::South;
};

}  // namespace client
