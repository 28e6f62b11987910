#include "world/tile_map.hpp"

#include <algorithm>

#include "world/hash.hpp"

namespace world {

std::uint8_t default_flags(Terrain t) {
  switch (t) {
    case Terrain::Grass:
    case Terrain::Floor:
    case Terrain::Sand:
    case Terrain::Dirt:
      return kWalkable;
    case Terrain::Wall:
    case Terrain::Tree:
      return kBlocksSight;
    case Terrain::Void:
    case Terrain::Water:
    case Terrain::Rock:
    case Terrain::Count:
      return 0;
  }
  return 0;
}

std::string_view to_string(Terrain t) {
  switch (t) {
    case Terrain::Void:
      return "void";
    case Terrain::Grass:
      return "grass";
    case Terrain::Floor:
      return "floor";
    case Terrain::Sand:
      return "sand";
    case Terrain::Dirt:
      return "dirt";
    case Terrain::Water:
      return "water";
    case Terrain::Wall:
      return "wall";
    case Terrain::Tree:
      return "tree";
    case Terrain::Rock:
      return "rock";
    case Terrain::Count:
      break;
  }
  return "invalid";
}

std::string_view to_string(TriggerKind k) {
  switch (k) {
    case TriggerKind::Teleport:
      return "teleport";
    case TriggerKind::Heal:
      return "heal";
    case TriggerKind::Damage:
      return "damage";
    case TriggerKind::Message:
      return "message";
  }
  return "invalid";
}

bool TileMap::add_trigger(Trigger t) {
  if (!in_bounds(t.position)) return false;
  const auto tile = static_cast<std::uint32_t>(index(t.position));
  const auto it = std::lower_bound(trigger_index_.begin(), trigger_index_.end(),
                                   std::pair<std::uint32_t, std::uint32_t>{tile, 0});
  if (it != trigger_index_.end() && it->first == tile) return false;
  trigger_index_.insert(it, {tile, static_cast<std::uint32_t>(triggers_.size())});
  triggers_.push_back(std::move(t));
  return true;
}

const Trigger* TileMap::trigger_at(Position p) const {
  if (trigger_index_.empty() || !in_bounds(p)) return nullptr;
  const auto tile = static_cast<std::uint32_t>(index(p));
  const auto it = std::lower_bound(trigger_index_.begin(), trigger_index_.end(),
                                   std::pair<std::uint32_t, std::uint32_t>{tile, 0});
  if (it == trigger_index_.end() || it->first != tile) return nullptr;
  return &triggers_[it->second];
}

TileMap::TileMap(std::int32_t width, std::int32_t height, Terrain fill)
    : width_(std::max(width, 0)), height_(std::max(height, 0)) {
  tiles_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_),
                Tile{fill, default_flags(fill)});
}

void TileMap::set_terrain(Position p, Terrain t) {
  tiles_[index(p)] = Tile{t, default_flags(t)};
}

std::size_t TileMap::walkable_count() const {
  return static_cast<std::size_t>(std::count_if(
      tiles_.begin(), tiles_.end(), [](const Tile& t) { return (t.flags & kWalkable) != 0; }));
}

bool TileMap::walkable_connected() const {
  const auto first = std::find_if(tiles_.begin(), tiles_.end(),
                                  [](const Tile& t) { return (t.flags & kWalkable) != 0; });
  if (first == tiles_.end()) return true;
  std::vector<std::uint8_t> seen(tiles_.size(), 0);
  std::vector<std::size_t> stack{static_cast<std::size_t>(first - tiles_.begin())};
  seen[stack.back()] = 1;
  std::size_t reached = 0;
  const auto w = static_cast<std::size_t>(width_);
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    ++reached;
    const std::size_t x = i % w;
    const auto visit = [&](std::size_t j) {
      if (!seen[j] && (tiles_[j].flags & kWalkable) != 0) {
        seen[j] = 1;
        stack.push_back(j);
      }
    };
    if (x > 0) visit(i - 1);
    if (x + 1 < w) visit(i + 1);
    if (i >= w) visit(i - w);
    if (i + w < tiles_.size()) visit(i + w);
  }
  return reached == walkable_count();
}

std::uint64_t TileMap::hash() const {
  Hasher h;
  h.add(static_cast<std::uint32_t>(width_)).add(static_cast<std::uint32_t>(height_));
  // Four 16-bit tiles per word.
  std::uint64_t word = 0;
  int n = 0;
  for (const Tile& t : tiles_) {
    word |= (static_cast<std::uint64_t>(t.terrain) | static_cast<std::uint64_t>(t.flags) << 8)
            << (16 * n);
    if (++n == 4) {
      h.add(word);
      word = 0;
      n = 0;
    }
  }
  h.add(word);
  h.add(static_cast<std::uint32_t>(player_spawn_.x))
      .add(static_cast<std::uint32_t>(player_spawn_.y));
  h.add(spawn_areas_.size());
  for (const SpawnArea& a : spawn_areas_) {
    h.add((static_cast<std::uint64_t>(static_cast<std::uint32_t>(a.center.x)) << 32) |
          static_cast<std::uint32_t>(a.center.y));
    h.add((static_cast<std::uint64_t>(static_cast<std::uint32_t>(a.radius)) << 32) | a.count);
    h.add(a.npc_template);
  }
  h.add(triggers_.size());
  for (const Trigger& t : triggers_) {
    h.add(index(t.position)).add(static_cast<std::uint64_t>(t.kind));
    h.add((static_cast<std::uint64_t>(static_cast<std::uint32_t>(t.destination.x)) << 32) |
          static_cast<std::uint32_t>(t.destination.y));
    h.add(static_cast<std::uint32_t>(t.amount)).add_string(t.message);
  }
  return h.value();
}

}  // namespace world
