#include "world/pathfinding.hpp"

#include <algorithm>
#include <bit>

namespace world {

namespace {
std::uint32_t region_distance(Position p, Position goal, std::int32_t range) {
  const std::int32_t dx = std::max(0, (p.x > goal.x ? p.x - goal.x : goal.x - p.x) - range);
  const std::int32_t dy = std::max(0, (p.y > goal.y ? p.y - goal.y : goal.y - p.y) - range);
  return static_cast<std::uint32_t>(dx + dy);
}
}  // namespace

PathStep PathFinder::find(const PathQuery& q, const TileMap& map,
                          std::span<const std::uint32_t> occupancy, Walls walls) {
  const bool read_map = walls == Walls::FromMap;
  PathStep result;
  if (!map.in_bounds(q.from) || q.node_budget == 0) return result;
  nodes_.clear();
  open_.clear();
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, 4 * q.node_budget + 8));
  table_.assign(capacity, 0);
  table_node_.assign(capacity, 0);
  const std::size_t mask = capacity - 1;

  // Open-addressing map from tile to node; returns the slot for `tile`.
  const auto slot_of = [&](std::uint32_t tile) {
    std::size_t h = (static_cast<std::size_t>(tile) * 0x9e3779b97f4a7c15ull) >> 17 & mask;
    while (table_[h] != 0 && table_[h] != tile + 1)
      h = (h + 1) & mask;
    return h;
  };
  const auto cmp = [](const Open& a, const Open& b) {  // min-heap on (f, h, seq)
    if (a.f != b.f) return a.f > b.f;
    if (a.h != b.h) return a.h > b.h;
    return a.seq > b.seq;
  };
  const auto tile_pos = [&](std::uint32_t tile) {
    return Position{static_cast<std::int32_t>(tile % static_cast<std::uint32_t>(map.width())),
                    static_cast<std::int32_t>(tile / static_cast<std::uint32_t>(map.width()))};
  };

  std::uint32_t seq = 0;
  const auto start = static_cast<std::uint32_t>(map.index(q.from));
  const std::uint32_t h0 = region_distance(q.from, q.goal, q.goal_range);
  nodes_.push_back({start, 0, h0, 4});
  const std::size_t s0 = slot_of(start);
  table_[s0] = start + 1;
  table_node_[s0] = 0;
  open_.push_back({h0, h0, seq++, 0});
  // The discovered tile closest to the goal (by h, then g, then discovery order), other than
  // the start: where to head when the budget runs out before the goal is reached.
  std::uint32_t best = 0;
  const auto better = [&](std::uint32_t a) {
    const Node& x = nodes_[a];
    const Node& y = nodes_[best];
    return best == 0 || x.h < y.h || (x.h == y.h && x.g < y.g);
  };

  while (!open_.empty() && result.expanded < q.node_budget) {
    std::pop_heap(open_.begin(), open_.end(), cmp);
    const Open o = open_.back();
    open_.pop_back();
    const Node n = nodes_[o.node];
    if (o.f != n.g + n.h) continue;  // a stale entry
    ++result.expanded;
    if (n.h == 0) {
      best = o.node;
      result.reached = true;
      break;
    }
    const Position p = tile_pos(n.tile);
    for (std::uint8_t d = 0; d < kDirectionCount; ++d) {
      const Position np = step_towards(p, static_cast<Direction>(d));
      if (!map.in_bounds(np)) continue;
      const auto tile = static_cast<std::uint32_t>(map.index(np));
      if (occupancy[tile] != 0 || (read_map && (map.tiles()[tile].flags & kWalkable) == 0)) {
        continue;
      }
      const std::uint32_t g = n.g + 1;
      const std::size_t slot = slot_of(tile);
      if (table_[slot] != 0) {
        Node& existing = nodes_[table_node_[slot]];
        if (existing.g <= g) continue;
        existing.g = g;
        existing.first = n.first == 4 ? d : n.first;
        open_.push_back({g + existing.h, existing.h, seq++, table_node_[slot]});
        std::push_heap(open_.begin(), open_.end(), cmp);
        if (better(table_node_[slot])) best = table_node_[slot];
        continue;
      }
      if (nodes_.size() >= 4 * static_cast<std::size_t>(q.node_budget) + 4) continue;  // table room
      const std::uint32_t h = region_distance(np, q.goal, q.goal_range);
      table_[slot] = tile + 1;
      table_node_[slot] = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back({tile, g, h, n.first == 4 ? d : n.first});
      open_.push_back({g + h, h, seq++, table_node_[slot]});
      std::push_heap(open_.begin(), open_.end(), cmp);
      if (better(table_node_[slot])) best = table_node_[slot];
    }
  }
  if (nodes_[best].first != 4) result.first = static_cast<Direction>(nodes_[best].first);
  return result;
}

}  // namespace world
