#pragma once
// The per-entity hash refresh, inline for the NPC loop (world_ai.cpp) and the tick's end
// (world_snapshot.cpp). Private to libworld.

#include "world/hash.hpp"
#include "world/world.hpp"
#include "world_internal.hpp"

namespace world {

inline std::uint64_t World::slot_contribution(Slot s, std::uint64_t cold,
                                              std::uint64_t stats) const {
  const Body& b = body_[s];
  // next_move stays far below 2^56 (ticks), so facing fits in its top byte. The AI timer is a
  // linear term with an odd per-slot key, so an NPC that only re-times its next decision
  // updates the sum with one multiply (rehash_think()).
  return hash4(detail::pack(b.pos), b.next_move | static_cast<std::uint64_t>(b.facing) << 56, stats,
               cold) +
         (cold | 1) * next_think_[s];
}

inline void World::rehash_think(Slot s, Tick old_think) {
#if defined(WORLD_BENCH_SKIP_STATE_HASH)
  return;
#endif
  SlotHash& h = body_[s].hash;
  if (h.cold == detail::kStale || h.stats == detail::kStale) return rehash(s);
  const std::uint64_t d = (h.cold | 1) * (next_think_[s] - old_think);
  h.contribution += d;
  entity_hash_sum_ += d;
}

inline void World::rehash(Slot s) {
#if defined(WORLD_BENCH_SKIP_STATE_HASH)
  // Only for benchmarks/world_bench_nohash, which measures the hash's share of a tick.
  return;
#endif
  SlotHash& h = body_[s].hash;
  if (h.cold == detail::kStale) h.cold = cold_hash(s);
  if (h.stats == detail::kStale) h.stats = stats_hash(s);
  const std::uint64_t c = slot_contribution(s, h.cold, h.stats);
  entity_hash_sum_ += c - h.contribution;
  h.contribution = c;
}

}  // namespace world
