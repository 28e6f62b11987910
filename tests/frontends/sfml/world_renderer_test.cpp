// The map view's spells layer: a spell's burst covers its radius in its effect's colour, an
// arrow is a streak between the two tiles; both go into one layer.

#include "world_renderer.hpp"
//
#include <doctest/doctest.h>

#include <SFML/Graphics/RenderTexture.hpp>

#include "ui_driver.hpp"

namespace {

const sf::Font& font() {
  static sf::Font f;
  static const bool loaded = f.loadFromFile(sfml_client::Theme{}.font_path);
  REQUIRE(loaded);
  return f;
}

}  // namespace

TEST_CASE("world renderer: spell bursts over their radius and arrows in flight") {
  const sfml_client::Theme theme;
  const std::vector<world::ItemType> items;
  const auto tiles = sfml_client::Tileset::procedural(items);
  sfml_client::WorldRenderer r(theme, font());
  r.set_world(tiles.get(), std::make_shared<world::TileMap>(20, 20, world::Terrain::Floor), &items);
  std::vector<world::SpellType> spells(2);
  spells[0].target = world::SpellTarget::Tile;
  spells[0].radius = 1;
  spells[1].target = world::SpellTarget::Self;
  spells[1].effect = world::SpellEffect::Heal;
  sfml_client::Effects fx(theme);
  fx.set_spells(&spells);
  const client::WorldMirror mirror;
  protocol::TickMessage tick;
  tick.deltas.push_back(world::SpellCast{world::EntityId{1, 1}, {10, 10}, 0, {}, {10, 10}});
  tick.deltas.push_back(world::SpellCast{world::EntityId{1, 1}, {4, 4}, 1, {}, {4, 4}});
  tick.deltas.push_back(
      world::Shot{world::EntityId{1, 1}, world::EntityId{2, 1}, {4, 14}, {9, 14}});
  fx.on_tick(tick, mirror, 0.0);

  sfml_client::ViewFrame f;
  f.mirror = &mirror;
  f.effects = &fx;
  f.camera = {10, 10};
  f.viewport = {0, 0, 640, 640};
  f.now = 0.1;  // the burst at full size, the arrow on its way
  r.build(f);
  CHECK(r.quads(sfml_client::Layer::Spells) == 6 + 6 + 2);  // two bursts, one arrow

  sf::RenderTexture out;
  REQUIRE(out.create(640, 640));
  out.clear(sf::Color::Black);
  r.draw(out);
  out.display();
  const sf::Image img = out.getTexture().copyToImage();
  const auto at = [&](float x, float y) {
    return img.getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y));
  };
  // The fireball's ring: a tile out from its centre tile, in the damage colour.
  const sf::Vector2f c = r.pixel_of({10, 10});
  const sf::Color ring = at(c.x - 32 + 1, c.y + 16);
  CHECK_MESSAGE(ring.r > 180, "ring " << int(ring.r) << "," << int(ring.g) << "," << int(ring.b));
  CHECK(ring.r > ring.g + 60);
  // Two tiles out, nothing of it.
  CHECK_FALSE(at(c.x - 64 + 1, c.y + 16).r > 180);
  // The heal on (4, 4): green at its edge.
  const sf::Vector2f h = r.pixel_of({4, 4});
  const sf::Color heal = at(h.x + 1, h.y + 16);
  CHECK_MESSAGE(heal.g > heal.r + 60,
                "heal " << int(heal.r) << "," << int(heal.g) << "," << int(heal.b));
  // The arrow has left (4, 14) and not yet reached (9, 14): its row has pixels in its colours
  // between the two tiles, the row a few pixels below none.
  const sf::Vector2f from = r.pixel_of({4, 14});
  const auto arrow_pixels = [&](float y) {
    int n = 0;
    for (float x = from.x + 16; x < from.x + 16 + 5 * 32; x += 1)
      n += uitest::near(at(x, y), theme.projectile, 30) ||
           uitest::near(at(x, y), sf::Color::White, 30);
    return n;
  };
  CHECK(arrow_pixels(from.y + 16) >= 8);
  CHECK(arrow_pixels(from.y + 24) == 0);
  // Over: nothing left to draw.
  fx.prune(5.0);
  f.now = 5.0;
  r.build(f);
  CHECK(r.quads(sfml_client::Layer::Spells) == 0);
}
