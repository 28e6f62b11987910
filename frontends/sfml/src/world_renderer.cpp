#include "world_renderer.hpp"

#include <algorithm>
#include <cmath>

namespace sfml_client {
namespace {

sf::Color with_alpha(sf::Color c, float a) {
  c.a = static_cast<sf::Uint8>(std::clamp(a, 0.0f, 1.0f) * static_cast<float>(c.a));
  return c;
}

sf::Color rgb(std::uint32_t colour) {
  return {static_cast<sf::Uint8>(colour >> 16), static_cast<sf::Uint8>(colour >> 8),
          static_cast<sf::Uint8>(colour)};
}

std::uint32_t tile_hash(std::int32_t x, std::int32_t y) {
  std::uint32_t h =
      static_cast<std::uint32_t>(x) * 73856093u ^ static_cast<std::uint32_t>(y) * 19349663u;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  return h ^ (h >> 15);
}

}  // namespace

WorldRenderer::WorldRenderer(const Theme& theme, const sf::Font& font)
    : theme_(&theme),
      names_(font, theme.small_text_size),
      floating_(font, theme.text_size),
      banners_(font, theme.title_size - 6) {}

void WorldRenderer::set_world(const Tileset* tiles, std::shared_ptr<const world::TileMap> map,
                              const std::vector<world::ItemType>* items) {
  tiles_ = tiles;
  map_ = std::move(map);
  items_ = items;
  for (auto& layer : layers_)
    layer.set_texture(tiles_ != nullptr ? &tiles_->texture() : nullptr);
}

sf::FloatRect WorldRenderer::cell(TilePoint p) const {
  const auto t = static_cast<float>(theme_->tile);
  const float x = viewport_.left + viewport_.width / 2 + (p.x - camera_.x) * t - t / 2;
  const float y = viewport_.top + viewport_.height / 2 + (p.y - camera_.y) * t - t / 2;
  return {std::round(x), std::round(y), t, t};
}

sf::Vector2f WorldRenderer::pixel_of(TilePoint p) const {
  const sf::FloatRect c = cell(p);
  return {c.left, c.top};
}

std::optional<world::Position> WorldRenderer::tile_at(sf::Vector2f pixel) const {
  if (!viewport_.contains(pixel)) return std::nullopt;
  const auto t = static_cast<float>(theme_->tile);
  const float fx = (pixel.x - viewport_.left - viewport_.width / 2 + t / 2) / t + camera_.x;
  const float fy = (pixel.y - viewport_.top - viewport_.height / 2 + t / 2) / t + camera_.y;
  return world::Position{static_cast<std::int32_t>(std::floor(fx)),
                         static_cast<std::int32_t>(std::floor(fy))};
}

std::optional<sf::FloatRect> WorldRenderer::drawn_at(world::EntityId id) const {
  const auto it = std::lower_bound(drawn_.begin(), drawn_.end(), id,
                                   [](const Drawn& d, world::EntityId x) { return d.id < x; });
  if (it == drawn_.end() || it->id != id) return std::nullopt;
  return it->cell;
}

std::size_t WorldRenderer::quads(Layer layer) const {
  return layers_[static_cast<std::size_t>(layer)].quads();
}

std::size_t WorldRenderer::draw_calls() const {
  std::size_t n = 0;
  for (const auto& l : layers_)
    n += l.quads() > 0 ? 1 : 0;
  for (const TextBatch* t : {&names_, &floating_, &banners_})
    n += t->quads() > 0 ? 1 : 0;
  return n;
}

void WorldRenderer::build(const ViewFrame& f) {
  for (auto& layer : layers_)
    layer.clear();
  names_.clear();
  floating_.clear();
  banners_.clear();
  drawn_.clear();
  viewport_ = f.viewport;
  camera_ = f.camera;
  if (tiles_ == nullptr || f.mirror == nullptr) return;
  build_terrain(f);
  build_items(f);
  build_creatures(f);
  build_effects(f);
}

void WorldRenderer::build_terrain(const ViewFrame& f) {
  QuadBatch& out = layers_[static_cast<std::size_t>(Layer::Terrain)];
  const auto t = static_cast<float>(theme_->tile);
  const int half_w = static_cast<int>(std::ceil(f.viewport.width / t / 2)) + 1;
  const int half_h = static_cast<int>(std::ceil(f.viewport.height / t / 2)) + 1;
  const int cx = static_cast<int>(std::floor(f.camera.x));
  const int cy = static_cast<int>(std::floor(f.camera.y));
  for (int y = cy - half_h; y <= cy + half_h; ++y) {
    for (int x = cx - half_w; x <= cx + half_w; ++x) {
      const world::Position p{x, y};
      const world::Terrain terrain =
          map_ && map_->in_bounds(p) ? map_->at(p).terrain : world::Terrain::Void;
      const sf::FloatRect c = cell({static_cast<float>(x), static_cast<float>(y)});
      if (const auto below = tiles_->under(terrain)) {
        const Sprite u = tiles_->terrain(*below, tile_hash(x, y));
        out.sprite({c.left + static_cast<float>(u.ox), c.top + static_cast<float>(u.oy),
                    static_cast<float>(u.rect.width), static_cast<float>(u.rect.height)},
                   u.rect);
      }
      const Sprite s = tiles_->terrain(terrain, tile_hash(x, y));
      out.sprite({c.left + static_cast<float>(s.ox), c.top + static_cast<float>(s.oy),
                  static_cast<float>(s.rect.width), static_cast<float>(s.rect.height)},
                 s.rect);
    }
  }
}

void WorldRenderer::build_items(const ViewFrame& f) {
  QuadBatch& out = layers_[static_cast<std::size_t>(Layer::GroundItems)];
  // Ground items are sorted by id; on a tile with several, the newest (highest id) is on top.
  for (const world::ItemState& item : f.mirror->ground_items()) {
    const Sprite s = tiles_->item(item.type);
    if (!s.valid()) continue;
    const sf::FloatRect c =
        cell({static_cast<float>(item.position.x), static_cast<float>(item.position.y)});
    out.sprite({c.left + static_cast<float>(s.ox), c.top + static_cast<float>(s.oy),
                static_cast<float>(s.rect.width), static_cast<float>(s.rect.height)},
               s.rect);
  }
}

void WorldRenderer::build_creatures(const ViewFrame& f) {
  const auto entities = f.mirror->entities();
  order_.clear();
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const TilePoint p = f.motion != nullptr
                            ? f.motion->at(entities[i].id, f.now, entities[i].position)
                            : TilePoint{static_cast<float>(entities[i].position.x),
                                        static_cast<float>(entities[i].position.y)};
    order_.push_back({p.y, p.x, i});
  }
  std::sort(order_.begin(), order_.end(), [](const Order& a, const Order& b) {
    return a.y != b.y ? a.y < b.y : (a.x != b.x ? a.x < b.x : a.index < b.index);
  });
  const auto layer = [&](Layer l) -> QuadBatch& { return layers_[static_cast<std::size_t>(l)]; };
  const auto put = [&](Layer l, const Sprite& s, sf::FloatRect c, sf::Color tint) {
    if (!s.valid()) return;
    layer(l).sprite({c.left + static_cast<float>(s.ox), c.top + static_cast<float>(s.oy),
                     static_cast<float>(s.rect.width), static_cast<float>(s.rect.height)},
                    s.rect, tint);
  };
  const Sprite white = tiles_->white();
  const auto solid = [&](Layer l, sf::FloatRect r, sf::Color colour) {
    layer(l).sprite(r, white.rect, colour);
  };
  const float pulse = 0.65f + 0.35f * static_cast<float>(std::sin(f.now * 6.0));
  for (const Order& o : order_) {
    const world::EntityState& e = entities[o.index];
    const sf::FloatRect c = cell({o.x, o.y});
    drawn_.push_back({e.id, c});
    if (e.id == f.target && f.target.is_set()) {
      const sf::Color ring = with_alpha(theme_->target, pulse);
      solid(Layer::TargetRing, {c.left, c.top, c.width, 2}, ring);
      solid(Layer::TargetRing, {c.left, c.top + c.height - 2, c.width, 2}, ring);
      solid(Layer::TargetRing, {c.left, c.top + 2, 2, c.height - 4}, ring);
      solid(Layer::TargetRing, {c.left + c.width - 2, c.top + 2, 2, c.height - 4}, ring);
    } else if (e.id == f.hover && f.hover.is_set()) {
      const sf::Color ring{255, 255, 255, 110};
      solid(Layer::TargetRing, {c.left, c.top + c.height - 1, c.width, 1}, ring);
      solid(Layer::TargetRing, {c.left, c.top, c.width, 1}, ring);
    }
    put(Layer::Bodies, tiles_->body(e.look.body), c, sf::Color::White);
    if (e.look.hair_visible())
      put(Layer::Hair, tiles_->hair(e.look.hair_style), c, rgb(e.look.hair_colour));
    if (e.look.armor != 0) put(Layer::Armor, tiles_->worn(e.look.armor - 1), c, sf::Color::White);
    if (e.look.helmet != 0)
      put(Layer::Helmets, tiles_->worn(e.look.helmet - 1), c, sf::Color::White);
    if (e.look.weapon != 0)
      put(Layer::Weapons, tiles_->worn(e.look.weapon - 1), c, sf::Color::White);
    if (!f.names) continue;
    // Health bar and name plate above the creature.
    const float bar_w = c.width - 6;
    const float bar_y = c.top - 5;
    const float ratio =
        e.vitals.max_hp > 0
            ? std::clamp(static_cast<float>(e.vitals.hp) / static_cast<float>(e.vitals.max_hp),
                         0.0f, 1.0f)
            : 0.0f;
    const sf::Color fill = ratio > 0.5f    ? sf::Color{70, 200, 70}
                           : ratio > 0.25f ? sf::Color{220, 190, 50}
                                           : sf::Color{220, 60, 50};
    solid(Layer::Bars, {c.left + 3, bar_y, bar_w, 4}, sf::Color{0, 0, 0, 200});
    solid(Layer::Bars, {c.left + 4, bar_y + 1, (bar_w - 2) * ratio, 2}, fill);
    const sf::Color name_colour = e.id == f.mirror->you()            ? theme_->name_self
                                  : e.kind == world::EntityKind::Npc ? theme_->name_npc
                                                                     : theme_->name_player;
    names_.add_centred(e.name, c.left + c.width / 2, bar_y - names_.line_height() - 1, name_colour,
                       sf::Color{0, 0, 0, 200});
  }
  std::sort(drawn_.begin(), drawn_.end(),
            [](const Drawn& a, const Drawn& b) { return a.id < b.id; });
}

void WorldRenderer::build_effects(const ViewFrame& f) {
  if (f.effects == nullptr) return;
  QuadBatch& marks = layers_[static_cast<std::size_t>(Layer::Marks)];
  const Sprite white = tiles_->white();
  for (const TileMark& m : f.effects->marks()) {
    const float age = static_cast<float>((f.now - m.start) / m.duration);
    if (age < 0 || age > 1) continue;
    const sf::FloatRect c = cell({static_cast<float>(m.tile.x), static_cast<float>(m.tile.y)});
    const sf::Color colour = m.kind == MarkKind::Death ? with_alpha({140, 10, 10, 220}, 1 - age)
                                                       : with_alpha({255, 250, 200, 200}, 1 - age);
    const float cx = c.left + c.width / 2;
    const float cy = c.top + c.height / 2 + 4;
    marks.sprite({cx - 9, cy - 4, 18, 8}, white.rect, colour);
    marks.sprite({cx - 4, cy - 9, 8, 18}, white.rect, colour);
    marks.sprite({cx - 7, cy - 7, 14, 14}, white.rect, with_alpha(colour, 0.6f));
  }
  // Spells landing: a glow over their area that swells in and fades out, ringed by a bright
  // edge; projectiles: a short streak (a shaft with a bright head) flying from tile to tile.
  QuadBatch& spells = layers_[static_cast<std::size_t>(Layer::Spells)];
  const auto tile_px = static_cast<float>(theme_->tile);
  for (const SpellBurst& b : f.effects->bursts()) {
    const float age = static_cast<float>((f.now - b.start) / b.duration);
    if (age < 0 || age > 1) continue;
    const sf::Color base = b.heal ? theme_->spell_heal : theme_->spell_damage;
    const sf::FloatRect c = cell({static_cast<float>(b.centre.x), static_cast<float>(b.centre.y)});
    const float reach = static_cast<float>(b.radius) * tile_px;
    const float grow = std::min(1.0f, 0.55f + age * 3);  // swells to full size in 0.15 of it
    const float half = (c.width / 2 + reach) * grow;
    const float cx = c.left + c.width / 2;
    const float cy = c.top + c.height / 2;
    const float fade = age < 0.6f ? 1.0f : (1 - age) / 0.4f;
    const sf::FloatRect area{cx - half, cy - half, 2 * half, 2 * half};
    spells.sprite(area, white.rect, with_alpha(base, 0.35f * fade));
    spells.sprite({cx - half * 0.45f, cy - half * 0.45f, half * 0.9f, half * 0.9f}, white.rect,
                  with_alpha(base, 0.4f * fade));
    const float edge = 3;
    const sf::Color ring = with_alpha(base, 0.9f * fade);
    spells.sprite({area.left, area.top, area.width, edge}, white.rect, ring);
    spells.sprite({area.left, area.top + area.height - edge, area.width, edge}, white.rect, ring);
    spells.sprite({area.left, area.top + edge, edge, area.height - 2 * edge}, white.rect, ring);
    spells.sprite({area.left + area.width - edge, area.top + edge, edge, area.height - 2 * edge},
                  white.rect, ring);
  }
  for (const Projectile& p : f.effects->projectiles()) {
    const float age = static_cast<float>((f.now - p.start) / p.duration);
    if (age < 0 || age > 1) continue;
    const sf::FloatRect a = cell({static_cast<float>(p.from.x), static_cast<float>(p.from.y)});
    const sf::FloatRect b = cell({static_cast<float>(p.to.x), static_cast<float>(p.to.y)});
    const sf::Vector2f from{a.left + a.width / 2, a.top + a.height / 2};
    const sf::Vector2f to{b.left + b.width / 2, b.top + b.height / 2};
    const sf::Vector2f d = to - from;
    const float length = std::sqrt(d.x * d.x + d.y * d.y);
    if (length <= 0) continue;
    const sf::Vector2f head = from + d * age;
    const sf::Vector2f tail = head - d * (std::min(14.0f, length) / length);
    spells.line(tail, head, 2, theme_->projectile, white.rect);
    spells.line(head - d * (4.0f / length), head, 4, sf::Color::White, white.rect);
  }
  for (const FloatingText& t : f.effects->texts()) {
    const float age = static_cast<float>((f.now - t.start) / t.duration);
    if (age < 0 || age > 1) continue;
    TilePoint at{static_cast<float>(t.tile.x), static_cast<float>(t.tile.y)};
    if (t.entity.is_set()) {
      if (const auto* e = f.mirror->entity(t.entity)) {
        at = f.motion != nullptr
                 ? f.motion->at(e->id, f.now, e->position)
                 : TilePoint{static_cast<float>(e->position.x), static_cast<float>(e->position.y)};
      }
    }
    const sf::FloatRect c = cell(at);
    const float rise = t.refusal ? 0.0f : 22.0f * age;
    const float top = c.top - (t.refusal ? 34.0f : 12.0f) - rise;
    const float fade = age > 0.7f ? (1 - age) / 0.3f : 1.0f;
    floating_.add_centred(t.text, c.left + c.width / 2, top, with_alpha(t.colour, fade),
                          with_alpha(sf::Color::Black, fade));
  }
  float y = f.viewport.top + 12;
  for (const Banner& b : f.effects->banners()) {
    const float age = static_cast<float>((f.now - b.start) / b.duration);
    if (age < 0 || age > 1) continue;
    const float fade = age > 0.8f ? (1 - age) / 0.2f : 1.0f;
    banners_.add_centred(b.text, f.viewport.left + f.viewport.width / 2, y,
                         with_alpha(b.colour, fade), with_alpha(sf::Color::Black, fade));
    y += banners_.line_height() + 2;
  }
}

void WorldRenderer::draw(sf::RenderTarget& target) const {
  // Clip to the view's rectangle: a view of exactly that rectangle, shown at the same place.
  const sf::View old = target.getView();
  const auto size = sf::Vector2f(target.getSize());
  if (size.x > 0 && size.y > 0 && viewport_.width > 0 && viewport_.height > 0) {
    sf::View clip(viewport_);
    clip.setViewport({viewport_.left / size.x, viewport_.top / size.y, viewport_.width / size.x,
                      viewport_.height / size.y});
    target.setView(clip);
  }
  for (const auto& layer : layers_)
    layer.draw(target);
  names_.draw(target);
  floating_.draw(target);
  banners_.draw(target);
  target.setView(old);
}

}  // namespace sfml_client
