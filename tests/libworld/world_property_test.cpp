#include <doctest/doctest.h>

#include <set>

#include "world/map_gen.hpp"

#include "scenarios.hpp"

using namespace world;

TEST_CASE("10k ticks of random commands keep every invariant") {
  ArenaParams ap;
  ap.width = 48;
  ap.height = 48;
  ap.seed = 9;
  ap.npc_count = 150;
  ap.npcs_per_area = 25;
  auto map = generate_arena(ap);
  map.add_spawn_area({map.player_spawn(), 8, 20, scenarios::kRat});  // fights near the spawn
  WorldConfig cfg = scenarios::demo_config(3);
  cfg.item_decay_ticks = 300;
  cfg.npc_templates[scenarios::kRat].respawn_ticks = 100;
  World w(cfg, std::make_shared<const TileMap>(std::move(map)));
  scenarios::ChaosScript chaos(77);
  std::set<RejectReason> reasons;
  std::size_t accepted_joins = 0, leaves = 0, hits = 0, deaths = 0, pickups = 0, equips = 0;
  for (int t = 0; t < 10000; ++t) {
    const auto cmds = chaos.next(w);
    const auto r = w.step(cmds);
    for (const auto& rej : r.rejections)
      reasons.insert(rej.reason);
    for (const auto& d : r.deltas) {
      accepted_joins += std::holds_alternative<Appeared>(d);
      leaves += std::holds_alternative<Removed>(d);
      hits += std::holds_alternative<Hit>(d);
      deaths += std::holds_alternative<Died>(d);
      pickups += std::holds_alternative<ItemTaken>(d);
      equips += std::holds_alternative<LookChanged>(d);
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
  CHECK(hits > 100u);
  CHECK(deaths > 10u);
  CHECK(pickups > 10u);
  CHECK(equips > 5u);
  MESSAGE("joins ", accepted_joins, " removals ", leaves, " hits ", hits, " deaths ", deaths,
          " items taken ", pickups, " look changes ", equips, " items now ", w.item_count());
  for (const RejectReason r :
       {RejectReason::UnknownEntity, RejectReason::StaleEntity, RejectReason::Blocked,
        RejectReason::Occupied, RejectReason::Cooldown, RejectReason::AlreadyInWorld,
        RejectReason::InvalidArgument, RejectReason::NotAPlayer, RejectReason::InvalidTarget,
        RejectReason::NotAttackable, RejectReason::NoSuchItem, RejectReason::NotAdjacent,
        RejectReason::NotEquippable, RejectReason::NotUsable, RejectReason::EmptySlot,
        RejectReason::InvalidText}) {
    CAPTURE(to_string(r));
    CHECK(reasons.contains(r));
  }
}
