#include "hud.hpp"

#include <algorithm>

namespace sfml_client {

sf::FloatRect GameLayout::backpack(std::uint32_t i) const {
  const auto col = static_cast<float>(i % static_cast<std::uint32_t>(backpack_columns));
  const auto row = static_cast<float>(i / static_cast<std::uint32_t>(backpack_columns));
  return {backpack_origin.x + col * (slot_size + 4), backpack_origin.y + row * (slot_size + 4),
          slot_size, slot_size};
}

std::optional<std::uint32_t> GameLayout::backpack_at(sf::Vector2f p) const {
  for (std::uint32_t i = 0; i < backpack_slots; ++i)
    if (backpack(i).contains(p)) return i;
  return std::nullopt;
}

std::optional<std::uint32_t> GameLayout::equipment_at(sf::Vector2f p) const {
  for (std::uint32_t i = 0; i < 3; ++i)
    if (equipment[i].contains(p)) return i;
  return std::nullopt;
}

GameLayout game_layout(const Theme& theme, sf::Vector2f size, std::uint32_t backpack_slots,
                       bool minimap, bool inventory) {
  GameLayout l;
  const auto side_w = static_cast<float>(theme.side_panel_width);
  const auto chat_h = static_cast<float>(theme.chat_height);
  l.map = {0, 0, std::max(64.0f, size.x - side_w), std::max(64.0f, size.y - chat_h)};
  l.side = {l.map.width, 0, side_w, size.y};
  l.chat = {0, l.map.height, l.map.width, size.y - l.map.height};
  float y = 0;
  l.status = {l.side.left, y, side_w, 142};
  y += l.status.height;
  const auto mm = static_cast<float>(theme.minimap_size);
  if (minimap) {
    l.minimap = {l.side.left + (side_w - mm) / 2, y + 8, mm, mm};
    y += mm + 16;
  }
  if (inventory) {
    l.inventory = {l.side.left, y, side_w, size.y - y};
    l.backpack_slots = backpack_slots;
    l.backpack_columns = theme.inventory_columns;
    const auto cols = static_cast<float>(l.backpack_columns);
    const auto rows =
        static_cast<float>((backpack_slots + static_cast<std::uint32_t>(l.backpack_columns) - 1) /
                           static_cast<std::uint32_t>(l.backpack_columns));
    // Slots as large as 44 px, smaller when the panel is narrow or short: the equipment row,
    // the backpack rows, labels and the selected item's line and buttons must fit.
    const float by_width = (side_w - 20 - 4 * (cols - 1)) / cols;
    const float by_height = (l.inventory.height - 26 - 40 - 76 - 4 * rows) / (rows + 1);
    l.slot_size = std::max(24.0f, std::min({44.0f, by_width, by_height}));
    const float eq_top = y + 26;
    for (int i = 0; i < 3; ++i) {
      l.equipment[i] = {l.side.left + 10 + static_cast<float>(i) * (l.slot_size + 30), eq_top,
                        l.slot_size, l.slot_size};
    }
    l.backpack_origin = {l.side.left + 10, eq_top + l.slot_size + 40};
  }
  return l;
}

}  // namespace sfml_client
