#include "content/items.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "json_reader.hpp"

namespace content {
namespace {

using detail::Json;
using world::EquipSlot;
using world::ItemKind;

constexpr std::array kItemKinds{ItemKind::Misc,  ItemKind::Weapon, ItemKind::Helmet,
                                ItemKind::Armor, ItemKind::Potion, ItemKind::Gold,
                                ItemKind::Ammo};
constexpr std::array kEquipSlots{EquipSlot::None, EquipSlot::Head, EquipSlot::Body,
                                 EquipSlot::Weapon};

constexpr std::int64_t kMaxBonus = 1000;     // attack / defense of one item
constexpr std::int64_t kMaxHeal = 100000;    // heal_hp / heal_mp of one potion
constexpr std::int64_t kMaxStack = 65535;    // ItemType::max_stack is 16-bit
constexpr std::int64_t kDefaultStack = 100;  // max_stack of a stackable item that names none
constexpr std::int64_t kMaxRange = 12;       // a weapon's reach, tiles

// The only slot an item of this kind may be worn in.
EquipSlot slot_of(ItemKind kind) {
  switch (kind) {
    case ItemKind::Weapon:
      return EquipSlot::Weapon;
    case ItemKind::Helmet:
      return EquipSlot::Head;
    case ItemKind::Armor:
      return EquipSlot::Body;
    case ItemKind::Misc:
    case ItemKind::Potion:
    case ItemKind::Gold:
    case ItemKind::Ammo:
      break;
  }
  return EquipSlot::None;
}

// Reads the fields of one item (the key is already read); consistency is checked by the caller.
// The key of its ammunition, if it names one, goes to `ammo` (resolved once every item is read).
void read_fields(detail::ObjectReader& r, world::ItemType& t, std::optional<std::string>& ammo) {
  t.name = r.nonempty_string("name");
  t.kind = r.enumeration<ItemKind>("kind", ItemKind::Misc, true, kItemKinds, "item kind");
  const EquipSlot expected = slot_of(t.kind);
  t.slot = r.enumeration<EquipSlot>("slot", expected, false, kEquipSlots, "slot");
  if (!r.diagnostics().failed() && t.slot != expected) {
    r.fail("slot", "kind \"" + std::string(world::to_string(t.kind)) + "\" needs slot \"" +
                       std::string(world::to_string(expected)) + "\", got \"" +
                       std::string(world::to_string(t.slot)) + "\"");
  }
  t.attack = static_cast<std::int32_t>(r.integer("attack", 0, 0, kMaxBonus));
  t.defense = static_cast<std::int32_t>(r.integer("defense", 0, 0, kMaxBonus));
  t.heal_hp = static_cast<std::int32_t>(r.integer("heal_hp", 0, 0, kMaxHeal));
  t.heal_mp = static_cast<std::int32_t>(r.integer("heal_mp", 0, 0, kMaxHeal));
  t.stackable = r.boolean("stackable", t.kind == ItemKind::Gold || t.kind == ItemKind::Potion ||
                                           t.kind == ItemKind::Ammo);
  const std::int64_t stack = r.integer("max_stack", t.stackable ? kDefaultStack : 1, 1, kMaxStack);
  t.max_stack = static_cast<std::uint16_t>(stack);
  t.range = static_cast<std::int32_t>(r.integer("range", 1, 1, kMaxRange));
  ammo = r.string("ammo", false);
}

// Rules between fields: what is worn carries the bonuses, what is drunk heals, stacks.
void check_consistency(detail::ObjectReader& r, const world::ItemType& t, bool names_ammo) {
  const std::string kind = "an item of kind \"" + std::string(world::to_string(t.kind)) + "\"";
  if (t.slot == EquipSlot::None) {
    if (t.attack != 0) r.fail("attack", kind + " cannot be worn, so its attack must be 0");
    if (t.defense != 0) r.fail("defense", kind + " cannot be worn, so its defense must be 0");
  }
  if (t.kind == ItemKind::Potion) {
    if (t.heal_hp == 0 && t.heal_mp == 0)
      r.fail("heal_hp", "a potion must heal something (heal_hp or heal_mp > 0)");
  } else {
    if (t.heal_hp != 0) r.fail("heal_hp", "only a potion heals, so heal_hp must be 0");
    if (t.heal_mp != 0) r.fail("heal_mp", "only a potion heals, so heal_mp must be 0");
  }
  if (t.kind == ItemKind::Gold && !t.stackable) r.fail("stackable", "gold must be stackable");
  if (!t.stackable && t.max_stack != 1) {
    r.fail("max_stack", "a non-stackable item has max_stack 1, got " + std::to_string(t.max_stack));
  }
  if (t.slot != EquipSlot::None && t.stackable)
    r.fail("stackable", kind + " is worn, so it cannot be stackable");
  if (t.kind != ItemKind::Weapon && t.range != 1)
    r.fail("range",
           kind + " is not a weapon, so its range must be 1, got " + std::to_string(t.range));
  if (names_ammo && (t.kind != ItemKind::Weapon || t.range <= 1))
    r.fail("ammo", "only a ranged weapon (kind \"weapon\", range above 1) uses ammunition");
}

// A ranged weapon's ammunition, named by key: an item of kind ammo anywhere in the list.
// `ammo[i]` is what item i names.
world::Result<std::vector<world::ItemType>> resolve_ammo(
    std::vector<world::ItemType> items, const std::vector<std::optional<std::string>>& ammo,
    std::string_view file_name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!ammo[i]) continue;
    world::ItemType& t = items[i];
    const std::string label = "items[" + std::to_string(i) + "] (" + detail::quote(t.key) + ")";
    const detail::Path at(label);
    detail::Diagnostics diag{std::string(file_name)};
    const auto fail = [&](const std::string& what) {
      diag.fail(detail::Path(at, "ammo"), what);
      return diag.error();
    };
    const auto found = std::find_if(items.begin(), items.end(),
                                    [&](const world::ItemType& a) { return a.key == *ammo[i]; });
    if (found == items.end()) return fail("unknown item " + detail::quote(*ammo[i]));
    if (found->kind != ItemKind::Ammo) {
      return fail("item " + detail::quote(found->key) + " is not ammunition (kind " +
                  detail::quote(std::string(world::to_string(found->kind))) + ")");
    }
    t.ammo = static_cast<std::uint32_t>(found - items.begin()) + 1;
  }
  return items;
}

}  // namespace

world::Result<std::vector<world::ItemType>> parse_item_types(std::string_view json,
                                                             std::string_view file_name) {
  std::vector<std::optional<std::string>> ammo;  // per item, the ammunition key it names
  world::Result<std::vector<world::ItemType>> items = detail::parse_keyed_list<world::ItemType>(
      json, file_name, "items", [&ammo](detail::ObjectReader& r, world::ItemType& t) {
        std::optional<std::string>& names = ammo.emplace_back();
        read_fields(r, t, names);
        if (!r.diagnostics().failed()) check_consistency(r, t, names.has_value());
      });
  if (!items.ok()) return items;
  return resolve_ammo(std::move(items).value(), ammo, file_name);
}

}  // namespace content
