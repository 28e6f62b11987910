// Line of sight: integer, symmetric, walls and trees block it.
#include "world/sight.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace world {

bool line_of_sight(const TileMap& map, Position a, Position b) {
  const std::int64_t dx = std::int64_t{b.x} - a.x;
  const std::int64_t dy = std::int64_t{b.y} - a.y;
  const std::int64_t n = std::max(std::llabs(dx), std::llabs(dy));
  if (n <= 1) return true;
  const auto blocks = [&](std::int64_t x, std::int64_t y) {
    const Position p{static_cast<std::int32_t>(x), static_cast<std::int32_t>(y)};
    return !map.in_bounds(p) || (map.at(p).flags & kBlocksSight) != 0;
  };
  // Walk the longer axis one tile at a time; the shorter axis is at minor + d_minor * i / n.
  // Both ends of the line reach the same points (step i from a is step n - i from b), and ties
  // are decided without regard to direction, so the rule is symmetric.
  const bool x_major = std::llabs(dx) >= std::llabs(dy);
  const std::int64_t major0 = x_major ? a.x : a.y;
  const std::int64_t minor0 = x_major ? a.y : a.x;
  const std::int64_t d_major = x_major ? dx : dy;
  const std::int64_t d_minor = x_major ? dy : dx;
  const std::int64_t step = d_major > 0 ? 1 : -1;
  for (std::int64_t i = 1; i < n; ++i) {
    const std::int64_t major = major0 + step * i;
    const std::int64_t num = d_minor * i;  // the minor offset is num / n
    std::int64_t q = num / n;
    std::int64_t r = num % n;
    if (r < 0) {  // floor division
      --q;
      r += n;
    }
    const auto at = [&](std::int64_t minor) {
      return x_major ? blocks(major, minor) : blocks(minor, major);
    };
    if (2 * r < n) {
      if (at(minor0 + q)) return false;
    } else if (2 * r > n) {
      if (at(minor0 + q + 1)) return false;
    } else if (at(minor0 + q) && at(minor0 + q + 1)) {
      return false;
    }
  }
  return true;
}

}  // namespace world
