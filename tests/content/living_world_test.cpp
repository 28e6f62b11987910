// The shipped default world is alive: a newcomer who walks out of the temple meets a fight
// within 30 seconds, and the knight, the archer and the mage each win their first one.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "content/files.hpp"
#include "world/character.hpp"
#include "world/pathfinding.hpp"
#include "world/world.hpp"

using namespace world;

namespace {

World shipped_world() {
  auto bundle = content::load_bundle_files(ALPHAMMO_DATA_DIR, "maps/default.tmj", 7);
  REQUIRE_MESSAGE(bundle.ok(), bundle.error().message);
  return World(bundle.value().config, bundle.value().map);
}

// The nearest aggressive NPC to p (Chebyshev, ties to the lower slot), if any.
std::optional<EntityState> nearest_aggressive(const World& w, Position p) {
  std::optional<EntityState> best;
  for (const EntityId id : w.entity_ids()) {
    const EntityState e = *w.entity(id);
    if (e.kind != EntityKind::Npc ||
        w.config().npc_templates[e.npc_template].behaviour != Behaviour::Aggressive) {
      continue;
    }
    if (!best || chebyshev(e.position, p) < chebyshev(best->position, p)) best = e;
  }
  return best;
}

// Steps a new character of `vocation` out of the temple towards the nearest aggressive NPC (A*
// around walls and creatures), fighting what targets it, for at most `ticks` ticks. Returns the
// tick at which an NPC first targeted it (0: never), and whether it killed one.
struct Outing {
  Tick engaged_at = 0;
  bool killed = false;
};
Outing walk_out(World& w, std::uint8_t vocation, Tick ticks) {
  Character c = new_character(w.config(), vocation);
  c.id = CharacterId{77};
  c.name = "newcomer";
  c.position = w.map().player_spawn();
  const Tick start = w.tick();
  StepResult r = w.step(std::vector<Command>{{{}, Join{c}, 0}});
  REQUIRE(r.rejections.empty());
  const EntityId me = *w.find_character(c.id);
  PathFinder path;
  std::vector<std::uint32_t> occupied(w.map().tiles().size());
  Outing out;
  for (Tick t = 0; t < ticks && w.is_valid(me) && !out.killed; ++t) {
    std::vector<Command> cmds;
    const EntityState self = *w.entity(me);
    // Its foe: whom it fights, or the nearest aggressive NPC; it attacks that one within 6
    // tiles and walks up to it.
    std::optional<EntityState> foe;
    if (self.target.is_set() && w.is_valid(self.target)) foe = w.entity(self.target);
    if (!foe) foe = nearest_aggressive(w, self.position);
    if (foe) {
      if (self.target != foe->id && chebyshev(foe->position, self.position) <= 6) {
        cmds.push_back({me, Attack{foe->id}, 0});
      }
      if (chebyshev(foe->position, self.position) > 1) {
        std::fill(occupied.begin(), occupied.end(), 0);
        for (const EntityId id : w.entity_ids()) {
          if (id != me) occupied[w.map().index(*w.position(id))] = 1;
        }
        const PathStep step =
            path.find({self.position, foe->position, 1, 20'000}, w.map(), occupied);
        if (step.first) cmds.push_back({me, Move{*step.first}, 0});
      }
    }
    r = w.step(cmds);
    for (const Delta& d : r.deltas) {
      if (const auto* tg = std::get_if<Targeted>(&d); tg && tg->target == me && !out.engaged_at) {
        out.engaged_at = w.tick() - start;
      }
      if (const auto* died = std::get_if<Died>(&d); died && died->killer == me) out.killed = true;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("default world: a newcomer walking out of the temple meets a fight within 30 seconds") {
  World w = shipped_world();
  const Tick limit = 30 * w.config().tick_rate_hz;
  const Outing o = walk_out(w, 0, limit);
  REQUIRE(o.engaged_at != 0);
  CHECK(o.engaged_at <= limit);
  MESSAGE("an NPC attacked the newcomer after ", o.engaged_at, " ticks");
}

TEST_CASE("default world: a new knight, archer and mage each win a first fight") {
  for (std::uint8_t vocation = 0; vocation < 3; ++vocation) {
    CAPTURE(static_cast<int>(vocation));
    World w = shipped_world();
    REQUIRE(w.config().vocations.size() >= 3);
    const Outing o = walk_out(w, vocation, 120 * w.config().tick_rate_hz);
    CHECK(o.killed);
  }
}
