#include "world/map_gen.hpp"

#include <algorithm>
#include <vector>

#include "world/rng.hpp"

namespace world {

namespace {

// Draws a rectangle's size from rng. Each draw is its own statement: the evaluation order of
// function arguments is unspecified (g++ and clang++ differ), so draws never share a call.
struct Size {
  std::int32_t w, h;
};
Size draw_size(Rng& rng, std::int32_t w_lo, std::int32_t w_hi, std::int32_t h_lo,
               std::int32_t h_hi) {
  const std::int32_t w = rng.range(w_lo, w_hi);
  const std::int32_t h = rng.range(h_lo, h_hi);
  return {w, h};
}

void fill_rect(TileMap& m, Position at, Size size, Terrain t) {
  const std::int32_t x0 = at.x, y0 = at.y, w = size.w, h = size.h;
  for (std::int32_t y = std::max(y0, 1); y < std::min(y0 + h, m.height() - 1); ++y) {
    for (std::int32_t x = std::max(x0, 1); x < std::min(x0 + w, m.width() - 1); ++x) {
      m.set_terrain({x, y}, t);
    }
  }
}

// A blob of `t` grown by a random walk of `steps` steps from (x, y), staying inside the border.
void random_walk(TileMap& m, Rng& rng, Position p, std::uint32_t steps, Terrain t) {
  for (std::uint32_t i = 0; i < steps; ++i) {
    if (p.x >= 1 && p.y >= 1 && p.x < m.width() - 1 && p.y < m.height() - 1) m.set_terrain(p, t);
    p = step_towards(p, static_cast<Direction>(rng.below(kDirectionCount)));
    p.x = std::clamp(p.x, 1, m.width() - 2);
    p.y = std::clamp(p.y, 1, m.height() - 2);
  }
}

// Labels 4-connected walkable components; returns the label per tile (0 = not walkable).
std::vector<std::uint32_t> label_components(const TileMap& m) {
  std::vector<std::uint32_t> label(m.tiles().size(), 0);
  std::vector<Position> stack;
  std::uint32_t next = 0;
  for (std::int32_t y = 0; y < m.height(); ++y) {
    for (std::int32_t x = 0; x < m.width(); ++x) {
      if (!m.walkable({x, y}) || label[m.index({x, y})] != 0) continue;
      ++next;
      label[m.index({x, y})] = next;
      stack.push_back({x, y});
      while (!stack.empty()) {
        const Position p = stack.back();
        stack.pop_back();
        for (std::uint32_t d = 0; d < kDirectionCount; ++d) {
          const Position q = step_towards(p, static_cast<Direction>(d));
          if (m.walkable(q) && label[m.index(q)] == 0) {
            label[m.index(q)] = next;
            stack.push_back(q);
          }
        }
      }
    }
  }
  return label;
}

// Carves a walkable L-shaped corridor from `from` towards `to`, stopping at the first tile of
// component `target` (by the labels from before carving).
void carve_towards(TileMap& m, const std::vector<std::uint32_t>& label, std::uint32_t target,
                   Position from, Position to) {
  Position p = from;
  while (true) {
    if (label[m.index(p)] == target) return;
    if (!m.walkable(p)) m.set_terrain(p, Terrain::Dirt);
    if (p == to) return;
    if (p.x != to.x) {
      p.x += p.x < to.x ? 1 : -1;
    } else {
      p.y += p.y < to.y ? 1 : -1;
    }
  }
}

}  // namespace

TileMap generate_arena(const ArenaParams& params) {
  const std::int32_t w = std::max(params.width, 8);
  const std::int32_t h = std::max(params.height, 8);
  Rng rng(params.seed ^ 0x6d61705f67656eull);  // "map_gen": the map has its own stream
  TileMap m(w, h, Terrain::Grass);
  for (std::int32_t x = 0; x < w; ++x) {
    m.set_terrain({x, 0}, Terrain::Wall);
    m.set_terrain({x, h - 1}, Terrain::Wall);
  }
  for (std::int32_t y = 0; y < h; ++y) {
    m.set_terrain({0, y}, Terrain::Wall);
    m.set_terrain({w - 1, y}, Terrain::Wall);
  }

  // Walkable ground patches for variety, then obstacles. A feature covers ~16 tiles on average.
  const std::uint64_t interior =
      static_cast<std::uint64_t>(w - 2) * static_cast<std::uint64_t>(h - 2);
  const std::uint64_t patches = interior / 400;
  for (std::uint64_t i = 0; i < patches; ++i) {
    const Terrain t = rng.below(2) == 0 ? Terrain::Sand : Terrain::Dirt;
    const Position at{rng.range(1, w - 2), rng.range(1, h - 2)};  // braced: left to right
    fill_rect(m, at, draw_size(rng, 3, 10, 3, 10), t);
  }
  const std::uint64_t features =
      interior * std::min<std::uint32_t>(params.obstacle_percent, 60) / 100 / 16;
  for (std::uint64_t i = 0; i < features; ++i) {
    const Position at{rng.range(1, w - 2), rng.range(1, h - 2)};
    switch (rng.below(4)) {
      case 0:
        fill_rect(m, at, draw_size(rng, 2, 6, 1, 4), Terrain::Wall);
        break;
      case 1:
        fill_rect(m, at, draw_size(rng, 1, 4, 2, 6), Terrain::Rock);
        break;
      case 2: {
        const auto steps = static_cast<std::uint32_t>(rng.range(8, 24));
        random_walk(m, rng, at, steps, Terrain::Tree);
        break;
      }
      default:
        fill_rect(m, at, draw_size(rng, 2, 5, 2, 5), Terrain::Water);
        break;
    }
  }

  // A clear plaza around the player spawn in the middle.
  const Position spawn{w / 2, h / 2};
  fill_rect(m, {spawn.x - 2, spawn.y - 2}, {5, 5}, Terrain::Floor);
  m.set_player_spawn(spawn);

  // Join every isolated pocket to the spawn's component.
  const auto label = label_components(m);
  const std::uint32_t main = label[m.index(spawn)];
  std::vector<std::uint8_t> joined(label.size() + 1, 0);
  joined[main] = 1;
  for (std::int32_t y = 0; y < h; ++y) {
    for (std::int32_t x = 0; x < w; ++x) {
      const std::uint32_t l = label[m.index({x, y})];
      if (l == 0 || joined[l]) continue;
      joined[l] = 1;
      carve_towards(m, label, main, {x, y}, spawn);
    }
  }

  // NPC spawn areas centred on random walkable tiles.
  if (params.npc_count > 0) {
    const std::uint32_t per = std::max<std::uint32_t>(params.npcs_per_area, 1);
    const std::uint32_t areas = (params.npc_count + per - 1) / per;
    for (std::uint32_t a = 0; a < areas; ++a) {
      Position c{rng.range(1, w - 2), rng.range(1, h - 2)};
      for (int tries = 0; tries < 64 && !m.walkable(c); ++tries) {
        c = {rng.range(1, w - 2), rng.range(1, h - 2)};
      }
      const std::uint32_t count = params.npc_count / areas + (a < params.npc_count % areas ? 1 : 0);
      m.add_spawn_area({c, params.spawn_area_radius, count, params.npc_template});
    }
  }
  return m;
}

}  // namespace world
