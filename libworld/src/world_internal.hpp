#pragma once
// Helpers shared by the world_*.cpp files. Private to libworld.

#include <cstdint>
#include <string>

#include "world/types.hpp"

namespace world::detail {

inline constexpr std::uint16_t kMaxSpeed = 1000;
inline constexpr std::int32_t kJoinSearchRadius = 32;
// Marks a cached hash part as needing a recompute (a real hash equal to it is merely recomputed).
inline constexpr std::uint64_t kStale = 0x5354414c45ull;

inline bool valid_direction(Direction d) {
  return static_cast<std::uint32_t>(d) < kDirectionCount;
}

inline std::uint64_t pack(Position p) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p.x)) << 32) |
         static_cast<std::uint32_t>(p.y);
}

inline std::string describe(std::uint32_t s, std::uint32_t gen, Position p) {
  return "entity " + std::to_string(s) + "#" + std::to_string(gen) + " at (" + std::to_string(p.x) +
         "," + std::to_string(p.y) + ")";
}

}  // namespace world::detail
