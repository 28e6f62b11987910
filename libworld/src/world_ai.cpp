// NPC behaviour: wandering, noticing players, chasing with budgeted A*, giving up at the leash.
#include <algorithm>

#include "world/sight.hpp"
#include "world/world.hpp"
#include "world_hash_inline.hpp"
#include "world_internal.hpp"

namespace world {

using namespace detail;

void World::run_npcs(StepResult& out) {
  const auto slots = static_cast<std::uint32_t>(next_think_.size());
  const Tick now = tick_;
  // The NPCs due this tick, in slot order. No turn makes another NPC due this tick (a hit
  // wakes its victim at tick + 1), so the list holds exactly the NPCs the loop below would
  // find by scanning next_think_ as it goes; the check inside stays for any turn that
  // postpones one.
  due_.clear();
  for (std::uint32_t k = 0; k < slots; ++k) {
    if (next_think_[Slot{k}] <= now) due_.push_back(Slot{k});  // players and free slots: kNever
  }
  const std::size_t n = due_.size();
  const std::int32_t width = map_->width();
  std::uint32_t rehashed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Bodies lie scattered over megabytes: ask for the one kPrefetchRow turns ahead, and for
    // what kPrefetchNext turns ahead will read through its (by now loaded) body: the rows of
    // tiles around it, and its stats when it fights or heals.
    if (i + kPrefetchRow < n) {
      prefetch(&body_[due_[i + kPrefetchRow]]);
      prefetch(&next_think_[due_[i + kPrefetchRow]]);
    }
    if (i + kPrefetchNext < n) {
      const Slot ahead = due_[i + kPrefetchNext];
      const Body& ab = body_[ahead];
      const std::size_t tile = map_->index(ab.pos);
      prefetch(&occupancy_[tile]);
      if (ab.pos.y > 0) prefetch(&occupancy_[tile - width]);
      if (ab.pos.y + 1 < map_->height()) prefetch(&occupancy_[tile + width]);
      const NpcTemplate& at = config_.npc_templates[ab.npc_template];
      if (ab.engaged || at.behaviour == Behaviour::Aggressive || at.heal_spell != 0) {
        prefetch(&stats_[ahead]);
      }
    }
    const Slot s = due_[i];
    if (next_think_[s] > now) continue;
    const Body& b = body_[s];
    const NpcTemplate& t = config_.npc_templates[b.npc_template];
    const Position pos = b.pos;
    const Tick next_move = b.next_move;
    const Direction facing = b.facing;
    const Tick think = next_think_[s];
    if (t.heal_spell != 0 && npc_heal_ally(s, t, out)) {
      next_think_[s] = now + 2;  // a cast takes its turn
    } else if (b.engaged || t.behaviour == Behaviour::Aggressive) {
      npc_engage(s, t, out);
    } else {
      npc_wander(s, t, out);
    }
    // Refresh its hash now, while its fields are in cache; cheaply when it only paused.
    if (b.pos == pos && b.next_move == next_move && b.facing == facing) {
      rehash_think(s, think);
    } else {
      rehash(s);
    }
    ++rehashed;
  }
  out.rehashed_entities += rehashed;
}

void World::npc_wander(Slot s, const NpcTemplate& t, StepResult& out) {
  Body& b = body_[s];
  const Tick now = tick_;
  const std::uint32_t cooldown = move_cooldown(b.speed);
  if (chebyshev(b.pos, b.home) > t.wander_radius) {  // strayed (after a chase): walk home
    if (now >= b.next_move) npc_step_towards(s, b.home, t.wander_radius, out);
    next_think_[s] = b.next_move > now ? b.next_move : now + 1 + rng_.below(cooldown);
    return;
  }
  if (rng_.percent(t.idle_percent)) {
    next_think_[s] = now + 1 + rng_.below(std::max<std::uint32_t>(t.max_idle_ticks, 1));
    return;
  }
  const auto d = static_cast<Direction>(rng_.below(kDirectionCount));
  const Position from = b.pos;
  const Position to = step_towards(from, d);
  if (now >= b.next_move && chebyshev(to, b.home) <= t.wander_radius && map_->in_bounds(to) &&
      occupancy_[map_->index(to)] == 0) {  // 0: walkable and free
    relocate(s, to);
    b.facing = d;
    b.next_move = now + cooldown;
    out.deltas.emplace_back(Moved{id_of(s), from, to, d});
  }
  next_think_[s] = b.next_move > now ? b.next_move : now + 1 + rng_.below(cooldown);
}

std::optional<World::Slot> World::nearest_player(Position p, std::int32_t radius) const {
  std::optional<Slot> best;
  std::int32_t best_d = radius + 1;
  player_grid_.for_each_near(p, radius, [&](std::uint32_t k) {
    const Slot s{k};
    const std::int32_t d = chebyshev(body_[s].pos, p);
    if (d > radius || in_protection_zone(s)) return;
    if (d < best_d || (d == best_d && s < *best)) {  // nearest, ties to the lower slot
      best = s;
      best_d = d;
    }
  });
  return best;
}

void World::npc_engage(Slot s, const NpcTemplate& t, StepResult& out) {
  Body& b = body_[s];
  const Tick now = tick_;
  EntityId target = stats_[s].target;
  if (target.is_set()) {
    if (!live(target) || chebyshev(body_[slot_of(target)].pos, b.home) > t.leash_radius ||
        in_protection_zone(slot_of(target))) {
      set_target(s, EntityId{}, out);  // gone, out of reach, or safe in a temple: give up
      target = EntityId{};
    }
  }
  if (!target.is_set() && t.behaviour == Behaviour::Aggressive) {
    if (const auto p = nearest_player(b.pos, t.aggro_radius);
        p && chebyshev(body_[*p].pos, b.home) <= t.leash_radius) {
      target = id_of(*p);
      set_target(s, target, out);
    }
  }
  if (!target.is_set()) return npc_wander(s, t, out);

  const Position goal = body_[slot_of(target)].pos;
  const std::int32_t reach = std::max(t.attack_range, 1);
  const std::int32_t distance = chebyshev(b.pos, goal);
  const bool in_reach = distance <= reach && (reach == 1 || line_of_sight(*map_, b.pos, goal));
  if (in_reach) {  // run_combat swings or shoots; a shooter backs off from a close target
    if (distance < t.keep_distance && now >= b.next_move && npc_step_away(s, goal, t, out)) {
      next_think_[s] = b.next_move;
    } else {
      next_think_[s] = now + 2;
    }
    return;
  }
  if (now < b.next_move) {
    next_think_[s] = b.next_move;
    return;
  }
  // Out of reach: close in to the weapon's range; in range but unseen: close in further.
  if (npc_step_towards(s, goal, distance <= reach ? 1 : reach, out)) {
    next_think_[s] = b.next_move;
  } else {  // no way through (the target is surrounded, or walled off): wait a step's time
    const std::uint32_t cooldown = move_cooldown(b.speed);
    next_think_[s] = now + cooldown + rng_.below(cooldown);
  }
}

bool World::npc_step_away(Slot s, Position from, const NpcTemplate& t, StepResult& out) {
  Body& b = body_[s];
  const Position at = b.pos;
  std::int32_t best_d = chebyshev(at, from);
  std::optional<Direction> best;
  for (std::uint32_t k = 0; k < kDirectionCount; ++k) {  // ties: the first direction wins
    const auto d = static_cast<Direction>(k);
    const Position to = step_towards(at, d);
    if (!map_->in_bounds(to) || occupancy_[map_->index(to)] != 0) continue;
    if (chebyshev(to, b.home) > t.leash_radius || !line_of_sight(*map_, to, from)) continue;
    if (const std::int32_t dd = chebyshev(to, from); dd > best_d) {
      best_d = dd;
      best = d;
    }
  }
  if (!best) return false;
  const Position to = step_towards(at, *best);
  relocate(s, to);
  b.facing = *best;
  b.next_move = tick_ + move_cooldown(b.speed);
  out.deltas.emplace_back(Moved{id_of(s), at, to, *best});
  return true;
}

bool World::npc_heal_ally(Slot s, const NpcTemplate& t, StepResult& out) {
  const std::uint32_t spell_id = t.heal_spell - 1;
  if (spell_id >= config_.spells.size()) return false;
  const SpellType& spell = config_.spells[spell_id];
  const Stats& st = stats_[s];
  if (tick_ < st.next_cast || st.mp < spell.mana) return false;
  // The most wounded NPC (below 70% of its HP) it may heal, itself included; ties to the lower
  // slot.
  const Position at = body_[s].pos;
  const std::int32_t reach = spell.target == SpellTarget::Self ? 0 : std::max(spell.range, 0);
  if (unhurt_cell_.size() != grid_.cell_count()) unhurt_cell_.assign(grid_.cell_count(), 0);
  const Tick mark = tick_;  // at least 1 inside step()
  std::optional<Slot> best;
  grid_.for_each_cell_near(at, reach, [&](std::size_t cell) {
    if (unhurt_cell_[cell] == mark) return;  // no wounded NPC there (see unhurt_cell_)
    bool any = false;
    grid_.for_each_in_cell(cell, [&](std::uint32_t k) {
      const Slot a{k};
      const Stats& x = stats_[a];
      // Most creatures are unhurt: that test first, then the cheaper-to-fail ones.
      if (!wounded(x.hp, x.max_hp)) return;
      const Body& ab = body_[a];
      if (ab.kind != static_cast<std::uint8_t>(EntityKind::Npc)) return;
      any = true;
      if (chebyshev(ab.pos, at) > reach) return;
      if (best) {
        const Stats& y = stats_[*best];
        const std::int64_t lhs = std::int64_t{x.hp} * y.max_hp;
        const std::int64_t rhs = std::int64_t{y.hp} * x.max_hp;
        if (lhs > rhs || (lhs == rhs && a > *best)) return;
      }
      best = a;
    });
    if (!any) unhurt_cell_[cell] = mark;
  });
  if (!best) return false;
  Cast cast{spell_id, id_of(*best), body_[*best].pos};
  if (spell.target == SpellTarget::Self && *best != s) return false;
  if (check_cast(s, cast)) return false;  // out of sight, for one
  cast_spell(s, cast, out);
  return true;
}

bool World::npc_step_towards(Slot s, Position goal, std::int32_t range, StepResult& out) {
  Body& b = body_[s];
  const Position from = b.pos;
  const auto free = [&](Position p) {
    return map_->in_bounds(p) && occupancy_[map_->index(p)] == 0;  // 0: walkable and free
  };
  // A goal whose whole neighbourhood is taken cannot be reached: do not search for it.
  bool reachable = range > 1;
  for (std::int32_t y = goal.y - 1; y <= goal.y + 1 && !reachable; ++y) {
    for (std::int32_t x = goal.x - 1; x <= goal.x + 1 && !reachable; ++x) {
      reachable = Position{x, y} == from || free({x, y});
    }
  }
  if (!reachable) return false;
  // Always A*: mixing in greedy steps makes NPCs oscillate at obstacles (a greedy step undoes
  // the detour A* chose a tick earlier). On open ground A* expands about as many tiles as the
  // path is long; the budget bounds the rest.
  const PathStep p = path_.find({from, goal, range, config_.path_node_budget}, *map_, occupancy_,
                                PathFinder::Walls::InOccupancy);  // kBlockedTile marks the walls
  const std::optional<Direction> step = p.first;
  if (!step) return false;
  const Position to = step_towards(from, *step);
  if (!free(to)) return false;
  relocate(s, to);
  b.facing = *step;
  b.next_move = tick_ + move_cooldown(b.speed);
  out.deltas.emplace_back(Moved{id_of(s), from, to, *step});
  return true;
}

}  // namespace world
