#pragma once
/// \file Effects: what a tick shows for a moment, above the map — damage numbers and misses
/// floating up from the creature hit, a mark where a creature died, a respawn flash, arrows in
/// flight, spells landing, words above the player for a refused command, and trigger messages
/// across the screen. Fed from each tick message; the renderer draws what is alive at a time.
/// Client time only; every kind is capped, the oldest goes first.

#include <SFML/Graphics/Color.hpp>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "theme.hpp"
#include "world/content.hpp"
#include "world/types.hpp"

namespace sfml_client {

/// Text rising from a creature (or a tile) for a while.
struct FloatingText {
  world::EntityId entity;  ///< Whom it rises from (unset: from `tile`).
  world::Position tile;    ///< Where, when the entity is gone or unset.
  std::string text;        ///< "12", "miss", "Your backpack is full."
  sf::Color colour;        ///< Its colour.
  double start = 0;        ///< When it appeared.
  double duration = 1;     ///< How long it lasts.
  bool refusal = false;    ///< Words for a refused command (one at a time, they do not rise).
};

/// Kinds of marks on tiles.
enum class MarkKind : std::uint8_t {
  Death = 0,  ///< A creature died here.
  Respawn,    ///< A player came back to life here.
};

/// A mark on a tile for a while.
struct TileMark {
  world::Position tile;  ///< Where.
  MarkKind kind = MarkKind::Death;
  double start = 0;     ///< When.
  double duration = 2;  ///< How long.
};

/// A ranged attack in flight, from the shooter's tile to the target's (world::Shot).
struct Projectile {
  world::Position from;   ///< The shooter's tile.
  world::Position to;     ///< The target's tile.
  double start = 0;       ///< When it left.
  double duration = 0.2;  ///< How long it flies.
};

/// A spell landing (world::SpellCast): a burst over every tile within `radius` of `centre`.
struct SpellBurst {
  world::Position centre;   ///< Where it lands.
  std::int32_t radius = 0;  ///< Tiles around the centre it covers (SpellType::radius).
  bool heal = false;        ///< Healing (green) rather than damage (red).
  double start = 0;         ///< When.
  double duration = 0.5;    ///< How long it shows.
};

/// A message across the top of the map (trigger tiles, deaths of the player).
struct Banner {
  std::string text;  ///< What.
  sf::Color colour;  ///< Its colour.
  double start = 0;  ///< When.
  double duration = 4;
};

/// The effects alive now.
class Effects {
 public:
  explicit Effects(const Theme& theme) : theme_(&theme) {}

  /// The spells of the world's content (SpellCast names one by index), or nullptr: a cast
  /// is then drawn as a one-tile burst of damage. Must outlive the effects' use of it.
  void set_spells(const std::vector<world::SpellType>* spells) { spells_ = spells; }

  /// Adds what a tick message shows (after the mirror applied it): hits, misses, deaths,
  /// respawns, heals of the player, shots, spells, trigger messages, and the player's refused
  /// commands. `casts` are the seqs of the player's Cast commands: their refusals speak of
  /// spells, and a cast's cooldown is told ("Not ready yet.") where a step's (resent by the
  /// predictor) is not.
  void on_tick(const protocol::TickMessage& tick, const client::WorldMirror& mirror, double now,
               std::span<const std::uint32_t> casts = {});
  /// Words above the player.
  void say_above_player(world::EntityId you, std::string text, sf::Color colour, double now);
  /// A message across the top of the map.
  void banner(std::string text, sf::Color colour, double now);
  /// Forgets what is over.
  void prune(double now);
  /// Forgets everything.
  void clear();

  [[nodiscard]] const std::deque<FloatingText>& texts() const { return texts_; }
  [[nodiscard]] const std::deque<TileMark>& marks() const { return marks_; }
  [[nodiscard]] const std::deque<Banner>& banners() const { return banners_; }
  [[nodiscard]] const std::deque<Projectile>& projectiles() const { return projectiles_; }
  [[nodiscard]] const std::deque<SpellBurst>& bursts() const { return bursts_; }

 private:
  void add_text(FloatingText t);
  const Theme* theme_;
  const std::vector<world::SpellType>* spells_ = nullptr;
  std::deque<FloatingText> texts_;
  std::deque<TileMark> marks_;
  std::deque<Banner> banners_;
  std::deque<Projectile> projectiles_;
  std::deque<SpellBurst> bursts_;
};

}  // namespace sfml_client
