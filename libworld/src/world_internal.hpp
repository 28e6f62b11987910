#pragma once
// Helpers shared by the world_*.cpp files. Private to libworld.

#include <cstddef>
#include <cstdint>
#include <string>

#include "world/types.hpp"

namespace world::detail {

inline constexpr std::uint16_t kMaxSpeed = 1000;
inline constexpr std::int32_t kJoinSearchRadius = 32;
// Marks a cached hash part as needing a recompute (a real hash equal to it is merely recomputed).
inline constexpr std::uint64_t kStale = 0x5354414c45ull;

// Asks the CPU to start loading the cache line at `p`: a hint with no effect on any value. The
// tick's phases walk lists of slots whose rows are scattered over megabytes (100k NPCs: bodies,
// stats, a 16 MiB occupancy map), so they ask a few slots ahead of the one they work on.
inline void prefetch(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}
// How far ahead (in list entries) the phases ask for a row, and for what that row points to.
inline constexpr std::size_t kPrefetchRow = 8;
inline constexpr std::size_t kPrefetchNext = 4;

// An NPC healer's threshold: a creature below 70% of its HP is wounded.
inline bool wounded(std::int32_t hp, std::int32_t max_hp) {
  return std::int64_t{hp} * 10 < std::int64_t{max_hp} * 7;
}

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
