#pragma once
/// \file Effects: what a tick shows for a moment, above the map — damage numbers and misses
/// floating up from the creature hit, a mark where a creature died, a respawn flash, words
/// above the player for a refused command, and trigger messages across the screen. Fed from
/// each tick message; the renderer draws what is alive at a time. Client time only.

#include <SFML/Graphics/Color.hpp>
#include <cstdint>
#include <deque>
#include <string>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "theme.hpp"
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

  /// Adds what a tick message shows (after the mirror applied it): hits, misses, deaths,
  /// respawns, heals of the player, trigger messages, and the player's refused commands.
  void on_tick(const protocol::TickMessage& tick, const client::WorldMirror& mirror, double now);
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

 private:
  void add_text(FloatingText t);
  const Theme* theme_;
  std::deque<FloatingText> texts_;
  std::deque<TileMark> marks_;
  std::deque<Banner> banners_;
};

}  // namespace sfml_client
