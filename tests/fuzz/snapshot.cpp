// Fuzz target: World::deserialize (libworld/src/world_snapshot.cpp), which reads the keyframes
// of recordings. Bytes that are not a snapshot of this config and map are an error value; a
// world it accepts is sound, steps, and serialises to bytes that deserialise to the same state.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_support.hpp"
#include "world/world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const world::World base = fuzz::small_world();
  const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(data), size};
  auto w = world::World::deserialize(bytes, base.config(), base.map_ptr());
  if (!w.ok()) return 0;
  world::World& world = w.value();
  fuzz::require(!world.check_invariants().has_value(), "an accepted snapshot gives a sound world");
  const std::vector<std::byte> again = world.serialize();
  auto copy = world::World::deserialize(again, base.config(), base.map_ptr());
  fuzz::require(copy.ok(), "a world's snapshot deserialises");
  fuzz::require(copy.value().state_hash() == world.state_hash(), "and holds the same state");
  for (int t = 0; t < 20; ++t)
    world.step({});
  fuzz::require(!world.check_invariants().has_value(), "it steps soundly");
  return 0;
}
