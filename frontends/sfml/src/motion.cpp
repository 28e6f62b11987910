#include "motion.hpp"

#include <algorithm>
#include <cmath>

#include "world/movement.hpp"

namespace sfml_client {

void Motion::go(world::EntityId id, world::Position to, double now, double duration, bool snap) {
  auto it = std::lower_bound(glides_.begin(), glides_.end(), id,
                             [](const Glide& g, world::EntityId x) { return g.id < x; });
  const TilePoint target{static_cast<float>(to.x), static_cast<float>(to.y)};
  if (it == glides_.end() || it->id != id) {
    glides_.insert(it, Glide{id, target, to, now, 0});
    return;
  }
  if (it->to == to && !snap) return;
  const TilePoint from = position_of(*it, now);
  const bool far = std::abs(from.x - target.x) > 1.01f || std::abs(from.y - target.y) > 1.01f;
  if (snap || far || duration <= 0) {
    *it = Glide{id, target, to, now, 0};
    return;
  }
  *it = Glide{id, from, to, now, duration};
}

TilePoint Motion::position_of(const Glide& g, double now) {
  const TilePoint to{static_cast<float>(g.to.x), static_cast<float>(g.to.y)};
  if (g.duration <= 0 || now >= g.start + g.duration) return to;
  const float t = static_cast<float>(std::max(0.0, (now - g.start) / g.duration));
  return {g.from.x + (to.x - g.from.x) * t, g.from.y + (to.y - g.from.y) * t};
}

TilePoint Motion::at(world::EntityId id, double now, world::Position fallback) const {
  const auto it = std::lower_bound(glides_.begin(), glides_.end(), id,
                                   [](const Glide& g, world::EntityId x) { return g.id < x; });
  if (it == glides_.end() || it->id != id) {
    return {static_cast<float>(fallback.x), static_cast<float>(fallback.y)};
  }
  return position_of(*it, now);
}

bool Motion::moving(world::EntityId id, double now) const {
  const auto it = std::lower_bound(glides_.begin(), glides_.end(), id,
                                   [](const Glide& g, world::EntityId x) { return g.id < x; });
  return it != glides_.end() && it->id == id && it->duration > 0 && now < it->start + it->duration;
}

world::Position Motion::target(world::EntityId id, world::Position fallback) const {
  const auto it = std::lower_bound(glides_.begin(), glides_.end(), id,
                                   [](const Glide& g, world::EntityId x) { return g.id < x; });
  return it != glides_.end() && it->id == id ? it->to : fallback;
}

void Motion::keep_only(const std::vector<world::EntityId>& alive) {
  std::erase_if(glides_, [&](const Glide& g) {
    return !std::binary_search(alive.begin(), alive.end(), g.id);
  });
}

double step_seconds(std::uint32_t tick_rate_hz, std::uint16_t speed) {
  if (tick_rate_hz == 0 || speed == 0) return 0;
  return static_cast<double>(world::move_cooldown_ticks(tick_rate_hz, speed)) / tick_rate_hz;
}

}  // namespace sfml_client
