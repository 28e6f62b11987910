#pragma once
// Test helper: small item and spell lists for the parsers that name items and spells by key.

#include <vector>

#include "world/content.hpp"

namespace content_test {

/// Five item types: 0 gold (stacks to 1000), 1 potion (stacks to 20), 2 sword (a melee weapon,
/// does not stack), 3 bow (a weapon of range 6), 4 cap (a helmet).
inline std::vector<world::ItemType> small_items() {
  std::vector<world::ItemType> items(5);
  items[0].key = "gold";
  items[0].kind = world::ItemKind::Gold;
  items[0].stackable = true;
  items[0].max_stack = 1000;
  items[1].key = "potion";
  items[1].kind = world::ItemKind::Potion;
  items[1].stackable = true;
  items[1].max_stack = 20;
  items[2].key = "sword";
  items[2].kind = world::ItemKind::Weapon;
  items[2].slot = world::EquipSlot::Weapon;
  items[3].key = "bow";
  items[3].kind = world::ItemKind::Weapon;
  items[3].slot = world::EquipSlot::Weapon;
  items[3].range = 6;
  items[4].key = "cap";
  items[4].kind = world::ItemKind::Helmet;
  items[4].slot = world::EquipSlot::Head;
  return items;
}

/// Three spells: 0 bolt (damage), 1 heal (heals its caster), 2 mend (heals a creature, mana 12).
inline std::vector<world::SpellType> small_spells() {
  std::vector<world::SpellType> spells(3);
  spells[0].key = "bolt";
  spells[0].effect = world::SpellEffect::Damage;
  spells[1].key = "heal";
  spells[1].target = world::SpellTarget::Self;
  spells[1].effect = world::SpellEffect::Heal;
  spells[2].key = "mend";
  spells[2].effect = world::SpellEffect::Heal;
  spells[2].mana = 12;
  return spells;
}

}  // namespace content_test
