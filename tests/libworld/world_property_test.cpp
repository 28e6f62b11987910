#include <doctest/doctest.h>

#include <set>

#include "scenarios.hpp"

using namespace world;

TEST_CASE("10k ticks of random commands keep every invariant") {
  ArenaParams ap;
  ap.width = 48;
  ap.height = 48;
  ap.seed = 9;
  ap.npc_count = 150;
  ap.npcs_per_area = 25;
  World w = scenarios::arena_world(ap);
  scenarios::ChaosScript chaos(77);
  std::set<RejectReason> reasons;
  std::size_t accepted_joins = 0, leaves = 0;
  for (int t = 0; t < 10000; ++t) {
    const auto cmds = chaos.next(w);
    const auto r = w.step(cmds);
    for (const auto& rej : r.rejections)
      reasons.insert(rej.reason);
    for (const auto& d : r.deltas) {
      accepted_joins += std::holds_alternative<Appeared>(d);
      leaves += std::holds_alternative<Removed>(d);
    }
    const auto bad = w.check_invariants();
    if (bad) FAIL(bad->message);
    for (const EntityId id : w.entity_ids())
      REQUIRE(w.is_valid(id));
    if (t % 1000 == 0) {  // a copy taken mid-run steps like the original
      World copy = w;
      const auto cmds2 = chaos.next(w);
      REQUIRE(copy.step(cmds2).state_hash == w.step(cmds2).state_hash);
    }
  }
  // The run exercised the rules: players came and went, and every kind of refusal happened.
  CHECK(accepted_joins > 30u);
  CHECK(leaves > 10u);
  for (const RejectReason r :
       {RejectReason::UnknownEntity, RejectReason::StaleEntity, RejectReason::Blocked,
        RejectReason::Occupied, RejectReason::Cooldown, RejectReason::AlreadyInWorld,
        RejectReason::InvalidArgument, RejectReason::NotAPlayer}) {
    CAPTURE(to_string(r));
    CHECK(reasons.contains(r));
  }
}
