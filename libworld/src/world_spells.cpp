// Spells: the Cast command, its checks, and what a spell does to the creatures it reaches.
#include <algorithm>

#include "world/sight.hpp"
#include "world/world.hpp"
#include "world_internal.hpp"

namespace world {

using namespace detail;

std::optional<RejectReason> World::check_cast(Slot s, const Cast& cast) const {
  if (cast.spell >= config_.spells.size()) return RejectReason::InvalidArgument;
  const SpellType& spell = config_.spells[cast.spell];
  const Stats& st = stats_[s];
  if (is_player(s)) {
    const std::vector<std::uint32_t>& known = config_.vocations[st.vocation].spells;
    if (std::find(known.begin(), known.end(), cast.spell) == known.end()) {
      return RejectReason::NotYourVocation;
    }
  }
  if (tick_ < st.next_cast) return RejectReason::Cooldown;
  if (st.mp < spell.mana) return RejectReason::NotEnoughMana;
  const Position at = body_[s].pos;
  const bool harms = spell.effect == SpellEffect::Damage;
  Position centre = at;
  if (spell.target == SpellTarget::Creature) {
    if (!cast.target.is_set() || !live(cast.target)) return RejectReason::InvalidTarget;
    const Slot t = slot_of(cast.target);
    if (harms && t == s) return RejectReason::SelfTarget;
    if (harms && !hostile(s, t)) return RejectReason::NotAttackable;
    if (!harms && is_player(s) != is_player(t)) return RejectReason::InvalidTarget;
    if (harms && in_protection_zone(t)) return RejectReason::ProtectionZone;
    centre = body_[t].pos;
  } else if (spell.target == SpellTarget::Tile) {
    if (!map_->in_bounds(cast.tile)) return RejectReason::OutOfBounds;
    centre = cast.tile;
  }
  if (spell.target == SpellTarget::Creature || spell.target == SpellTarget::Tile) {
    if (chebyshev(at, centre) > spell.range) return RejectReason::OutOfRange;
    if (!line_of_sight(*map_, at, centre)) return RejectReason::NoLineOfSight;
  }
  if (harms && in_protection_zone(s)) return RejectReason::ProtectionZone;
  return std::nullopt;
}

void World::apply_cast(std::uint32_t index, const Command& c, const Cast& cast, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  if (const auto r = check_cast(s, cast)) return reject(index, c, *r, out);
  cast_spell(s, cast, out);
}

void World::cast_spell(Slot s, const Cast& cast, StepResult& out) {
  const SpellType& spell = config_.spells[cast.spell];
  Stats& st = stats_[s];
  st.mp -= spell.mana;
  st.next_cast = tick_ + std::max<std::uint32_t>(spell.cooldown, 1);
  touch_stats(s);
  const Position at = body_[s].pos;
  EntityId target;
  Position centre = at;
  if (spell.target == SpellTarget::Creature) {
    target = cast.target;
    centre = body_[slot_of(target)].pos;
  } else if (spell.target == SpellTarget::Tile) {
    centre = cast.tile;
  }
  out.deltas.emplace_back(SpellCast{id_of(s), at, cast.spell, target, centre});
  out.deltas.emplace_back(VitalsChanged{id_of(s), at, vitals_of(s)});
  // One roll per cast: an area spell does the same to everyone it reaches.
  const std::int32_t power =
      rng_.range(spell.min_power, std::max(spell.min_power, spell.max_power)) +
      spell.power_per_level * (st.level - 1);
  switch (spell.target) {
    case SpellTarget::Self:
      return spell_effect(s, s, spell, power, out);
    case SpellTarget::Creature:
      return spell_effect(s, slot_of(target), spell, power, out);
    case SpellTarget::Tile:
    case SpellTarget::Area:
      break;
  }
  // Everyone within the radius of the centre whom the centre sees: enemies for damage, allies
  // (the caster's kind, itself included) for healing; by slot.
  query_radius(centre, std::max(spell.radius, 0), reached_);
  const bool harms = spell.effect == SpellEffect::Damage;
  for (const EntityId id : reached_) {
    if (!live(id)) continue;  // died earlier in this cast
    const Slot t = slot_of(id);
    if (harms ? !hostile(s, t) || in_protection_zone(t) : is_player(s) != is_player(t)) continue;
    if (!line_of_sight(*map_, centre, body_[t].pos)) continue;
    spell_effect(s, t, spell, power, out);
  }
}

void World::spell_effect(Slot caster, Slot t, const SpellType& spell, std::int32_t power,
                         StepResult& out) {
  Stats& st = stats_[t];
  if (spell.effect == SpellEffect::Heal) {
    if (st.hp >= st.max_hp) return;
    st.hp = std::min(st.max_hp, st.hp + std::max(power, 0));
    touch_stats(t);
    out.deltas.emplace_back(VitalsChanged{id_of(t), body_[t].pos, vitals_of(t)});
    return;
  }
  const std::int32_t damage = std::max(power, 1);  // armor does not stop spells
  out.deltas.emplace_back(
      Hit{id_of(caster), id_of(t), body_[t].pos, damage, std::max(0, st.hp - damage)});
  deal_damage(t, damage, id_of(caster), out);
  provoke(t, caster, out);
}

}  // namespace world
