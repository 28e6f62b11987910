#include <string>

#include "world/delta.hpp"

namespace world {

namespace {
std::string pos(Position p) {
  return "(" + std::to_string(p.x) + "," + std::to_string(p.y) + ")";
}
std::string item(const ItemState& i) {
  return "item " + std::to_string(i.id.index) + "#" + std::to_string(i.id.generation) + " type " +
         std::to_string(i.type) + " x" + std::to_string(i.count);
}
std::string vitals(const Vitals& v) {
  return "hp " + std::to_string(v.hp) + "/" + std::to_string(v.max_hp) + " mp " +
         std::to_string(v.mp) + "/" + std::to_string(v.max_mp) + " level " +
         std::to_string(v.level);
}
}  // namespace

std::string describe(EntityId id) {
  if (!id.is_set()) return "-";
  return std::to_string(id.index) + "#" + std::to_string(id.generation);
}

std::string describe(const Delta& d) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Appeared>) {
          return "appeared " + describe(x.entity.id) + " " + std::string(to_string(x.entity.kind)) +
                 " '" + x.entity.name + "' at " + pos(x.entity.position) + " " +
                 vitals(x.entity.vitals);
        } else if constexpr (std::is_same_v<T, Moved>) {
          return "moved " + describe(x.id) + " " + pos(x.from) + " -> " + pos(x.to);
        } else if constexpr (std::is_same_v<T, Teleported>) {
          return "teleported " + describe(x.id) + " " + pos(x.from) + " -> " + pos(x.to);
        } else if constexpr (std::is_same_v<T, Faced>) {
          return "faced " + describe(x.id) + " " + std::string(to_string(x.facing));
        } else if constexpr (std::is_same_v<T, Removed>) {
          return "removed " + describe(x.id) + " (" + std::string(to_string(x.reason)) + ")";
        } else if constexpr (std::is_same_v<T, Targeted>) {
          return "targeted " + describe(x.id) + " -> " + describe(x.target);
        } else if constexpr (std::is_same_v<T, Hit>) {
          return "hit " + describe(x.attacker) + " -> " + describe(x.target) + " for " +
                 std::to_string(x.damage) + " (hp " + std::to_string(x.target_hp) + ")";
        } else if constexpr (std::is_same_v<T, Missed>) {
          return "missed " + describe(x.attacker) + " -> " + describe(x.target);
        } else if constexpr (std::is_same_v<T, Died>) {
          return "died " + describe(x.id) + " at " + pos(x.position) + " killed by " +
                 describe(x.killer);
        } else if constexpr (std::is_same_v<T, VitalsChanged>) {
          return "vitals " + describe(x.id) + " " + vitals(x.vitals);
        } else if constexpr (std::is_same_v<T, ExperienceChanged>) {
          return "experience " + describe(x.id) + " " + std::to_string(x.experience);
        } else if constexpr (std::is_same_v<T, LookChanged>) {
          return "look " + describe(x.id) + " helmet " + std::to_string(x.look.helmet) + " armor " +
                 std::to_string(x.look.armor) + " weapon " + std::to_string(x.look.weapon);
        } else if constexpr (std::is_same_v<T, ItemDropped>) {
          return "dropped " + item(x.item) + " at " + pos(x.item.position);
        } else if constexpr (std::is_same_v<T, ItemTaken>) {
          return "taken item " + std::to_string(x.id.index) + "#" +
                 std::to_string(x.id.generation) + " from " + pos(x.position);
        } else if constexpr (std::is_same_v<T, InventoryChanged>) {
          return "inventory " + describe(x.owner) + " " + item(x.item) + " in " +
                 std::string(to_string(x.item.place)) + " " + std::to_string(x.item.index);
        } else if constexpr (std::is_same_v<T, InventoryRemoved>) {
          return "inventory " + describe(x.owner) + " lost item " + std::to_string(x.item.index) +
                 "#" + std::to_string(x.item.generation);
        } else if constexpr (std::is_same_v<T, Said>) {
          return "said " + describe(x.id) + " '" + x.name + "': " + x.text;
        } else if constexpr (std::is_same_v<T, SystemMessage>) {
          return "system message to " + (x.to.is_set() ? describe(x.to) : "everyone") + ": " +
                 x.text;
        } else if constexpr (std::is_same_v<T, Shot>) {
          return "shot " + describe(x.attacker) + " -> " + describe(x.target) + " from " +
                 pos(x.from) + " to " + pos(x.to);
        } else if constexpr (std::is_same_v<T, SpellCast>) {
          return "cast " + describe(x.caster) + " spell " + std::to_string(x.spell) + " at " +
                 (x.target.is_set() ? describe(x.target) + " " : std::string()) + pos(x.centre);
        } else if constexpr (std::is_same_v<T, StatsChanged>) {
          return "stats " + describe(x.id) + " attack " + std::to_string(x.attack) + " (" +
                 std::to_string(x.total_attack) + ") defense " + std::to_string(x.defense) + " (" +
                 std::to_string(x.total_defense) + ")";
        } else {
          static_assert(std::is_same_v<T, TriggerFired>, "describe every delta type");
          return "trigger " + std::string(to_string(x.kind)) + " for " + describe(x.id) + " at " +
                 pos(x.position) + (x.message.empty() ? "" : ": " + x.message);
        }
      },
      d);
}

}  // namespace world
