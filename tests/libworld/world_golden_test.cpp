#include <doctest/doctest.h>

#include "scenarios.hpp"

// The golden scenario stepped 1,000 ticks must give these hashes. They change only when the
// rules change on purpose: then bump kRulesVersion, update them, and say why in the commit.
TEST_CASE("golden hash of the golden scenario") {
  world::World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  CHECK(w.state_hash() == 0x56bd869f5f312ef2ull);
  std::uint64_t at500 = 0;
  std::size_t hits = 0, deaths = 0, items = 0, said = 0, shots = 0, casts = 0, stats = 0;
  for (int t = 0; t < 1000; ++t) {
    const auto r = w.step(script.next(w));
    if (r.tick == 500) at500 = r.state_hash;
    for (const auto& d : r.deltas) {
      hits += std::holds_alternative<world::Hit>(d);
      deaths += std::holds_alternative<world::Died>(d);
      items += std::holds_alternative<world::InventoryChanged>(d);
      said += std::holds_alternative<world::Said>(d);
      shots += std::holds_alternative<world::Shot>(d);
      casts += std::holds_alternative<world::SpellCast>(d);
      stats += std::holds_alternative<world::StatsChanged>(d);
    }
  }
  // The scenario exercises the rules the hash is meant to pin down.
  CHECK(hits > 50u);
  CHECK(deaths > 5u);
  CHECK(items > 20u);
  CHECK(said > 20u);
  CHECK(shots > 20u);  // rangers and archer NPCs
  CHECK(casts > 20u);  // mages, and shamans mending
  CHECK(stats > 5u);   // equipment changes and level-ups
  CHECK(w.entity_count() == 333u);
  CHECK(at500 == 0x8bf97395556e1627ull);
  CHECK(w.state_hash() == 0xa1ce6b1ef6b26fcaull);
}
