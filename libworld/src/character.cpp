// A new character of a vocation.
#include "world/character.hpp"

#include <algorithm>
#include <array>

namespace world {

Character new_character(const WorldConfig& config, std::uint8_t vocation) {
  Character c;
  if (vocation >= config.vocations.size()) vocation = 0;
  c.vocation = vocation;
  if (config.vocations.empty()) return c;
  const Vocation& v = config.vocations[vocation];
  c.max_hp = std::max(v.max_hp, 1);
  c.hp = c.max_hp;
  c.max_mp = std::max(v.max_mp, 0);
  c.mp = c.max_mp;
  c.attack = std::max(v.attack, 0);
  c.defense = std::max(v.defense, 0);
  std::array<bool, kEquipSlotCount> worn{};
  std::uint8_t next_slot = 0;
  for (const ItemStack& st : v.start_items) {
    if (st.type >= config.item_types.size() || st.count == 0) continue;
    const ItemType& t = config.item_types[st.type];
    const auto count = std::min<std::uint16_t>(st.count, t.stackable ? t.max_stack : 1);
    const auto slot = static_cast<std::uint32_t>(t.slot);
    if (slot != 0 && !worn[slot - 1]) {
      worn[slot - 1] = true;
      c.items.push_back(
          {st.type, count, ItemPlace::Equipment, static_cast<std::uint8_t>(slot - 1)});
    } else if (next_slot < config.backpack_capacity) {
      c.items.push_back({st.type, count, ItemPlace::Backpack, next_slot++});
    }
  }
  return c;
}

}  // namespace world
