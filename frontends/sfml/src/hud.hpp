#pragma once
/// \file The game screen's layout: where the map view, the side panels and the chat go for a
/// window size (CLIENT.md's screen), so that drawing, mouse hits and tests agree.

#include <SFML/Graphics/Rect.hpp>
#include <SFML/System/Vector2.hpp>
#include <cstdint>
#include <optional>

#include "theme.hpp"

namespace sfml_client {

/// Rectangles of the game screen for one window size.
struct GameLayout {
  sf::FloatRect map;        ///< The map view.
  sf::FloatRect side;       ///< The side panel column.
  sf::FloatRect status;     ///< Name, level, bars, attack and defense.
  sf::FloatRect minimap;    ///< The minimap (when shown).
  sf::FloatRect inventory;  ///< Equipment and backpack (when shown).
  sf::FloatRect chat;       ///< The chat log and its input line.
  /// Equipment slots (head, body, weapon) and the backpack's slots.
  sf::FloatRect equipment[3];
  std::uint32_t backpack_slots = 0;
  float slot_size = 44;
  sf::Vector2f backpack_origin;
  int backpack_columns = 5;

  /// The backpack slot `i`.
  [[nodiscard]] sf::FloatRect backpack(std::uint32_t i) const;
  /// The backpack slot under a pixel.
  [[nodiscard]] std::optional<std::uint32_t> backpack_at(sf::Vector2f p) const;
  /// The equipment slot (0 head, 1 body, 2 weapon) under a pixel.
  [[nodiscard]] std::optional<std::uint32_t> equipment_at(sf::Vector2f p) const;
};

/// The layout for a window of `size` with a backpack of `backpack_slots`.
[[nodiscard]] GameLayout game_layout(const Theme& theme, sf::Vector2f size,
                                     std::uint32_t backpack_slots, bool minimap, bool inventory);

}  // namespace sfml_client
