#include "content/spells.hpp"

#include <array>
#include <string>

#include "json_reader.hpp"

namespace content {
namespace {

using world::SpellEffect;
using world::SpellTarget;

constexpr std::array kTargets{SpellTarget::Self, SpellTarget::Creature, SpellTarget::Tile,
                              SpellTarget::Area};
constexpr std::array kEffects{SpellEffect::Damage, SpellEffect::Heal};

constexpr std::int64_t kMaxStat = 1000000;     // mana, power
constexpr std::int64_t kMaxTicks = 100000000;  // cooldown (about two months at 20 Hz)
constexpr std::int64_t kMaxReach = 1000;       // range and radius, tiles

// Creature and Tile spells are aimed at something at a distance; Self and Area are not.
bool aimed(SpellTarget t) {
  return t == SpellTarget::Creature || t == SpellTarget::Tile;
}

// Tile and Area spells reach every creature within a radius.
bool spread(SpellTarget t) {
  return t == SpellTarget::Tile || t == SpellTarget::Area;
}

void read_spell(detail::ObjectReader& r, world::SpellType& s) {
  s.name = r.nonempty_string("name");
  s.target = r.enumeration<SpellTarget>("target", s.target, true, kTargets, "spell target");
  s.effect = r.enumeration<SpellEffect>("effect", s.effect, true, kEffects, "spell effect");
  s.mana = static_cast<std::int32_t>(r.integer("mana", s.mana, 0, kMaxStat));
  s.cooldown = static_cast<std::uint32_t>(r.integer("cooldown", s.cooldown, 1, kMaxTicks));
  // What a spell does not use defaults to 0 and must stay 0, so a file never says what is not so.
  s.range =
      static_cast<std::int32_t>(r.integer("range", aimed(s.target) ? s.range : 0, 0, kMaxReach));
  s.radius = static_cast<std::int32_t>(r.integer("radius", s.radius, 0, kMaxReach));
  s.min_power = static_cast<std::int32_t>(r.integer("min_power", s.min_power, 0, kMaxStat));
  s.max_power = static_cast<std::int32_t>(r.integer("max_power", s.max_power, 0, kMaxStat));
  s.power_per_level =
      static_cast<std::int32_t>(r.integer("power_per_level", s.power_per_level, 0, kMaxStat));
  if (r.diagnostics().failed()) return;

  const std::string target = std::string(s.target == SpellTarget::Area ? "an" : "a") + " \"" +
                             std::string(world::to_string(s.target)) + "\" spell";
  if (aimed(s.target) && s.range < 1) {
    r.fail("range", target + " is aimed at a distance, so its range must be at least 1, got " +
                        std::to_string(s.range));
  } else if (!aimed(s.target) && s.range != 0) {
    r.fail("range",
           target + " is not aimed, so its range must be 0, got " + std::to_string(s.range));
  } else if (s.target == SpellTarget::Area && s.radius < 1) {
    r.fail("radius", target + " reaches around its caster, so its radius must be at least 1, got " +
                         std::to_string(s.radius));
  } else if (!spread(s.target) && s.radius != 0) {
    r.fail("radius", target + " reaches one creature, so its radius must be 0, got " +
                         std::to_string(s.radius));
  } else if (s.max_power < s.min_power) {
    r.fail("max_power", "must be at least min_power (" + std::to_string(s.min_power) + "), got " +
                            std::to_string(s.max_power));
  }
}

}  // namespace

world::Result<std::vector<world::SpellType>> parse_spell_types(std::string_view json,
                                                               std::string_view file_name) {
  return detail::parse_keyed_list<world::SpellType>(json, file_name, "spells", read_spell);
}

}  // namespace content
