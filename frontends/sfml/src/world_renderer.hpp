#pragma once
/// \file WorldRenderer: the map view. Reads the mirror, the motion of each creature and the
/// effects, and builds one vertex array per layer per frame — terrain, marks, ground items,
/// the target ring, bodies, hair, armour, helmets, weapons, spells and projectiles, health
/// bars, name plates, floating text — each drawn with one call. It never changes game state.

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "batch.hpp"
#include "client/world_mirror.hpp"
#include "effects.hpp"
#include "motion.hpp"
#include "theme.hpp"
#include "tileset.hpp"
#include "world/content.hpp"
#include "world/tile_map.hpp"

namespace sfml_client {

/// What one frame of the map view shows.
struct ViewFrame {
  const client::WorldMirror* mirror = nullptr;  ///< The world as the player sees it.
  const Motion* motion = nullptr;               ///< Where creatures are drawn between ticks.
  const Effects* effects = nullptr;             ///< Damage numbers, marks, banners.
  TilePoint camera;                             ///< The tile point at the centre of the view.
  sf::FloatRect viewport;                       ///< The view's rectangle in the window.
  double now = 0;                               ///< Client time, seconds.
  world::EntityId target;                       ///< Highlighted (the player's target).
  world::EntityId hover;                        ///< Under the mouse (outlined).
  bool names = true;                            ///< Name plates and bars.
};

/// Layers of the map view, in drawing order.
enum class Layer : std::uint8_t {
  Terrain = 0,
  Marks,
  GroundItems,
  TargetRing,
  Bodies,
  Hair,
  Armor,
  Helmets,
  Weapons,
  Spells,  ///< Spell bursts and projectiles in flight.
  Bars,
  Count
};

/// The map view's layers.
class WorldRenderer {
 public:
  WorldRenderer(const Theme& theme, const sf::Font& font);

  /// The art (must outlive the renderer's use of it) and the world's map and item types.
  void set_world(const Tileset* tiles, std::shared_ptr<const world::TileMap> map,
                 const std::vector<world::ItemType>* items);

  /// Builds every layer of a frame (clears the last one's).
  void build(const ViewFrame& frame);
  /// Draws the layers built last.
  void draw(sf::RenderTarget& target) const;

  /// The tile under a window pixel in the last frame (nullopt outside the view).
  [[nodiscard]] std::optional<world::Position> tile_at(sf::Vector2f pixel) const;
  /// The window pixel of a tile point's top-left corner in the last frame.
  [[nodiscard]] sf::Vector2f pixel_of(TilePoint p) const;
  /// Where the creature `id` was drawn in the last frame (its cell), if it was.
  [[nodiscard]] std::optional<sf::FloatRect> drawn_at(world::EntityId id) const;
  /// Quads of a layer in the last frame (tests, benchmarks).
  [[nodiscard]] std::size_t quads(Layer layer) const;
  /// Glyph quads of the name plates and floating text in the last frame.
  [[nodiscard]] std::size_t text_quads() const { return names_.quads() + floating_.quads(); }
  /// Draw calls per frame (one per non-empty layer).
  [[nodiscard]] std::size_t draw_calls() const;

 private:
  void build_terrain(const ViewFrame& f);
  void build_items(const ViewFrame& f);
  void build_creatures(const ViewFrame& f);
  void build_effects(const ViewFrame& f);
  [[nodiscard]] sf::FloatRect cell(TilePoint p) const;

  const Theme* theme_;
  const Tileset* tiles_ = nullptr;
  std::shared_ptr<const world::TileMap> map_;
  const std::vector<world::ItemType>* items_ = nullptr;
  std::array<QuadBatch, static_cast<std::size_t>(Layer::Count)> layers_;
  TextBatch names_;
  TextBatch floating_;
  TextBatch banners_;
  sf::FloatRect viewport_;
  TilePoint camera_;
  struct Drawn {
    world::EntityId id;
    sf::FloatRect cell;
  };
  std::vector<Drawn> drawn_;  // by id
  struct Order {
    float y;
    float x;
    std::size_t index;
  };
  std::vector<Order> order_;  // creatures by drawing order (scratch)
};

}  // namespace sfml_client
