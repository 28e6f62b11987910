// Combat: targets, swings, damage, death, experience, regeneration and NPC respawns.
#include <algorithm>

#include "world/sight.hpp"
#include "world/world.hpp"
#include "world_hash_inline.hpp"
#include "world_internal.hpp"

namespace world {

using namespace detail;

bool World::in_protection_zone(Slot s) const {
  return (map_->at(body_[s].pos).flags & kProtectionZone) != 0;
}

std::int32_t World::attack_of(Slot s) const {
  std::int32_t a = stats_[s].attack;
  if (const auto inv = inventories_.find(s); inv != inventories_.end()) {
    for (const std::optional<ItemSlot> i : inv->second.equipped) {
      if (i) a += config_.item_types[items_[*i].type].attack;
    }
  }
  return std::max(a, 0);
}

std::int32_t World::defense_of(Slot s) const {
  std::int32_t d = stats_[s].defense;
  if (const auto inv = inventories_.find(s); inv != inventories_.end()) {
    for (const std::optional<ItemSlot> i : inv->second.equipped) {
      if (i) d += config_.item_types[items_[*i].type].defense;
    }
  }
  return std::max(d, 0);
}

const ItemType* World::wielded(Slot s) const {
  if (!is_player(s)) return nullptr;
  const std::optional<ItemSlot> w = inventories_.at(s).equipped[kEquipSlotCount - 1];
  return w ? &config_.item_types[items_[*w].type] : nullptr;
}

std::int32_t World::reach_of(Slot s) const {
  if (!is_player(s)) return std::max(config_.npc_templates[body_[s].npc_template].attack_range, 1);
  const ItemType* w = wielded(s);
  return w ? std::max(w->range, 1) : 1;
}

bool World::use_ammo(Slot s, std::uint32_t ammo, StepResult& out) {
  // One unit from the stack of that type in the lowest backpack slot.
  for (const std::optional<ItemSlot> i : inventories_.at(s).backpack) {
    if (!i || items_[*i].type + 1 != ammo) continue;
    if (items_[*i].count > 1) {
      --items_[*i].count;
      rehash_item(*i);
      out.deltas.emplace_back(InventoryChanged{id_of(s), item_state_of(*i)});
    } else {
      take_from_inventory(*i, &out);
      destroy_item(*i);
    }
    return true;
  }
  return false;
}

bool World::hostile(Slot a, Slot b) const {
  if (a == b) return false;
  if (is_player(a) != is_player(b)) return true;
  return is_player(a) && config_.pvp;  // NPCs never fight NPCs
}

void World::provoke(Slot t, Slot attacker, StepResult& out) {
  // A creature that is attacked and fights nobody fights back.
  if (body_[t].kind == kFree || stats_[t].target.is_set() || is_player(t)) return;
  set_target(t, id_of(attacker), out);
  next_think_[t] = std::min(next_think_[t], tick_ + 1);
}

void World::emit_stats(Slot s, StepResult& out) {
  if (!is_player(s)) return;
  const Stats& st = stats_[s];
  out.deltas.emplace_back(
      StatsChanged{id_of(s), st.attack, st.defense, attack_of(s), defense_of(s)});
}

void World::set_target(Slot s, EntityId target, StepResult& out) {
  Stats& st = stats_[s];
  if (st.target == target) return;
  st.target = target;
  body_[s].engaged = target.is_set() ? 1 : 0;
  const auto at = std::lower_bound(attackers_.begin(), attackers_.end(), s);
  const bool listed = at != attackers_.end() && *at == s;
  if (target.is_set() && !listed) attackers_.insert(at, s);
  if (!target.is_set() && listed) attackers_.erase(at);
  touch_stats(s);
  out.deltas.emplace_back(Targeted{id_of(s), body_[s].pos, target});
}

void World::apply_attack(std::uint32_t index, const Command& c, const Attack& a, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!a.target.is_set()) return set_target(s, EntityId{}, out);
  if (a.target == c.actor) return reject(index, c, RejectReason::SelfTarget, out);
  if (!live(a.target)) return reject(index, c, RejectReason::InvalidTarget, out);
  const Slot t = slot_of(a.target);
  if (is_player(s) && is_player(t) && !config_.pvp) {
    return reject(index, c, RejectReason::NotAttackable, out);
  }
  if (in_protection_zone(s) || in_protection_zone(t)) {
    return reject(index, c, RejectReason::ProtectionZone, out);
  }
  set_target(s, a.target, out);
}

void World::run_combat(StepResult& out) {
  // attackers_ changes as creatures die and fight back: walk the list as the phase began, in
  // slot order (fighters_ is this loop's own: kill() below uses scratch_).
  fighters_.assign(attackers_.begin(), attackers_.end());
  const std::size_t n = fighters_.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Ask ahead for the fighters' rows and, a little later, for their targets' (see prefetch()).
    if (i + kPrefetchRow < n) {
      const Slot ahead = fighters_[i + kPrefetchRow];
      prefetch(&body_[ahead]);
      prefetch(&stats_[ahead]);
    }
    if (i + kPrefetchNext < n) {
      const EntityId t = stats_[fighters_[i + kPrefetchNext]].target;
      if (t.is_set() && t.index < generation_.size()) {
        prefetch(&body_[slot_of(t)]);
        prefetch(&generation_[slot_of(t)]);
      }
    }
    const Slot a = fighters_[i];
    if (body_[a].kind == kFree) continue;  // died earlier this tick
    Stats& st = stats_[a];
    const EntityId target = st.target;
    if (!target.is_set()) continue;
    if (!live(target)) {
      set_target(a, EntityId{}, out);
      continue;
    }
    const Slot t = slot_of(target);
    // A player's weapon gives both its reach and its ammunition: looked up once per attacker.
    const ItemType* weapon = wielded(a);  // null for NPCs and the unarmed
    const std::int32_t reach = weapon != nullptr ? std::max(weapon->range, 1) : reach_of(a);
    const Position from = body_[a].pos;
    const Position to = body_[t].pos;
    if (tick_ < st.next_attack || chebyshev(from, to) > reach) continue;
    if (in_protection_zone(a) || in_protection_zone(t)) continue;
    // A ranged attacker (reach above 1) shoots: it needs a line of sight and, for a weapon that
    // takes ammunition, one unit of it; without any it stops fighting.
    if (reach > 1 && !line_of_sight(*map_, from, to)) continue;
    if (reach > 1 && weapon != nullptr && weapon->ammo != 0 && !use_ammo(a, weapon->ammo, out)) {
      set_target(a, EntityId{}, out);
      out.deltas.emplace_back(SystemMessage{
          id_of(a), "You have no " + config_.item_types[weapon->ammo - 1].name + " left."});
      continue;
    }
    const std::uint32_t cooldown =
        is_player(a) ? config_.player_attack_cooldown
                     : config_.npc_templates[body_[a].npc_template].attack_cooldown;
    st.next_attack = tick_ + std::max<std::uint32_t>(cooldown, 1);
    touch_stats(a);
    if (reach > 1) out.deltas.emplace_back(Shot{id_of(a), target, from, to});

    const std::int32_t att = attack_of(a);
    const std::int32_t def = defense_of(t);
    const std::int32_t chance = std::clamp(75 + 2 * (att - def), 20, 95);
    if (static_cast<std::int32_t>(rng_.below(100)) >= chance) {
      out.deltas.emplace_back(Missed{id_of(a), target, body_[t].pos});
    } else {
      const std::int32_t roll = rng_.range(80, 120);
      const std::int32_t damage = std::max(1, att * roll / 100 - def / 2);
      out.deltas.emplace_back(
          Hit{id_of(a), target, body_[t].pos, damage, std::max(0, stats_[t].hp - damage)});
      deal_damage(t, damage, id_of(a), out);
    }
    if (live(target)) provoke(t, a, out);
  }
}

void World::deal_damage(Slot t, std::int32_t damage, EntityId killer, StepResult& out) {
  Stats& st = stats_[t];
  st.hp -= damage;
  touch_stats(t);
  if (!unhurt_cell_.empty()) unhurt_cell_[grid_.cell_of(body_[t].pos)] = 0;
  if (st.hp <= 0) {
    st.hp = 0;
    kill(t, killer, out);
  } else if (!killer.is_set()) {
    out.deltas.emplace_back(VitalsChanged{id_of(t), body_[t].pos, vitals_of(t)});
  }
}

void World::kill(Slot s, EntityId killer, StepResult& out) {
  const EntityId id = id_of(s);
  const Position at = body_[s].pos;
  out.deltas.emplace_back(Died{id, at, killer});
  scratch_.assign(attackers_.begin(), attackers_.end());
  for (const Slot a : scratch_) {
    if (stats_[a].target == id) set_target(a, EntityId{}, out);
  }
  if (stats_[s].target.is_set()) set_target(s, EntityId{}, out);

  if (!is_player(s)) {
    const NpcTemplate& t = config_.npc_templates[body_[s].npc_template];
    if (live(killer) && is_player(slot_of(killer))) {
      gain_experience(slot_of(killer), t.experience, out);
    }
    drop_loot(s, t, out);
    if (body_[s].spawn_area != kNoArea) {
      const std::pair<Tick, std::uint32_t> r{tick_ + std::max<std::uint32_t>(t.respawn_ticks, 1),
                                             body_[s].spawn_area};
      respawns_.push_back(r);
      std::push_heap(respawns_.begin(), respawns_.end(), std::greater<>{});
      respawn_hash_sum_ += respawn_contribution(r);
    }
    out.deltas.emplace_back(Removed{id, at, RemoveReason::Died});
    free_slot(s);
    return;
  }

  // A player loses a share of its experience (never a level), is healed and wakes in the temple.
  Stats& st = stats_[s];
  const std::uint64_t floor = experience_for_level(st.level);
  const std::uint64_t loss = st.experience * config_.death_penalty_percent / 100;
  st.experience = std::max(floor, st.experience - std::min(loss, st.experience));
  st.hp = st.max_hp;
  st.mp = st.max_mp;
  touch_stats(s);
  if (const auto to = free_tile_near(map_->player_spawn(), kJoinSearchRadius))
    teleport(s, *to, out);
  out.deltas.emplace_back(VitalsChanged{id, body_[s].pos, vitals_of(s)});
  out.deltas.emplace_back(ExperienceChanged{id, st.experience});
}

void World::gain_experience(Slot s, std::uint64_t amount, StepResult& out) {
  if (amount == 0) return;
  Stats& st = stats_[s];
  st.experience += amount;
  bool levelled = false;
  const Vocation& v = config_.vocations[st.vocation];
  while (st.experience >= experience_for_level(st.level + 1)) {
    ++st.level;
    st.max_hp = std::max(st.max_hp + v.hp_per_level, 1);
    st.max_mp = std::max(st.max_mp + v.mp_per_level, 0);
    st.attack = std::max(st.attack + v.attack_per_level, 0);
    st.defense = std::max(st.defense + v.defense_per_level, 0);
    levelled = true;
  }
  if (levelled) {
    st.hp = st.max_hp;
    st.mp = st.max_mp;
  }
  touch_stats(s);
  out.deltas.emplace_back(ExperienceChanged{id_of(s), st.experience});
  if (levelled) {
    out.deltas.emplace_back(VitalsChanged{id_of(s), body_[s].pos, vitals_of(s)});
    emit_stats(s, out);
  }
}

void World::run_regeneration(StepResult& out) {
  // Slot s regenerates on the ticks where (tick + s) % interval == 0: the work is spread evenly.
  const std::uint32_t interval = std::max<std::uint32_t>(config_.regen_interval, 1);
  const auto slots = static_cast<std::uint32_t>(body_.size());
  for (std::uint32_t k = static_cast<std::uint32_t>((interval - tick_ % interval) % interval);
       k < slots; k += interval) {
    if (const std::uint32_t ahead = k + kPrefetchRow * interval; ahead < slots) {
      prefetch(&body_[Slot{ahead}]);
      prefetch(&stats_[Slot{ahead}]);
    }
    const Slot s{k};
    if (body_[s].kind == kFree) continue;
    Stats& st = stats_[s];
    if (st.hp >= st.max_hp && st.mp >= st.max_mp) continue;
    st.hp = std::min(st.max_hp, st.hp + std::max(1, st.max_hp / 20));
    st.mp = std::min(st.max_mp, st.mp + std::max(1, st.max_mp / 20));
    touch_stats(s);
    out.deltas.emplace_back(VitalsChanged{id_of(s), body_[s].pos, vitals_of(s)});
  }
}

void World::run_respawns(StepResult& out) {
  while (!respawns_.empty() && respawns_.front().first <= tick_) {
    std::pop_heap(respawns_.begin(), respawns_.end(), std::greater<>{});
    const auto r = respawns_.back();
    respawns_.pop_back();
    respawn_hash_sum_ -= respawn_contribution(r);
    if (!spawn_in_area(r.second, &out)) {  // full: try again in a second
      const std::pair<Tick, std::uint32_t> again{tick_ + config_.tick_rate_hz, r.second};
      respawns_.push_back(again);
      std::push_heap(respawns_.begin(), respawns_.end(), std::greater<>{});
      respawn_hash_sum_ += respawn_contribution(again);
    }
  }
}

std::vector<std::pair<Tick, std::uint32_t>> World::pending_respawns() const {
  auto r = respawns_;
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace world
