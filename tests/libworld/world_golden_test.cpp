#include <doctest/doctest.h>

#include "scenarios.hpp"

// The golden scenario stepped 1,000 ticks must give these hashes. They change only when the
// rules change on purpose: then bump kRulesVersion, update them, and say why in the commit.
TEST_CASE("golden hash of the golden scenario") {
  world::World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  CHECK(w.state_hash() == 0x17e5eb8b0c6e8d28ull);
  std::uint64_t at500 = 0;
  for (int t = 0; t < 1000; ++t) {
    const auto r = w.step(script.next(w));
    if (r.tick == 500) at500 = r.state_hash;
  }
  CHECK(w.entity_count() == 357u);
  CHECK(at500 == 0x9ea8568909441020ull);
  CHECK(w.state_hash() == 0x58ac7012950e6faeull);
}
